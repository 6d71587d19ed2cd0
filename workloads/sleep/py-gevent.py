"""sleep-py-gevent: the notes' gevent example. monkey.patch_all() swaps
time.sleep (and sockets, locks, threads) for gevent's cooperative versions,
so the kernel's unchanged blocking py_kernel.wait becomes a greenlet that
parks itself on gevent's hub (a libev loop) and lets the others run. One
greenlet per task (gevent.spawn), all joined with gevent.joinall; a
BoundedSemaphore caps the greenlets waiting at once at -j (default: all).

What to look for: the notes' 10 tasks of 0.5 s in about 0.5 s, and 1000 x
2 s in about 2 s, in one thread, as py-asyncio, but with code that reads as
blocking calls: no async, no await. Compare bin/sleep-coroutine in C.
"""
from gevent import monkey

monkey.patch_all()      # before anything else imports time, socket or threading

import sys              # noqa: E402  (after the patching, on purpose)

import gevent           # noqa: E402
import gevent.lock      # noqa: E402

import py_kernel        # noqa: E402
import bench            # noqa: E402


def wait(run, task, finished, in_flight):
    with in_flight:
        py_kernel.wait(task, run.options.seconds)     # time.sleep, patched: it switches
    finished[task] = True
    bench.log(run, f"task {task} done")


def main():
    run = py_kernel.start("py-gevent", "One thread, greenlets on gevent's hub (monkey-patched).")
    finished = [False] * run.tasks
    in_flight = gevent.lock.BoundedSemaphore(run.workers)

    greenlets = [gevent.spawn(wait, run, task, finished, in_flight) for task in range(run.tasks)]
    gevent.joinall(greenlets, raise_error=True)

    return py_kernel.finish(run, finished)


if __name__ == "__main__":
    sys.exit(main())
