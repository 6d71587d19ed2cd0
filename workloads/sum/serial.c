/*
 * sum-serial: the baseline. One thread runs every task, one after another,
 * and adds up their sums. Every other sum variant is this file plus a
 * concurrency model; diff them against it.
 *
 * What to look for: the wall time equals the CPU time (user_s + sys_s), and
 * one core is busy while the others idle.
 */
#include "kernel.h"

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "serial", .about = SUM_ABOUT " One thread.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
    };
    bench_run run;
    sum_job job;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    run.workers = 1;

    uint64_t total = 0;
    for (size_t task = 0; task < job.tasks; task++)
        total += sum_task(&job);

    return sum_finish(&run, &job, total);
}
