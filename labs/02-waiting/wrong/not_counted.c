/* WRONG: marks the sleeper done but forgets tasks_completed */
/* expect: tasks_completed is 0 */
#include "sleepers.h"

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = loop_now(event_loop);
    task->done = true;
}
