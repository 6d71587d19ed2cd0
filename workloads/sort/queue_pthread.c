/*
 * sort/queue_pthread.c - the shared stack of ranges behind sort-pthread and
 * sort-fork: one mutex, one condition variable and one barrier, made
 * process-shared for fork. The sorting itself (sort_partition, sort_serial)
 * is the kernel's.
 */
#include "queue_pthread.h"
#include "workers.h"

#include <pthread.h>

typedef struct {
    size_t first, end;
} sort_range;

struct sort_queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;      /* a range was pushed, or the last element placed */
    pthread_barrier_t input_made;   /* every worker has made its part of the input */
    double sort_started;         /* when the first range was taken */
    double sort_finished;        /* when the last element was placed */
    uint32_t *elements;
    size_t element_count;
    size_t elements_placed;      /* in their final place: done when element_count */
    size_t cutoff;               /* ranges this small are sorted by one worker */
    size_t ranges_partitioned, ranges_sorted;
    bool shared;
    size_t size;                 /* bytes, for munmap */
    size_t pending, capacity;
    sort_range ranges[];         /* the stack of ranges waiting for a worker */
};

sort_queue *sort_queue_new(uint32_t *elements, size_t count, long workers, bool shared)
{
    size_t cutoff = sort_parallel_cutoff(count);
    /* Pending ranges are disjoint, and with sound pivots each is more than
     * half of a range above the cut-off; if the stack fills anyway, a worker
     * keeps the range it would have offered. */
    size_t capacity = 2 * count / cutoff + 64;
    size_t size = sizeof(sort_queue) + capacity * sizeof(sort_range);
    sort_queue *queue = shared ? bench_shared_alloc(size) : bench_alloc(1, size);
    queue->elements = elements;
    queue->element_count = count;
    queue->cutoff = cutoff;
    queue->shared = shared;
    queue->size = size;
    queue->capacity = capacity;
    if (count > 0)
        queue->ranges[queue->pending++] = (sort_range){0, count};
    else
        queue->sort_started = queue->sort_finished = bench_now();   /* nothing to sort */

    pthread_mutexattr_t lock_attributes;
    pthread_condattr_t changed_attributes;
    int sharing = shared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE;
    bench_check(pthread_mutexattr_init(&lock_attributes), "pthread_mutexattr_init");
    bench_check(pthread_mutexattr_setpshared(&lock_attributes, sharing),
                "pthread_mutexattr_setpshared");
    bench_check(pthread_mutex_init(&queue->lock, &lock_attributes), "pthread_mutex_init");
    bench_check(pthread_mutexattr_destroy(&lock_attributes), "pthread_mutexattr_destroy");
    bench_check(pthread_condattr_init(&changed_attributes), "pthread_condattr_init");
    bench_check(pthread_condattr_setpshared(&changed_attributes, sharing),
                "pthread_condattr_setpshared");
    bench_check(pthread_cond_init(&queue->changed, &changed_attributes), "pthread_cond_init");
    bench_check(pthread_condattr_destroy(&changed_attributes), "pthread_condattr_destroy");
    pthread_barrierattr_t barrier_attributes;
    bench_check(pthread_barrierattr_init(&barrier_attributes), "pthread_barrierattr_init");
    bench_check(pthread_barrierattr_setpshared(&barrier_attributes, sharing),
                "pthread_barrierattr_setpshared");
    bench_check(pthread_barrier_init(&queue->input_made, &barrier_attributes, (unsigned)workers),
                "pthread_barrier_init");
    bench_check(pthread_barrierattr_destroy(&barrier_attributes), "pthread_barrierattr_destroy");
    return queue;
}

void sort_queue_free(sort_queue *queue)
{
    bench_check(pthread_mutex_destroy(&queue->lock), "pthread_mutex_destroy");
    bench_check(pthread_cond_destroy(&queue->changed), "pthread_cond_destroy");
    bench_check(pthread_barrier_destroy(&queue->input_made), "pthread_barrier_destroy");
    if (queue->shared)
        bench_shared_free(queue, queue->size);
    else
        free(queue);
}

void sort_queue_counts(sort_queue *queue, size_t *partitioned, size_t *sorted)
{
    *partitioned = queue->ranges_partitioned;
    *sorted = queue->ranges_sorted;
}

void sort_queue_times(sort_queue *queue, double *started, double *finished)
{
    *started = queue->sort_started;
    *finished = queue->sort_finished;
}

void sort_queue_finish(sort_queue *queue, bench_run *run, const char *worker)
{
    bench_set_clock(run, queue->sort_started, queue->sort_finished);
    bench_log(run, "%zu ranges partitioned, %zu sorted by one %s", queue->ranges_partitioned,
              queue->ranges_sorted, worker);
    sort_queue_free(queue);
}

void sort_queue_wait_for_input(sort_queue *queue)
{
    int status = pthread_barrier_wait(&queue->input_made);
    if (status != 0 && status != PTHREAD_BARRIER_SERIAL_THREAD)
        bench_fail_errno(status, "pthread_barrier_wait");
}

/* Waits for a range; false when there is none left to wait for. */
static bool take_range(sort_queue *queue, sort_range *range)
{
    bench_check(pthread_mutex_lock(&queue->lock), "pthread_mutex_lock");
    while (queue->pending == 0 && queue->elements_placed < queue->element_count)
        bench_check(pthread_cond_wait(&queue->changed, &queue->lock), "pthread_cond_wait");
    bool taken = queue->pending > 0;
    if (taken)
        *range = queue->ranges[--queue->pending];
    if (taken && queue->sort_started == 0)
        queue->sort_started = bench_now();
    bench_check(pthread_mutex_unlock(&queue->lock), "pthread_mutex_unlock");
    return taken;
}

/* Counts elements now in their final place; wakes every waiting worker
 * when that was the last of them. Called with the lock held. */
static void count_placed(sort_queue *queue, size_t placed)
{
    queue->elements_placed += placed;
    if (queue->elements_placed == queue->element_count) {
        queue->sort_finished = bench_now();
        bench_check(pthread_cond_broadcast(&queue->changed), "pthread_cond_broadcast");
    }
}

/* After a partition: offers one half to the other workers and counts the
 * pivot's copies, now in place. False if the stack is full (it never is with
 * reasonable pivots): then the caller keeps that half too. */
static bool offer_range(sort_queue *queue, sort_range range, size_t placed)
{
    bench_check(pthread_mutex_lock(&queue->lock), "pthread_mutex_lock");
    bool offered = range.end == range.first || queue->pending < queue->capacity;
    if (range.end > range.first && offered) {
        queue->ranges[queue->pending++] = range;
        bench_check(pthread_cond_signal(&queue->changed), "pthread_cond_signal");
    }
    queue->ranges_partitioned++;
    count_placed(queue, placed);
    bench_check(pthread_mutex_unlock(&queue->lock), "pthread_mutex_unlock");
    return offered;
}

/* Sorts a range in this worker and counts its elements as placed. */
static void sort_range_here(sort_queue *queue, sort_range range)
{
    sort_serial(queue->elements + range.first, range.end - range.first);
    bench_check(pthread_mutex_lock(&queue->lock), "pthread_mutex_lock");
    queue->ranges_sorted++;
    count_placed(queue, range.end - range.first);
    bench_check(pthread_mutex_unlock(&queue->lock), "pthread_mutex_unlock");
}

void sort_queue_work(sort_queue *queue)
{
    sort_range range;
    while (take_range(queue, &range)) {
        while (range.end - range.first > queue->cutoff) {
            sort_split split = sort_partition(queue->elements + range.first,
                                              range.end - range.first);
            sort_range left = {range.first, range.first + split.left_end};
            sort_range right = {range.first + split.right_first, range.end};
            bool left_bigger = left.end - left.first > right.end - right.first;
            sort_range offered = left_bigger ? left : right;
            if (!offer_range(queue, offered, split.right_first - split.left_end))
                sort_range_here(queue, offered);
            range = left_bigger ? right : left;
        }
        sort_range_here(queue, range);
    }
}
