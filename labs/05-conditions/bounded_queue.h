/*
 * bounded_queue.h - a FIFO of ints with a fixed capacity, shared by threads.
 *
 * queue_put() blocks while the queue is full; queue_get() blocks while it is
 * empty. Nobody spins and nobody drops an item: a thread that cannot go on
 * sleeps on a condition variable until another thread changes the queue.
 */
#ifndef BOUNDED_QUEUE_H
#define BOUNDED_QUEUE_H

#include <pthread.h>
#include <stddef.h>

typedef struct {
    int *items;                 /* ring buffer of `capacity` slots */
    size_t capacity;
    size_t head;                /* index of the oldest item */
    size_t count;               /* items in the queue now (0..capacity) */
    pthread_mutex_t lock;       /* protects everything above */
    pthread_cond_t not_full;    /* signalled when a slot frees up */
    pthread_cond_t not_empty;   /* signalled when an item arrives */
} bounded_queue;

/* Returns 0, or -1 with a message on stderr. */
int queue_init(bounded_queue *queue, size_t capacity);
void queue_destroy(bounded_queue *queue);

/* Adds `item` at the tail; waits while the queue is full. */
void queue_put(bounded_queue *queue, int item);
/* Removes and returns the item at the head; waits while the queue is empty. */
int queue_get(bounded_queue *queue);

#endif
