/*
 * sort-pthread: -j POSIX threads share the quicksort's recursion through a
 * stack of ranges (kernel_queue.c). At first there is one range, the whole
 * array, so one thread partitions ten million elements while the others
 * wait; then there are two halves, four quarters, and soon work for all.
 * Ranges below the cut-off (sort_parallel_cutoff) are sorted by one thread.
 *
 * What to look for: with -j 2 the wall time nearly halves; what is left is
 * the first partition, which only one thread can do. vol_ctx counts the
 * waits for a range. The threads share the array itself: no copying.
 */
#include "kernel_queue.h"

#include <pthread.h>

static void *worker(void *queue)
{
    sort_queue_work(queue);
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
    sort_setup(&run, &job, false);
    sort_queue *queue = sort_queue_new(job.elements, job.count, false);

    pthread_t *threads = bench_alloc((size_t)run.workers, sizeof *threads);
    for (long index = 0; index < run.workers; index++) {
        int error = pthread_create(&threads[index], NULL, worker, queue);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    for (long index = 0; index < run.workers; index++) {
        int error = pthread_join(threads[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }

    size_t partitioned, sorted;
    sort_queue_counts(queue, &partitioned, &sorted);
    bench_log(&run, "%zu ranges partitioned, %zu sorted by one thread", partitioned, sorted);
    free(threads);
    sort_queue_free(queue);
    return sort_finish(&run, &job);
}
