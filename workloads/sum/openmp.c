/*
 * sum-openmp: the same loop as sum-serial, with one OpenMP pragma.
 *
 * reduction(+:total) gives every thread its own private total and adds them
 * up when the loop ends: what sum-pthread does by hand. schedule(dynamic)
 * hands out one task at a time, schedule(static) one block per thread; -j
 * sets the number of threads.
 *
 * What to look for: how little changes against serial.c, and that the
 * speed-up matches the hand-written pthread pool.
 */
#include "kernel.h"

#include <omp.h>

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "openmp", .about = SUM_ABOUT " OpenMP threads.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
        .model_options = bench_schedule_options,
    };
    bench_run run;
    sum_job job;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    omp_set_num_threads((int)run.workers);
    omp_set_schedule(bench_schedule == BENCH_SCHEDULE_DYNAMIC ? omp_sched_dynamic
                                                              : omp_sched_static,
                     bench_schedule == BENCH_SCHEDULE_DYNAMIC ? 1 : 0);

    uint64_t total = 0;
    long tasks = (long)job.tasks;
    #pragma omp parallel for schedule(runtime) reduction(+:total)
    for (long task = 0; task < tasks; task++)
        total += sum_task(&job);

    return sum_finish(&run, &job, total);
}
