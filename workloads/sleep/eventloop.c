/*
 * sleep-eventloop: one thread, an event loop, and one timer per task, the
 * way asyncio.sleep works. A waiting task is a small entry in the loop's
 * timer heap (bench/loop.c): no thread, no stack, no file descriptor. -j
 * caps how many tasks wait at once (like an asyncio.Semaphore); when a
 * task's timer fires, the next task starts.
 *
 * What to look for: the wall time stays about S from 10 to 100,000 tasks,
 * the CPU time stays tiny, and maxrss_kib grows by well under 100 bytes per
 * task (compare sleep-pthread's few KiB per thread). One thread, zero
 * context switches per task: waiting is nearly free when nobody has to be
 * woken up but the loop.
 */
#include "kernel.h"
#include "loop.h"

#include <stdint.h>

static sleep_job job;
static size_t next_task;

static void start_next_task(loop *event_loop);

static void task_done(loop *event_loop, void *data)
{
    size_t task = (size_t)(uintptr_t)data;
    job.finished[task] = 1;
    start_next_task(event_loop);        /* this task is done: let another in */
}

static void start_next_task(loop *event_loop)
{
    if (next_task >= job.count)
        return;
    size_t task = next_task++;
    if (loop_timer_add(event_loop, job.seconds, task_done, (void *)(uintptr_t)task) == NULL)
        bench_failf("loop_timer_add: out of memory after %zu timers", task);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "eventloop",
        .about = SLEEP_ABOUT " One thread, one timer per task on an event loop.",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sleep_setup(&run, &job, false);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new (epoll_create1)");
    for (long started = 0; started < run.workers; started++)
        start_next_task(event_loop);
    bench_log(&run, "%zu timers set", next_task);
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");

    loop_free(event_loop);
    return sleep_finish(&run, &job);
}
