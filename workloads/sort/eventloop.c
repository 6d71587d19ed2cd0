/*
 * sort-eventloop: one thread, and the quicksort's recursion as deferred
 * callbacks on the bench/ event loop, the way asyncio would run it: a
 * callback takes one range, partitions it and defers both halves, or sorts
 * it if it is below the cut-off. Every range waits its turn in the loop's
 * queue, so the work is interleaved breadth-first, but it is all on one
 * core. -j is accepted and means nothing here (the record says 1 worker).
 *
 * What to look for: no speed-up, ever: the same time as sort-serial, plus a
 * little bookkeeping. The first callback partitions the whole array and
 * blocks the loop for that long: CPU-bound work does not yield by itself.
 */
#include "kernel.h"
#include "loop.h"

typedef struct {
    uint32_t *elements;
    size_t count;
} sort_range;

static size_t cutoff;

static void sort_range_callback(loop *event_loop, void *data);

static void defer_range(loop *event_loop, uint32_t *elements, size_t count)
{
    if (count == 0)
        return;
    sort_range *range = bench_alloc(1, sizeof *range);
    *range = (sort_range){elements, count};
    if (loop_defer(event_loop, sort_range_callback, range) != 0)
        bench_fail("loop_defer");
}

static void sort_range_callback(loop *event_loop, void *data)
{
    sort_range *range = data;
    if (range->count <= cutoff) {
        sort_serial(range->elements, range->count);
    } else {
        sort_split split = sort_partition(range->elements, range->count);
        defer_range(event_loop, range->elements, split.left_end);
        defer_range(event_loop, range->elements + split.right_first,
                    range->count - split.right_first);
    }
    free(range);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "eventloop",
        .about = SORT_ABOUT " One thread, ranges as callbacks on an event loop.",
        .workload_options = sort_options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, 1, false);
    run.workers = 1;
    cutoff = sort_parallel_cutoff(job.count);
    sort_make_part(&job, 0);     /* the input and its check: one part, like serial */
    bench_restart_clock(&run);

    loop *event_loop = loop_new();
    if (event_loop == NULL)
        bench_fail("loop_new");
    defer_range(event_loop, job.elements, job.count);
    if (loop_run(event_loop) != 0)
        bench_fail("epoll_wait");
    bench_stop_clock(&run);

    loop_free(event_loop);
    sort_check_part(&job, 0);
    return sort_finish(&run, &job);
}
