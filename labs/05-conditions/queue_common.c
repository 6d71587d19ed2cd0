/*
 * queue_common.c - the parts of the bounded queue that are not the lesson:
 * setting it up, tearing it down, and moving items in and out of the ring
 * buffer. These helpers do no locking and no waiting; the caller must hold
 * queue->lock, and must have made sure there is room (ring_push) or an item
 * (ring_pop): they stop the program if not, because that is a bug.
 */
#include "bounded_queue.h"
#include "queue_ring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int queue_init(bounded_queue *queue, size_t capacity)
{
    memset(queue, 0, sizeof *queue);
    queue->items = calloc(capacity, sizeof *queue->items);
    if (queue->items == NULL) {
        perror("queue_init: calloc");
        return -1;
    }
    queue->capacity = capacity;
    int error = pthread_mutex_init(&queue->lock, NULL);
    if (error == 0)
        error = pthread_cond_init(&queue->not_full, NULL);
    if (error == 0)
        error = pthread_cond_init(&queue->not_empty, NULL);
    if (error != 0) {
        fprintf(stderr, "queue_init: pthread init: %s\n", strerror(error));
        free(queue->items);
        return -1;
    }
    return 0;
}

void queue_destroy(bounded_queue *queue)
{
    pthread_cond_destroy(&queue->not_empty);
    pthread_cond_destroy(&queue->not_full);
    pthread_mutex_destroy(&queue->lock);
    free(queue->items);
}

void ring_push(bounded_queue *queue, int item)
{
    if (queue->count >= queue->capacity) {
        fprintf(stderr, "ring_push: queue is full (%zu items): the caller should have waited\n",
                queue->count);
        abort();
    }
    queue->items[(queue->head + queue->count) % queue->capacity] = item;
    queue->count++;
}

int ring_pop(bounded_queue *queue)
{
    if (queue->count == 0) {
        fprintf(stderr, "ring_pop: queue is empty: the caller should have waited\n");
        abort();
    }
    int item = queue->items[queue->head];
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
    return item;
}

int ring_is_full(const bounded_queue *queue)
{
    return queue->count == queue->capacity;
}

int ring_is_empty(const bounded_queue *queue)
{
    return queue->count == 0;
}
