/* WRONG: dispatches only ready[0]: level-triggered epoll reports the others again next turn, so the downloads still finish */
/* expect: ready events at once and called 1 watcher */
#include "tiny_loop.h"

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    if (ready_count > 0) {
        watcher *ready_watcher = ready[0].data.ptr;
        ready_watcher->callback(loop, ready_watcher, ready[0].events);
    }
}
