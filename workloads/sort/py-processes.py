"""sort-py-processes: the quicksort shared out to a
concurrent.futures.ProcessPoolExecutor of -j processes. This process first
partitions the list into a few pieces (four per worker), each piece is
pickled to a worker, sorted there and pickled back, and the pieces are
joined in order.

What to look for: a speed-up with -j 2, but less than 2x: the first
partitions run here alone, and every element crosses a pipe twice.
Processes have no shared memory for Python lists; bin/sort-fork shares
one array and copies nothing.
"""
import sys
from concurrent.futures import ProcessPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("sort", "py-processes", py_kernel.ABOUT + " A pool of processes.",
                      workload_options=py_kernel.options)
    job = py_kernel.setup(run)

    pieces = py_kernel.split_for_workers(job.elements, 4 * run.workers)
    with ProcessPoolExecutor(max_workers=run.workers, initializer=bench.die_with_parent) as executor:
        sorted_pieces = list(executor.map(py_kernel.quicksort, pieces))
    sorted_elements = [value for piece in sorted_pieces for value in piece]

    return py_kernel.finish(run, job, sorted_elements)


if __name__ == "__main__":
    sys.exit(main())
