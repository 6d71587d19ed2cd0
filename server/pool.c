/*
 * pool.c - the flag server as a pool of -j threads (bin/flagserver-pool):
 * the main thread accepts and puts each connection in a bounded queue; the
 * workers take them out and serve them, one at a time each.
 *
 * What to look for: the queue is the one shared structure, under a mutex,
 * with two condition variables (not empty: for the workers; not full: for
 * the acceptor, which stops accepting while the workers are all busy and
 * the queue is full, so that the backlog holds the rest). -j is the
 * capacity: DELAY 0.5 s serves at most 2 x -j requests a second.
 */
#include "server.h"
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { QUEUE_CAPACITY = 64 };

static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int fds[QUEUE_CAPACITY];
    size_t head, count;
    bool closed;                 /* stopping: workers take no more */
} queue = {.lock = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
           .not_full = PTHREAD_COND_INITIALIZER};

static core server;
static atomic_uint_fast64_t flag_requests;

static uint64_t next_number(void *data)
{
    (void)data;
    return atomic_fetch_add(&flag_requests, 1);
}

/* False if the server stopped while the queue was full (fd not queued). */
static bool put(int fd)
{
    pthread_mutex_lock(&queue.lock);
    while (queue.count == QUEUE_CAPACITY && !core_stopping()) {
        struct timespec until;  /* a stop signal cannot signal a condition: look again */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000 * 1000;
        until.tv_sec += until.tv_nsec / 1000000000, until.tv_nsec %= 1000000000;
        pthread_cond_timedwait(&queue.not_full, &queue.lock, &until);
    }
    bool queued = queue.count < QUEUE_CAPACITY;
    if (queued) {
        queue.fds[(queue.head + queue.count++) % QUEUE_CAPACITY] = fd;
        pthread_cond_signal(&queue.not_empty);
    }
    pthread_mutex_unlock(&queue.lock);
    return queued;
}

/* The next connection, or -1 once the queue is closed. */
static int take(void)
{
    pthread_mutex_lock(&queue.lock);
    while (queue.count == 0 && !queue.closed)
        pthread_cond_wait(&queue.not_empty, &queue.lock);
    int fd = -1;
    if (!queue.closed) {
        fd = queue.fds[queue.head];
        queue.head = (queue.head + 1) % QUEUE_CAPACITY;
        queue.count--;
        pthread_cond_signal(&queue.not_full);
    }
    pthread_mutex_unlock(&queue.lock);
    return fd;
}

static void *worker(void *data)
{
    (void)data;
    int fd;
    while ((fd = take()) >= 0)
        core_serve(&server, fd, next_number, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    core_start(&server, argc, argv, "pool", 32);
    pthread_t *workers = bench_alloc((size_t)server.workers, sizeof *workers);
    for (long index = 0; index < server.workers; index++) {
        int error = pthread_create(&workers[index], NULL, worker, NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    int fd;
    while ((fd = core_accept(&server)) >= 0)
        if (!put(fd))
            close(fd);
    /* Stopping: close the queue (what is still in it is closed unserved),
     * wake every worker; those serving see the stop pipe. */
    pthread_mutex_lock(&queue.lock);
    queue.closed = true;
    for (; queue.count > 0; queue.count--, queue.head = (queue.head + 1) % QUEUE_CAPACITY)
        close(queue.fds[queue.head]);
    pthread_cond_broadcast(&queue.not_empty);
    pthread_mutex_unlock(&queue.lock);
    for (long index = 0; index < server.workers; index++) {
        int error = pthread_join(workers[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }
    free(workers);
    return core_finish(&server, BENCH_EXIT_OK);
}
