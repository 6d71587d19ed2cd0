"""sum-py-celery: the sum tasks through a Celery task queue on a Redis broker,
the notes' horizontal scaling: -j worker processes take the tasks from the
queue and put their results back (bench/celery_queue.py starts a private
redis-server on loopback and the workers, and stops them all afterwards).

Every task is a message: sent to the broker, fetched by a worker, its result
stored in Redis and fetched back. The workers could be on other hosts that
reach the broker; here they are on this one.

What to look for: with --count 0 (empty tasks) the time per task is the
queue's own cost, beside py-processes' pool (its pipes); with the default
tasks the cost hides behind the work. The own clock (wall_s) starts when
the workers are ready; hyperfine's time includes starting Redis and Celery.
"""
import sys

import bench
import celery_queue
import py_kernel


def main():
    run = bench.start("sum", "py-celery", py_kernel.ABOUT + " A Celery queue on Redis.",
                      workload_options=py_kernel.options, default_tasks=py_kernel.DEFAULT_TASKS)
    count = py_kernel.setup(run)
    queue = celery_queue.Queue(run)

    @queue.app.task(name="sum.task")
    def sum_task(count):
        return py_kernel.sum_task(count)

    with queue:
        bench.restart_clock(run)
        total = sum(queue.map(sum_task, [count] * run.tasks))
        status = py_kernel.finish(run, count, total)
    return status


if __name__ == "__main__":
    sys.exit(main())
