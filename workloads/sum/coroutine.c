/*
 * sum-coroutine: one thread, -j coroutines (one per task by default) on
 * bench/coro's hub, as gevent would run greenlets. Each coroutine reads like
 * serial.c's loop: take the next task and sum its range, but in slices,
 * with a coro_yield() after each so that every coroutine makes progress in
 * turn (the same slices as sum-eventloop, written as a plain loop).
 *
 * What to look for: no speed-up, ever, and very little lost: one thread uses
 * one core, and a yield costs well under a microsecond against the slice's
 * work. Coroutines help work that waits, not work that computes.
 */
#include "kernel.h"
#include "coro.h"

#define NUMBERS_PER_SLICE 100000   /* well under a millisecond before yielding */

static sum_job job;
static size_t next_task;   /* one thread: no lock, no atomic */
static uint64_t total;

static void worker(void *unused)
{
    (void)unused;
    while (next_task++ < job.tasks) {
        for (uint64_t from = 0; from < job.count; from += NUMBERS_PER_SLICE) {
            uint64_t to = job.count - from > NUMBERS_PER_SLICE ? from + NUMBERS_PER_SLICE : job.count;
            total += sum_range(from, to);
            coro_yield();                     /* let the other coroutines run a slice */
        }
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "coroutine",
        .about = SUM_ABOUT " One thread, tasks as coroutines that yield between slices.",
        .default_tasks = SUM_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sum_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);

    for (long started = 0; started < run.workers; started++)
        coro_spawn(worker, NULL);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all (epoll_wait)");

    return sum_finish(&run, &job, total);
}
