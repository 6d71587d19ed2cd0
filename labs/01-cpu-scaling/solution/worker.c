/*
 * worker.c - reference solution: a dynamically scheduled worker loop.
 *
 * atomic_fetch_add hands out each task number to exactly one thread, so no
 * task is lost or run twice, and no lock is needed. A thread that drew a
 * cheap task comes back sooner and takes more: the load balances itself.
 */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) < task_count)
        run_task(task);
    return NULL;
}
