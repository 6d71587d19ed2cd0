/*
 * dispatch.c - reference solution of lab 7: call the callback of every
 * watcher epoll reported ready, passing what happened.
 *
 * What to look for: this is the whole "scheduler" of an event loop. Each
 * callback runs to completion before the next one starts, so a callback
 * that computes for a second delays every other watcher by a second.
 * (A callback may unwatch and free its own watcher: we do not touch it
 * afterwards. A loop where callbacks may free *other* watchers reported in
 * the same batch needs more care; redis's ae.c re-checks each fd.)
 */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    for (int index = 0; index < ready_count; index++) {
        watcher *ready_watcher = ready[index].data.ptr;
        ready_watcher->callback(loop, ready_watcher, ready[index].events);
    }
}
