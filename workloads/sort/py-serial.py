"""sort-py-serial: the baseline in Python. One thread runs the notes'
quicksort (py_kernel.quicksort: pivot, three list comprehensions, recurse)
on the whole list.

What to look for: wall time equals CPU time, and the distance to
bin/sort-serial on the same --elements: every comparison is interpreted,
every key is a Python object. Note the memory too: a Python int in a list
costs about 36 bytes where C's uint32_t costs 4.
"""
import sys

import bench
import py_kernel


def main():
    run = bench.start("sort", "py-serial", py_kernel.ABOUT + " One thread.",
                      workload_options=py_kernel.options)
    job = py_kernel.setup(run)
    run.workers = 1

    sorted_elements = py_kernel.quicksort(job.elements)

    return py_kernel.finish(run, job, sorted_elements)


if __name__ == "__main__":
    sys.exit(main())
