/* WRONG: get never signals not_full: a put that waits for room is never woken */
/* expect: a thread that waits is never woken */
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
    pthread_mutex_unlock(&queue->lock);
    return item;
}
