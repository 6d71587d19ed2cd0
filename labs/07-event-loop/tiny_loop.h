/*
 * tiny_loop.h - the lab's own event loop: what asyncio's loop does, in
 * about 100 lines of C on epoll.
 *
 * You register a *watcher* (a file descriptor, the events you wait for, and
 * a callback); tiny_loop_run() then repeats: ask the kernel which
 * descriptors are ready (epoll_wait), and call their callbacks (dispatch).
 * A callback must never block: while one runs, nothing else does.
 */
#ifndef TINY_LOOP_H
#define TINY_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

typedef struct tiny_loop tiny_loop;
typedef struct watcher watcher;

/* `events` is what epoll reported: EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP. */
typedef void watcher_callback(tiny_loop *loop, watcher *watcher, uint32_t events);

struct watcher {
    int fd;
    watcher_callback *callback;
    void *data;                     /* whatever the callback needs */
};

/* Returns NULL (with a message on stderr) if epoll_create1 fails. */
tiny_loop *tiny_loop_new(void);
void tiny_loop_free(tiny_loop *loop);

/* Starts watching watcher->fd for `events` (EPOLLIN and/or EPOLLOUT). The
 * watcher must stay valid until tiny_loop_unwatch. Returns 0 or -1. */
int tiny_loop_watch(tiny_loop *loop, watcher *watcher, uint32_t events);
/* Changes the events watched. Returns 0 or -1. */
int tiny_loop_change(tiny_loop *loop, watcher *watcher, uint32_t events);
/* Stops watching (call it before closing the fd). Returns 0 or -1. */
int tiny_loop_unwatch(tiny_loop *loop, watcher *watcher);

/* Runs until nothing is watched (returns 0), or `timeout_seconds` have
 * passed (returns 1), or epoll_wait fails (returns -1). */
int tiny_loop_run(tiny_loop *loop, double timeout_seconds);

/* One turn's second half: call the callback of every ready watcher.
 * YOUR PART: dispatch.c. */
void tiny_loop_dispatch(tiny_loop *loop, struct epoll_event *ready, int ready_count);

#endif
