/* loop.c - the event loop: fd watchers on epoll, a timer heap, a queue of deferred callbacks. */
#define _GNU_SOURCE
#include "loop.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    loop_fd_callback *callback;  /* NULL: not watched */
    void *data;
    uint32_t events;
} watcher;

struct loop_timer {
    double deadline;
    unsigned long sequence;      /* ties broken by order of creation */
    size_t heap_index;
    loop_callback *callback;
    void *data;
};

typedef struct {
    loop_callback *callback;
    void *data;
} deferred;

struct loop {
    int epoll_fd;
    bool stopped;
    double now;

    watcher *watchers;           /* indexed by fd */
    size_t watcher_capacity;
    size_t watched;

    loop_timer **heap;           /* min-heap on (deadline, sequence) */
    size_t timer_count, heap_capacity;
    unsigned long next_sequence;

    deferred *queue;             /* ring buffer */
    size_t queue_head, queue_count, queue_capacity;
};

static double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

loop *loop_new(void)
{
    loop *self = calloc(1, sizeof *self);
    if (self == NULL)
        return NULL;
    self->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (self->epoll_fd < 0) {
        free(self);
        return NULL;
    }
    self->now = monotonic_seconds();
    return self;
}

void loop_free(loop *self)
{
    if (self == NULL)
        return;
    for (size_t index = 0; index < self->timer_count; index++)
        free(self->heap[index]);
    close(self->epoll_fd);
    free(self->watchers);
    free(self->heap);
    free(self->queue);
    free(self);
}

double loop_now(const loop *self)
{
    return self->now;
}

void loop_stop(loop *self)
{
    self->stopped = true;
}

/* ---- file descriptors ----------------------------------------------------- */

int loop_watch(loop *self, int fd, uint32_t events, loop_fd_callback *callback, void *data)
{
    if (fd < 0 || callback == NULL) {
        errno = EINVAL;
        return -1;
    }
    if ((size_t)fd >= self->watcher_capacity) {
        size_t capacity = self->watcher_capacity ? self->watcher_capacity : 64;
        while (capacity <= (size_t)fd)
            capacity *= 2;
        watcher *grown = realloc(self->watchers, capacity * sizeof *grown);
        if (grown == NULL)
            return -1;
        memset(grown + self->watcher_capacity, 0,
               (capacity - self->watcher_capacity) * sizeof *grown);
        self->watchers = grown;
        self->watcher_capacity = capacity;
    }
    watcher *entry = &self->watchers[fd];
    struct epoll_event event = {.events = events, .data.fd = fd};
    int operation = entry->callback ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(self->epoll_fd, operation, fd, &event) != 0)
        return -1;
    if (entry->callback == NULL)
        self->watched++;
    *entry = (watcher){callback, data, events};
    return 0;
}

int loop_unwatch(loop *self, int fd)
{
    if (fd < 0 || (size_t)fd >= self->watcher_capacity || !self->watchers[fd].callback) {
        errno = ENOENT;
        return -1;
    }
    self->watchers[fd].callback = NULL;
    self->watched--;
    return epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
}

/* ---- timers: a binary min-heap ------------------------------------------------ */

static bool earlier(const loop_timer *a, const loop_timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->sequence < b->sequence);
}

static void heap_place(loop *self, size_t index, loop_timer *timer)
{
    self->heap[index] = timer;
    timer->heap_index = index;
}

static void heap_up(loop *self, size_t index)
{
    loop_timer *timer = self->heap[index];
    while (index > 0 && earlier(timer, self->heap[(index - 1) / 2])) {
        heap_place(self, index, self->heap[(index - 1) / 2]);
        index = (index - 1) / 2;
    }
    heap_place(self, index, timer);
}

static void heap_down(loop *self, size_t index)
{
    loop_timer *timer = self->heap[index];
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= self->timer_count)
            break;
        if (child + 1 < self->timer_count && earlier(self->heap[child + 1], self->heap[child]))
            child++;
        if (!earlier(self->heap[child], timer))
            break;
        heap_place(self, index, self->heap[child]);
        index = child;
    }
    heap_place(self, index, timer);
}

static void heap_remove(loop *self, loop_timer *timer)
{
    size_t index = timer->heap_index;
    loop_timer *last = self->heap[--self->timer_count];
    if (last != timer) {
        heap_place(self, index, last);
        heap_up(self, index);
        heap_down(self, last->heap_index);
    }
}

loop_timer *loop_timer_add(loop *self, double seconds, loop_callback *callback, void *data)
{
    if (self->timer_count == self->heap_capacity) {
        size_t capacity = self->heap_capacity ? self->heap_capacity * 2 : 64;
        loop_timer **grown = realloc(self->heap, capacity * sizeof *grown);
        if (grown == NULL)
            return NULL;
        self->heap = grown;
        self->heap_capacity = capacity;
    }
    loop_timer *timer = malloc(sizeof *timer);
    if (timer == NULL)
        return NULL;
    /* Measured from the current time, not the start of this turn. */
    timer->deadline = monotonic_seconds() + (seconds > 0 ? seconds : 0);
    timer->sequence = self->next_sequence++;
    timer->callback = callback;
    timer->data = data;
    self->heap[self->timer_count] = timer;
    timer->heap_index = self->timer_count++;
    heap_up(self, timer->heap_index);
    return timer;
}

void loop_timer_cancel(loop *self, loop_timer *timer)
{
    if (timer == NULL)
        return;
    heap_remove(self, timer);
    free(timer);
}

/* ---- deferred callbacks: a growing ring buffer ------------------------------------- */

int loop_defer(loop *self, loop_callback *callback, void *data)
{
    if (self->queue_count == self->queue_capacity) {
        size_t capacity = self->queue_capacity ? self->queue_capacity * 2 : 64;
        deferred *grown = malloc(capacity * sizeof *grown);
        if (grown == NULL)
            return -1;
        for (size_t index = 0; index < self->queue_count; index++)
            grown[index] = self->queue[(self->queue_head + index) % self->queue_capacity];
        free(self->queue);
        self->queue = grown;
        self->queue_head = 0;
        self->queue_capacity = capacity;
    }
    size_t tail = (self->queue_head + self->queue_count) % self->queue_capacity;
    self->queue[tail] = (deferred){callback, data};
    self->queue_count++;
    return 0;
}

/* ---- the loop itself ----------------------------------------------------------------- */

/* How long epoll_wait may sleep, in whole milliseconds rounded up, so that
 * a timer never fires early. */
static int wait_milliseconds(const loop *self)
{
    if (self->queue_count > 0)
        return 0;
    if (self->timer_count == 0)
        return -1;
    double wait = self->heap[0]->deadline - monotonic_seconds();
    if (wait <= 0)
        return 0;
    double milliseconds = ceil(wait * 1000.0);
    return milliseconds > 1e9 ? 1000000000 : (int)milliseconds;
}

int loop_run(loop *self)
{
    struct epoll_event events[256];
    self->stopped = false;
    while (!self->stopped &&
           (self->queue_count > 0 || self->timer_count > 0 || self->watched > 0)) {
        /* 1. Deferred callbacks queued before this turn (new ones wait). */
        for (size_t pending = self->queue_count; pending > 0 && !self->stopped; pending--) {
            deferred next = self->queue[self->queue_head];
            self->queue_head = (self->queue_head + 1) % self->queue_capacity;
            self->queue_count--;
            next.callback(self, next.data);
        }

        /* 2. Wait for descriptors, at most until the next timer is due. */
        int timeout = wait_milliseconds(self);
        int ready = 0;
        if (self->watched > 0 || self->timer_count > 0) {
            ready = epoll_wait(self->epoll_fd, events, 256, timeout);
            if (ready < 0) {
                if (errno != EINTR)
                    return -1;
                ready = 0;
            }
        }
        self->now = monotonic_seconds();

        /* 3. Ready descriptors (skipping any unwatched by an earlier callback). */
        for (int index = 0; index < ready && !self->stopped; index++) {
            int fd = events[index].data.fd;
            if ((size_t)fd < self->watcher_capacity && self->watchers[fd].callback) {
                watcher entry = self->watchers[fd];
                entry.callback(self, fd, events[index].events, entry.data);
            }
        }
        /* ... then expired timers, earliest first. */
        while (!self->stopped && self->timer_count > 0 && self->heap[0]->deadline <= self->now) {
            loop_timer *timer = self->heap[0];
            heap_remove(self, timer);
            loop_callback *callback = timer->callback;
            void *data = timer->data;
            free(timer);
            callback(self, data);
        }
    }
    return 0;
}
