"""primes-py-threads: the notes' thread pool, concurrent.futures.ThreadPoolExecutor
with max_workers=-j, mapping is_prime over the numbers.

Python threads are real OS threads, but only the thread holding the Global
Interpreter Lock (GIL) runs Python bytecode; it passes the lock on every few
milliseconds. CPU-bound work in pure Python therefore runs one thread at a
time.

What to look for: no speed-up over py-serial with -j 2 on two cores (often a
little slower), CPU time equal to wall time (one core busy), and many
context switches as the threads hand the GIL around. In C (primes-pthread)
the same pool halves the wall time: the lesson was about the GIL, not threads.
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("primes", "py-threads", py_kernel.ABOUT + " A pool of threads.",
                      workload_options=py_kernel.options)
    numbers = py_kernel.setup(run)

    with ThreadPoolExecutor(max_workers=run.workers) as executor:
        verdicts = list(executor.map(py_kernel.is_prime, numbers))

    return py_kernel.finish(run, numbers, verdicts)


if __name__ == "__main__":
    sys.exit(main())
