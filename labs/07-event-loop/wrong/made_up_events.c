/* WRONG: passes made-up event flags (always EPOLLIN | EPOLLOUT) instead of what epoll reported */
/* expect: where epoll reported */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    for (int index = 0; index < ready_count; index++) {
        watcher *ready_watcher = ready[index].data.ptr;
        ready_watcher->callback(loop, ready_watcher, EPOLLIN | EPOLLOUT);
    }
}
