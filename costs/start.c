/*
 * start.c - starting a unit and waiting for it: a thread (created and joined),
 * a process (fork, the child exits, the parent waits), a program started with
 * posix_spawn, and an event-loop timer added and fired. The OpenMP region is
 * in openmp.c (built with -fopenmp), the coroutine in coroutine.c.
 *
 * Look for: a thread against a process, and each of them on one CPU against
 * free to run on any: on a VM whose idle CPUs halt, waking the other CPU to
 * run the new unit is dearer than the unit itself.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static atomic_long units_ran;

static void *thread_unit(void *data)
{
    (void)data;
    atomic_fetch_add(&units_ran, 1);
    return NULL;
}

static void start_threads(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        pthread_t thread;
        bench_check(pthread_create(&thread, NULL, thread_unit, NULL), "pthread_create");
        bench_check(pthread_join(thread, NULL), "pthread_join");
    }
}

static long children_failed;

static void wait_exit_zero(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) == -1)
        if (errno != EINTR)
            bench_fail("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        children_failed++;
}

static void start_processes(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        pid_t child = fork();
        if (child == -1)
            bench_fail("fork");
        if (child == 0)
            _exit(0);
        wait_exit_zero(child);
    }
}

static void spawn_programs(long iterations, void *data)
{
    char *const arguments[] = {"true", NULL};
    for (long i = 0; i < iterations; i++) {
        pid_t child;
        int error = posix_spawn(&child, (const char *)data, NULL, NULL, arguments, environ);
        if (error != 0)
            bench_fail_errno(error, "posix_spawn");
        wait_exit_zero(child);
    }
}

static void timer_fired(loop *loop, void *data)
{
    (void)loop;
    (*(long *)data)++;
}

static void fire_timers(long iterations, void *data)
{
    loop *events = data;
    long fired = 0;
    for (long i = 0; i < iterations; i++) {
        if (!loop_timer_add(events, 0, timer_fired, &fired))
            bench_failf("loop_timer_add: out of memory");
        if (loop_run(events) != 0)
            bench_fail("loop_run");
    }
    atomic_fetch_add(&units_ran, fired);
}

void costs_start(costs *costs)
{
    const char *pinnings[] = {"none", "same CPU"};
    for (int pinned = 0; pinned < 2; pinned++) {
        if (pinned)
            bench_pin_self(0);   /* the new unit inherits the CPU of its parent */
        atomic_store(&units_ran, 0);
        costs_time(costs, "start", "thread create + join", "pthread", pinnings[pinned],
                   start_threads, NULL, NULL);
        costs_check(costs, atomic_load(&units_ran) > 0, "no thread ran");
        children_failed = 0;
        costs_time(costs, "start", "fork + exit + wait", "fork", pinnings[pinned],
                   start_processes, NULL, NULL);
        costs_check(costs, children_failed == 0, "a forked child did not exit 0");
        if (pinned)
            costs_unpin();
    }
    const char *true_program = access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";
    children_failed = 0;
    costs_time(costs, "start", "posix_spawn of true + wait", "spawn", "none",
               spawn_programs, NULL, (void *)true_program);
    costs_check(costs, children_failed == 0, "a spawned true did not exit 0");

    loop *events = loop_new();
    if (!events)
        bench_fail("loop_new");
    atomic_store(&units_ran, 0);
    costs_time(costs, "start", "loop timer add + fire", "eventloop", "none",
               fire_timers, NULL, events);
    costs_check(costs, atomic_load(&units_ran) > 0, "no loop timer fired");
    loop_free(events);
}
