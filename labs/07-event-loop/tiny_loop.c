/*
 * tiny_loop.c - the event loop's bookkeeping and its main loop. The
 * dispatch step, which turns "fd 7 is readable" into a call of the right
 * callback, is in dispatch.c.
 *
 * Each watcher's address goes into epoll's per-fd data (event.data.ptr), so
 * when epoll_wait reports a ready fd it hands that address back: no table
 * lookup is needed to find who was waiting.
 */
#include "tiny_loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_READY_PER_TURN 64

struct tiny_loop {
    int epoll_fd;
    int watched_count;              /* the loop ends when this reaches 0 */
};

tiny_loop *tiny_loop_new(void)
{
    tiny_loop *loop = calloc(1, sizeof *loop);
    if (loop == NULL) {
        perror("tiny_loop_new: calloc");
        return NULL;
    }
    loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (loop->epoll_fd < 0) {
        perror("tiny_loop_new: epoll_create1");
        free(loop);
        return NULL;
    }
    return loop;
}

void tiny_loop_free(tiny_loop *loop)
{
    if (close(loop->epoll_fd) != 0)
        perror("tiny_loop_free: close");
    free(loop);
}

static int control(tiny_loop *loop, int operation, watcher *watcher, uint32_t events)
{
    struct epoll_event event = { .events = events, .data.ptr = watcher };
    if (epoll_ctl(loop->epoll_fd, operation, watcher->fd, &event) != 0) {
        fprintf(stderr, "epoll_ctl(fd %d): %s\n", watcher->fd, strerror(errno));
        return -1;
    }
    return 0;
}

int tiny_loop_watch(tiny_loop *loop, watcher *watcher, uint32_t events)
{
    if (control(loop, EPOLL_CTL_ADD, watcher, events) != 0)
        return -1;
    loop->watched_count++;
    return 0;
}

int tiny_loop_change(tiny_loop *loop, watcher *watcher, uint32_t events)
{
    return control(loop, EPOLL_CTL_MOD, watcher, events);
}

int tiny_loop_unwatch(tiny_loop *loop, watcher *watcher)
{
    if (control(loop, EPOLL_CTL_DEL, watcher, 0) != 0)
        return -1;
    loop->watched_count--;
    return 0;
}

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

int tiny_loop_run(tiny_loop *loop, double timeout_seconds)
{
    double deadline = now_seconds() + timeout_seconds;
    struct epoll_event ready[MAX_READY_PER_TURN];
    while (loop->watched_count > 0) {
        double seconds_left = deadline - now_seconds();
        if (seconds_left <= 0)
            return 1;
        int ready_count = epoll_wait(loop->epoll_fd, ready, MAX_READY_PER_TURN,
                                     (int)(seconds_left * 1000) + 1);
        if (ready_count < 0) {
            if (errno == EINTR)
                continue;
            perror("tiny_loop_run: epoll_wait");
            return -1;
        }
        tiny_loop_dispatch(loop, ready, ready_count);
    }
    return 0;
}
