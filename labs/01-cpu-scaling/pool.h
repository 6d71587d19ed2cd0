/*
 * pool.h - what the lab's thread pool (pool.c) shares with your worker (worker.c).
 *
 * The job is a list of numbers to test for primality, one task per number.
 * run_task(task) does task number `task` and counts how often each task ran:
 * pool.c checks at the end that every task ran exactly once.
 */
#ifndef POOL_H
#define POOL_H

#include <stdatomic.h>
#include <stddef.h>

extern size_t task_count;          /* tasks 0 .. task_count-1 */
extern atomic_size_t next_task;    /* the next task nobody has taken yet; starts at 0 */

/* Runs one task (tests one number). Safe to call from any thread. */
void run_task(size_t task);

/* The body of each of the -j threads with --schedule dynamic (the default):
 * yours, in worker.c. `argument` is the worker's index 0 .. workers-1. */
void *dynamic_worker(void *argument);

#endif
