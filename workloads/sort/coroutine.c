/*
 * sort-coroutine: one thread, and the quicksort's recursion as coroutines on
 * bench/coro's hub. A coroutine takes one range: while it is above the
 * cut-off it partitions it, spawns a coroutine for the left half, keeps the
 * right half and yields; at or below the cut-off it sorts what it has.
 * It reads like the recursive quicksort, with spawn for the first call. -j
 * is accepted and means nothing here (the record says 1 worker).
 *
 * What to look for: no speed-up, ever: the same time as sort-serial, plus a
 * few hundred spawns and yields. The first partition of the whole array
 * runs without a yield: CPU-bound work does not give way by itself.
 */
#include "kernel.h"
#include "coro.h"

typedef struct {
    uint32_t *elements;
    size_t count;
} sort_range;

static size_t cutoff;

static void sort_range_coroutine(void *argument);

static void spawn_range(uint32_t *elements, size_t count)
{
    if (count == 0)
        return;
    sort_range *range = bench_alloc(1, sizeof *range);   /* read when it first runs */
    *range = (sort_range){elements, count};
    coro_spawn(sort_range_coroutine, range);
}

static void sort_range_coroutine(void *argument)
{
    sort_range range = *(sort_range *)argument;
    free(argument);
    while (range.count > cutoff) {
        sort_split split = sort_partition(range.elements, range.count);
        spawn_range(range.elements, split.left_end);            /* the left half */
        range = (sort_range){range.elements + split.right_first,  /* we keep the right */
                             range.count - split.right_first};
        coro_yield();
    }
    sort_serial(range.elements, range.count);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "coroutine",
        .about = SORT_ABOUT " One thread, ranges as coroutines.",
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

    spawn_range(job.elements, job.count);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all (epoll_wait)");
    bench_stop_clock(&run);

    sort_check_part(&job, 0);
    return sort_finish(&run, &job);
}
