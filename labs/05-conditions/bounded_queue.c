/*
 * bounded_queue.c - YOUR PART of lab 5: make put wait while the queue is
 * full and get wait while it is empty, with queue->lock and the two
 * condition variables queue->not_full and queue->not_empty.
 *
 * The ring-buffer helpers (queue_ring.h) move the items; they must be called
 * with queue->lock held, ring_push only when there is room and ring_pop only
 * when there is an item.
 *
 * What this starter does wrong: a full queue silently drops the new item,
 * and an empty queue makes get spin, burning a core while it waits.
 */
#include "bounded_queue.h"
#include "queue_ring.h"

#include <sched.h>

void queue_put(bounded_queue *queue, int item)
{
    /* TODO(student): wait on queue->not_full while the queue is full (in a
     * loop: a wakeup is a hint, not a promise), push, then wake a getter. */
    pthread_mutex_lock(&queue->lock);
    if (!ring_is_full(queue))
        ring_push(queue, item);          /* full? the item is lost */
    pthread_mutex_unlock(&queue->lock);
}

int queue_get(bounded_queue *queue)
{
    /* TODO(student): wait on queue->not_empty while the queue is empty, pop,
     * then wake a putter. No spinning. */
    pthread_mutex_lock(&queue->lock);
    while (ring_is_empty(queue)) {
        pthread_mutex_unlock(&queue->lock);
        sched_yield();                   /* busy-waiting: 100% of a core */
        pthread_mutex_lock(&queue->lock);
    }
    int item = ring_pop(queue);
    pthread_mutex_unlock(&queue->lock);
    return item;
}
