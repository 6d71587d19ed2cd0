/*
 * dispatch.c - YOUR PART of lab 7: the dispatch step of the event loop.
 *
 * epoll_wait has filled `ready[0 .. ready_count-1]`. For each entry,
 * ready[i].data.ptr is the watcher that was registered for that fd (see
 * tiny_loop.c's control()), and ready[i].events says what happened. Call
 * that watcher's callback with the loop, the watcher and the events.
 *
 * What this starter does wrong: nothing is dispatched, so no callback ever
 * runs; epoll keeps reporting the same ready fds (it is level-triggered)
 * and the loop spins until its timeout.
 */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    /* TODO(student): for each ready event, call its watcher's callback. */
    (void)loop;
    (void)ready;
    (void)ready_count;
}
