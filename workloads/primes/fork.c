/*
 * primes-fork: -j child processes. Each child gets a copy of the task list
 * (fork copies the address space, lazily); the verdicts come back to the
 * parent through a pipe, as (task, verdict) records.
 *
 * Dynamic scheduling needs one counter that every process sees, so it lives
 * in a shared anonymous mapping created before fork. Static scheduling needs
 * nothing shared: child k just takes the k-th block.
 *
 * What to look for: the same speed-up as threads (a C process is cheap and
 * there is no interpreter to start), a few more context switches and a
 * little more system time; children_maxrss_kib in the record.
 */
#include "kernel.h"
#include "workers.h"

#include <stdatomic.h>

typedef struct {
    size_t task;
    unsigned char verdict;
} verdict_record;

static primes_job job;
static long workers;
static atomic_size_t *next_task;  /* in a MAP_SHARED page, seen by every child */

static void send_verdict(size_t task, int output)
{
    verdict_record record = {task, is_prime(job.numbers[task])};
    if (!bench_write_all(output, &record, sizeof record))
        bench_fail("write to pipe");
}

static void child(long worker_index, int output)
{
    if (bench_schedule == BENCH_SCHEDULE_DYNAMIC) {
        size_t task;
        while ((task = atomic_fetch_add(next_task, 1)) < job.count)
            send_verdict(task, output);
    } else {
        bench_block block = bench_static_block(job.count, workers, worker_index);
        for (size_t task = block.first; task < block.end; task++)
            send_verdict(task, output);
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "fork", .about = PRIMES_ABOUT " A pool of processes.",
        .workload_options = primes_options, .model_options = bench_schedule_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    next_task = bench_shared_alloc(sizeof *next_task);

    workers = run.workers;
    bench_children children;
    bench_children_start(&children, &run, child, true, BENCH_SHORTFALL_EXIT);

    verdict_record record;
    size_t received = 0;
    while (bench_read_all(children.input, &record, sizeof record)) {
        if (record.task < job.count)
            job.verdicts[record.task] = record.verdict;
        received++;
    }
    if (!bench_children_wait(&children) || received != job.count)
        bench_failf("%zu of %zu verdicts came back from the children", received, job.count);

    bench_shared_free(next_task, sizeof *next_task);
    return primes_finish(&run, &job);
}
