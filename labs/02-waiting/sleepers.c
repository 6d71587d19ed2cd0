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
 * before its time, tasks_completed agrees, each finish time is the time its
 * callback actually ran (the loop's clock then, not a deadline worked out),
 * and the run took about one duration, not one per sleeper. Exit 0 if so,
 * 1 (with the reason) if not.
 */
#include "bench.h"
#include "sleepers.h"
#include "lab_report.h"

size_t tasks_completed;

static double wait_seconds = 2.0;
static const bench_option sleep_options[] = {
    {"seconds", 0, BENCH_OPT_SECONDS, &wait_seconds, "S", "each sleeper waits S seconds (default 2)", NULL},
    BENCH_OPTIONS_END,
};

/* The callback the loop really calls: it notes when task_done ran. */
typedef struct { double called_at, returned_at; } callback_times;
static callback_times *times;

static void timer_fired(loop *event_loop, void *data)
{
    sleeper *task = data;
    times[task->index].called_at = loop_now(event_loop);
    task_done(event_loop, data);
    times[task->index].returned_at = bench_now();
}

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
        if (task->finished_at < times[index].called_at - 1e-6
            || task->finished_at > times[index].returned_at + 1e-6) {
            fprintf(stderr, "sleepers: task %zu says it finished at %.6f, but its callback ran from "
                    "%.6f to %.6f: record the loop's clock when the callback runs\n", index,
                    task->finished_at, times[index].called_at, times[index].returned_at);
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
    lab_report_open();   /* before any of task_done.c runs: see lab_report.h */
    bench_start(&run, &spec, argc, argv);
    size_t count = (size_t)run.tasks;
    sleeper *sleepers = bench_alloc(count, sizeof *sleepers);
    times = bench_alloc(count, sizeof *times);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new");
    for (size_t index = 0; index < count; index++) {
        sleepers[index].index = index;
        sleepers[index].started_at = bench_now();
        if (loop_timer_add(event_loop, wait_seconds, timer_fired, &sleepers[index]) == NULL)
            bench_fail("loop_timer_add");
    }
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");
    loop_free(event_loop);

    bool right = check(sleepers, count, bench_now() - run.started);
    char result[64], summary[96];
    snprintf(result, sizeof result, "\"completed\": %zu", tasks_completed);
    snprintf(summary, sizeof summary, "%zu of %zu sleepers completed", tasks_completed, count);
    lab_report("right=%d completed=%zu wall=%.3f", right, tasks_completed, bench_now() - run.started);
    free(sleepers);
    free(times);
    return bench_finish(&run, right ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
