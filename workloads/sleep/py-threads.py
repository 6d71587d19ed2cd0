"""sleep-py-threads: the notes' thread pool on waiting tasks,
concurrent.futures.ThreadPoolExecutor with max_workers=-j (default: one
thread per task).

time.sleep releases the GIL, so the threads wait at the same time: the GIL
only serialises running bytecode, and a sleeping thread runs none.

What to look for: 1000 x 2 s takes a little over 2 s, as in C
(bin/sleep-pthread): for I/O-bound work Python threads are fine. The
overhead is starting the threads (each an OS thread with its own stack);
with -j below -n it is a pool and takes ceil(n / j) * S.
"""
import sys
from concurrent.futures import ThreadPoolExecutor

import bench
import py_kernel


def main():
    run = py_kernel.start("py-threads", "A pool of threads.")
    finished = [False] * run.tasks

    with ThreadPoolExecutor(max_workers=run.workers) as executor:
        waits = [executor.submit(py_kernel.wait, task, run.options.seconds)
                 for task in range(run.tasks)]
        for done in waits:
            finished[done.result()] = True
            bench.log(run, f"task {done.result()} done")

    return py_kernel.finish(run, finished)


if __name__ == "__main__":
    sys.exit(main())
