/* WRONG: takes ready[0].data.ptr for every entry: one watcher called many times, the others never */
/* expect: ready events at once and called 1 watcher */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    for (int index = 0; index < ready_count; index++) {
        watcher *ready_watcher = ready[0].data.ptr;
        ready_watcher->callback(loop, ready_watcher, ready[index].events);
    }
}
