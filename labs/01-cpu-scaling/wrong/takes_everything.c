/* WRONG: the first thread takes the whole list in one atomic_fetch_add: every task once, but no sharing */
/* expect: the thread that drew it still ran */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    size_t first = atomic_fetch_add(&next_task, task_count);
    for (size_t task = first; task < task_count; task++)
        run_task(task);
    return NULL;
}
