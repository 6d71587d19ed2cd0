/* WRONG: cheats: a constructor ends the program with status 0 before any test runs */
/* expect: worker.c runs code before or after main */
#include "pool.h"

void *dynamic_worker(void *argument)
{
    (void)argument;
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) < task_count)
        run_task(task);
    return NULL;
}

#include <unistd.h>

__attribute__((constructor)) static void done(void) { _exit(0); }

static void *unused(void)
{
    return NULL;
}
