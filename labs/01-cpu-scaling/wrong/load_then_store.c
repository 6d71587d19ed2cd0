/* WRONG: takes a task with atomic_load then atomic_store: two threads can take the same task */
/* expect: worker.c has no atomic read-modify-write */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    size_t task;
    while ((task = atomic_load(&next_task)) < task_count) {
        atomic_store(&next_task, task + 1);
        run_task(task);
    }
    return NULL;
}
