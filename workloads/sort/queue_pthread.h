/*
 * sort/queue_pthread.h - a shared stack of ranges still to sort: the model
 * code that sort's pthread and fork variants share (so it is not in the
 * kernel, which every model links; workloads/sort/build.mk links it into
 * those two only).
 *
 * It starts with the whole array. A worker takes a range; while the range is
 * bigger than the parallel cut-off it partitions it, pushes the bigger half
 * back for any idle worker and keeps the smaller half; a range at or below
 * the cut-off it sorts on its own. Every element ends up "placed": by a
 * serial sort, or as a pivot (or a copy of it) during a partition. The job is
 * done when every element is placed, and a worker waiting for a range then
 * wakes up and returns.
 *
 * One mutex and one condition variable guard the stack. A barrier lets the
 * workers wait for each other's part of the input before they sort. For fork
 * the queue lives in a MAP_SHARED mapping and all three are made
 * process-shared (pthread_mutexattr_setpshared), so the same code serves
 * processes.
 */
#ifndef SORT_QUEUE_PTHREAD_H
#define SORT_QUEUE_PTHREAD_H

#include "kernel.h"

typedef struct sort_queue sort_queue;

/* A queue holding the range [0, count) of `elements`, for `workers`
 * workers. With `shared` it is placed in memory shared with processes forked
 * after this call. */
sort_queue *sort_queue_new(uint32_t *elements, size_t count, long workers, bool shared);
void sort_queue_free(sort_queue *queue);

/* Waits until every worker has called it: a barrier, for after making the
 * input, since any range may hold elements of any part. */
void sort_queue_wait_for_input(sort_queue *queue);

/* One worker's loop, in a thread or a child process: returns when every
 * element is placed. */
void sort_queue_work(sort_queue *queue);

/* When the first range was taken and the last element placed (bench_now()
 * clock, the same in every process): the time of the sort alone. */
void sort_queue_times(sort_queue *queue, double *started, double *finished);

/* After the workers: sets run's clock to the sort's own times, logs the
 * counts for -v (`worker` names one: "thread", "process") and frees the queue. */
void sort_queue_finish(sort_queue *queue, bench_run *run, const char *worker);

/* Ranges partitioned and ranges sorted serially so far (for -v). */
void sort_queue_counts(sort_queue *queue, size_t *partitioned, size_t *sorted);

#endif
