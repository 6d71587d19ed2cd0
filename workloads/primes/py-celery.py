"""primes-py-celery: the primality tests through a Celery task queue on a
Redis broker, the notes' horizontal scaling: -j worker processes take one
number at a time from the queue and put the verdicts back
(bench/celery_queue.py starts a private redis-server on loopback and the
workers, and stops them all afterwards).

A worker asks for the next task when it is free (prefetch 1), so the big
numbers spread out as in the other models' dynamic schedule.

What to look for: about py-processes' speed once the workers are up (a task
here takes far longer than its trip through Redis), and a start-up of a
second or more (Redis, then Celery) in hyperfine's time, which the own clock
(wall_s, from the workers being ready) leaves out.
"""
import sys

import bench
import celery_queue
import py_kernel


def main():
    run = bench.start("primes", "py-celery", py_kernel.ABOUT + " A Celery queue on Redis.",
                      workload_options=py_kernel.options)
    numbers = py_kernel.setup(run)
    queue = celery_queue.Queue(run)

    @queue.app.task(name="primes.is_prime")
    def is_prime(number):
        return py_kernel.is_prime(number)

    with queue:
        bench.restart_clock(run)
        verdicts = queue.map(is_prime, numbers)
        status = py_kernel.finish(run, numbers, verdicts)
    return status


if __name__ == "__main__":
    sys.exit(main())
