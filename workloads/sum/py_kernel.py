"""sum/py_kernel.py - the summing kernel of kernel.c, in Python.

Each task sums 0..count-1 in an explicit Python loop, one addition per
number, as the C kernel's loop does (the C one is kept from being folded
into the closed form; a Python loop never is). The built-in sum(range(n))
would hand the loop to C and hide the interpreter's cost, which is what this
workload measures. The check is independent of the loop: the total must be
tasks * count*(count-1)/2, and a total that needs more than 64 bits is a
usage error, as in C.
"""
import bench

ABOUT = "Sums 0..count-1 in a loop, once per task (300 tasks, count 1000000 by default)."
DEFAULT_TASKS = 300


def options(group):
    group.add_argument("--count", type=bench.natural, default=1000000, metavar="N",
                       help="each task sums 0..N-1 (default 1000000)")


def sum_task(count):
    total = 0
    for number in range(count):
        total += number
    return total


def expected_total(tasks, count):
    return tasks * (count * (count - 1) // 2)


def setup(run):
    """The count each task sums up to; a total beyond 64 bits is a usage error."""
    count = run.options.count
    if expected_total(run.tasks, count) > bench.MASK64:
        bench.usage_error(f"--count {count} with {run.tasks} tasks: "
                          "the total does not fit in 64 bits")
    return count


def finish(run, count, total):
    """Checks, prints the record and returns the exit status."""
    right = total == expected_total(run.tasks, count)
    summary = f"total {total} = {run.tasks} tasks x (sum of the integers below {count})"
    return bench.finish(run, bench.EXIT_OK if right else bench.EXIT_WRONG, {"total": total}, summary)
