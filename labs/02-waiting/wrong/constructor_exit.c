/* WRONG: cheats: a constructor ends the program with status 0 before any test runs */
/* expect: task_done.c runs code before or after main */
#include "sleepers.h"

#include <unistd.h>

__attribute__((constructor)) static void done(void) { _exit(0); }

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = loop_now(event_loop);
    task->done = true;
    tasks_completed++;
}
