/*
 * sort/kernel_merge.h - the two model-free steps of a sample sort (the
 * distributed sort of sort-mpi): choosing splitters from samples of sorted
 * parts, and merging sorted runs into one.
 */
#ifndef SORT_KERNEL_MERGE_H
#define SORT_KERNEL_MERGE_H

#include "kernel.h"

/* Picks `samples` elements evenly spaced in sorted[0, count) into `out`
 * (fewer if count < samples); returns how many it picked. */
size_t sort_pick_samples(const uint32_t *sorted, size_t count, size_t samples, uint32_t *out);
/* Sorts the `count` samples of every part and picks buckets - 1 splitters
 * evenly among them: bucket b gets the keys in (splitter[b-1], splitter[b]]. */
void sort_pick_splitters(uint32_t *samples, size_t count, int buckets, uint32_t *splitters);
/* Cuts sorted[0, count) at the splitters: bucket b is
 * [first[b], first[b + 1]), first[buckets] = count. */
void sort_cut_at_splitters(const uint32_t *sorted, size_t count, const uint32_t *splitters,
                           int buckets, size_t *first);
/* Merges `runs` sorted runs, run r being elements[start[r], start[r + 1]),
 * into one sorted array in `out` (of start[runs] elements). `elements` is
 * used as scratch space. Pairwise rounds: log2(runs) passes over the data. */
void sort_merge_runs(uint32_t *elements, const size_t *start, int runs, uint32_t *out);

#endif
