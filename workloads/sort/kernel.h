/*
 * sort/kernel.h - quicksort of one array of unsigned 32-bit integers.
 *
 * The input is 10,000,000 numbers from a fixed-seed generator (splitmix64;
 * --elements N, --seed S), or the numbers in a file (--input FILE, one per
 * line). --output FILE writes the sorted numbers, one per line.
 *
 * The quicksort: the pivot is the median of three elements (of nine, a
 * "ninther", for large ranges), so sorted, reverse-sorted and organ-pipe
 * input split near the middle; a branch-free Lomuto partition (fast on
 * random keys, where a branch on each comparison is mispredicted half the
 * time); when the pivot is the least key of its range, a second pass gathers
 * all its copies, which are then done, so all-equal and few-distinct input
 * cannot go quadratic (the notes' version does: equal keys are never split);
 * insertion sort below SORT_INSERTION_CUTOFF elements; recursion on the
 * smaller side only, so the stack depth is at most log2(n).
 *
 * Conventions every sort variant follows (sort_setup and sort_finish do it):
 *  - tasks in the record is the number of elements (-n N is another way to
 *    say --elements N), so records of different sizes compare;
 *  - wall_s in the record times the sort alone: the clock restarts after
 *    set-up (making or reading the input, its checksum), and the time of the
 *    check and of --output is taken out (hyperfine, timing the whole
 *    process, sees all of it);
 *  - the check: the output is sorted, and its order-independent checksum
 *    (the sum of bench_mix64(x) over the elements, mod 2^64) equals the
 *    input's, which is computed before sorting. The record shows it in hex.
 */
#ifndef SORT_KERNEL_H
#define SORT_KERNEL_H

#include "bench.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SORT_DEFAULT_ELEMENTS 10000000
#define SORT_DEFAULT_SEED 20240601
#define SORT_INSERTION_CUTOFF 24   /* ranges this short are insertion-sorted */

/* --elements N, --seed S, --input FILE, --output FILE: every sort variant. */
extern const bench_option sort_options[];
#define SORT_ABOUT "Sorts one array of random unsigned 32-bit integers (10,000,000 by default, fixed seed)."

/* ---- the quicksort ------------------------------------------------------- */

/* What one partition leaves: [0, left_end) holds keys smaller than the
 * pivot, [left_end, right_first) the pivot and possibly copies of it,
 * already in their final places (at least one element), and
 * [right_first, count) the keys greater than or equal to the pivot. */
typedef struct {
    size_t left_end, right_first;
} sort_split;

/* Partitions elements[0, count), count >= 2, around a median pivot. The two
 * sides can then be sorted independently: this is the step the parallel
 * variants hand out. */
sort_split sort_partition(uint32_t *elements, size_t count);
/* Sorts elements[0, count) in one thread. */
void sort_serial(uint32_t *elements, size_t count);
/* Ranges up to this size are sorted by one worker with sort_serial; bigger
 * ones are partitioned and their halves shared out. It scales with the input
 * (count / 64), from 1024 up to 131072 elements. */
size_t sort_parallel_cutoff(size_t count);

/* ---- input and check ----------------------------------------------------- */

/* The fixed-seed input, splitmix64-style: element i is the top 32 bits of
 * bench_mix64(seed + (i + 1) * 0x9e3779b97f4a7c15). */
void sort_fill_random(uint32_t *elements, size_t count, uint64_t seed);
/* Sum of bench_mix64(element) mod 2^64: the same for any order of the elements. */
uint64_t sort_checksum(const uint32_t *elements, size_t count);
/* The index of the first element smaller than its predecessor, or count. */
size_t sort_first_unsorted(const uint32_t *elements, size_t count);
/* Sorted, and the same checksum as the input. */
bool sort_check(const uint32_t *elements, size_t count, uint64_t input_checksum);

/* ---- the job --------------------------------------------------------------- */

typedef struct {
    uint32_t *elements;
    size_t count;
    uint64_t input_checksum;
    bool shared;             /* elements are in a MAP_SHARED mapping (fork) */
} sort_job;

/* Reads the options, makes the input (in memory shared with children forked
 * later if `shared`), sets run->tasks to the element count, computes the
 * input's checksum and restarts the clock. Usage errors exit 2. */
void sort_setup(bench_run *run, sort_job *job, bool shared);
/* Checks, writes --output if the check passed, frees the elements, prints
 * the record and returns the exit status. */
int sort_finish(bench_run *run, sort_job *job);

#ifdef __cplusplus
}
#endif

#endif
