/*
 * sleep-fork: -j child processes (default: one per task). They take tasks
 * from a counter in a shared anonymous mapping and mark them finished in a
 * shared array of flags, so nothing needs to travel back through a pipe.
 *
 * The parent (bench_children_wait, in bench/workers.c) waits for its
 * children with the signals it cares about blocked (SIGCHLD, SIGINT,
 * SIGTERM) and takes them one at a time with sigwaitinfo: a child's exit
 * means "reap", Ctrl-C or kill means "kill every child, reap them, then die
 * of the same signal". If fork is refused (EAGAIN: ulimit -u, pid_max), the
 * children already started are killed and reaped.
 *
 * What to look for: like threads, processes wait in parallel, and a C
 * process is cheap to fork: 1000 x 2 s takes a little over 2 s (the notes'
 * Python processes took 25 s, mostly starting interpreters). sys_s and
 * children_maxrss_kib show what each process costs.
 */
#include "kernel.h"
#include "workers.h"

#include <stdatomic.h>

static sleep_job job;
static atomic_size_t *next_task;   /* in a MAP_SHARED page, seen by every child */

static void child(long worker_index, int unused)
{
    (void)worker_index, (void)unused;
    size_t task;
    while ((task = atomic_fetch_add(next_task, 1)) < job.count) {
        sleep_wait(job.seconds);
        job.finished[task] = 1;
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "fork", .about = SLEEP_ABOUT " A process per task (or a pool).",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sleep_setup(&run, &job, true);
    next_task = bench_shared_alloc(sizeof *next_task);

    bench_children children;
    bench_children_start(&children, &run, child, false, BENCH_SHORTFALL_EXIT);
    if (!bench_children_wait(&children))
        bench_failf("a child process failed (see above)");

    bench_shared_free(next_task, sizeof *next_task);
    return sleep_finish(&run, &job);
}
