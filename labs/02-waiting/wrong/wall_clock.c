/* WRONG: records time(NULL), another clock than the loop's */
/* expect: sleepers: task 0 */
#include "sleepers.h"

#include <time.h>

void task_done(loop *event_loop, void *data)
{
    sleeper *task = data;
    task->finished_at = (double)time(NULL);
    (void)event_loop;
    task->done = true;
    tasks_completed++;
}
