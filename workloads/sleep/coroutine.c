/*
 * sleep-coroutine: one thread, -j coroutines (one per task by default) on
 * bench/coro's hub: gevent.spawn + gevent.sleep + joinall, in C. Each
 * coroutine is serial.c's loop, with coro_sleep() for sleep_wait(): the call
 * looks blocking, but it only sets a timer on the hub's loop and switches
 * to the hub, which runs the other coroutines until the timer fires.
 *
 * What to look for: 100,000 tasks of 1 s take about 1 s, in one thread. A
 * parked coroutine is its frames copied off the run stack (a few hundred
 * bytes, see bench/coro.h), a timer and a small struct: divide maxrss_kib by
 * the task count, and compare sleep-pthread's few KiB per thread and
 * sleep-eventloop's timer alone.
 */
#include "kernel.h"
#include "coro.h"

static sleep_job job;
static size_t next_task;   /* one thread: no lock, no atomic */
static const bench_run *this_run;

static void worker(void *unused)
{
    (void)unused;
    for (size_t task; (task = next_task++) < job.count;) {
        coro_sleep(job.seconds);              /* parks this coroutine, not the thread */
        job.finished[task] = 1;
        bench_log(this_run, "task %zu done", task);
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "coroutine",
        .about = SLEEP_ABOUT " One thread, one coroutine per task on an event loop.",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sleep_setup(&run, &job, false);
    this_run = &run;

    for (long started = 0; started < run.workers; started++)
        coro_spawn(worker, NULL);
    bench_log(&run, "%ld coroutines spawned", run.workers);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all (epoll_wait)");

    return sleep_finish(&run, &job);
}
