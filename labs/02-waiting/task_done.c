/*
 * task_done.c - the part you write: the timer callback that completes a task.
 *
 * sleepers.c adds one timer per sleeper to a single event loop and runs the
 * loop. When a timer expires, the loop calls task_done() with the pointer
 * that was given to loop_timer_add: the sleeper whose wait is over.
 *
 * A callback runs on the loop's only thread: while it runs, nothing else in
 * the loop does. So it must be quick and must never block (no sleep()).
 */
#include "sleepers.h"

void task_done(loop *event_loop, void *data)
{
    /* TODO(student): `data` is the sleeper (a sleeper *) whose timer
     * expired. Mark it done, record when it finished (the loop's clock,
     * loop_now(event_loop), is the same clock as bench_now()), and count
     * it in tasks_completed. Nothing here needs a lock: why? */
    (void)event_loop;
    (void)data;
}
