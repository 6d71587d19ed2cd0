"""http-py-threads: the notes' flags2_threadpool. A
concurrent.futures.ThreadPoolExecutor of -m threads (default 30, the notes'
choice) downloads with requests; results are counted as they complete
(futures.as_completed), in whatever order the server answers.

A thread blocked in a socket read does not hold the GIL, so the requests
wait at the same time: the GIL is no obstacle to I/O-bound work.

What to look for: against DELAY, 20 codes with -m 20 take about one delay
(0.5 s) instead of 10 s, like bin/http-pthread; with -m 4, five rounds of
delays. The Python rows cost more CPU per request than C, but the waiting
dominates.
"""
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

import bench
import py_kernel


def main():
    run = bench.start("http", "py-threads", py_kernel.ABOUT + " A pool of threads.",
                      workload_options=py_kernel.options, operands="[CODE...]")
    job = py_kernel.setup(run)

    with ThreadPoolExecutor(max_workers=run.workers) as executor:
        downloads = [executor.submit(py_kernel.download, job, task) for task in range(len(job.codes))]
        for done in as_completed(downloads):
            py_kernel.record(job, done.result())

    return py_kernel.finish(run, job)


if __name__ == "__main__":
    sys.exit(main())
