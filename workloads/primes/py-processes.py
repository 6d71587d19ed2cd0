"""primes-py-processes: the notes' process pool, concurrent.futures.ProcessPoolExecutor
with max_workers=-j, mapping is_prime over the numbers.

Each worker is a separate Python interpreter (forked from this one) with its
own GIL, so the workers compute in parallel. The numbers go to the workers
and the verdicts come back pickled through pipes; chunksize=1 hands out one
number at a time, like the C variants' dynamic schedule, because the list
is badly unbalanced (a few numbers take most of the time).

What to look for: close to 2x over py-serial with -j 2 on two cores, a
larger children_maxrss_kib (every worker is a whole interpreter) and a
start-up cost that C's fork variant does not have. Processes are the
notes' answer to the GIL for CPU-bound work.
"""
import sys
from concurrent.futures import ProcessPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("primes", "py-processes", py_kernel.ABOUT + " A pool of processes.",
                      workload_options=py_kernel.options)
    numbers = py_kernel.setup(run)

    with ProcessPoolExecutor(max_workers=run.workers, initializer=bench.die_with_parent) as executor:
        verdicts = list(executor.map(py_kernel.is_prime, numbers, chunksize=1))

    return py_kernel.finish(run, numbers, verdicts)


if __name__ == "__main__":
    sys.exit(main())
