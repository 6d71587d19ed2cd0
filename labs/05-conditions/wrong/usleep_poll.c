/* WRONG: no condition variable at all: both sides poll with usleep(100) */
/* expect: a put waiting 0.5 s used */
/* expect: bounded_queue.c calls usleep */
#include "bounded_queue.h"
#include "queue_ring.h"

#include <unistd.h>

void queue_put(bounded_queue *queue, int item)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_full(queue)) {
        pthread_mutex_unlock(&queue->lock);
        usleep(100);
        pthread_mutex_lock(&queue->lock);
    }
    ring_push(queue, item);
    pthread_mutex_unlock(&queue->lock);
}

int queue_get(bounded_queue *queue)
{
    pthread_mutex_lock(&queue->lock);
    while (ring_is_empty(queue)) {
        pthread_mutex_unlock(&queue->lock);
        usleep(100);
        pthread_mutex_lock(&queue->lock);
    }
    int item = ring_pop(queue);
    pthread_mutex_unlock(&queue->lock);
    return item;
}
