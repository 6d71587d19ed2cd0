"""sleep-py-processes: the notes' process pool on waiting tasks,
concurrent.futures.ProcessPoolExecutor with max_workers=-j (default: one
process per task, as in the notes).

Processes wait in parallel as threads do, but each one is a whole Python
interpreter: forking it, starting the pool's machinery in it, and passing
every task and result through pipes costs far more than the wait.

What to look for: the notes' result, a wall time well above S for 1000
tasks (most of it starting processes), high sys_s and children_maxrss_kib.
Compare bin/sleep-fork, where a C process is cheap, and py-threads.
"""
import sys
from concurrent.futures import ProcessPoolExecutor

import bench
import py_kernel


def main():
    run = py_kernel.start("py-processes", "A pool of processes.")
    finished = [False] * run.tasks

    with ProcessPoolExecutor(max_workers=run.workers, initializer=bench.die_with_parent) as executor:
        waits = [executor.submit(py_kernel.wait, task, run.options.seconds)
                 for task in range(run.tasks)]
        for done in waits:
            finished[done.result()] = True
            bench.log(run, f"task {done.result()} done")

    return py_kernel.finish(run, finished)


if __name__ == "__main__":
    sys.exit(main())
