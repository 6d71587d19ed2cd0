/* sleep/kernel.c - the wait, its job and its check. */
#define _GNU_SOURCE
#include "kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double wait_seconds = 2.0;
const bench_option sleep_options[] = {
    {"seconds", 0, BENCH_OPT_SECONDS, &wait_seconds, "S",
     "how long each task waits, fractions allowed (default 2)", NULL},
    BENCH_OPTIONS_END,
};

void sleep_setup(const bench_run *run, sleep_job *job, bool shared)
{
    if (wait_seconds > 1e9)   /* about 32 years: beyond any test, and time_t stays exact */
        bench_usage_error("--seconds: '%g' is more than 1e9 seconds", wait_seconds);
    job->seconds = wait_seconds;
    job->count = (size_t)run->tasks;
    job->shared = shared;
    job->finished = shared ? bench_shared_alloc(job->count) : bench_alloc(job->count, 1);
}

void sleep_wait(double seconds)
{
    struct timespec deadline;
    if (clock_gettime(CLOCK_MONOTONIC, &deadline) != 0)
        bench_fail("clock_gettime");
    time_t whole = (time_t)seconds;
    long nanoseconds = deadline.tv_nsec + (long)((seconds - (double)whole) * 1e9);
    deadline.tv_sec += whole + nanoseconds / 1000000000L;
    deadline.tv_nsec = nanoseconds % 1000000000L;
    int error;
    while ((error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL)) == EINTR)
        continue;   /* same deadline: only the time that is left */
    if (error != 0)
        bench_fail_errno(error, "clock_nanosleep");
}

size_t sleep_completed(const sleep_job *job)
{
    size_t completed = 0;
    for (size_t task = 0; task < job->count; task++)
        completed += job->finished[task] == 1;
    return completed;
}

int sleep_finish(bench_run *run, sleep_job *job)
{
    double elapsed = bench_now() - run->started;
    size_t completed = sleep_completed(job);
    bool right = completed == job->count && elapsed >= job->seconds;
    char result[64], summary[160];
    snprintf(result, sizeof result, "\"completed\": %zu", completed);
    if (completed != job->count)
        snprintf(summary, sizeof summary, "only %zu of %zu tasks finished their %g s wait",
                 completed, job->count, job->seconds);
    else if (elapsed < job->seconds)
        snprintf(summary, sizeof summary, "%zu tasks ended after %.6f s, before one %g s wait",
                 completed, elapsed, job->seconds);
    else
        snprintf(summary, sizeof summary, "%zu of %zu tasks waited %g s each", completed,
                 job->count, job->seconds);
    if (job->shared)
        bench_shared_free(job->finished, job->count);
    else
        free(job->finished);
    job->finished = NULL;
    return bench_finish(run, right ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
