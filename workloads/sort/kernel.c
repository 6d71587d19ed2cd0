/* sort/kernel.c - the quicksort, its input, its check and its output. */
#define _GNU_SOURCE
#include "kernel.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long elements_option;        /* 0: not given */
static uint64_t seed_option = SORT_DEFAULT_SEED;
static const char *input_path, *output_path;
const bench_option sort_options[] = {
    {"elements", 0, BENCH_OPT_COUNT, &elements_option, "N",
     "sort N random numbers, N >= 1 (default 10000000; -n N says the same)", NULL},
    {"seed", 0, BENCH_OPT_U64, &seed_option, "S", "seed of the random numbers (default 20240601)",
     NULL},
    {"input", 0, BENCH_OPT_STRING, &input_path, "FILE",
     "sort the numbers in FILE instead (one per line, 0..4294967295)", NULL},
    {"output", 0, BENCH_OPT_STRING, &output_path, "FILE",
     "write the sorted numbers to FILE (replaced whole; a link is followed, a device or FIFO "
     "written to, a directory refused)", NULL},
    BENCH_OPTIONS_END,
};

/* ---- the quicksort ------------------------------------------------------------ */

static size_t median_of_three(const uint32_t *elements, size_t a, size_t b, size_t c)
{
    if (elements[a] < elements[b]) {
        if (elements[b] < elements[c])
            return b;
        return elements[a] < elements[c] ? c : a;
    }
    if (elements[a] < elements[c])
        return a;
    return elements[b] < elements[c] ? c : b;
}

static size_t pivot_index(const uint32_t *elements, size_t count)
{
    size_t middle = count / 2, last = count - 1;
    if (count < 1000)
        return median_of_three(elements, 0, middle, last);
    size_t step = count / 8;   /* the ninther: the median of three medians of three */
    return median_of_three(elements,
                           median_of_three(elements, 0, step, 2 * step),
                           median_of_three(elements, middle - step, middle, middle + step),
                           median_of_three(elements, last - 2 * step, last - step, last));
}

/* Moves the elements of [first, count) that are smaller than the pivot (or,
 * with or_equal, smaller or equal) to the front of that range, and returns
 * where they end. Lomuto's scheme, written without a branch on the data:
 * every element is swapped with the first element not yet known to be
 * smaller, and that position advances only if it was smaller. A random
 * comparison would be mispredicted half the time; this loop never is. */
static size_t move_smaller_to_front(uint32_t *elements, size_t first, size_t count,
                                    uint32_t pivot, bool or_equal)
{
    size_t smaller_end = first;
    for (size_t next = first; next < count; next++) {
        uint32_t value = elements[next];
        bool smaller = or_equal ? value <= pivot : value < pivot;
        elements[next] = elements[smaller_end];
        elements[smaller_end] = value;
        smaller_end += smaller;
    }
    return smaller_end;
}

sort_split sort_partition(uint32_t *elements, size_t count)
{
    size_t chosen = pivot_index(elements, count);
    uint32_t pivot = elements[chosen];
    elements[chosen] = elements[0];
    elements[0] = pivot;
    size_t pivot_place = move_smaller_to_front(elements, 1, count, pivot, false) - 1;
    elements[0] = elements[pivot_place];
    elements[pivot_place] = pivot;
    sort_split split = {pivot_place, pivot_place + 1};
    /* Nothing was smaller: the pivot is the least key of the range. Then all
     * its copies go next to it and are done, so equal keys cannot make the
     * sort quadratic (all-equal input takes two passes in all). */
    if (pivot_place == 0)
        split.right_first = move_smaller_to_front(elements, 1, count, pivot, true);
    return split;
}

static void insertion_sort(uint32_t *elements, size_t count)
{
    for (size_t next = 1; next < count; next++) {
        uint32_t value = elements[next];
        size_t place = next;
        for (; place > 0 && elements[place - 1] > value; place--)
            elements[place] = elements[place - 1];
        elements[place] = value;
    }
}

void sort_serial(uint32_t *elements, size_t count)
{
    while (count > SORT_INSERTION_CUTOFF) {
        sort_split split = sort_partition(elements, count);
        size_t right_count = count - split.right_first;
        if (split.left_end < right_count) {           /* recurse on the smaller side, */
            sort_serial(elements, split.left_end);    /* loop on the larger one */
            elements += split.right_first;
            count = right_count;
        } else {
            sort_serial(elements + split.right_first, right_count);
            count = split.left_end;
        }
    }
    insertion_sort(elements, count);
}

size_t sort_parallel_cutoff(size_t count)
{
    size_t cutoff = count / 64;
    return cutoff < 1024 ? 1024 : cutoff > 131072 ? 131072 : cutoff;
}

/* ---- input and check ----------------------------------------------------------- */

/* Elements [first, end) of the fixed-seed input; returns their checksum,
 * computed in the same pass: one trip through memory, not two. */
static uint64_t fill_random_range(uint32_t *elements, size_t first, size_t end, uint64_t seed)
{
    uint64_t checksum = 0;
    for (size_t index = first; index < end; index++) {
        uint32_t value = (uint32_t)(bench_mix64(seed + (index + 1) * 0x9e3779b97f4a7c15ULL) >> 32);
        elements[index] = value;
        checksum += bench_mix64(value);
    }
    return checksum;
}

static uint64_t checksum_range(const uint32_t *elements, size_t first, size_t end)
{
    uint64_t checksum = 0;
    for (size_t index = first; index < end; index++)
        checksum += bench_mix64(elements[index]);
    return checksum;
}

/* The first index in [first, end) whose element is smaller than the one
 * before it (index 0 has none before it), or `none`. */
static size_t first_unsorted_range(const uint32_t *elements, size_t first, size_t end, size_t none)
{
    for (size_t index = first > 0 ? first : 1; index < end; index++)
        if (elements[index] < elements[index - 1])
            return index;
    return none;
}

/* The check of [first, end) in one pass: its checksum, and whether every
 * element is at least the one before it. Returns the first that is not, or
 * `none`. */
static size_t scan_range(const uint32_t *elements, size_t first, size_t end, size_t none,
                         uint64_t *checksum)
{
    uint64_t sum = 0;
    bool out_of_order = false;
    for (size_t index = first; index < end; index++) {
        sum += bench_mix64(elements[index]);
        out_of_order |= index > 0 && elements[index] < elements[index - 1];
    }
    *checksum = sum;
    return out_of_order ? first_unsorted_range(elements, first, end, none) : none;
}

uint64_t sort_fill_random(uint32_t *elements, size_t count, uint64_t seed)
{
    return fill_random_range(elements, 0, count, seed);
}

uint64_t sort_checksum(const uint32_t *elements, size_t count)
{
    return checksum_range(elements, 0, count);
}

size_t sort_first_unsorted(const uint32_t *elements, size_t count)
{
    return first_unsorted_range(elements, 0, count, count);
}

bool sort_check(const uint32_t *elements, size_t count, uint64_t input_checksum)
{
    uint64_t checksum;
    return scan_range(elements, 0, count, count, &checksum) == count && checksum == input_checksum;
}

/* ---- the job ----------------------------------------------------------------------- */

static void *allocate(size_t count, size_t size, bool shared)
{
    return shared ? bench_shared_alloc(count * size) : bench_alloc(count, size);
}

static void release(void *memory, size_t count, size_t size, bool shared)
{
    if (shared)
        bench_shared_free(memory, count * size);
    else
        free(memory);
}

void sort_setup(bench_run *run, sort_job *job, long parts, bool shared)
{
    if (output_path)   /* refuse a bad --output before the work, not after */
        bench_output_check("--output", output_path);
    *job = (sort_job){.seed = seed_option, .parts = parts, .shared = shared};
    if (input_path) {
        if (elements_option)
            bench_usage_error("--elements %ld: not with --input %s", elements_option, input_path);
        job->numbers = bench_read_numbers(input_path, UINT32_MAX, &job->count);
        if (run->tasks_given && (size_t)run->tasks != job->count)
            bench_usage_error("-n %ld: %s holds %zu numbers (for sort, tasks are elements)",
                              run->tasks, input_path, job->count);
    } else {
        if (run->tasks_given && elements_option && run->tasks != elements_option)
            bench_usage_error("-n %ld: not the same as --elements %ld (for sort, tasks are elements)",
                              run->tasks, elements_option);
        job->count = elements_option    ? (size_t)elements_option
                     : run->tasks_given ? (size_t)run->tasks
                                        : SORT_DEFAULT_ELEMENTS;
    }
    bench_set_default_tasks(run, (long)job->count);   /* -n, if given, is the same */
    job->parts = parts = parts < run->workers ? parts : run->workers;   /* capped at the count */
    job->elements = allocate(job->count, sizeof(uint32_t), shared);
    job->part = allocate((size_t)parts, sizeof(sort_part), shared);
    /* A part never checked keeps output checksum 0, so the check fails, and
     * names no element out of order. */
    for (long part = 0; part < parts; part++)
        job->part[part].first_unsorted = job->count;
}

void sort_make_part(sort_job *job, long part)
{
    bench_block block = bench_static_block(job->count, job->parts, part);
    if (job->numbers == NULL) {
        job->part[part].input_checksum =
            fill_random_range(job->elements, block.first, block.end, job->seed);
        return;
    }
    for (size_t index = block.first; index < block.end; index++)
        job->elements[index] = (uint32_t)job->numbers[index];
    job->part[part].input_checksum = checksum_range(job->elements, block.first, block.end);
}

void sort_check_part(sort_job *job, long part)
{
    bench_block block = bench_static_block(job->count, job->parts, part);
    job->part[part].first_unsorted = scan_range(job->elements, block.first, block.end, job->count,
                                                &job->part[part].output_checksum);
}

/* Writes the numbers to `path`: a file there is replaced whole or not at
 * all, a device or FIFO written to (bench_output, in bench/output.c). */
static void write_numbers(const char *path, const uint32_t *elements, size_t count)
{
    bench_output output;
    FILE *file = bench_output_open(&output, "--output", path);
    char line[16];
    for (size_t index = 0; index < count && !ferror(file); index++) {
        char *digit = line + sizeof line;   /* the digits, right to left */
        *--digit = '\n';
        uint32_t value = elements[index];
        do {
            *--digit = (char)('0' + value % 10);
            value /= 10;
        } while (value);
        fwrite(digit, 1, (size_t)(line + sizeof line - digit), file);
    }
    bench_output_close(&output);   /* exits 1 if a write failed */
}

int sort_finish(bench_run *run, sort_job *job)
{
    uint64_t input_checksum = 0, checksum = 0;
    size_t first_unsorted = job->count;
    for (long part = 0; part < job->parts; part++) {
        input_checksum += job->part[part].input_checksum;
        checksum += job->part[part].output_checksum;
        if (job->part[part].first_unsorted < first_unsorted)
            first_unsorted = job->part[part].first_unsorted;
    }
    bench_log(run, "input checksum %016" PRIx64 ", output checksum %016" PRIx64,
              input_checksum, checksum);
    bool right = first_unsorted == job->count && checksum == input_checksum;
    char result[128], summary[200];
    snprintf(result, sizeof result, "\"elements\": %zu, \"checksum\": \"%016" PRIx64 "\"",
             job->count, checksum);
    if (first_unsorted < job->count)
        snprintf(summary, sizeof summary, "%zu elements, NOT sorted: [%zu] = %" PRIu32
                 " is less than [%zu] = %" PRIu32, job->count, first_unsorted,
                 job->elements[first_unsorted], first_unsorted - 1,
                 job->elements[first_unsorted - 1]);
    else if (!right)
        snprintf(summary, sizeof summary, "%zu elements sorted, but checksum %016" PRIx64
                 " is not the input's %016" PRIx64 ": elements were lost or changed",
                 job->count, checksum, input_checksum);
    else
        snprintf(summary, sizeof summary, "%zu elements sorted, checksum %016" PRIx64
                 " as in the input", job->count, checksum);
    if (right && output_path) {
        write_numbers(output_path, job->elements, job->count);
        bench_log(run, "wrote %s", output_path);
    }
    release(job->elements, job->count, sizeof(uint32_t), job->shared);
    release(job->part, (size_t)job->parts, sizeof(sort_part), job->shared);
    free(job->numbers);
    job->elements = NULL;
    job->part = NULL;
    job->numbers = NULL;
    return bench_finish(run, right ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
