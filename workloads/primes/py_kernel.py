"""primes/py_kernel.py - the primality kernel of kernel.c, in Python.

The same work as the C kernel: trial division by odd divisors up to the
square root (the notes' is_prime, right for 0, 1 and 2), the notes' 13
numbers repeated 5 times, the same independent check (Miller-Rabin with the
bases that decide 64 bits) and the same checksum of the verdicts, so the
result object is identical to the C variants' one.
"""
import math
import sys

import bench

ABOUT = "Tests each number for primality by trial division (the notes' list of 13, repeated 5 times)."

NOTES_NUMBERS = [
    1116281, 1297337, 104395303, 472882027, 533000389,
    817504243, 982451653, 112272535095293, 112582705942171, 112272535095293,
    115280095190773, 115797848077099, 1099726899285419,
]
NOTES_REPEAT = 5


def options(group):
    group.add_argument("--numbers", metavar="FILE",
                       help="test the numbers in FILE (one unsigned 64-bit number per line)")


def quick_verdict(number):
    """True or False when no division is needed, else None."""
    if number < 2:
        return False
    if number < 4:
        return True
    if number % 2 == 0:
        return False
    return None


def has_odd_divisor(number, first, last):
    """True if an odd divisor in first..last (first odd) divides number."""
    for divisor in range(first, last + 1, 2):
        if number % divisor == 0:
            return True
    return False


def is_prime(number):
    verdict = quick_verdict(number)
    if verdict is not None:
        return verdict
    return not has_odd_divisor(number, 3, math.isqrt(number))


def is_prime_fast(number):
    """The independent check: deterministic Miller-Rabin for 64 bits."""
    bases = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    if number < 2:
        return False
    for base in bases:
        if number % base == 0:
            return number == base
    odd, twos = number - 1, 0
    while odd % 2 == 0:
        odd, twos = odd // 2, twos + 1
    for base in bases:
        x = pow(base, odd, number)
        if x in (1, number - 1):
            continue
        for _ in range(twos - 1):
            x = x * x % number
            if x == number - 1:
                break
        else:
            return False
    return True


def setup(run):
    """The list of numbers to test (run.tasks gets its length unless -n was given)."""
    listed = NOTES_NUMBERS
    path = run.options.numbers
    if path is not None:
        listed = bench.read_numbers(path, bench.MASK64)
        if not listed:
            bench.usage_error(f"{path}: no numbers in the file")
    bench.set_default_tasks(run, len(listed) if path is not None else len(listed) * NOTES_REPEAT)
    return [listed[task % len(listed)] for task in range(run.tasks)]


def checksum(verdicts):
    """primes_checksum: the count of primes and a checksum of the verdicts, in task order."""
    total = 0
    for verdict in verdicts:
        total = bench.mix64(total ^ (int(verdict) + 1))
    return sum(1 for verdict in verdicts if verdict), total


def finish(run, numbers, verdicts):
    """Checks, prints the record and returns the exit status."""
    primes, total = checksum(verdicts)
    right = len(verdicts) == len(numbers) and all(
        verdict == is_prime_fast(number) for number, verdict in zip(numbers, verdicts))
    if run.verbose > 1:
        for number, verdict in zip(numbers, verdicts):
            print(f"{number:20} {'prime' if verdict else 'not prime'}", file=sys.stderr)
    summary = f"{primes} of {len(numbers)} numbers are prime (checksum {total:016x})"
    return bench.finish(run, bench.EXIT_OK if right else bench.EXIT_WRONG,
                        {"primes": primes, "checksum": f"{total:016x}"}, summary)
