/* WRONG: loops to index <= ready_count: calls one stale entry past this turn's events */
/* expect: the callback of ready[ */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    for (int index = 0; index <= ready_count; index++) {
        watcher *ready_watcher = ready[index].data.ptr;
        ready_watcher->callback(loop, ready_watcher, ready[index].events);
    }
}
