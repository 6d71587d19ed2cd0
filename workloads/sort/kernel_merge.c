/* sort/kernel_merge.c - splitters and merging for the sample sort (see kernel_merge.h). */
#include "kernel_merge.h"

#include <string.h>

size_t sort_pick_samples(const uint32_t *sorted, size_t count, size_t samples, uint32_t *out)
{
    if (count < samples)
        samples = count;
    for (size_t index = 0; index < samples; index++)
        out[index] = sorted[(index * count + count / 2) / samples];
    return samples;
}

void sort_pick_splitters(uint32_t *samples, size_t count, int buckets, uint32_t *splitters)
{
    sort_serial(samples, count);
    for (int bucket = 1; bucket < buckets; bucket++)
        splitters[bucket - 1] = count ? samples[(size_t)bucket * count / (size_t)buckets] : 0;
}

/* The first index in sorted[from, count) whose key is greater than `key`. */
static size_t first_greater(const uint32_t *sorted, size_t from, size_t count, uint32_t key)
{
    while (from < count) {
        size_t middle = from + (count - from) / 2;
        if (sorted[middle] <= key)
            from = middle + 1;
        else
            count = middle;
    }
    return from;
}

void sort_cut_at_splitters(const uint32_t *sorted, size_t count, const uint32_t *splitters,
                           int buckets, size_t *first)
{
    first[0] = 0;
    for (int bucket = 1; bucket < buckets; bucket++)
        first[bucket] = first_greater(sorted, first[bucket - 1], count, splitters[bucket - 1]);
    first[buckets] = count;
}

static void merge_two(const uint32_t *left, size_t left_count, const uint32_t *right,
                      size_t right_count, uint32_t *out)
{
    size_t l = 0, r = 0, o = 0;
    while (l < left_count && r < right_count) {   /* branch-free: random keys mispredict */
        uint32_t from_left = left[l], from_right = right[r];
        bool take_right = from_right < from_left;
        out[o++] = take_right ? from_right : from_left;
        r += take_right;
        l += !take_right;
    }
    memcpy(out + o, left + l, (left_count - l) * sizeof *out);
    memcpy(out + o + left_count - l, right + r, (right_count - r) * sizeof *out);
}

void sort_merge_runs(uint32_t *elements, const size_t *start, int runs, uint32_t *out)
{
    size_t total = start[runs];
    size_t *bounds = bench_alloc((size_t)runs + 1, sizeof *bounds);
    memcpy(bounds, start, ((size_t)runs + 1) * sizeof *bounds);
    uint32_t *from = elements, *to = out;
    while (runs > 1) {   /* each round merges runs 0+1, 2+3, ... from `from` into `to` */
        int merged = 0;
        for (int run = 0; run < runs; run += 2, merged++) {
            size_t first = bounds[run];
            size_t middle = bounds[run + 1];
            size_t end = run + 2 <= runs ? bounds[run + 2] : middle;
            merge_two(from + first, middle - first, from + middle, end - middle, to + first);
            bounds[merged] = first;
        }
        bounds[merged] = total;
        runs = merged;
        uint32_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != out)
        memcpy(out, from, total * sizeof *out);
    free(bounds);
}
