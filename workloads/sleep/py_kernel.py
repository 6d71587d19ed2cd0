"""sleep/py_kernel.py - the sleep workload of kernel.c, in Python.

Each task waits --seconds S (default 2) and marks itself finished; 1000
tasks by default, -j defaults to one worker per task. time.sleep is a real
blocking wait (clock_nanosleep) that releases the GIL and, since PEP 475,
goes back to sleep for the time left when a signal interrupts it. The check
is the C one: every task finished, and the run lasted at least one wait.
"""
import time

import bench

ABOUT = "Runs tasks that each wait --seconds (the notes' 1000 sleeps of 2 s)."
DEFAULT_TASKS = 1000
MAX_SECONDS = 1e9       # about 32 years, as kernel.c: beyond any test, and no overflow


def wait_seconds(text):
    """--seconds: bench.seconds, and at most MAX_SECONDS (time.sleep(1e308)
    raises OverflowError, asyncio.sleep(1e308) never ends)."""
    value = bench.seconds(text)
    if value > MAX_SECONDS:
        raise bench.argparse.ArgumentTypeError(f"'{text}' is more than 1e9 seconds")
    return value


def options(group):
    group.add_argument("--seconds", type=wait_seconds, default=2.0, metavar="S",
                       help="how long each task waits, fractions allowed (default 2)")


def start(model, about):
    """bench.start with the sleep workload's defaults."""
    return bench.start("sleep", model, f"{ABOUT} {about}", workload_options=options,
                       default_tasks=DEFAULT_TASKS, workers_default_to_tasks=True)


def wait(task, seconds):
    """One task: a blocking wait. Returns the task's number, for its flag."""
    time.sleep(seconds)
    return task


def finish(run, finished):
    """Checks that every task finished and that the run lasted at least one
    wait, prints the record and returns the exit status."""
    elapsed = time.monotonic() - run.started
    seconds = run.options.seconds
    completed = sum(1 for flag in finished if flag)
    right = completed == len(finished) and elapsed >= seconds
    if completed != len(finished):
        summary = f"only {completed} of {len(finished)} tasks finished their {seconds:g} s wait"
    elif elapsed < seconds:
        summary = f"{completed} tasks ended after {elapsed:.6f} s, before one {seconds:g} s wait"
    else:
        summary = f"{completed} of {len(finished)} tasks waited {seconds:g} s each"
    return bench.finish(run, bench.EXIT_OK if right else bench.EXIT_WRONG,
                        {"completed": completed}, summary)
