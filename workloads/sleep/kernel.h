/*
 * sleep/kernel.h - the notes' I/O-bound example: tasks that only wait.
 *
 * Each task waits --seconds S (default 2) and marks itself finished. Nothing
 * is computed, so the only question is how many waits a model can keep in
 * flight at once: -j of them (default: one per task), so the run takes about
 * ceil(n / j) * S.
 */
#ifndef SLEEP_KERNEL_H
#define SLEEP_KERNEL_H

#include "bench.h"

#include <stdbool.h>
#include <stddef.h>

/* The job: task i sets finished[i] to 1 once it has waited. */
typedef struct {
    double seconds;            /* how long every task waits */
    size_t count;              /* the number of tasks */
    unsigned char *finished;   /* one flag per task */
    bool shared;               /* finished[] is shared with forked children */
} sleep_job;

/* --seconds S, shared by every sleep variant. */
extern const bench_option sleep_options[];
#define SLEEP_ABOUT "Runs tasks that each wait --seconds (the notes' 1000 sleeps of 2 s)."
#define SLEEP_DEFAULT_TASKS 1000

/* Sizes the job from the options. `shared` puts the flags in memory shared
 * with forked children. */
void sleep_setup(const bench_run *run, sleep_job *job, bool shared);

/* One task's wait: a real blocking wait of `seconds` from now. It sleeps
 * until an absolute deadline on the monotonic clock, so a signal that
 * interrupts it (EINTR) just sends it back to sleep for the time that is
 * left. A cancellation point (clock_nanosleep), so a sleeping thread can be
 * cancelled. */
void sleep_wait(double seconds);

/* The tasks whose flag is set. */
size_t sleep_completed(const sleep_job *job);

/* Checks that every task finished and that the run lasted at least one
 * duration (from bench_start's clock), prints the record, frees the job and
 * returns the exit status. */
int sleep_finish(bench_run *run, sleep_job *job);

#endif
