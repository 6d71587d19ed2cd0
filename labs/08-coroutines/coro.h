/*
 * coro.h - coroutines on ucontext: functions that can stop in the middle
 * (coroutine_yield) and be resumed later, all on one thread, switched by a
 * round-robin scheduler - Python's greenlets, or generators driven by a loop.
 *
 *   scheduler_spawn(body, argument)   create a coroutine (it does not run yet)
 *   scheduler_run()                   run them all, in turns, until all are done
 *   coroutine_yield()                 inside a coroutine: let the next one run
 */
#ifndef CORO_H
#define CORO_H

typedef void coroutine_body(void *argument);

/* Returns the new coroutine's number (0, 1, ...), or -1 with a message. */
int scheduler_spawn(coroutine_body *body, void *argument);

/* Runs every spawned coroutine until all have finished, in round-robin
 * order: 0, 1, 2, ..., 0, 1, 2, ... skipping finished ones. Then frees
 * them, so new ones can be spawned and run. YOUR PART: scheduler.c. */
void scheduler_run(void);

/* Called inside a coroutine: saves where it is, switches back to the
 * scheduler, and returns when the scheduler resumes this coroutine. */
void coroutine_yield(void);

/* The number of the running coroutine, or -1 in the scheduler. */
int coroutine_current(void);

#endif
