/*
 * sleep-serial: the baseline. One thread runs the tasks one after another,
 * so every wait is added to the last: n tasks of S seconds take n * S.
 * Every other sleep variant is this loop plus a concurrency model; diff them
 * against it.
 *
 * What to look for: wall time n * S and almost no CPU time (user_s + sys_s
 * near zero): the program is not busy, it is waiting. That idle time is what
 * the concurrent models put to use. (The default, 1000 x 2 s, takes over half
 * an hour here: try -n 5 --seconds 0.5.)
 */
#include "kernel.h"

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "serial", .about = SLEEP_ABOUT " One thread.",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    sleep_job job;
    bench_start(&run, &spec, argc, argv);
    sleep_setup(&run, &job, false);
    run.workers = 1;

    for (size_t task = 0; task < job.count; task++) {
        sleep_wait(job.seconds);
        job.finished[task] = 1;
        bench_log(&run, "task %zu done", task);
    }

    return sleep_finish(&run, &job);
}
