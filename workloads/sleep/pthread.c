/*
 * sleep-pthread: -j POSIX threads (default: one per task) that take tasks
 * from a shared counter and sleep in a real blocking wait. A sleeping thread
 * costs no CPU, only its stack and a kernel task, so thousands can wait at
 * once: 1000 tasks of 2 s take about 2 s, not 2000.
 *
 * Threads are made with small stacks (--stack-kib, default 64) so that
 * 10,000 of them fit; a sleeping thread touches only a page or two of it.
 * When the system refuses a thread (EAGAIN: ulimit -u, threads-max, pid_max),
 * the threads already asleep are cancelled and joined, and the message says
 * how many had started.
 *
 * What to look for: wall time about S plus the time it took to create the
 * threads (watch it grow with -n 10000); vol_ctx about one per thread; RSS
 * a few KiB per thread. With -j smaller than -n it is a pool and the time
 * becomes ceil(n / j) * S.
 */
#include "kernel.h"
#include "workers.h"

#include <limits.h>
#include <stdatomic.h>
#include <unistd.h>

static sleep_job job;
static atomic_size_t next_task;   /* the next task nobody has taken yet */

static long stack_kib = 64;
static const bench_option pthread_options[] = {
    {"stack-kib", 0, BENCH_OPT_COUNT, &stack_kib, "K",
     "stack size of each thread in KiB (default 64; at least the system's minimum)", NULL},
    BENCH_OPTIONS_END,
};

static void *worker(void *unused)
{
    (void)unused;
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) < job.count) {
        sleep_wait(job.seconds);
        job.finished[task] = 1;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "pthread", .about = SLEEP_ABOUT " A thread per task (or a pool).",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options, .model_options = pthread_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    long minimum_kib = (sysconf(_SC_THREAD_STACK_MIN) + 1023) / 1024;
    if (minimum_kib < 1)
        minimum_kib = (PTHREAD_STACK_MIN + 1023) / 1024;
    if (stack_kib < minimum_kib)
        bench_usage_error("--stack-kib: '%ld' is below the minimum thread stack of %ld KiB",
                          stack_kib, minimum_kib);
    sleep_setup(&run, &job, false);

    /* If a thread is refused, those started are cancelled: sleep_wait is a cancellation point. */
    pthread_t *threads = bench_threads_start(&run, worker, (size_t)stack_kib * 1024,
                                             BENCH_SHORTFALL_CANCEL);
    bench_threads_join(&run, threads);
    return sleep_finish(&run, &job);
}
