"""primes-py-serial: the baseline in Python. One thread tests every number,
one after another; every other Python primes variant is this file plus a
concurrency model.

What to look for: the wall time equals the CPU time, as in C, only many
times longer: each division is interpreted bytecode on a Python int. Compare
with bin/primes-serial for the cost of the interpreter.
"""
import sys

import bench
import py_kernel


def main():
    run = bench.start("primes", "py-serial", py_kernel.ABOUT + " One thread.",
                      workload_options=py_kernel.options)
    numbers = py_kernel.setup(run)
    run.workers = 1

    verdicts = [py_kernel.is_prime(number) for number in numbers]

    return py_kernel.finish(run, numbers, verdicts)


if __name__ == "__main__":
    sys.exit(main())
