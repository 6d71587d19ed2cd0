/*
 * sort-fork: the same stack of ranges as sort-pthread, shared by -j child
 * processes instead of threads. The array and the stack live in MAP_SHARED
 * mappings made before fork, so every child sorts the one array in place
 * and the parent sees the result; the mutex and condition variable are
 * process-shared (queue_pthread.c). Nothing goes through a pipe. Each child
 * also makes its part of the input before the sort and checks its part of
 * the output after it.
 *
 * What to look for: the same speed-up as threads. fork() copies only page
 * tables, and shared memory costs nothing extra to read or write. Unlike
 * threads, a crashed child cannot take the others down with it, but it can
 * leave them waiting for its elements forever; so the parent stops the rest
 * when one fails.
 */
#include "queue_pthread.h"
#include "workers.h"

static sort_job job;
static sort_queue *queue;

/* One child's whole job. Everything it does reaches the parent through the
 * shared mappings. */
static void worker(long part, int unused)
{
    (void)unused;
    sort_make_part(&job, part);         /* 1. make this child's part of the input */
    sort_queue_wait_for_input(queue);   /*    and wait for the other parts */
    sort_queue_work(queue);             /* 2. sort: take ranges until all are placed */
    sort_check_part(&job, part);        /* 3. check this child's part of the output */
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "fork",
        .about = SORT_ABOUT " Processes sharing the array and a stack of ranges.",
        .workload_options = sort_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, true);   /* the array and the parts' checks: shared */
    queue = sort_queue_new(job.elements, job.count, run.workers, true);

    bench_children children;   /* if one fails, the others are stopped: they would wait for it */
    bench_children_start(&children, &run, worker, false, BENCH_SHORTFALL_EXIT);
    if (!bench_children_wait(&children))
        bench_failf("a child failed: the array is not sorted");

    sort_queue_finish(queue, &run, "process");   /* wall_s: the sort alone, as the stack timed it */
    return sort_finish(&run, &job);
}
