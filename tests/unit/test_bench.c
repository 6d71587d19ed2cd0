/* Unit tests of the harness: static blocks, checksums, number files, the event loop. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "bench.h"
#include "loop.h"

#include <string.h>
#include <unistd.h>

Test(bench, static_blocks_cover_every_task_once)
{
    for (size_t tasks = 0; tasks < 40; tasks++) {
        for (long workers = 1; workers < 12; workers++) {
            size_t expected_first = 0;
            for (long worker = 0; worker < workers; worker++) {
                bench_block block = bench_static_block(tasks, workers, worker);
                cr_assert_eq(block.first, expected_first, "tasks %zu workers %ld", tasks, workers);
                cr_assert(block.end >= block.first);
                cr_assert(block.end - block.first <= tasks / (size_t)workers + 1);
                expected_first = block.end;
            }
            cr_assert_eq(expected_first, tasks);
        }
    }
}

Test(bench, mix64_spreads_nearby_inputs)
{
    cr_expect_neq(bench_mix64(1), bench_mix64(2));
    cr_expect_neq(bench_mix64(0), 0);   /* 0 would make an empty set look like {0} */
}

/* The record's wall_s for a clock stopped early, or set from times the
 * workers took. */
static double recorded_wall(void (*set)(bench_run *run))
{
    static const bench_spec spec = {.workload = "test", .model = "clock", .about = "a test"};
    char *argv[] = {"test-clock", "--json", NULL};
    bench_run run;
    bench_start(&run, &spec, 2, argv);
    set(&run);
    bench_finish(&run, BENCH_EXIT_OK, "\"n\": 1", "done");
    fflush(stdout);
    char record[1024] = "";
    size_t length = fread(record, 1, sizeof record - 1, cr_get_redirected_stdout());
    record[length] = '\0';
    const char *wall = strstr(record, "\"wall_s\": ");
    cr_assert(wall != NULL, "no wall_s in %s", record);
    return strtod(wall + strlen("\"wall_s\": "), NULL);
}

static void set_a_quarter_second(bench_run *run)
{
    bench_set_clock(run, 100.0, 100.25);
}

static void stop_at_once(bench_run *run)
{
    bench_restart_clock(run);
    bench_stop_clock(run);
    usleep(200000);   /* after the stop: not timed */
}

Test(bench, the_clock_can_be_set_from_the_workers_times, .init = cr_redirect_stdout)
{
    cr_expect_float_eq(recorded_wall(set_a_quarter_second), 0.25, 1e-6);
}

Test(bench, a_stopped_clock_leaves_out_what_follows, .init = cr_redirect_stdout)
{
    cr_expect_lt(recorded_wall(stop_at_once), 0.1);
}

Test(bench, reads_numbers_one_per_line)
{
    char path[] = "/tmp/bench-numbers-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char text[] = "0\n42\r\n18446744073709551615\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    size_t count;
    uint64_t *numbers = bench_read_numbers(path, UINT64_MAX, &count);
    unlink(path);
    cr_assert_eq(count, 3);
    cr_expect_eq(numbers[0], 0);
    cr_expect_eq(numbers[1], 42);
    cr_expect_eq(numbers[2], UINT64_MAX);
    free(numbers);
}

Test(bench, a_number_above_the_maximum_is_a_usage_error, .exit_code = BENCH_EXIT_USAGE)
{
    char path[] = "/tmp/bench-numbers-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "1\n4294967296\n", 13), 13);
    close(fd);
    size_t count;
    /* unlink first: the call exits the process */
    FILE *keep = fopen(path, "r");
    unlink(path);
    char proc_path[64];
    snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", fileno(keep));
    bench_read_numbers(proc_path, UINT32_MAX, &count);
}

/* ---- the event loop ---- */

static int order[16], order_count;

static void record_order(loop *event_loop, void *data)
{
    (void)event_loop;
    order[order_count++] = (int)(intptr_t)data;
}

Test(loop, deferred_callbacks_run_in_order)
{
    loop *event_loop = loop_new();
    cr_assert_not_null(event_loop);
    order_count = 0;
    for (intptr_t index = 0; index < 5; index++)
        cr_assert_eq(loop_defer(event_loop, record_order, (void *)index), 0);
    cr_assert_eq(loop_run(event_loop), 0);
    cr_assert_eq(order_count, 5);
    for (int index = 0; index < 5; index++)
        cr_expect_eq(order[index], index);
    loop_free(event_loop);
}

Test(loop, timers_fire_in_deadline_order_and_never_early)
{
    loop *event_loop = loop_new();
    order_count = 0;
    double started = bench_now();
    cr_assert_not_null(loop_timer_add(event_loop, 0.03, record_order, (void *)3));
    cr_assert_not_null(loop_timer_add(event_loop, 0.01, record_order, (void *)1));
    cr_assert_not_null(loop_timer_add(event_loop, 0.02, record_order, (void *)2));
    loop_timer *cancelled = loop_timer_add(event_loop, 0.015, record_order, (void *)9);
    loop_timer_cancel(event_loop, cancelled);
    cr_assert_eq(loop_run(event_loop), 0);
    double elapsed = bench_now() - started;
    cr_assert_eq(order_count, 3, "the cancelled timer must not fire");
    cr_expect_eq(order[0], 1);
    cr_expect_eq(order[1], 2);
    cr_expect_eq(order[2], 3);
    cr_expect(elapsed >= 0.03, "finished after %f s, before the last deadline", elapsed);
    loop_free(event_loop);
}

static int sequence_seen[2000], sequence_count;

static void record_sequence(loop *event_loop, void *data)
{
    (void)event_loop;
    sequence_seen[sequence_count++] = (int)(intptr_t)data;
}

Test(loop, many_timers_fire_each_once)
{
    loop *event_loop = loop_new();
    sequence_count = 0;
    for (intptr_t index = 0; index < 2000; index++)
        cr_assert_not_null(loop_timer_add(event_loop, (double)(index % 7) / 1000, record_sequence,
                                          (void *)index));
    cr_assert_eq(loop_run(event_loop), 0);
    cr_assert_eq(sequence_count, 2000);
    static char seen[2000];
    for (int index = 0; index < 2000; index++) {
        cr_assert(!seen[sequence_seen[index]], "timer %d fired twice", sequence_seen[index]);
        seen[sequence_seen[index]] = 1;
    }
    loop_free(event_loop);
}

static void read_pipe(loop *event_loop, int fd, uint32_t events, void *data)
{
    char byte;
    cr_assert(events & EPOLLIN);
    cr_assert_eq(read(fd, &byte, 1), 1);
    *(char *)data = byte;
    cr_assert_eq(loop_unwatch(event_loop, fd), 0);
}

static void write_pipe(loop *event_loop, void *data)
{
    (void)event_loop;
    cr_assert_eq(write(*(int *)data, "x", 1), 1);
}

Test(loop, fd_watchers_are_called_when_ready)
{
    int ends[2];
    cr_assert_eq(pipe(ends), 0);
    loop *event_loop = loop_new();
    char got = 0;
    cr_assert_eq(loop_watch(event_loop, ends[0], EPOLLIN, read_pipe, &got), 0);
    cr_assert_not_null(loop_timer_add(event_loop, 0.01, write_pipe, &ends[1]));
    cr_assert_eq(loop_run(event_loop), 0, "returns once nothing is watched or pending");
    cr_expect_eq(got, 'x');
    cr_expect_eq(loop_unwatch(event_loop, ends[0]), -1, "already unwatched");
    loop_free(event_loop);
    close(ends[0]);
    close(ends[1]);
}
