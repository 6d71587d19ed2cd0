/* Unit tests of the sort kernel: edge cases, the partition's contract, no
 * quadratic inputs, the shared stack of ranges, and the check. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <time.h>

#include "../../workloads/sort/kernel.h"
#include "../../workloads/sort/queue_pthread.h"

typedef enum { RANDOM, SORTED, REVERSE, ALL_EQUAL, MOD_THREE, ORGAN_PIPE, FEW_LARGE } shape;
static const char *const shape_names[] = {"random", "sorted", "reverse", "all equal",
                                          "values mod 3", "organ pipe", "two extreme values"};
#define SHAPES 7

static uint32_t *make_input(shape kind, size_t count)
{
    uint32_t *elements = bench_alloc(count, sizeof *elements);
    sort_fill_random(elements, count, 12345);
    for (size_t index = 0; index < count; index++) {
        switch (kind) {
        case RANDOM: break;
        case SORTED: elements[index] = (uint32_t)index; break;
        case REVERSE: elements[index] = (uint32_t)(count - index); break;
        case ALL_EQUAL: elements[index] = 42; break;
        case MOD_THREE: elements[index] %= 3; break;
        case ORGAN_PIPE: elements[index] = (uint32_t)(index < count / 2 ? index : count - index); break;
        case FEW_LARGE: elements[index] = elements[index] % 2 ? UINT32_MAX : 0; break;
        }
    }
    return elements;
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

Test(sort, zero_one_and_two_elements)
{
    uint32_t none[1] = {7};
    sort_serial(none, 0);
    cr_expect_eq(none[0], 7, "sorting 0 elements touches nothing");
    cr_expect(sort_check(none, 0, 0), "0 elements: sorted, checksum 0");
    uint32_t one[1] = {5};
    sort_serial(one, 1);
    cr_expect_eq(one[0], 5);
    uint32_t two[2] = {UINT32_MAX, 0};
    sort_serial(two, 2);
    cr_expect(two[0] == 0 && two[1] == UINT32_MAX);
    uint32_t pair[2] = {3, 3};
    sort_serial(pair, 2);
    cr_expect(pair[0] == 3 && pair[1] == 3);
}

Test(sort, every_shape_and_size_is_sorted_with_the_same_checksum)
{
    size_t sizes[] = {3, 10, 24, 25, 100, 999, 1000, 1001, 5000, 100000};
    for (int kind = 0; kind < SHAPES; kind++) {
        for (size_t size_index = 0; size_index < sizeof sizes / sizeof sizes[0]; size_index++) {
            size_t count = sizes[size_index];
            uint32_t *elements = make_input((shape)kind, count);
            uint64_t checksum = sort_checksum(elements, count);
            sort_serial(elements, count);
            cr_assert_eq(sort_first_unsorted(elements, count), count, "%s, %zu elements: unsorted",
                         shape_names[kind], count);
            cr_assert_eq(sort_checksum(elements, count), checksum,
                         "%s, %zu elements: checksum changed", shape_names[kind], count);
            free(elements);
        }
    }
}

Test(sort, the_partition_keeps_its_contract)
{
    for (int kind = 0; kind < SHAPES; kind++) {
        for (size_t count = 2; count < 3000; count = count * 3 / 2 + 1) {
            uint32_t *elements = make_input((shape)kind, count);
            uint64_t checksum = sort_checksum(elements, count);
            sort_split split = sort_partition(elements, count);
            cr_assert(split.left_end < split.right_first && split.right_first <= count,
                      "%s, %zu: split [%zu, %zu)", shape_names[kind], count, split.left_end,
                      split.right_first);
            uint32_t pivot = elements[split.left_end];
            for (size_t index = 0; index < count; index++) {
                if (index < split.left_end)
                    cr_assert_lt(elements[index], pivot, "%s, %zu: [%zu] left", shape_names[kind], count, index);
                else if (index < split.right_first)
                    cr_assert_eq(elements[index], pivot, "%s, %zu: [%zu] middle", shape_names[kind], count, index);
                else
                    cr_assert_geq(elements[index], pivot, "%s, %zu: [%zu] right", shape_names[kind], count, index);
            }
            cr_assert_eq(sort_checksum(elements, count), checksum);
            free(elements);
        }
    }
}

Test(sort, all_equal_input_is_one_partition_of_two_passes)
{
    uint32_t *elements = make_input(ALL_EQUAL, 1000);
    sort_split split = sort_partition(elements, 1000);
    cr_expect(split.left_end == 0 && split.right_first == 1000,
              "every copy of the pivot placed at once, not [%zu, %zu)", split.left_end,
              split.right_first);
    free(elements);
}

Test(sort, no_shape_goes_quadratic, .timeout = 20)
{
    /* 200,000 elements: n log n is a few milliseconds, n^2 would be minutes. */
    size_t count = 200000;
    for (int kind = 0; kind < SHAPES; kind++) {
        uint32_t *elements = make_input((shape)kind, count);
        double started = seconds_now();
        sort_serial(elements, count);
        double elapsed = seconds_now() - started;
        cr_expect_lt(elapsed, 0.5, "%s: %.3f s for %zu elements", shape_names[kind], elapsed, count);
        cr_expect_eq(sort_first_unsorted(elements, count), count, "%s", shape_names[kind]);
        free(elements);
    }
}

Test(sort, the_input_is_reproducible_and_depends_on_the_seed)
{
    uint32_t first[1000], again[1000], other[1000];
    sort_fill_random(first, 1000, 1);
    sort_fill_random(again, 1000, 1);
    sort_fill_random(other, 1000, 2);
    cr_expect_arr_eq(first, again, sizeof first);
    cr_expect_neq(sort_checksum(first, 1000), sort_checksum(other, 1000));
    size_t distinct_neighbours = 0;
    for (size_t index = 1; index < 1000; index++)
        distinct_neighbours += first[index] != first[index - 1];
    cr_expect_gt(distinct_neighbours, 990, "the generator must not repeat itself");
}

Test(sort, the_check_rejects_unsorted_lost_or_changed_elements)
{
    uint32_t elements[] = {1, 2, 2, 9, 40};
    uint64_t checksum = sort_checksum(elements, 5);
    cr_expect(sort_check(elements, 5, checksum));
    uint32_t shuffled[] = {2, 1, 2, 9, 40};
    cr_expect_eq(sort_checksum(shuffled, 5), checksum, "the checksum ignores order");
    cr_expect(!sort_check(shuffled, 5, checksum), "unsorted must fail");
    cr_expect_eq(sort_first_unsorted(shuffled, 5), 1);
    uint32_t changed[] = {1, 2, 3, 9, 40};
    cr_expect(!sort_check(changed, 5, checksum), "sorted but one element changed must fail");
    uint32_t duplicated[] = {1, 2, 2, 2, 40};
    cr_expect(!sort_check(duplicated, 5, checksum), "an element overwritten by its neighbour");
    cr_expect(!sort_check(elements, 4, checksum), "a lost element must fail");
}

Test(sort, the_parallel_cutoff_scales_with_the_input)
{
    cr_expect_eq(sort_parallel_cutoff(0), 1024);
    cr_expect_eq(sort_parallel_cutoff(50000), 1024);
    cr_expect_eq(sort_parallel_cutoff(1000000), 15625);
    cr_expect_eq(sort_parallel_cutoff(10000000), 131072);
}

static void *queue_worker(void *queue)
{
    sort_queue_wait_for_input(queue);
    sort_queue_work(queue);
    return NULL;
}

Test(sort, threads_sharing_the_stack_of_ranges_sort_every_shape, .timeout = 30)
{
    size_t count = 300000;
    for (int kind = 0; kind < SHAPES; kind++) {
        uint32_t *elements = make_input((shape)kind, count);
        uint64_t checksum = sort_checksum(elements, count);
        sort_queue *queue = sort_queue_new(elements, count, 4, false);
        pthread_t threads[4];
        for (int index = 0; index < 4; index++)
            cr_assert_eq(pthread_create(&threads[index], NULL, queue_worker, queue), 0);
        for (int index = 0; index < 4; index++)
            cr_assert_eq(pthread_join(threads[index], NULL), 0);
        size_t partitioned, sorted;
        sort_queue_counts(queue, &partitioned, &sorted);
        if (kind == RANDOM)
            cr_expect_gt(partitioned, 10, "the recursion was shared out: %zu partitions", partitioned);
        double started, finished;
        sort_queue_times(queue, &started, &finished);
        cr_expect(started > 0 && finished >= started, "the sort's own clock: %f to %f", started, finished);
        sort_queue_free(queue);
        cr_expect(sort_check(elements, count, checksum), "%s", shape_names[kind]);
        free(elements);
    }
}

Test(sort, an_empty_stack_of_ranges_ends_at_once, .timeout = 5)
{
    uint32_t none[1];
    sort_queue *queue = sort_queue_new(none, 0, 1, false);
    sort_queue_wait_for_input(queue);
    sort_queue_work(queue);
    sort_queue_free(queue);
}

/* A job as sort_setup would leave it, without reading options. */
static sort_job job_of(uint32_t *elements, size_t count, long parts, sort_part *part)
{
    sort_job job = {.elements = elements, .count = count, .seed = 99, .parts = parts, .part = part};
    for (long index = 0; index < parts; index++)
        part[index] = (sort_part){.first_unsorted = count};
    return job;
}

Test(sort, the_input_and_the_check_in_parts_add_up_to_the_whole)
{
    size_t count = 10007;
    uint32_t *whole = bench_alloc(count, sizeof *whole), *elements = bench_alloc(count, sizeof *elements);
    uint64_t checksum = sort_fill_random(whole, count, 99);
    long part_counts[] = {1, 2, 3, 8, 20000};   /* more parts than elements: some are empty */
    for (size_t trial = 0; trial < sizeof part_counts / sizeof part_counts[0]; trial++) {
        long parts = part_counts[trial];
        sort_part *part = bench_alloc((size_t)parts, sizeof *part);
        sort_job job = job_of(elements, count, parts, part);
        uint64_t input_checksum = 0, output_checksum = 0;
        for (long index = parts - 1; index >= 0; index--)   /* in any order */
            sort_make_part(&job, index);
        cr_assert_arr_eq(elements, whole, count * sizeof *whole, "%ld parts make the same input", parts);
        sort_serial(elements, count);
        for (long index = 0; index < parts; index++) {
            sort_check_part(&job, index);
            input_checksum += part[index].input_checksum;
            output_checksum += part[index].output_checksum;
            cr_expect_eq(part[index].first_unsorted, count, "%ld parts: part %ld sorted", parts, index);
        }
        cr_expect_eq(input_checksum, checksum, "%ld parts", parts);
        cr_expect_eq(output_checksum, checksum, "%ld parts", parts);
        free(part);
    }
    free(whole);
    free(elements);
}

Test(sort, a_part_checks_its_boundary_with_the_part_before)
{
    uint32_t elements[6] = {1, 2, 9, 3, 4, 5};   /* parts {1, 2, 9} and {3, 4, 5}: each sorted */
    sort_part part[2];
    sort_job job = job_of(elements, 6, 2, part);
    sort_check_part(&job, 0);
    sort_check_part(&job, 1);
    cr_expect_eq(part[0].first_unsorted, 6);
    cr_expect_eq(part[1].first_unsorted, 3, "3 after 9 is out of order, across the boundary");
}
