"""sum-py-threads: the notes' thread pool on the sum tasks,
concurrent.futures.ThreadPoolExecutor with max_workers=-j.

Only the thread holding the GIL runs bytecode, so the -j threads take turns
on one core (the interpreter asks the running thread to drop the GIL every
5 ms, sys.getswitchinterval()).

What to look for: the same wall time as py-serial whatever -j is, CPU time
equal to wall time, and more context switches. bin/sum-pthread, the same
pool in C, scales with the cores.
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import bench
import py_kernel


def main():
    run = bench.start("sum", "py-threads", py_kernel.ABOUT + " A pool of threads.",
                      workload_options=py_kernel.options, default_tasks=py_kernel.DEFAULT_TASKS)
    count = py_kernel.setup(run)

    with ThreadPoolExecutor(max_workers=run.workers) as executor:
        total = sum(executor.map(py_kernel.sum_task, [count] * run.tasks))

    return py_kernel.finish(run, count, total)


if __name__ == "__main__":
    sys.exit(main())
