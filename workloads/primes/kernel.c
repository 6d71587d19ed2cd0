/* primes/kernel.c - the primality kernel, its input and its check. */
#include "kernel.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The notes' list (the 13 numbers of their prime-checking example). */
static const uint64_t notes_numbers[] = {
    1116281,         1297337,         104395303,       472882027,       533000389,
    817504243,       982451653,       112272535095293, 112582705942171, 112272535095293,
    115280095190773, 115797848077099, 1099726899285419,
};
#define NOTES_COUNT (sizeof notes_numbers / sizeof notes_numbers[0])
#define NOTES_REPEAT 5

static const char *numbers_path;
const bench_option primes_options[] = {
    {"numbers", 0, BENCH_OPT_STRING, &numbers_path, "FILE",
     "test the numbers in FILE (one unsigned 64-bit number per line)", NULL},
    BENCH_OPTIONS_END,
};

static uint64_t integer_sqrt(uint64_t number)
{
    uint64_t root = (uint64_t)sqrt((double)number);
    while (root > 0 && root > number / root)
        root--;
    while (root + 1 <= number / (root + 1))
        root++;
    return root;
}

void prime_check_init(prime_check *check, uint64_t number)
{
    check->number = number;
    check->next_divisor = 3;
    check->last_divisor = integer_sqrt(number);
    check->verdict = -1;
    if (number < 2)
        check->verdict = 0;
    else if (number < 4)
        check->verdict = 1;
    else if (number % 2 == 0)
        check->verdict = 0;
}

bool prime_check_step(prime_check *check, uint64_t divisions)
{
    if (check->verdict >= 0)
        return true;
    uint64_t divisor = check->next_divisor;
    for (; divisions > 0 && divisor <= check->last_divisor; divisions--, divisor += 2) {
        if (check->number % divisor == 0) {
            check->verdict = 0;
            return true;
        }
    }
    check->next_divisor = divisor;
    if (divisor > check->last_divisor)
        check->verdict = 1;
    return check->verdict >= 0;
}

bool is_prime(uint64_t number)
{
    prime_check check;
    prime_check_init(&check, number);
    prime_check_step(&check, UINT64_MAX);
    return check.verdict == 1;
}

/* ---- the independent check: Miller-Rabin with the bases that decide 64 bits ---- */

static uint64_t multiply_mod(uint64_t a, uint64_t b, uint64_t modulus)
{
    return (uint64_t)((unsigned __int128)a * b % modulus);
}

static uint64_t power_mod(uint64_t base, uint64_t exponent, uint64_t modulus)
{
    uint64_t result = 1;
    base %= modulus;
    for (; exponent; exponent >>= 1) {
        if (exponent & 1)
            result = multiply_mod(result, base, modulus);
        base = multiply_mod(base, base, modulus);
    }
    return result;
}

bool is_prime_fast(uint64_t number)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (number < 2)
        return false;
    for (size_t index = 0; index < sizeof bases / sizeof bases[0]; index++)
        if (number % bases[index] == 0)
            return number == bases[index];
    uint64_t odd = number - 1;
    int twos = 0;
    while (odd % 2 == 0) {
        odd /= 2;
        twos++;
    }
    for (size_t index = 0; index < sizeof bases / sizeof bases[0]; index++) {
        uint64_t x = power_mod(bases[index], odd, number);
        if (x == 1 || x == number - 1)
            continue;
        bool composite = true;
        for (int round = 1; round < twos && composite; round++) {
            x = multiply_mod(x, x, number);
            if (x == number - 1)
                composite = false;
        }
        if (composite)
            return false;
    }
    return true;
}

/* ---- the job ----------------------------------------------------------------- */

void primes_setup(bench_run *run, primes_job *job, bool shared)
{
    const uint64_t *list = notes_numbers;
    size_t list_count = NOTES_COUNT;
    uint64_t *from_file = NULL;
    if (numbers_path) {
        from_file = bench_read_numbers(numbers_path, UINT64_MAX, &list_count);
        if (list_count == 0)
            bench_usage_error("%s: no numbers in the file", numbers_path);
        list = from_file;
    }
    bench_set_default_tasks(run, (long)(numbers_path ? list_count : list_count * NOTES_REPEAT));
    job->count = (size_t)run->tasks;
    job->numbers = bench_alloc(job->count, sizeof *job->numbers);
    for (size_t task = 0; task < job->count; task++)
        job->numbers[task] = list[task % list_count];
    job->shared = shared;
    job->verdicts = shared ? bench_shared_alloc(job->count) : bench_alloc(job->count, 1);
    memset(job->verdicts, 0xff, job->count);   /* 255: not tested */
    free(from_file);
}

uint64_t primes_checksum(const unsigned char *verdicts, size_t count, size_t *primes)
{
    uint64_t checksum = 0;
    *primes = 0;
    for (size_t task = 0; task < count; task++) {
        checksum = bench_mix64(checksum ^ (verdicts[task] + 1u));
        *primes += verdicts[task] == 1;
    }
    return checksum;
}

bool primes_check(const primes_job *job)
{
    for (size_t task = 0; task < job->count; task++)
        if (job->verdicts[task] != (is_prime_fast(job->numbers[task]) ? 1 : 0))
            return false;
    return true;
}

int primes_finish(bench_run *run, primes_job *job)
{
    size_t primes;
    uint64_t checksum = primes_checksum(job->verdicts, job->count, &primes);
    bool right = primes_check(job);
    for (size_t task = 0; run->verbose > 1 && task < job->count; task++)
        fprintf(stderr, "%20" PRIu64 " %s\n", job->numbers[task],
                job->verdicts[task] == 1 ? "prime" : "not prime");
    char result[128], summary[160];
    snprintf(result, sizeof result, "\"primes\": %zu, \"checksum\": \"%016" PRIx64 "\"", primes,
             checksum);
    snprintf(summary, sizeof summary, "%zu of %zu numbers are prime (checksum %016" PRIx64 ")",
             primes, job->count, checksum);
    free(job->numbers);
    if (job->shared)
        bench_shared_free(job->verdicts, job->count);
    else
        free(job->verdicts);
    return bench_finish(run, right ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
