/* WRONG: cheats: a constructor prints PASS and ends the program before any test runs */
/* expect: bounded_queue.c runs code before or after main */
#include "bounded_queue.h"
#include "queue_ring.h"

#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void done(void) { puts("PASS: ok"); exit(0); }

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
