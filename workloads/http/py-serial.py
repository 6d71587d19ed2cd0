"""http-py-serial: the notes' flags2_sequential. One thread downloads the
flags one after another with requests, each request waiting for the last.

What to look for: against the DELAY server (every response 0.5 s late) the
wall time is the sum of the delays, 20 x 0.5 s = 10 s, with almost no CPU
time: the program spends its life waiting, in Python as in C
(bin/http-serial). -m/-j are accepted, but one request is ever in flight.
"""
import sys

import bench
import py_kernel


def main():
    run = bench.start("http", "py-serial", py_kernel.ABOUT + " One request at a time.",
                      workload_options=py_kernel.options, operands="[CODE...]")
    job = py_kernel.setup(run)
    run.workers = 1

    for task in range(len(job.codes)):
        py_kernel.record(job, py_kernel.download(job, task))

    return py_kernel.finish(run, job)


if __name__ == "__main__":
    sys.exit(main())
