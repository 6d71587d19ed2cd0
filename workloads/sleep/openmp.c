/*
 * sleep-openmp: the serial loop with an OpenMP pragma. num_threads(-j) asks
 * for one thread per task by default; schedule(static, 1) deals the tasks
 * out like cards, so thread t sleeps tasks t, t + j, t + 2j, ...: exactly one
 * task per thread when -j equals -n, and ceil(n / j) waits in a row for a
 * smaller pool. (schedule(dynamic) would let a thread that woke early take a
 * second task; for equal waits it changes nothing but the bookkeeping.)
 *
 * OpenMP may give fewer threads than asked (OMP_THREAD_LIMIT, OMP_DYNAMIC):
 * then the run is slower and says so on stderr. If libgomp cannot create a
 * thread at all (ulimit -u, threads-max), it prints "libgomp: Thread creation
 * failed" and exits 1, which ends the sleeping threads with the process;
 * an exit handler here adds how many threads were running by then.
 *
 * What to look for: the same time as sleep-pthread, from one pragma. The
 * runtime was built for CPU-bound loops with one thread per core, yet
 * a thousand sleeping threads are no problem for it.
 */
#include "kernel.h"

#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

static long threads_wanted;
static volatile int team_started;   /* set once every thread exists */

/* Runs if libgomp exits while it is still creating the team. */
static void report_failed_start(void)
{
    if (team_started || threads_wanted == 0)
        return;
    long running = -1;
    char line[128];
    FILE *status = fopen("/proc/self/status", "r");
    while (status && fgets(line, sizeof line, status))
        if (strncmp(line, "Threads:", 8) == 0)
            running = strtol(line + 8, NULL, 10);
    if (status)
        fclose(status);
    fprintf(stderr, "sleep-openmp: stopped while starting %ld OpenMP threads: %ld were running"
            " (the limit is named above; see ulimit -u and /proc/sys/kernel/threads-max)\n",
            threads_wanted, running);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "openmp", .about = SLEEP_ABOUT " OpenMP threads.",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    sleep_job job;
    bench_start(&run, &spec, argc, argv);
    if (run.workers > INT_MAX)
        bench_usage_error("--workers: '%ld' is more threads than OpenMP can ask for", run.workers);
    sleep_setup(&run, &job, false);
    if (atexit(report_failed_start) != 0)
        bench_failf("atexit: could not register the exit handler");
    omp_set_dynamic(0);   /* no fewer threads than asked, unless a limit says so */
    threads_wanted = run.workers;

    long count = (long)job.count;
    int threads_given = 0;
    #pragma omp parallel num_threads((int)run.workers)
    {
        #pragma omp master
        {
            team_started = 1;
            threads_given = omp_get_num_threads();
        }
        #pragma omp for schedule(static, 1)
        for (long task = 0; task < count; task++) {
            sleep_wait(job.seconds);
            job.finished[task] = 1;
        }
    }

    if (threads_given < run.workers)
        fprintf(stderr, "sleep-openmp: asked for %ld threads, OpenMP gave %d (thread limit %d): "
                "%ld waits in a row instead of %ld\n", run.workers, threads_given,
                omp_get_thread_limit(), (count + threads_given - 1) / threads_given,
                (count + run.workers - 1) / run.workers);
    bench_log(&run, "%d OpenMP threads", threads_given);
    run.workers = threads_given;
    return sleep_finish(&run, &job);
}
