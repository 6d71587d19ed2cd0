/*
 * primes-coroutine: one thread, -j coroutines (one per task by default) on
 * bench/coro's hub, as gevent would run greenlets. Each coroutine reads
 * like serial.c's loop: take the next number and test it, but every slice of
 * divisors it calls coro_yield(), so that every coroutine makes progress in
 * turn (the same slices as primes-eventloop, written as a plain loop instead
 * of a callback that re-queues itself).
 *
 * What to look for: no speed-up, ever, and nothing lost either: one thread
 * uses one core however the work is interleaved, and a yield (two stack
 * switches and a turn of the loop) costs well under a microsecond against
 * 0.1 ms of work per slice. Coroutines help work that waits, not work that
 * computes.
 */
#include "kernel.h"
#include "coro.h"

#define DIVISIONS_PER_SLICE 20000   /* about 0.1 ms of work before yielding */

static primes_job job;
static size_t next_task;   /* one thread: no lock, no atomic */

static void worker(void *unused)
{
    (void)unused;
    for (size_t task; (task = next_task++) < job.count;) {
        prime_check check;
        prime_check_init(&check, job.numbers[task]);
        while (!prime_check_step(&check, DIVISIONS_PER_SLICE))
            coro_yield();                     /* let the other coroutines run a slice */
        job.verdicts[task] = (unsigned char)check.verdict;
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "coroutine",
        .about = PRIMES_ABOUT " One thread, tasks as coroutines that yield between slices.",
        .workload_options = primes_options, .workers_default_to_tasks = true,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);

    for (long started = 0; started < run.workers; started++)
        coro_spawn(worker, NULL);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all (epoll_wait)");

    return primes_finish(&run, &job);
}
