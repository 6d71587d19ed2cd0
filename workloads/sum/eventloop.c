/*
 * sum-eventloop: one thread, an event loop, and the tasks as cooperative
 * coroutines, the way asyncio would run them. Each task sums a slice of its
 * range, then yields by deferring its next slice to the loop, so every task
 * makes progress in turn; -j caps how many tasks are in flight at once (like
 * an asyncio.Semaphore), and defaults to all of them.
 *
 * What to look for: no speed-up, ever. One thread uses one core however the
 * work is interleaved; the slices only add a little bookkeeping. An event
 * loop helps work that waits, not work that computes.
 */
#include "kernel.h"
#include "loop.h"

#define NUMBERS_PER_SLICE 100000   /* well under a millisecond before yielding */

typedef struct {
    uint64_t next_number;   /* where this task's next slice starts */
} task_state;

static sum_job job;
static size_t next_task;
static task_state *states;
static uint64_t total;

static void run_slice(loop *event_loop, void *data);

static void start_next_task(loop *event_loop)
{
    if (next_task >= job.tasks)
        return;
    task_state *state = &states[next_task++];
    state->next_number = 0;
    if (loop_defer(event_loop, run_slice, state) != 0)
        bench_fail("loop_defer");
}

static void run_slice(loop *event_loop, void *data)
{
    task_state *state = data;
    uint64_t slice_end = job.count - state->next_number > NUMBERS_PER_SLICE
                             ? state->next_number + NUMBERS_PER_SLICE
                             : job.count;
    total += sum_range(state->next_number, slice_end);
    state->next_number = slice_end;
    if (slice_end == job.count)
        start_next_task(event_loop);        /* this task is done: let another in */
    else if (loop_defer(event_loop, run_slice, state) != 0)   /* yield */
        bench_fail("loop_defer");
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sum", .model = "eventloop",
        .about = SUM_ABOUT " One thread, tasks run in slices on an event loop.",
        .default_tasks = SUM_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sum_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    states = bench_alloc(job.tasks, sizeof *states);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new");
    for (long started = 0; started < run.workers; started++)
        start_next_task(event_loop);
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");

    loop_free(event_loop);
    free(states);
    return sum_finish(&run, &job, total);
}
