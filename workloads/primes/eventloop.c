/*
 * primes-eventloop: one thread, an event loop, and the tasks as cooperative
 * coroutines, the way asyncio would run them. Each task tests a slice of
 * divisors, then yields by deferring its next slice to the loop, so every
 * task makes progress in turn; -j caps how many tasks are in flight at once
 * (like an asyncio.Semaphore).
 *
 * What to look for: no speed-up, ever. One thread uses one core however the
 * work is interleaved; the slices only add a little bookkeeping. An event
 * loop helps work that waits, not work that computes.
 */
#include "kernel.h"
#include "loop.h"

#define DIVISIONS_PER_SLICE 20000   /* about 0.1 ms of work before yielding */

typedef struct {
    size_t task;
    prime_check check;
} task_state;

static primes_job job;
static size_t next_task;
static task_state *states;

static void run_slice(loop *event_loop, void *data);

static void start_next_task(loop *event_loop)
{
    if (next_task >= job.count)
        return;
    task_state *state = &states[next_task];
    state->task = next_task++;
    prime_check_init(&state->check, job.numbers[state->task]);
    if (loop_defer(event_loop, run_slice, state) != 0)
        bench_fail("loop_defer");
}

static void run_slice(loop *event_loop, void *data)
{
    task_state *state = data;
    if (prime_check_step(&state->check, DIVISIONS_PER_SLICE)) {
        job.verdicts[state->task] = (unsigned char)state->check.verdict;
        start_next_task(event_loop);        /* this task is done: let another in */
    } else if (loop_defer(event_loop, run_slice, state) != 0) {   /* yield */
        bench_fail("loop_defer");
    }
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "eventloop",
        .about = PRIMES_ABOUT " One thread, tasks run in slices on an event loop.",
        .workload_options = primes_options, .workers_default_to_tasks = true,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    states = bench_alloc(job.count, sizeof *states);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new");
    for (long started = 0; started < run.workers; started++)
        start_next_task(event_loop);
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");

    loop_free(event_loop);
    free(states);
    return primes_finish(&run, &job);
}
