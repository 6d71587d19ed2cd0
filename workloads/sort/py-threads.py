"""sort-py-threads: the quicksort shared out to a
concurrent.futures.ThreadPoolExecutor of -j threads. This thread first
partitions the list into a few pieces (py_kernel.split_for_workers, four
per worker, so unequal pieces even out), the pool sorts the pieces, and
their concatenation, in order, is the sorted list.

What to look for: no speed-up with -j 2 on two cores: the comparisons are
bytecode, and only the thread holding the GIL runs bytecode. bin/sort-pthread
scales with the same recursion shared out.
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("sort", "py-threads", py_kernel.ABOUT + " A pool of threads.",
                      workload_options=py_kernel.options)
    job = py_kernel.setup(run)

    pieces = py_kernel.split_for_workers(job.elements, 4 * run.workers)
    with ThreadPoolExecutor(max_workers=run.workers) as executor:
        sorted_pieces = list(executor.map(py_kernel.quicksort, pieces))
    sorted_elements = [value for piece in sorted_pieces for value in piece]

    return py_kernel.finish(run, job, sorted_elements)


if __name__ == "__main__":
    sys.exit(main())
