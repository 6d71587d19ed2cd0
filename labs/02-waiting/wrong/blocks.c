/* WRONG: sleeps 1 ms in the callback ("a little work"): while it sleeps, nothing else in the loop runs */
/* expect: they should wait together */
/* expect: did not finish within 10 s */
#include "sleepers.h"

#include <unistd.h>

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = loop_now(event_loop);
    task->done = true;
    tasks_completed++;
    usleep(1000);   /* "a little work" */
}
