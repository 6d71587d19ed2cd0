"""primes-py-asyncio: the notes' asyncio example on CPU-bound work. One
thread, one event loop, one coroutine per number gathered with
asyncio.gather; an asyncio.Semaphore caps the coroutines in flight at -j
(default: all of them).

A coroutine only gives the loop a chance to run another one when it awaits.
To be fair to asyncio, each check awaits asyncio.sleep(0) after every slice
of divisions, so all the checks make progress in turn (as primes-eventloop
does in C); without those awaits they would simply run one after another.

What to look for: no speed-up, ever, and a little overhead over py-serial.
One thread uses one core however the work is interleaved: asyncio helps
work that waits, not work that computes.
"""
import asyncio
import math
import sys

import bench
import py_kernel

DIVISIONS_PER_SLICE = 20000     # a few milliseconds of Python before yielding


async def is_prime_in_slices(number, in_flight):
    async with in_flight:
        verdict = py_kernel.quick_verdict(number)
        if verdict is not None:
            return verdict
        last = math.isqrt(number)
        for first in range(3, last + 1, 2 * DIVISIONS_PER_SLICE):
            slice_last = min(first + 2 * (DIVISIONS_PER_SLICE - 1), last)
            if py_kernel.has_odd_divisor(number, first, slice_last):
                return False
            await asyncio.sleep(0)          # yield: let the other checks run
        return True


async def check_all(numbers, workers):
    in_flight = asyncio.Semaphore(workers)
    return await asyncio.gather(*(is_prime_in_slices(number, in_flight) for number in numbers))


def main():
    run = bench.start("primes", "py-asyncio",
                      py_kernel.ABOUT + " One thread, coroutines on an asyncio event loop.",
                      workload_options=py_kernel.options, workers_default_to_tasks=True)
    numbers = py_kernel.setup(run)

    verdicts = asyncio.run(check_all(numbers, run.workers))

    return py_kernel.finish(run, numbers, verdicts)


if __name__ == "__main__":
    sys.exit(main())
