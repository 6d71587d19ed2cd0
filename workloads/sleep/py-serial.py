"""sleep-py-serial: the baseline in Python. One thread runs the tasks one
after another, so every wait adds to the last: n tasks of S seconds take
n * S. (The default, 1000 x 2 s, takes over half an hour: try -n 5
--seconds 0.5.)

What to look for: the same as bin/sleep-serial, wall time n * S and almost
no CPU time. Waiting costs Python nothing more than it costs C.
"""
import sys

import bench
import py_kernel


def main():
    run = py_kernel.start("py-serial", "One thread.")
    run.workers = 1
    finished = [False] * run.tasks

    for task in range(run.tasks):
        py_kernel.wait(task, run.options.seconds)
        finished[task] = True
        bench.log(run, f"task {task} done")

    return py_kernel.finish(run, finished)


if __name__ == "__main__":
    sys.exit(main())
