/*
 * primes-openmp: the same loop as primes-serial, with one OpenMP pragma.
 *
 * schedule(dynamic) hands out one iteration at a time, like the pthread
 * pool's shared counter; schedule(static) cuts the loop into one contiguous
 * block per thread. -j sets the number of threads.
 *
 * What to look for: how little changes against serial.c, and that the
 * speed-up matches the hand-written pthread pool.
 */
#include "kernel.h"

#include <omp.h>

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "openmp", .about = PRIMES_ABOUT " OpenMP threads.",
        .workload_options = primes_options, .model_options = bench_schedule_options,
    };
    bench_run run;
    primes_job job;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    omp_set_num_threads((int)run.workers);
    omp_set_schedule(bench_schedule == BENCH_SCHEDULE_DYNAMIC ? omp_sched_dynamic
                                                              : omp_sched_static, 
                     bench_schedule == BENCH_SCHEDULE_DYNAMIC ? 1 : 0);

    long count = (long)job.count;
    #pragma omp parallel for schedule(runtime)
    for (long task = 0; task < count; task++)
        job.verdicts[task] = is_prime(job.numbers[task]);

    return primes_finish(&run, &job);
}
