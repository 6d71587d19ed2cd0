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
 * Conventions every sort variant follows:
 *  - tasks in the record is the number of elements (-n N is another way to
 *    say --elements N), so records of different sizes compare;
 *  - every variant does three steps: make the input (sort_make_part), sort,
 *    check the output (sort_check_part); the parallel models share out all
 *    three, the others do each in one part;
 *  - wall_s in the record times the sort alone: the variant restarts the
 *    clock after making the input and stops it before the check (hyperfine,
 *    timing the whole process, sees all of it);
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
 * bench_mix64(seed + (i + 1) * 0x9e3779b97f4a7c15). Returns its checksum. */
uint64_t sort_fill_random(uint32_t *elements, size_t count, uint64_t seed);
/* Sum of bench_mix64(element) mod 2^64: the same for any order of the elements. */
uint64_t sort_checksum(const uint32_t *elements, size_t count);
/* The index of the first element smaller than its predecessor, or count. */
size_t sort_first_unsorted(const uint32_t *elements, size_t count);
/* Sorted, and the same checksum as the input. */
bool sort_check(const uint32_t *elements, size_t count, uint64_t input_checksum);

/* ---- the job ------------------------------------------------------------- */

/* Making the input and checking the output are cut into parts (-j of them in
 * the parallel models, one in the others), so that a parallel model can share
 * them out like the sort itself: otherwise their serial time would cap the
 * whole program's speed-up (Amdahl). */
typedef struct {
    uint64_t input_checksum;     /* of this part of the input */
    uint64_t output_checksum;    /* of this part of the output */
    size_t first_unsorted;       /* first element smaller than its predecessor, or count */
} sort_part;

typedef struct {
    uint32_t *elements;
    size_t count;
    uint64_t seed;
    uint64_t *numbers;           /* --input: the numbers read, or NULL */
    long parts;
    sort_part *part;             /* [parts] */
    bool shared;                 /* elements and parts are in MAP_SHARED memory (fork) */
} sort_job;

/* Reads the options, allocates the array (in memory shared with children
 * forked later if `shared`), reads --input if given and sets run->tasks to
 * the element count. The input is not made yet: sort_make_part does that.
 * Usage errors exit 2. */
void sort_setup(bench_run *run, sort_job *job, long parts, bool shared);
/* Makes part `part` of the input (generated, or copied from --input) and its
 * checksum. Parts are disjoint: any number may run at once. */
void sort_make_part(sort_job *job, long part);
/* Checks part `part` of the output: in order (with the element before it),
 * and its checksum. Parts are disjoint: any number may run at once. */
void sort_check_part(sort_job *job, long part);
/* Adds up the parts' checks (the output must be sorted, with the input's
 * checksum), writes --output if it passed, frees the job, prints the record
 * and returns the exit status. */
int sort_finish(bench_run *run, sort_job *job);

#ifdef __cplusplus
}
#endif

#endif
