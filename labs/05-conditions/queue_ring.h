/* queue_ring.h - ring-buffer helpers for bounded_queue.c; hold queue->lock. */
#ifndef QUEUE_RING_H
#define QUEUE_RING_H

#include "bounded_queue.h"

void ring_push(bounded_queue *queue, int item);  /* aborts if full */
int ring_pop(bounded_queue *queue);              /* aborts if empty */
int ring_is_full(const bounded_queue *queue);
int ring_is_empty(const bounded_queue *queue);

#endif
