/*
 * pthread.c - the flag server with a thread per connection
 * (bin/flagserver-pthread): the main thread accepts, each connection gets a
 * detached thread that serves it to the end.
 *
 * What to look for: a delay sleeps in its thread, so a thousand delayed
 * clients are a thousand sleeping threads (a stack each); the count of flag
 * requests is shared by every thread, hence atomic. At exit, main waits until
 * the last thread has gone.
 */
#include "server.h"
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static core server;
static atomic_uint_fast64_t flag_requests;
static atomic_long running;    /* threads not yet finished */

static uint64_t next_number(void *data)
{
    (void)data;
    return atomic_fetch_add(&flag_requests, 1);
}

static void *serve(void *data)
{
    int fd = (int)(intptr_t)data;
    core_serve(&server, fd, next_number, NULL);
    atomic_fetch_sub(&running, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    core_start(&server, argc, argv, "pthread", 0);
    pthread_attr_t attributes;  /* detached, and a 256 KiB stack instead of 8 MiB */
    int error = pthread_attr_init(&attributes);
    if (error == 0)
        error = pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (error == 0)
        error = pthread_attr_setstacksize(&attributes, 256 * 1024);
    if (error != 0)
        bench_fail_errno(error, "pthread_attr");
    int fd;
    while ((fd = core_accept(&server)) >= 0) {
        pthread_t thread;
        atomic_fetch_add(&running, 1);
        error = pthread_create(&thread, &attributes, serve, (void *)(intptr_t)fd);
        if (error != 0) {  /* out of threads: this client only */
            atomic_fetch_sub(&running, 1);
            fprintf(stderr, "flagserver-pthread: pthread_create: %s\n", strerror(error));
            close(fd);
        }
    }
    pthread_attr_destroy(&attributes);
    while (atomic_load(&running) > 0)  /* each sees the stop pipe and ends */
        usleep(10000);
    return core_finish(&server, BENCH_EXIT_OK);
}
