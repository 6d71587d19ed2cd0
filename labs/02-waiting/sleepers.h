/*
 * sleepers.h - what the lab's program (sleepers.c) shares with your
 * callback (task_done.c).
 */
#ifndef SLEEPERS_H
#define SLEEPERS_H

#include "loop.h"   /* the project's epoll event loop (bench/loop.h) */

#include <stdbool.h>
#include <stddef.h>

/* One sleeper: it started at started_at and must wait --seconds. */
typedef struct {
    size_t index;          /* 0 .. tasks-1 */
    double started_at;     /* when its timer was added (bench_now() seconds) */
    double finished_at;    /* when it finished: yours to set */
    bool done;             /* yours to set */
} sleeper;

/* How many sleepers have finished: yours to count. */
extern size_t tasks_completed;

/* The timer callback: loop_timer_add(loop, seconds, task_done, &sleepers[i])
 * makes the loop call task_done(loop, &sleepers[i]) once, `seconds` later.
 * Yours, in task_done.c. */
void task_done(loop *event_loop, void *data);

#endif
