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

#include <stdatomic.h>
#include <unistd.h>

static sum_job job;
static atomic_size_t *next_task;  /* in a MAP_SHARED page, seen by every child */

static void child(long worker_index, long workers, int output)
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

    int pipe_ends[2];
    if (pipe(pipe_ends) != 0)
        bench_fail("pipe");
    pid_t *children = bench_alloc((size_t)run.workers, sizeof *children);
    for (long index = 0; index < run.workers; index++) {
        children[index] = bench_fork();
        if (children[index] < 0)
            bench_fork_failed(children, index);
        if (children[index] == 0) {
            close(pipe_ends[0]);
            child(index, run.workers, pipe_ends[1]);
            _exit(0);
        }
    }
    close(pipe_ends[1]);   /* so read() sees end of file when every child is done */

    uint64_t total = 0, partial_sum;
    long received = 0;
    while (bench_read_all(pipe_ends[0], &partial_sum, sizeof partial_sum)) {
        total += partial_sum;
        received++;
    }
    close(pipe_ends[0]);
    bool children_ok = true;
    for (long index = 0; index < run.workers; index++)
        children_ok &= bench_wait_child(children[index]);
    if (!children_ok || received != run.workers)
        bench_failf("%ld of %ld partial sums came back from the children", received, run.workers);

    free(children);
    bench_shared_free(next_task, sizeof *next_task);
    return sum_finish(&run, &job, total);
}
