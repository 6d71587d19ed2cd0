/*
 * sum-pthread: a pool of -j POSIX threads sharing the tasks.
 *
 * Dynamic scheduling (the default): each thread takes the next task from a
 * shared atomic counter. Static scheduling (--schedule static): thread k
 * gets the k-th contiguous block of tasks up front. Either way a thread adds
 * up its own tasks in a local variable and touches the shared total once,
 * at the end, with one atomic add.
 *
 * What to look for: with -j 2 on two cores the wall time halves and the CPU
 * time stays the same: C threads run in parallel (there is no GIL). The
 * tasks are all the same size, so static and dynamic scheduling tie here,
 * unlike primes. With -j equal to the task count (one thread per task, as in
 * the notes) the threads only add creation cost and context switches.
 */
#include "kernel.h"
#include "workers.h"

#include <stdatomic.h>

static sum_job job;
static long workers;
static atomic_size_t next_task;      /* the next task nobody has taken yet */
static _Atomic uint64_t total;       /* the sum of every thread's partial sum */

static void *worker(void *argument)
{
    long worker_index = (intptr_t)argument;
    uint64_t partial_sum = 0;
    if (bench_schedule == BENCH_SCHEDULE_DYNAMIC) {
        while (atomic_fetch_add(&next_task, 1) < job.tasks)
            partial_sum += sum_task(&job);
    } else {
        bench_block block = bench_static_block(job.tasks, workers, worker_index);
        for (size_t task = block.first; task < block.end; task++)
            partial_sum += sum_task(&job);
    }
    atomic_fetch_add(&total, partial_sum);
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "pthread", .about = SUM_ABOUT " A pool of threads.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
        .model_options = bench_schedule_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    workers = run.workers;

    pthread_t *threads = bench_threads_start(&run, worker, 0, BENCH_SHORTFALL_EXIT);
    bench_threads_join(&run, threads);
    return sum_finish(&run, &job, atomic_load(&total));
}
