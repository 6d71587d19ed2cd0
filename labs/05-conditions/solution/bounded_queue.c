/*
 * bounded_queue.c - reference solution of lab 5: put waits while the queue
 * is full, get waits while it is empty, each on its own condition variable.
 *
 * What to look for: the waits are in `while` loops, not `if`: between the
 * signal and the moment the woken thread gets the lock again, another thread
 * may have taken the slot (or the item), and pthread_cond_wait may also wake
 * up for no reason at all. Each side signals the condition the *other* side
 * waits for, after changing the queue and while holding the lock.
 */
#include "bounded_queue.h"
#include "queue_ring.h"

void queue_put(bounded_queue *queue, int item)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_full(queue))
        pthread_cond_wait(&queue->not_full, &queue->lock);
    ring_push(queue, item);
    pthread_cond_signal(&queue->not_empty);
    pthread_mutex_unlock(&queue->lock);
}

int queue_get(bounded_queue *queue)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_empty(queue))
        pthread_cond_wait(&queue->not_empty, &queue->lock);
    int item = ring_pop(queue);
    pthread_cond_signal(&queue->not_full);
    pthread_mutex_unlock(&queue->lock);
    return item;
}
