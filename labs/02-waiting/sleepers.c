/*
 * sleepers.c - N sleepers on one event loop: one thread, one timer each.
 *
 *   ./sleepers -n 10000 --seconds 2 [--json]
 *
 * Each sleeper is a timer in the loop's heap (a few dozen bytes), not a
 * thread (a stack) or a process (an address space), so 10,000 of them cost
 * about as much as 10 and the whole run takes one duration.
 *
 * At the end it checks your task_done(): every sleeper completed, none
 * before its time, tasks_completed agrees, and the run took about one
 * duration, not one per sleeper. Exit 0 if so, 1 (with the reason) if not.
 */
#include "bench.h"
#include "sleepers.h"

size_t tasks_completed;

static double wait_seconds = 2.0;
static const bench_option sleep_options[] = {
    {"seconds", 0, BENCH_OPT_SECONDS, &wait_seconds, "S", "each sleeper waits S seconds (default 2)", NULL},
    BENCH_OPTIONS_END,
};

static bool check(const sleeper *sleepers, size_t count, double wall)
{
    size_t done = 0;
    for (size_t index = 0; index < count; index++) {
        const sleeper *task = &sleepers[index];
        if (!task->done)
            continue;
        done++;
        double waited = task->finished_at - task->started_at;
        if (waited < wait_seconds - 1e-6 || task->finished_at > bench_now()) {
            fprintf(stderr, "sleepers: task %zu finished after %.3f s, not %.3f s\n", index,
                    waited, wait_seconds);
            return false;
        }
    }
    if (done != count || tasks_completed != count) {
        fprintf(stderr, "sleepers: %zu of %zu tasks are marked done and tasks_completed is %zu "
                "(both should be %zu)\n", done, count, tasks_completed, count);
        return false;
    }
    if (wall > 2 * wait_seconds + 0.5) {
        fprintf(stderr, "sleepers: %zu tasks of %.3f s took %.3f s: they should wait together, "
                "in about one duration\n", count, wait_seconds, wall);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "lab-eventloop", .default_tasks = 1000,
        .about = "N sleepers as timers on one event loop.",
        .workers_default_to_tasks = true, .workload_options = sleep_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    size_t count = (size_t)run.tasks;
    sleeper *sleepers = bench_alloc(count, sizeof *sleepers);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new");
    for (size_t index = 0; index < count; index++) {
        sleepers[index].index = index;
        sleepers[index].started_at = bench_now();
        if (loop_timer_add(event_loop, wait_seconds, task_done, &sleepers[index]) == NULL)
            bench_fail("loop_timer_add");
    }
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");
    loop_free(event_loop);

    bool right = check(sleepers, count, bench_now() - run.started);
    char result[64], summary[96];
    snprintf(result, sizeof result, "\"completed\": %zu", tasks_completed);
    snprintf(summary, sizeof summary, "%zu of %zu sleepers completed", tasks_completed, count);
    free(sleepers);
    return bench_finish(&run, right ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
