/* WRONG: cheats: a constructor ends the program with status 0 before any test runs */
/* expect: dispatch.c runs code before or after main */
#include "tiny_loop.h"

#include <unistd.h>

__attribute__((constructor)) static void done(void) { _exit(0); }

void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count)
{
    for (int index = 0; index < ready_count; index++) {
        watcher *ready_watcher = ready[index].data.ptr;
        ready_watcher->callback(loop, ready_watcher, ready[index].events);
    }
}
