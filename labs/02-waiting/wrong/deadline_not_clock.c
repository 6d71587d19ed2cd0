/* WRONG: records the deadline it worked out (started_at + 1 s) instead of the time the callback ran */
/* expect: record the loop's clock when the callback runs */
#include "sleepers.h"

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = task->started_at + 1.0;
    (void)event_loop;
    task->done = true;
    tasks_completed++;
}
