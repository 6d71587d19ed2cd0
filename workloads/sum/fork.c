/*
 * sum-fork: -j child processes. Each child adds up the tasks it takes and
 * sends its partial sum to the parent through a pipe (8 bytes, written at
 * once, so the children's writes never interleave); the parent adds them.
 *
 * Dynamic scheduling needs one counter that every process sees, so it lives
 * in a shared anonymous mapping created before fork. Static scheduling needs
 * nothing shared: child k just takes the k-th block.
 *
 * What to look for: the same speed-up as threads (a C process is cheap and
 * there is no interpreter to start), a few more context switches and a
 * little more system time. With -j equal to the task count (one process per
 * task) the cost of 300 forks shows in sys_s.
 */
#include "kernel.h"
#include "workers.h"

#include <stdatomic.h>

static sum_job job;
static long workers;
static atomic_size_t *next_task;  /* in a MAP_SHARED page, seen by every child */

static void child(long worker_index, int output)
{
    uint64_t partial_sum = 0;
    if (bench_schedule == BENCH_SCHEDULE_DYNAMIC) {
        while (atomic_fetch_add(next_task, 1) < job.tasks)
            partial_sum += sum_task(&job);
    } else {
        bench_block block = bench_static_block(job.tasks, workers, worker_index);
        for (size_t task = block.first; task < block.end; task++)
            partial_sum += sum_task(&job);
    }
    if (!bench_write_all(output, &partial_sum, sizeof partial_sum))
        bench_fail("write to pipe");
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "fork", .about = SUM_ABOUT " A pool of processes.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
        .model_options = bench_schedule_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    next_task = bench_shared_alloc(sizeof *next_task);

    workers = run.workers;
    bench_children children;
    bench_children_start(&children, &run, child, true, BENCH_SHORTFALL_EXIT);

    uint64_t total = 0, partial_sum;
    long received = 0;
    while (bench_read_all(children.input, &partial_sum, sizeof partial_sum)) {
        total += partial_sum;
        received++;
    }
    if (!bench_children_wait(&children) || received != run.workers)
        bench_failf("%ld of %ld partial sums came back from the children", received, run.workers);

    bench_shared_free(next_task, sizeof *next_task);
    return sum_finish(&run, &job, total);
}
