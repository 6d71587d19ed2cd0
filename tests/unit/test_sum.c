/* Unit tests of the sum kernel: the loop really runs, slices add up, the check catches errors. */
#include <criterion/criterion.h>
#include <time.h>

#include "../../workloads/sum/kernel.h"

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

Test(sum, small_ranges_by_hand)
{
    cr_expect_eq(sum_range(0, 0), 0);
    cr_expect_eq(sum_range(0, 1), 0);
    cr_expect_eq(sum_range(0, 2), 1);
    cr_expect_eq(sum_range(0, 5), 10);
    cr_expect_eq(sum_range(3, 6), 12);
    cr_expect_eq(sum_range(7, 7), 0, "an empty slice sums to 0");
    cr_expect_eq(sum_range(9, 2), 0, "a reversed slice is empty");
    sum_job job = {1000000, 1};
    cr_expect_eq(sum_task(&job), 499999500000ULL);
}

Test(sum, slices_add_up_to_the_whole_task)
{
    uint64_t count = 1234567, whole = sum_range(0, count), by_slices = 0;
    for (uint64_t from = 0; from < count; from += 100000)
        by_slices += sum_range(from, from + 100000 < count ? from + 100000 : count);
    cr_expect_eq(by_slices, whole);
    cr_expect_eq(whole, (uint64_t)sum_expected_total(1, count));
}

Test(sum, the_loop_is_not_folded_into_a_formula)
{
    /* A folded loop costs the same few nanoseconds for any count; the real
     * loop costs at least a fraction of a nanosecond per number, so 5e7
     * numbers take milliseconds (at 5 GHz and one number per cycle: 10 ms). */
    volatile uint64_t count = 50000000;   /* volatile: not a constant either */
    double started = seconds_now();
    uint64_t total = sum_range(0, count);
    double elapsed = seconds_now() - started;
    cr_expect_eq(total, (uint64_t)sum_expected_total(1, count));
    cr_expect_gt(elapsed, 0.002, "5e7 additions took %.6f s: the loop was folded", elapsed);
}

Test(sum, expected_total_in_128_bits)
{
    cr_expect(sum_expected_total(300, 1000000) == (unsigned __int128)149999850000000ULL);
    cr_expect(sum_expected_total(0, 1000000) == 0);
    cr_expect(sum_expected_total(300, 0) == 0);
    cr_expect(sum_expected_total(300, 1) == 0);
    /* 2^32 numbers: one task sums to 2^31 * (2^32 - 1), just under 2^63. */
    unsigned __int128 one_task = sum_expected_total(1, 1ULL << 32);
    cr_expect(one_task == ((unsigned __int128)1 << 31) * ((1ULL << 32) - 1));
    cr_expect(sum_expected_total(3, 1ULL << 32) > UINT64_MAX, "three such tasks overflow 64 bits");
    cr_expect(sum_expected_total(SIZE_MAX, UINT64_MAX) == ~(unsigned __int128)0, "saturates");
}

Test(sum, the_check_catches_a_wrong_total)
{
    sum_job job = {1000, 20};
    cr_expect(sum_check(&job, 20 * 499500ULL));
    cr_expect(!sum_check(&job, 19 * 499500ULL), "a missing task must fail the check");
    cr_expect(!sum_check(&job, 20 * 499500ULL + 1));
    cr_expect(!sum_check(&job, 0));
}

Test(sum, the_check_rejects_a_total_that_wrapped_around)
{
    /* 3 tasks of 2^32 numbers: the 64-bit total wraps, and must not pass for
     * the exact total modulo 2^64. */
    sum_job job = {1ULL << 32, 3};
    uint64_t wrapped = (uint64_t)sum_expected_total(3, 1ULL << 32);
    cr_expect(!sum_check(&job, wrapped));
}
