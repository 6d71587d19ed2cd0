"""http-py-processes: the flags downloaded by a
concurrent.futures.ProcessPoolExecutor of -m processes, each running the
blocking download with requests (py_kernel.download); the results (small
dicts) come back pickled and are counted here as they complete.

What to look for: the waits overlap as with threads, but every worker is a
whole interpreter to start (more sys_s, children_maxrss_kib per worker), so
for I/O-bound work processes cost more and buy nothing over threads: the
notes' advice to use threads or asyncio for downloads.
"""
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed

import bench
import py_kernel


def main():
    run = bench.start("http", "py-processes", py_kernel.ABOUT + " A pool of processes.",
                      workload_options=py_kernel.options, operands="[CODE...]")
    job = py_kernel.setup(run)

    with ProcessPoolExecutor(max_workers=run.workers, initializer=bench.die_with_parent) as executor:
        downloads = [executor.submit(py_kernel.download, job, task) for task in range(len(job.codes))]
        for done in as_completed(downloads):
            py_kernel.record(job, done.result())

    return py_kernel.finish(run, job)


if __name__ == "__main__":
    sys.exit(main())
