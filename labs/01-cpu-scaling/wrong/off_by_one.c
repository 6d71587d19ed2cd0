/* WRONG: runs while the counter is <= task_count: calls run_task with a task that does not exist */
/* expect: with a task number >= */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) <= task_count)
        run_task(task);
    return NULL;
}
