/* WRONG: put busy-waits (unlock, sched_yield, lock) while the queue is full; get is right */
/* expect: a put waiting 0.5 s used */
#include "bounded_queue.h"
#include "queue_ring.h"

#include <sched.h>

void queue_put(bounded_queue *queue, int item)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_full(queue)) {
        pthread_mutex_unlock(&queue->lock);
        sched_yield();
        pthread_mutex_lock(&queue->lock);
    }
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
