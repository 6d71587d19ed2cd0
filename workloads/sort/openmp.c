/*
 * sort-openmp: the serial quicksort's recursion, with each partition's
 * smaller half made an OpenMP task that any idle thread may pick up. The
 * if() clause keeps ranges below the cut-off in the thread that found them:
 * a task for a few thousand elements would cost more than it saves. The
 * end of the parallel region waits for every task.
 *
 * Making the input before the sort and checking it after are shared out
 * too, with a parallel for over -j parts.
 *
 * What to look for: the same shape as sort-pthread's hand-written stack of
 * ranges and about the same time, in a dozen lines: OpenMP's task queue is
 * that stack.
 */
#include "kernel.h"

#include <omp.h>

static size_t cutoff;

static void quicksort_tasks(uint32_t *elements, size_t count)
{
    while (count > cutoff) {
        sort_split split = sort_partition(elements, count);
        uint32_t *left = elements, *right = elements + split.right_first;
        size_t left_count = split.left_end, right_count = count - split.right_first;
        bool left_smaller = left_count < right_count;
        uint32_t *smaller = left_smaller ? left : right;
        size_t smaller_count = left_smaller ? left_count : right_count;
        #pragma omp task if(smaller_count > cutoff) firstprivate(smaller, smaller_count)
        quicksort_tasks(smaller, smaller_count);
        elements = left_smaller ? right : left;       /* keep the bigger half */
        count = left_smaller ? right_count : left_count;
    }
    sort_serial(elements, count);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "openmp",
        .about = SORT_ABOUT " OpenMP tasks.", .workload_options = sort_options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, false);
    omp_set_num_threads((int)run.workers);
    cutoff = sort_parallel_cutoff(job.count);

    #pragma omp parallel for           /* 1. make the input: a part per thread */
    for (long part = 0; part < run.workers; part++)
        sort_make_part(&job, part);
    bench_restart_clock(&run);         /*    the clock times the sort alone */

    #pragma omp parallel               /* 2. sort: one thread starts, tasks spread */
    #pragma omp single
    quicksort_tasks(job.elements, job.count);
    bench_stop_clock(&run);

    #pragma omp parallel for           /* 3. check the output: a part per thread */
    for (long part = 0; part < run.workers; part++)
        sort_check_part(&job, part);

    return sort_finish(&run, &job);
}
