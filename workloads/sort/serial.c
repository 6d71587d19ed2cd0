/*
 * sort-serial: the baseline. One thread quicksorts the whole array (see
 * kernel.c: ninther pivot, branch-free Lomuto partition, insertion sort for short
 * ranges). Every other sort model is this call plus a way of sharing the
 * recursion out; diff them against it.
 *
 * What to look for: the wall time equals the CPU time, one core busy.
 * Compare with sort-qsort (the libc sort): a sort specialised to uint32_t,
 * with no comparator called through a pointer, is much faster.
 */
#include "kernel.h"

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "serial", .about = SORT_ABOUT " One thread.",
        .workload_options = sort_options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, 1, false);
    run.workers = 1;

    sort_make_part(&job, 0);            /* 1. make the input (one part: all of it) */
    bench_restart_clock(&run);          /*    the clock times the sort alone */
    sort_serial(job.elements, job.count);   /* 2. sort */
    bench_stop_clock(&run);
    sort_check_part(&job, 0);           /* 3. check the output */

    return sort_finish(&run, &job);
}
