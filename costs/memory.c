/*
 * memory.c - what a live unit holds: start `units` of them, let them all wait,
 * and read how much the process tree grew, in KiB per 1000 units.
 *
 * Memory is counted as PSS (proportional set size, /proc/PID/smaps_rollup):
 * a page shared by k processes counts 1/k in each, so summed over a tree it
 * counts once. A thread's stack is 8 MiB of address space by default but only
 * the pages it touched are memory; a forked child shares all of its parent's
 * pages until one of them writes.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* PSS of one process in KiB, or -1 if it is gone. */
static double pss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *file = fopen(path, "r");
    if (!file)
        return -1;
    double kib = -1;
    while (fgets(line, sizeof line, file))
        if (sscanf(line, "Pss: %lf kB", &kib) == 1)
            break;
    fclose(file);
    return kib;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;
static bool release_all;
static long threads_waiting;

static void *waiting_thread(void *data)
{
    (void)data;
    pthread_mutex_lock(&lock);
    threads_waiting++;
    pthread_cond_signal(&arrived);
    while (!release_all)
        pthread_cond_wait(&released, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* KiB per 1000 live threads with a stack of `stack_size` (0: the default). */
static double live_threads(costs *costs, size_t stack_size)
{
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    if (stack_size && pthread_attr_setstacksize(&attributes, stack_size) != 0)
        bench_failf("pthread_attr_setstacksize(%zu): refused", stack_size);
    pthread_t *threads = bench_alloc((size_t)costs->units, sizeof *threads);
    release_all = false;
    threads_waiting = 0;
    double before = pss_kib(getpid());
    for (long i = 0; i < costs->units; i++) {
        bench_check(pthread_create(&threads[i], &attributes, waiting_thread, NULL), "pthread_create");
    }
    pthread_mutex_lock(&lock);   /* every stack in use before counting */
    while (threads_waiting < costs->units)
        pthread_cond_wait(&arrived, &lock);
    pthread_mutex_unlock(&lock);
    double after = pss_kib(getpid());
    pthread_mutex_lock(&lock);
    release_all = true;
    pthread_cond_broadcast(&released);
    pthread_mutex_unlock(&lock);
    for (long i = 0; i < costs->units; i++)
        pthread_join(threads[i], NULL);
    pthread_attr_destroy(&attributes);
    free(threads);
    return (after - before) / (double)costs->units * 1000;
}

/* KiB per 1000 live processes, each blocked reading a pipe. */
static double live_processes(costs *costs)
{
    int hold[2];
    if (pipe(hold) != 0)
        bench_fail("pipe");
    pid_t *children = bench_alloc((size_t)costs->units, sizeof *children);
    double before = pss_kib(getpid());
    for (long i = 0; i < costs->units; i++) {
        children[i] = bench_fork();
        if (children[i] == -1)
            bench_fork_failed(children, i);
        if (children[i] == 0) {
            char byte;
            close(hold[1]);
            while (read(hold[0], &byte, 1) == -1 && errno == EINTR)
                continue;
            _exit(0);
        }
    }
    double after = pss_kib(getpid());
    for (long i = 0; i < costs->units; i++) {
        double child = pss_kib(children[i]);
        costs_check(costs, child >= 0, "a waiting child was gone before it was counted");
        after += child;
    }
    close(hold[1]);   /* end of file: every child exits */
    close(hold[0]);
    long failed = 0;
    for (long i = 0; i < costs->units; i++)
        failed += !bench_wait_child(children[i]);
    costs_check(costs, failed == 0, "a waiting child did not exit 0");
    free(children);
    return (after - before) / (double)costs->units * 1000;
}

static void never(loop *loop, void *data)
{
    (void)loop;
    (void)data;
}

/* KiB per 1000 pending loop timers. */
static double live_timers(costs *costs)
{
    long count = costs->units * 10;   /* small units: ten times as many, for resolution */
    loop *events = loop_new();
    loop_timer **timers = bench_alloc((size_t)count, sizeof *timers);
    if (!events)
        bench_fail("loop_new");
    double before = pss_kib(getpid());
    for (long i = 0; i < count; i++)
        if (!(timers[i] = loop_timer_add(events, 3600, never, NULL)))
            bench_failf("loop_timer_add: out of memory");
    double after = pss_kib(getpid());
    for (long i = 0; i < count; i++)
        loop_timer_cancel(events, timers[i]);
    loop_free(events);
    free(timers);
    return (after - before) / (double)count * 1000;
}

enum { THREADS_DEFAULT, THREADS_SMALL, PROCESSES, TIMERS, COROUTINES };

static double measure(costs *costs, int what)
{
    switch (what) {
    case THREADS_DEFAULT: return live_threads(costs, 0);
    case THREADS_SMALL: return live_threads(costs, 64 * 1024);
    case PROCESSES: return live_processes(costs);
    case TIMERS: return live_timers(costs);
    default: return costs_coroutine_kib(costs);   /* coroutine.c */
    }
}

/* Each repetition in a fresh child, so that no stack or heap cached by an
 * earlier one (glibc keeps freed thread stacks) hides the growth. */
static double measure_in_child(costs *costs, int what)
{
    int result[2];
    if (pipe(result) != 0)
        bench_fail("pipe");
    pid_t child = bench_fork();
    if (child == -1)
        bench_fail("fork");
    if (child == 0) {
        double kib = measure(costs, what);
        _exit(costs->failed || !bench_write_all(result[1], &kib, sizeof kib) ? 1 : 0);
    }
    close(result[1]);
    double kib = 0;
    bool read_it = bench_read_all(result[0], &kib, sizeof kib);
    close(result[0]);
    costs_check(costs, bench_wait_child(child) && read_it, "a memory figure's child failed");
    return kib;
}

void costs_memory(costs *costs)
{
    static const struct { const char *name, *model; } figures[] = {
        [THREADS_DEFAULT] = {"live thread, default stack", "pthread"},
        [THREADS_SMALL] = {"live thread, 64 KiB stack", "pthread"},
        [PROCESSES] = {"live process (forked)", "fork"},
        [TIMERS] = {"pending loop timer", "eventloop"},
        [COROUTINES] = {"parked coroutine (sleeping)", "coroutine"},
    };
    long count = costs->repetitions;
    double *samples = bench_alloc((size_t)count, sizeof *samples);
    for (int what = THREADS_DEFAULT; what <= COROUTINES; what++) {
        for (long rep = 0; rep < count; rep++)
            samples[rep] = measure_in_child(costs, what);
        costs_sample(costs, "memory", figures[what].name, figures[what].model, "KiB/1000",
                     samples, count, what >= TIMERS ? costs->units * 10 : costs->units);
    }
    free(samples);
}
