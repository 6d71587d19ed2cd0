/*
 * sum/kernel.h - the notes' "sum of a range" CPU-bound example.
 *
 * Each task sums the integers 0..count-1 in a 64-bit loop (count is
 * 1,000,000 unless --count says otherwise); there are 300 tasks by default.
 * The loop must really run in every model, so the kernel stops the compiler
 * from replacing it by the closed form count*(count-1)/2 (see kernel.c).
 *
 * The check is independent of the loop: the total must equal
 * tasks * count*(count-1)/2, computed in 128 bits so that an overflow of the
 * 64-bit total cannot go unnoticed.
 */
#ifndef SUM_KERNEL_H
#define SUM_KERNEL_H

#include "bench.h"

#include <stdbool.h>
#include <stdint.h>

/* Sums from, from+1, ..., to-1 (mod 2^64): one slice of a task. */
uint64_t sum_range(uint64_t from, uint64_t to);

/* The job: `tasks` tasks, each summing 0..count-1. */
typedef struct {
    uint64_t count;
    size_t tasks;
} sum_job;

/* One whole task. */
uint64_t sum_task(const sum_job *job);

/* --count N, shared by every sum variant. */
extern const bench_option sum_options[];
#define SUM_DEFAULT_TASKS 300
#define SUM_ABOUT "Sums 0..count-1 in a loop, once per task (300 tasks, count 1000000 by default)."

/* The exact total tasks * count*(count-1)/2 by the closed form, in 128 bits. */
unsigned __int128 sum_expected_total(size_t tasks, uint64_t count);

/* Sizes the job from the options; a total too big for 64 bits is a usage error. */
void sum_setup(bench_run *run, sum_job *job);
/* True when `total` is the exact total (it never is if that needs more than 64 bits). */
bool sum_check(const sum_job *job, uint64_t total);
/* Checks, prints the record and returns the exit status. */
int sum_finish(bench_run *run, const sum_job *job, uint64_t total);

#endif
