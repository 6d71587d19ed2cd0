/*
 * workers.h - starting and ending the workers of the pthread and fork
 * variants: the create/join block and the fork/pipe/reap skeleton that every
 * such variant had a copy of.
 *
 * What a worker does stays in the variant; so do its locks, atomics and
 * shared memory. The helpers only start `run->workers` of them, each told
 * its index (0 .. workers-1), and wait for them to end, checking every call.
 *
 *     pthread_t *threads = bench_threads_start(&run, worker, 0, BENCH_SHORTFALL_EXIT);
 *     bench_threads_join(&run, threads);
 *
 *     bench_children children;
 *     bench_children_start(&children, &run, child, true, BENCH_SHORTFALL_EXIT);
 *     while (bench_read_all(children.input, &record, sizeof record)) ...
 *     bool children_ok = bench_children_wait(&children);
 *
 * With BENCH_PIN=1 in the environment, worker i runs on CPU i mod ncpu (of
 * the CPUs this process may use), and -v says "pinned". OpenMP variants pin
 * with OMP_PROC_BIND instead.
 */
#ifndef BENCH_WORKERS_H
#define BENCH_WORKERS_H

#include "bench.h"

#include <pthread.h>
#include <signal.h>

/* What to do when the system refuses a thread or a process (ulimit -u,
 * threads-max, pid_max). */
typedef enum {
    BENCH_SHORTFALL_EXIT,      /* stop the workers started, exit 1 naming the limit */
    BENCH_SHORTFALL_CANCEL,    /* the same, cancelling and joining the threads first
                                  (for workers that wait at cancellation points) */
    BENCH_SHORTFALL_CARRY_ON,  /* carry on with the workers started (at least one),
                                  saying so; run->workers becomes their number */
} bench_shortfall;

/* Exits with "prog: what: strerror(error)" unless error is 0: for the
 * pthread_* calls, which return their error number. */
void bench_check(int error, const char *what);

/* True when BENCH_PIN=1: worker i is to run on CPU i mod ncpu. */
bool bench_pinning(void);
/* Pins the calling thread (or process) to CPU worker mod ncpu. */
void bench_pin_self(long worker);

/* ---- threads ---------------------------------------------------------- */

/* Starts run->workers threads; thread i runs start((void *)(intptr_t)i).
 * stack_bytes 0 keeps the default stack size. Returns the threads. */
pthread_t *bench_threads_start(bench_run *run, void *(*start)(void *), size_t stack_bytes,
                               bench_shortfall shortfall);
/* Joins the run->workers threads and frees the array. */
void bench_threads_join(bench_run *run, pthread_t *threads);

/* ---- processes -------------------------------------------------------- */

typedef struct {
    const bench_run *run;
    pid_t *pids;     /* 0 once reaped */
    long count;      /* children started */
    int input;       /* the read end of the children's pipe, or -1 */
    bool holding_signals;
    sigset_t watched, previous_mask;
} bench_children;

/* Forks run->workers children (bench_fork: they die with the parent).
 * Child i runs child(i, output) and exits 0; `output` is the write end of
 * one pipe shared by every child if `with_pipe`, else -1.
 *
 * Without a pipe the parent holds SIGINT and SIGTERM from the first fork on;
 * with one, from bench_children_wait on (before that, a stop signal ends
 * the parent and PR_SET_PDEATHSIG its children). */
void bench_children_start(bench_children *children, bench_run *run,
                          void (*child)(long index, int output), bool with_pipe,
                          bench_shortfall shortfall);

/* Closes the pipe and reaps every child, in the order they end. If one
 * fails, the others are killed (they may wait forever for its work). On
 * SIGINT or SIGTERM, kills and reaps every child, says so and dies of the
 * signal. True if every child exited with status 0. */
bool bench_children_wait(bench_children *children);

#endif
