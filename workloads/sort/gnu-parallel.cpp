/*
 * sort-gnu-parallel: a REFERENCE ROW, not a concurrency model. It sorts the
 * same input with __gnu_parallel::sort, libstdc++'s parallel mode (built on
 * OpenMP; by default a multiway merge sort over -j threads), which is what a
 * C++ programmer would pick instead of writing a parallel sort. Same options
 * and record as the models, so the benchmark can compare.
 *
 * What to look for: how close the hand-written parallel quicksorts
 * (sort-pthread, sort-fork, sort-openmp) come to a tuned library sort with
 * the same number of threads.
 */
#include "kernel.h"

#include <omp.h>
#include <parallel/algorithm>

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "gnu-parallel",
        .about = SORT_ABOUT " Reference: libstdc++'s __gnu_parallel::sort on -j threads.",
        .default_tasks = 0, .workers_default_to_tasks = false, .workload_options = sort_options,
        .model_options = NULL, .operands = NULL,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, false);
    omp_set_num_threads((int)run.workers);

    #pragma omp parallel for   // the input and the check in -j parts, as in sort-openmp
    for (long part = 0; part < run.workers; part++)
        sort_make_part(&job, part);
    bench_restart_clock(&run);
    __gnu_parallel::sort(job.elements, job.elements + job.count);
    bench_stop_clock(&run);
    #pragma omp parallel for
    for (long part = 0; part < run.workers; part++)
        sort_check_part(&job, part);

    return sort_finish(&run, &job);
}
