"""py-costs.py - bin/costs-py: what a Python unit costs, by the method of
bin/costs (costs/costs.h): a loop of at least 10 ms (2 ms with --quick), its
reference loop (the same set-up, no operation) subtracted, -n repetitions
(11 by default), the median per operation with a 95 % order-statistic interval.

Figures: starting a thread, a multiprocessing.Process with the fork and the
spawn start methods, and an asyncio task, and waiting for it; one producer and
one consumer through queue.Queue (threads) and multiprocessing.JoinableQueue
(processes), as in the notes; short tasks on a ProcessPoolExecutor against
one Process per task.
"""
import asyncio
import concurrent.futures
import math
import multiprocessing
import queue
import sys
import threading
import time

import bench

ABOUT = ("what a Python thread, process and asyncio task, a queue and a process pool "
         "cost (-n: repetitions of each figure; -j: workers of the pool)")
FAMILIES = ["all", "start", "queue", "pool"]


def options(group):
    group.add_argument("--family", choices=FAMILIES, default="all",
                       help="which figures (default all)")
    group.add_argument("--quick", action="store_true",
                       help="2 ms loops and fewer tasks, for a quick run and the tests")
    group.add_argument("--pool-tasks", type=bench.whole_number(1), metavar="N",
                       help="short tasks in the pool figures (default 500, 50 with --quick)")


def order_rank(n):
    """The k-th smallest and largest of n bound the median at >= 95 %."""
    cumulative, rank = 0.0, 0
    for i in range(n + 1):
        cumulative += math.comb(n, i) / 2 ** n
        if cumulative > 0.025:
            break
        rank = i + 1
    return max(rank, 1)


class Costs:
    def __init__(self, run):
        self.run = run
        self.repetitions = run.tasks
        self.loop_seconds = 0.002 if run.options.quick else 0.010
        self.figures = []
        self.failed = False

    def record(self, family, name, model, unit, values, iterations, reference):
        values = sorted(values)
        n, rank = len(values), order_rank(len(values))
        median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
        below = median <= 0
        low, high = max(values[rank - 1], 0.0), values[n - rank]
        self.figures.append({
            "family": family, "name": name, "model": model, "pinning": "none", "unit": unit,
            "median": 0 if below else median, "low": 0 if below else low,
            "high": 0 if below else high, "repetitions": n, "iterations": iterations,
            "reference": reference, "below_resolution": below})
        if not self.run.json or self.run.verbose:
            out = sys.stderr if self.run.json else sys.stdout
            shown = "below resolution" if below else \
                f"{median * 1e6:10.3f} us  [{low * 1e6:.3f}, {high * 1e6:.3f}]"
            print(f"{family:9} {name:44} {model:12} {shown}", file=out, flush=True)

    def time(self, family, name, model, body, reference):
        """body(n) runs n operations; reference(n) the same set-up without them."""
        iterations = 1
        while True:
            started = time.perf_counter()
            reference(iterations)
            middle = time.perf_counter()
            body(iterations)
            took = (time.perf_counter() - middle) - (middle - started)
            if took >= self.loop_seconds:
                break
            factor = int(self.loop_seconds / took * 1.2) + 1 if took > 0 else 16
            iterations *= min(max(factor, 2), 16)
        values, references = [], []
        for _ in range(self.repetitions):   # alternate, so that drift hits both
            started = time.perf_counter()
            reference(iterations)
            middle = time.perf_counter()
            body(iterations)
            ended = time.perf_counter()
            references.append((middle - started) / iterations)
            values.append((ended - middle) / iterations)
        reference_median = sorted(references)[len(references) // 2]
        self.record(family, name, model, "s", [v - reference_median for v in values],
                    iterations, reference_median)

    def check(self, ok, what):
        if not ok:
            print(f"costs-py: check failed: {what}", file=sys.stderr)
            self.failed = True


# ---- start a unit and wait for it ----------------------------------------------------

def nothing():
    pass


def exit_zero():
    pass


def empty_loop(iterations):
    for _ in range(iterations):
        pass


def start_family(costs):
    def threads(iterations):
        for _ in range(iterations):
            thread = threading.Thread(target=nothing)
            thread.start()
            thread.join()

    def processes(method):
        context = multiprocessing.get_context(method)

        def body(iterations):
            for _ in range(iterations):
                process = context.Process(target=exit_zero)
                process.start()
                process.join()
                costs.check(process.exitcode == 0, f"a {method} Process exited {process.exitcode}")
        return body

    async def tasks(iterations):
        for _ in range(iterations):
            await asyncio.create_task(asyncio.sleep(0))

    async def awaits(iterations):   # the reference: the same await, no task
        for _ in range(iterations):
            await asyncio.sleep(0)

    costs.time("start", "thread start + join", "py-threads", threads, empty_loop)
    costs.time("start", "Process start + join, fork", "py-processes", processes("fork"), empty_loop)
    costs.time("start", "Process start + join, spawn", "py-processes", processes("spawn"), empty_loop)
    costs.time("start", "asyncio task create + await", "py-asyncio",
               lambda n: asyncio.run(tasks(n)), lambda n: asyncio.run(awaits(n)))


# ---- producer/consumer ---------------------------------------------------------------

def consume_thread(items, channel, result):
    total = 0
    for _ in range(items):
        total += channel.get()
    result.append(total)


def consume_joinable(items, channel, total):
    sum_ = 0
    for _ in range(items):
        sum_ += channel.get()
        channel.task_done()
    total.value = sum_


def queue_family(costs):
    def threads(items):
        channel, result = queue.Queue(maxsize=64), []
        consumer = threading.Thread(target=consume_thread, args=(items, channel, result))
        consumer.start()
        for item in range(items):
            channel.put(item)
        consumer.join()
        costs.check(result == [items * (items - 1) // 2], "queue.Queue lost an item")

    def processes(items):
        context = multiprocessing.get_context("fork")
        channel, total = context.JoinableQueue(maxsize=64), context.Value("q", -1)
        consumer = context.Process(target=consume_joinable, args=(items, channel, total))
        consumer.start()
        for item in range(items):
            channel.put(item)
        channel.join()   # every item marked done
        consumer.join()
        costs.check(total.value == items * (items - 1) // 2, "JoinableQueue lost an item")

    costs.time("queue", "queue.Queue, 1 producer 1 consumer", "py-threads",
               threads, lambda n: threads(0))
    costs.time("queue", "JoinableQueue, 1 producer 1 consumer", "py-processes",
               processes, lambda n: processes(0))


# ---- a pool against one process per task ---------------------------------------------

STEPS = 200   # set in pool_family so that a task takes about 10 us


def short_task(index):
    value = index
    for _ in range(STEPS):
        value = (value * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return value


def task_process(index, answers):
    answers[index] = short_task(index) & 0x7FFFFFFF


def pool_family(costs):
    global STEPS
    started = time.perf_counter()
    for index in range(1000):
        short_task(index)
    STEPS = max(1, int(STEPS * 10e-6 / ((time.perf_counter() - started) / 1000)))
    tasks = costs.run.options.pool_tasks or (50 if costs.run.options.quick else 500)
    expected = [short_task(index) & 0x7FFFFFFF for index in range(tasks)]
    context = multiprocessing.get_context("fork")
    samples = {"pool": [], "one": []}
    for _ in range(costs.repetitions):
        began = time.perf_counter()
        with concurrent.futures.ProcessPoolExecutor(costs.run.workers, mp_context=context,
                                                    initializer=bench.die_with_parent) as pool:
            answers = [answer & 0x7FFFFFFF for answer in pool.map(short_task, range(tasks))]
        samples["pool"].append((time.perf_counter() - began) / tasks)
        costs.check(answers == expected, "a pool task's answer was wrong")
        began = time.perf_counter()
        shared = context.Array("l", tasks, lock=False)
        processes = [context.Process(target=task_process, args=(index, shared))
                     for index in range(tasks)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        samples["one"].append((time.perf_counter() - began) / tasks)
        costs.check(list(shared) == expected, "a task process's answer was wrong")
    costs.record("pool", "short tasks on a ProcessPoolExecutor of -j", "py-processes", "s",
                 samples["pool"], tasks, 0)
    costs.record("pool", "short tasks, one Process per task", "py-processes", "s",
                 samples["one"], tasks, 0)


def main():
    run = bench.start("costs", "py", ABOUT, workload_options=options, default_tasks=11)
    costs = Costs(run)
    family = run.options.family
    for name, measure in [("start", start_family), ("queue", queue_family), ("pool", pool_family)]:
        if family in ("all", name):
            measure(costs)
    status = bench.EXIT_WRONG if costs.failed else bench.EXIT_OK
    return bench.finish(run, status, {"figures": costs.figures},
                        f"{len(costs.figures)} figures, {costs.repetitions} repetitions each")


if __name__ == "__main__":
    sys.exit(main())
