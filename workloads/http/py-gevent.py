"""http-py-gevent: the flags downloaded by greenlets, with requests made
cooperative by gevent's monkey.patch_all(). One thread, one greenlet per
code (gevent.spawn), all joined with gevent.joinall; a BoundedSemaphore
keeps at most -m requests in flight (default 30), as in py-asyncio.

The download is py-serial's blocking requests call, unchanged: patched
sockets park the greenlet on gevent's hub while the server has not answered,
and the hub runs another. gevent.Timeout(--timeout) bounds the whole
transfer: it is raised in the greenlet wherever it waits (no watchdog is
needed, unlike the blocking clients).

What to look for: against DELAY, about one delay for 20 codes with -m 20,
like py-asyncio and py-threads, from code that reads as sequential calls.
"""
from gevent import monkey

monkey.patch_all()      # before requests imports socket, ssl or threading

import sys              # noqa: E402  (after the patching, on purpose)

import gevent           # noqa: E402
import gevent.lock      # noqa: E402

import bench            # noqa: E402
import py_kernel        # noqa: E402


def download(job, task, in_flight):
    with in_flight:
        try:
            with gevent.Timeout(job.timeout):               # for the whole transfer
                http_status, body = py_kernel.fetch(job, py_kernel.flag_url(job, task),
                                                    py_kernel.body_limit(job, task))
        except gevent.Timeout:
            result = py_kernel.outcome(job, task, 0, b"", f"timed out after {job.timeout:g} s")
        except py_kernel.TransferFailed as error:
            result = py_kernel.outcome(job, task, 0, b"", str(error))
        else:
            result = py_kernel.outcome(job, task, http_status, body)
    py_kernel.record(job, result)


def main():
    run = bench.start("http", "py-gevent",
                      py_kernel.ABOUT + " One thread, greenlets on gevent's hub (monkey-patched).",
                      workload_options=py_kernel.options, operands="[CODE...]")
    job = py_kernel.setup(run)
    in_flight = gevent.lock.BoundedSemaphore(run.workers)

    greenlets = [gevent.spawn(download, job, task, in_flight) for task in range(len(job.codes))]
    gevent.joinall(greenlets, raise_error=True)

    return py_kernel.finish(run, job)


if __name__ == "__main__":
    sys.exit(main())
