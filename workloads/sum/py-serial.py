"""sum-py-serial: the baseline in Python. One thread runs every task, one
after another, and adds up their sums. Every other Python sum variant is
this file plus a concurrency model.

What to look for: wall time equals CPU time, as in bin/sum-serial, and the
ratio between the two is the cost of interpreting `total += number` a
million times per task.
"""
import sys

import bench
import py_kernel


def main():
    run = bench.start("sum", "py-serial", py_kernel.ABOUT + " One thread.",
                      workload_options=py_kernel.options, default_tasks=py_kernel.DEFAULT_TASKS)
    count = py_kernel.setup(run)
    run.workers = 1

    total = 0
    for _ in range(run.tasks):
        total += py_kernel.sum_task(count)

    return py_kernel.finish(run, count, total)


if __name__ == "__main__":
    sys.exit(main())
