"""sum-py-processes: the notes' process pool on the sum tasks,
concurrent.futures.ProcessPoolExecutor with max_workers=-j.

Each worker process is an interpreter with its own GIL, so -j 2 keeps two
cores busy. The tasks are all the same size, so they go to the workers in
small chunks: fewer round trips through the pool's pipes, and chunks small
enough (16 per worker) that no worker is left with one more big chunk.

What to look for: close to 2x over py-serial with -j 2 on two cores, a
whole interpreter's memory per worker (children_maxrss_kib), and more than
-j workers buys nothing.
"""
import sys
from concurrent.futures import ProcessPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("sum", "py-processes", py_kernel.ABOUT + " A pool of processes.",
                      workload_options=py_kernel.options, default_tasks=py_kernel.DEFAULT_TASKS)
    count = py_kernel.setup(run)

    chunk = max(1, run.tasks // (16 * run.workers))
    with ProcessPoolExecutor(max_workers=run.workers, initializer=bench.die_with_parent) as executor:
        total = sum(executor.map(py_kernel.sum_task, [count] * run.tasks, chunksize=chunk))

    return py_kernel.finish(run, count, total)


if __name__ == "__main__":
    sys.exit(main())
