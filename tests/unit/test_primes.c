/* Unit tests of the primes kernel: edge cases, slices, the independent check. */
#include <criterion/criterion.h>

#include "../../workloads/primes/kernel.h"

Test(primes, small_numbers_and_edges)
{
    cr_expect(!is_prime(0), "0 is not prime");
    cr_expect(!is_prime(1), "1 is not prime");
    cr_expect(is_prime(2), "2 is prime");
    cr_expect(is_prime(3));
    cr_expect(!is_prime(4));
    cr_expect(!is_prime(9));
    cr_expect(!is_prime(25), "25 = 5 * 5: the square root itself must be tried");
    cr_expect(is_prime(2147483647ULL), "2^31 - 1 is a Mersenne prime");
    cr_expect(!is_prime(1000003ULL * 1000033ULL), "a semiprime of two 7-digit primes");
    cr_expect(!is_prime(67280421310721ULL * 1ULL) == !is_prime_fast(67280421310721ULL));
    cr_expect(!is_prime(4294967291ULL * 65521ULL), "a large semiprime (2^32 - 5) * 65521");
}

Test(primes, trial_division_agrees_with_miller_rabin)
{
    for (uint64_t number = 0; number < 20000; number++)
        cr_assert_eq(is_prime(number), is_prime_fast(number), "disagree on %lu",
                     (unsigned long)number);
    cr_expect(is_prime_fast(1099726899285419ULL) == is_prime(1099726899285419ULL));
    cr_expect(is_prime_fast(18446744073709551557ULL), "largest 64-bit prime");
    cr_expect(!is_prime_fast(18446744073709551615ULL));
}

Test(primes, slices_give_the_same_verdict)
{
    uint64_t numbers[] = {0, 1, 2, 97, 100, 1000003, 112272535095293ULL, 1000003ULL * 1000033ULL};
    for (size_t index = 0; index < sizeof numbers / sizeof numbers[0]; index++) {
        prime_check check;
        prime_check_init(&check, numbers[index]);
        long slices = 0;
        while (!prime_check_step(&check, 1000))
            slices++;
        cr_expect_eq(check.verdict == 1, is_prime(numbers[index]), "number %lu",
                     (unsigned long)numbers[index]);
    }
}

Test(primes, checksum_depends_on_order_and_verdicts)
{
    unsigned char a[] = {1, 0, 1}, b[] = {0, 1, 1}, c[] = {1, 0, 1};
    size_t primes_a, primes_b, primes_c;
    uint64_t sum_a = primes_checksum(a, 3, &primes_a);
    uint64_t sum_b = primes_checksum(b, 3, &primes_b);
    uint64_t sum_c = primes_checksum(c, 3, &primes_c);
    cr_expect_eq(primes_a, 2);
    cr_expect_eq(primes_b, 2);
    cr_expect_neq(sum_a, sum_b);
    cr_expect_eq(sum_a, sum_c);
}

Test(primes, the_check_catches_a_wrong_verdict)
{
    uint64_t numbers[] = {2, 3, 4, 1000003};
    unsigned char verdicts[] = {1, 1, 0, 1};
    primes_job job = {.numbers = numbers, .verdicts = verdicts, .count = 4};
    cr_expect(primes_check(&job));
    verdicts[2] = 1;
    cr_expect(!primes_check(&job), "4 marked prime must fail the check");
    verdicts[2] = 0;
    verdicts[0] = 255;   /* never tested */
    cr_expect(!primes_check(&job), "an untested task must fail the check");
}
