/* sum/kernel.c - the summing loop, its options and its check. */
#include "kernel.h"

#include <inttypes.h>
#include <stdio.h>

static long count_option = 1000000;
const bench_option sum_options[] = {
    {"count", 0, BENCH_OPT_NATURAL, &count_option, "N",
     "each task sums 0..N-1 (default 1000000)", NULL},
    BENCH_OPTIONS_END,
};

uint64_t sum_range(uint64_t from, uint64_t to)
{
    uint64_t total = 0;
    for (uint64_t number = from; number < to; number++) {
        /* The loop really runs: this empty asm claims to read and change
         * `number`, so gcc can no longer know its value and cannot fold the
         * loop into count*(count-1)/2 (nor vectorise it). It emits no code. */
        __asm__ volatile("" : "+r"(number));
        total += number;
    }
    return total;
}

uint64_t sum_task(const sum_job *job)
{
    return sum_range(0, job->count);
}

unsigned __int128 sum_expected_total(size_t tasks, uint64_t count)
{
    /* count*(count-1) < 2^128, and an even number, so the halving is exact;
     * one task's sum is below 2^127, so multiplying by tasks < 2^64 could wrap
     * 128 bits only when the product is far beyond 2^64 anyway: saturate. */
    unsigned __int128 one_task = count == 0 ? 0 : (unsigned __int128)count * (count - 1) / 2;
    if (tasks != 0 && one_task > ~(unsigned __int128)0 / tasks)
        return ~(unsigned __int128)0;
    return one_task * tasks;
}

void sum_setup(bench_run *run, sum_job *job)
{
    job->count = (uint64_t)count_option;
    job->tasks = (size_t)run->tasks;
    if (sum_expected_total(job->tasks, job->count) > UINT64_MAX)
        bench_usage_error("--count %" PRIu64 " with %zu tasks: the total does not fit in 64 bits",
                          job->count, job->tasks);
}

bool sum_check(const sum_job *job, uint64_t total)
{
    return sum_expected_total(job->tasks, job->count) == total;
}

int sum_finish(bench_run *run, const sum_job *job, uint64_t total)
{
    char result[64], summary[160];
    snprintf(result, sizeof result, "\"total\": %" PRIu64, total);
    snprintf(summary, sizeof summary, "total %" PRIu64 " = %zu tasks x (sum of the integers below %" PRIu64 ")",
             total, job->tasks, job->count);
    return bench_finish(run, sum_check(job, total) ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result,
                        summary);
}
