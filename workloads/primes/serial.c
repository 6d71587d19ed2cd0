/*
 * primes-serial: the baseline. One thread tests every number, one after
 * another. Every other primes variant is this file plus a concurrency model;
 * diff them against it.
 *
 * What to look for: the wall time equals the CPU time (user_s + sys_s), and
 * one core is busy while the others idle.
 */
#include "kernel.h"

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "serial", .about = PRIMES_ABOUT " One thread.",
        .workload_options = primes_options,
    };
    bench_run run;
    primes_job job;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    run.workers = 1;

    for (size_t task = 0; task < job.count; task++)
        job.verdicts[task] = is_prime(job.numbers[task]);

    return primes_finish(&run, &job);
}
