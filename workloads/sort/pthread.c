/*
 * sort-pthread: -j POSIX threads share the quicksort's recursion through a
 * stack of ranges (queue_pthread.c). At first there is one range, the whole
 * array, so one thread partitions ten million elements while the others
 * wait; then there are two halves, four quarters, and soon work for all.
 * Ranges below the cut-off (sort_parallel_cutoff) are sorted by one thread.
 * Making the input before the sort and checking it after are shared out
 * too, a part per thread: left to one thread, they would cap the speed-up.
 *
 * What to look for: with -j 2 the wall time nearly halves; what is left is
 * the first partition, which only one thread can do. vol_ctx counts the
 * waits for a range. The threads share the array itself: no copying.
 */
#include "queue_pthread.h"
#include "workers.h"

static sort_job job;
static sort_queue *queue;

static void *worker(void *argument)
{
    long part = (intptr_t)argument;
    sort_make_part(&job, part);        /* 1. make this thread's part of the input */
    sort_queue_wait_for_input(queue);  /*    and wait for the other parts */
    sort_queue_work(queue);            /* 2. sort: take ranges until all are placed */
    sort_check_part(&job, part);       /* 3. check this thread's part of the output */
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "pthread",
        .about = SORT_ABOUT " Threads sharing a stack of ranges.",
        .workload_options = sort_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, false);
    queue = sort_queue_new(job.elements, job.count, run.workers, false);

    pthread_t *threads = bench_threads_start(&run, worker, 0, BENCH_SHORTFALL_EXIT);
    bench_threads_join(&run, threads);
    sort_queue_finish(queue, &run, "thread");   /* wall_s: the sort alone, as the stack timed it */
    return sort_finish(&run, &job);
}
