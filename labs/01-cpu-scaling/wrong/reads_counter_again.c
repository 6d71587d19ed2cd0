/* WRONG: takes a number with atomic_fetch_add, then runs next_task (read again) instead of the number it got */
/* expect: with a task number >= */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    while (atomic_fetch_add(&next_task, 1) < task_count)
        run_task(atomic_load(&next_task));
    return NULL;
}
