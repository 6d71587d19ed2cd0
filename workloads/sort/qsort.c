/*
 * sort-qsort: a REFERENCE ROW, not a concurrency model. It sorts the same
 * input as sort-serial with the C library's qsort() and a comparator, which
 * is what a C programmer would write instead of a quicksort of their own.
 * Same options and record as the models, so the benchmark can compare.
 *
 * What to look for: how much slower a generic sort is than sort-serial.
 * glibc's qsort is a merge sort into a scratch buffer (see maxrss_kib), and
 * it calls the comparator through a pointer for every comparison.
 */
#include "kernel.h"

static int compare_elements(const void *a, const void *b)
{
    uint32_t left = *(const uint32_t *)a, right = *(const uint32_t *)b;
    return (left > right) - (left < right);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "qsort",
        .about = SORT_ABOUT " Reference: the C library's qsort, one thread.",
        .workload_options = sort_options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, 1, false);
    run.workers = 1;

    sort_make_part(&job, 0);
    bench_restart_clock(&run);
    qsort(job.elements, job.count, sizeof job.elements[0], compare_elements);
    bench_stop_clock(&run);
    sort_check_part(&job, 0);

    return sort_finish(&run, &job);
}
