/*
 * primes/kernel.h - trial-division primality, the notes' CPU-bound example.
 *
 * The work is deliberately naive (odd divisors up to the square root), as in
 * the notes, so that it is the same work in every model and in Python.
 * Unlike the notes' version it is right for 0, 1 and 2.
 */
#ifndef PRIMES_KERNEL_H
#define PRIMES_KERNEL_H

#include "bench.h"

#include <stdbool.h>
#include <stdint.h>

/* One primality test that can run in slices (for the event-loop model). */
typedef struct {
    uint64_t number;
    uint64_t next_divisor;   /* the next odd divisor to try */
    uint64_t last_divisor;   /* floor(sqrt(number)) */
    int verdict;             /* -1 while unknown, else 0 or 1 */
} prime_check;

void prime_check_init(prime_check *check, uint64_t number);
/* Tries at most `divisions` more divisors; true once the verdict is known. */
bool prime_check_step(prime_check *check, uint64_t divisions);
/* The whole test at once. */
bool is_prime(uint64_t number);

/* An independent check (deterministic Miller-Rabin for 64 bits). */
bool is_prime_fast(uint64_t number);

/* The job: task i tests numbers[i]; a variant fills verdicts[i]. */
typedef struct {
    uint64_t *numbers;
    unsigned char *verdicts;
    size_t count;
    bool shared;             /* verdicts live in a shared mapping */
} primes_job;

/* --numbers FILE, shared by every primes variant. */
extern const bench_option primes_options[];
#define PRIMES_ABOUT "Tests each number for primality by trial division (the notes' list of 13, repeated 5 times)."

/* Reads the options' input and sizes the job (run->tasks gets the count).
 * `shared` puts the verdicts in memory shared with forked children. */
void primes_setup(bench_run *run, primes_job *job, bool shared);
/* The count of primes and a checksum of the verdicts, in task order. */
uint64_t primes_checksum(const unsigned char *verdicts, size_t count, size_t *primes);
/* True when every verdict agrees with is_prime_fast. */
bool primes_check(const primes_job *job);
/* Checks, prints the record, frees the job and returns the exit status. */
int primes_finish(bench_run *run, primes_job *job);

#endif
