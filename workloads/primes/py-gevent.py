"""primes-py-gevent: gevent's greenlets on CPU-bound work. One thread, one
greenlet per number (gevent.spawn), all joined with gevent.joinall; a
BoundedSemaphore caps the greenlets in flight at -j (default: all of them).

A greenlet only lets another run when it switches: on I/O, a sleep, or a
lock. Pure computation never does, so, to be fair to gevent, each check
calls gevent.sleep(0) after every slice of divisions and all the checks
make progress in turn (as py-asyncio and primes-eventloop do); without it
they would simply run one after another.

What to look for: no speed-up, ever, and a little overhead over py-serial,
as with asyncio: greenlets help work that waits, not work that computes
(the notes: "switching without I/O only slows the work down").
"""
from gevent import monkey

monkey.patch_all()      # as in every gevent program; nothing here blocks

import math             # noqa: E402  (after the patching, on purpose)
import sys              # noqa: E402

import gevent           # noqa: E402
import gevent.lock      # noqa: E402

import bench            # noqa: E402
import py_kernel        # noqa: E402

DIVISIONS_PER_SLICE = 20000     # a few milliseconds of Python before switching


def is_prime_in_slices(number, in_flight):
    with in_flight:
        verdict = py_kernel.quick_verdict(number)
        if verdict is not None:
            return verdict
        last = math.isqrt(number)
        for first in range(3, last + 1, 2 * DIVISIONS_PER_SLICE):
            slice_last = min(first + 2 * (DIVISIONS_PER_SLICE - 1), last)
            if py_kernel.has_odd_divisor(number, first, slice_last):
                return False
            gevent.sleep(0)                 # switch: let the other checks run
        return True


def main():
    run = bench.start("primes", "py-gevent",
                      py_kernel.ABOUT + " One thread, greenlets on gevent's hub.",
                      workload_options=py_kernel.options, workers_default_to_tasks=True)
    numbers = py_kernel.setup(run)
    in_flight = gevent.lock.BoundedSemaphore(run.workers)

    greenlets = [gevent.spawn(is_prime_in_slices, number, in_flight) for number in numbers]
    gevent.joinall(greenlets, raise_error=True)
    verdicts = [greenlet.value for greenlet in greenlets]

    return py_kernel.finish(run, numbers, verdicts)


if __name__ == "__main__":
    sys.exit(main())
