/* WRONG: put signals not_empty only when the queue goes from 0 to 1 item: with several consumers waiting, wakeups are lost */
/* expect: lost wakeup: no item moved */
#include "bounded_queue.h"
#include "queue_ring.h"

void queue_put(bounded_queue *queue, int item)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_full(queue))
        pthread_cond_wait(&queue->not_full, &queue->lock);
    ring_push(queue, item);
    if (queue->count == 1)
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
