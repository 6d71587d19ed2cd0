"""sleep-py-asyncio: the notes' asyncio version. One thread, one event
loop, one coroutine per task awaiting asyncio.sleep; an asyncio.Semaphore
caps the coroutines waiting at once at -j (default: all of them).

asyncio.sleep does not block: it puts a timer in the loop's heap and hands
control back, so one thread keeps every task waiting at once.

What to look for: wall time about S for 10 or 10,000 tasks, little CPU,
no threads and few context switches; memory grows by a small coroutine
per task. Compare bin/sleep-eventloop, the same design in C.
"""
import asyncio
import sys

import bench
import py_kernel


async def wait(task, seconds, in_flight):
    async with in_flight:
        await asyncio.sleep(seconds)
        return task


async def wait_all(run, finished):
    in_flight = asyncio.Semaphore(run.workers)
    waits = [wait(task, run.options.seconds, in_flight) for task in range(run.tasks)]
    for done in asyncio.as_completed(waits):
        task = await done
        finished[task] = True
        bench.log(run, f"task {task} done")


def main():
    run = py_kernel.start("py-asyncio", "One thread, coroutines on an asyncio event loop.")
    finished = [False] * run.tasks

    asyncio.run(wait_all(run, finished))

    return py_kernel.finish(run, finished)


if __name__ == "__main__":
    sys.exit(main())
