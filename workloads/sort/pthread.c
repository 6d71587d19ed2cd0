/*
 * sort-pthread: -j POSIX threads share the quicksort's recursion through a
 * stack of ranges (kernel_queue.c). At first there is one range, the whole
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
#include "kernel_queue.h"

#include <pthread.h>

typedef struct {
    sort_job *job;
    sort_queue *queue;
    long part;
} worker_args;

static void *worker(void *argument)
{
    worker_args *me = argument;
    sort_make_part(me->job, me->part);      /* 1. make this thread's part of the input */
    sort_queue_wait_for_input(me->queue);   /*    and wait for the other parts */
    sort_queue_work(me->queue);             /* 2. sort: take ranges until all are placed */
    sort_check_part(me->job, me->part);     /* 3. check this thread's part of the output */
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
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, false);
    sort_queue *queue = sort_queue_new(job.elements, job.count, run.workers, false);

    pthread_t *threads = bench_alloc((size_t)run.workers, sizeof *threads);
    worker_args *args = bench_alloc((size_t)run.workers, sizeof *args);
    for (long index = 0; index < run.workers; index++) {
        args[index] = (worker_args){&job, queue, index};
        int error = pthread_create(&threads[index], NULL, worker, &args[index]);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    for (long index = 0; index < run.workers; index++) {
        int error = pthread_join(threads[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }

    free(threads);
    free(args);
    sort_queue_finish(queue, &run, "thread");   /* wall_s: the sort alone, as the stack timed it */
    return sort_finish(&run, &job);
}
