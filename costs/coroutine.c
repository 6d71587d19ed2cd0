/*
 * coroutine.c - the coroutine model's figures (bench/coro.h), in three of
 * the families: a coroutine spawned and run to its end, the memory of a
 * parked coroutine, and a hand-over between two coroutines (each yields to
 * the hub, which runs the other: one round trip is four stack switches and
 * two turns of the loop, all in one thread).
 *
 * Look for: against a thread's start and a thread-to-thread round trip, no
 * system call and no CPU to wake; and a parked coroutine holds only its few
 * copied frames (coro.h: one run stack, copied).
 */
#include "costs.h"
#include "coro.h"

#include <stdio.h>
#include <unistd.h>

static long finished, yields;

static void run_to_end(void *argument)
{
    (void)argument;
    finished++;
}

static void spawn_and_join(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        coro_spawn(run_to_end, NULL);
        if (coro_join_all() != 0)
            bench_fail("coro_join_all");
    }
}

void costs_coroutine_start(costs *costs)
{
    finished = 0;
    costs_time(costs, "start", "coroutine spawn + run to its end", "coroutine", "none",
               spawn_and_join, NULL, NULL);
    costs_check(costs, finished > 0, "no coroutine ran");
}

static void yielder(void *argument)
{
    long rounds = *(long *)argument;
    for (long i = 0; i < rounds; i++) {
        yields++;
        coro_yield();
    }
}

static void ping_pong(long iterations, void *data)
{
    (void)data;
    static long rounds;   /* not a local: coroutines' locals move (coro.h) */
    rounds = iterations;
    coro_spawn(yielder, &rounds);
    coro_spawn(yielder, &rounds);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all");
}

static void spawn_only(long iterations, void *data)
{
    (void)iterations;
    ping_pong(0, data);
}

void costs_coroutine_handover(costs *costs)
{
    yields = 0;
    costs_time(costs, "handover", "round trip of two coroutines yielding", "coroutine",
               "same CPU", ping_pong, spawn_only, NULL);
    costs_check(costs, yields > 0 && yields % 2 == 0, "the coroutines did not take turns");
}

/* PSS of this process in KiB (memory.c reads the same file for the others). */
static double own_pss_kib(void)
{
    FILE *file = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    double kib = -1;
    if (!file)
        bench_fail("fopen(/proc/self/smaps_rollup)");
    while (fgets(line, sizeof line, file))
        if (sscanf(line, "Pss: %lf kB", &kib) == 1)
            break;
    fclose(file);
    return kib;
}

static double parked_pss;

static void sleeper(void *argument)
{
    (void)argument;
    coro_sleep(0.02);
    finished++;
}

static void measurer(void *argument)
{
    (void)argument;
    coro_yield();   /* every sleeper has run up to its sleep and parked */
    parked_pss = own_pss_kib();
}

static double parked_coroutines(long count)
{
    double before = own_pss_kib();
    for (long i = 0; i < count; i++)
        coro_spawn(sleeper, NULL);
    coro_spawn(measurer, NULL);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all");
    return (parked_pss - before) / (double)count * 1000;
}

double costs_coroutine_kib(costs *costs)
{
    long count = costs->units * 10;   /* small units: ten times as many, for resolution */
    finished = 0;
    double kib = parked_coroutines(count);
    costs_check(costs, finished == count, "a parked coroutine did not finish");
    return kib;
}
