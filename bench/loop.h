/*
 * loop.h - a small event loop on epoll, in the spirit of redis's ae.c.
 *
 * One thread calls loop_run(), which repeats three steps until nothing is
 * left to do (or loop_stop() is called):
 *
 *   1. run the deferred callbacks queued so far (loop_defer): this is how
 *      CPU-bound work runs "cooperatively", one slice at a time;
 *   2. wait in epoll_wait() for file descriptors to become ready, but no
 *      longer than until the earliest timer (and not at all if callbacks are
 *      queued);
 *   3. call the callbacks of ready descriptors, then of expired timers.
 *
 * Timers live in a binary heap ordered by deadline, so a million sleeping
 * tasks cost a million small heap entries and no file descriptors.
 *
 * A callback must not block: while it runs, nothing else in the loop does.
 */
#ifndef LOOP_H
#define LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct loop loop;
typedef struct loop_timer loop_timer;

/* `events` is what epoll reported: EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP. */
typedef void loop_fd_callback(loop *loop, int fd, uint32_t events, void *data);
typedef void loop_callback(loop *loop, void *data);

/* Returns NULL (errno set) if epoll_create1 or memory fails. */
loop *loop_new(void);
void loop_free(loop *loop);

/* Watches `fd` for `events` (EPOLLIN and/or EPOLLOUT); calling it again for
 * the same fd changes the events and callback. Returns 0, or -1 with errno. */
int loop_watch(loop *loop, int fd, uint32_t events, loop_fd_callback *callback, void *data);
/* Stops watching `fd` (call it before closing the fd). Returns 0 or -1. */
int loop_unwatch(loop *loop, int fd);

/* Calls `callback` once, `seconds` from now (never earlier). Returns a
 * handle for loop_timer_cancel, or NULL if memory ran out. */
loop_timer *loop_timer_add(loop *loop, double seconds, loop_callback *callback, void *data);
/* Cancels a timer that has not fired yet. */
void loop_timer_cancel(loop *loop, loop_timer *timer);

/* Calls `callback` on the next turn of the loop. Returns 0, or -1 if memory
 * ran out. Callbacks run in the order they were deferred. */
int loop_defer(loop *loop, loop_callback *callback, void *data);

/* Runs until no fd is watched, no timer is pending and no callback is
 * deferred, or until loop_stop(). Returns 0, or -1 (errno set) if epoll_wait
 * failed. */
int loop_run(loop *loop);
void loop_stop(loop *loop);

/* The loop's clock (monotonic seconds), read once per turn. */
double loop_now(const loop *loop);

#ifdef __cplusplus
}
#endif

#endif
