/*
 * primes-pthread: a pool of -j POSIX threads sharing the list of tasks.
 *
 * Dynamic scheduling (the default): each thread takes the next untested
 * number from a shared atomic counter, so a thread that drew a small number
 * comes back for more. Static scheduling (--schedule static): thread k gets
 * the k-th contiguous block of tasks up front, so the thread whose block
 * holds the big primes finishes last while the others idle.
 *
 * What to look for: with -j 2 on two cores the wall time halves and the CPU
 * time stays the same: C threads run in parallel (there is no GIL). Compare
 * --schedule static with dynamic: the list is badly unbalanced.
 */
#include "kernel.h"
#include "workers.h"

#include <stdatomic.h>

static primes_job job;
static long workers;
static atomic_size_t next_task;   /* the next task nobody has taken yet */

static void *worker(void *argument)
{
    long worker_index = (intptr_t)argument;
    if (bench_schedule == BENCH_SCHEDULE_DYNAMIC) {
        size_t task;
        while ((task = atomic_fetch_add(&next_task, 1)) < job.count)
            job.verdicts[task] = is_prime(job.numbers[task]);
    } else {
        bench_block block = bench_static_block(job.count, workers, worker_index);
        for (size_t task = block.first; task < block.end; task++)
            job.verdicts[task] = is_prime(job.numbers[task]);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "pthread", .about = PRIMES_ABOUT " A pool of threads.",
        .workload_options = primes_options, .model_options = bench_schedule_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    workers = run.workers;

    pthread_t *threads = bench_threads_start(&run, worker, 0, BENCH_SHORTFALL_EXIT);
    bench_threads_join(&run, threads);
    return primes_finish(&run, &job);
}
