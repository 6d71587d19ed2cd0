/*
 * task_done.c - reference solution: the timer callback that completes a task.
 *
 * The loop calls it once per sleeper, when that sleeper's deadline has
 * passed. It only records the fact: no lock is needed because the loop runs
 * every callback on one thread, one after another.
 */
#include "sleepers.h"

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = loop_now(event_loop);
    task->done = true;
    tasks_completed++;
}
