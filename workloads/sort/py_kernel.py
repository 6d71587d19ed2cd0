"""sort/py_kernel.py - the sort workload of kernel.c, in Python.

The input and the check are the C kernel's, bit for bit: element i of the
fixed-seed input is the top half of splitmix64's i-th output (--elements N,
--seed S; or --input FILE), and the check is "sorted, and the sum of
mix64(x) over the elements (mod 2^64) is the input's". So the record's
result object is the C one for the same input.

The sort is the notes' Python quicksort: pick a pivot (here the median of
three, of nine for long lists), split the list into smaller / equal /
greater with list comprehensions, sort the two outer lists the same way.
Equal keys all land in the middle list, so few distinct keys cannot make it
quadratic. It builds new lists instead of swapping in place: in Python that
is several times faster than moving elements one index at a time.

Conventions of every sort variant (as in C): tasks is the number of
elements (-n N says the same as --elements N); wall_s times the sort alone
(the clock restarts after set-up; the check and --output are taken out).
"""
import os
import signal
import sys
import tempfile
import time

import bench

ABOUT = "Sorts one array of random unsigned 32-bit integers (10,000,000 by default, fixed seed)."
DEFAULT_ELEMENTS = 10000000
DEFAULT_SEED = 20240601
GOLDEN = 0x9E3779B97F4A7C15
INSERTION_CUTOFF = 24       # shorter lists go to insertion sort, as in C
sys.setrecursionlimit(10000)


def options(group):
    group.add_argument("--elements", type=bench.natural, metavar="N",
                       help="sort N random numbers (default 10000000; -n N says the same)")
    group.add_argument("--seed", type=bench.u64, default=DEFAULT_SEED, metavar="S",
                       help=f"seed of the random numbers (default {DEFAULT_SEED})")
    group.add_argument("--input", metavar="FILE",
                       help="sort the numbers in FILE instead (one per line, 0..4294967295)")
    group.add_argument("--output", metavar="FILE", help="write the sorted numbers to FILE")


# ---- the quicksort -------------------------------------------------------------------

def median_of_three(a, b, c):
    if a < b:
        return b if b < c else max(a, c)
    return a if a < c else max(b, c)


def choose_pivot(elements):
    count = len(elements)
    middle, last = count // 2, count - 1
    if count < 1000:
        return median_of_three(elements[0], elements[middle], elements[last])
    step = count // 8       # the ninther: the median of three medians of three
    return median_of_three(
        median_of_three(elements[0], elements[step], elements[2 * step]),
        median_of_three(elements[middle - step], elements[middle], elements[middle + step]),
        median_of_three(elements[last - 2 * step], elements[last - step], elements[last]))


def partition(elements):
    """The keys smaller than the pivot, equal to it, and greater."""
    pivot = choose_pivot(elements)
    smaller = [value for value in elements if value < pivot]
    equal = [value for value in elements if value == pivot]
    greater = [value for value in elements if value > pivot]
    return smaller, equal, greater


def insertion_sort(elements):
    for next_index in range(1, len(elements)):
        value = elements[next_index]
        place = next_index
        while place > 0 and elements[place - 1] > value:
            elements[place] = elements[place - 1]
            place -= 1
        elements[place] = value
    return elements


def quicksort(elements):
    """Returns the elements sorted (a new list)."""
    if len(elements) <= INSERTION_CUTOFF:
        return insertion_sort(list(elements))
    smaller, equal, greater = partition(elements)
    return quicksort(smaller) + equal + quicksort(greater)


def split_for_workers(elements, pieces):
    """Partitions the biggest unsorted piece until there are at least `pieces`
    of them; returns them in order, each to be sorted on its own. (Middle
    pieces of equal keys are already sorted; quicksort returns them at once.)"""
    parts = [elements]
    while len(parts) < pieces and max(map(len, parts)) > INSERTION_CUTOFF:
        biggest = max(range(len(parts)), key=lambda index: len(parts[index]))
        parts[biggest:biggest + 1] = [part for part in partition(parts[biggest]) if part]
    return parts


# ---- input and check ---------------------------------------------------------------------

def fill_random(count, seed):
    """sort_fill_random: element i is the top half of mix64(seed + (i + 1) * golden)."""
    mix64 = bench.mix64
    mask = bench.MASK64
    return [mix64((seed + (index + 1) * GOLDEN) & mask) >> 32 for index in range(count)]


def checksum(elements):
    """sort_checksum: the sum of mix64(x) mod 2^64, the same for any order."""
    return sum(map(bench.mix64, elements)) & bench.MASK64


def first_unsorted(elements):
    for index in range(1, len(elements)):
        if elements[index] < elements[index - 1]:
            return index
    return len(elements)


# ---- the job ---------------------------------------------------------------------------------

class Job:
    def __init__(self, elements):
        self.elements = elements
        self.input_checksum = checksum(elements)


def setup(run):
    """Reads the options, makes the input, sets run.tasks to the element count,
    computes the input's checksum and restarts the clock."""
    options = run.options
    if options.output is not None:   # refuse a bad --output before the work, not after
        directory = os.path.dirname(options.output) or "."
        if not os.access(directory, os.W_OK):
            reason = "No such file or directory" if not os.path.isdir(directory) else "Permission denied"
            bench.usage_error(f"--output {options.output}: {directory}: {reason}")
    if options.input is not None:
        if options.elements:
            bench.usage_error(f"--elements {options.elements}: not with --input {options.input}")
        elements = bench.read_numbers(options.input, 0xFFFFFFFF)
        if run.tasks_given and run.tasks != len(elements):
            bench.usage_error(f"-n {run.tasks}: {options.input} holds {len(elements)} numbers "
                              "(for sort, tasks are elements)")
    else:
        if run.tasks_given and options.elements and run.tasks != options.elements:
            bench.usage_error(f"-n {run.tasks}: not the same as --elements {options.elements} "
                              "(for sort, tasks are elements)")
        count = options.elements or (run.tasks if run.tasks_given else DEFAULT_ELEMENTS)
        elements = fill_random(count, options.seed)
    bench.set_default_tasks(run, len(elements))
    job = Job(elements)
    bench.log(run, f"{len(elements)} elements ready, checksum {job.input_checksum:016x}")
    bench.restart_clock(run)
    return job


def write_numbers(path, elements):
    """Writes a temporary file beside `path`, then renames it, with the signals
    that would end the program held back, so no temporary file is left."""
    ending_signals = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ending_signals)
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".",
                                                 dir=os.path.dirname(path) or ".")
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(descriptor, 0o666 & ~mask)
        with open(descriptor, "w") as file:
            file.write("".join(f"{value}\n" for value in elements))
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        bench.fail_os("writing --output", error)
    signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def finish(run, job, sorted_elements):
    """Checks, writes --output if the check passed, prints the record and
    returns the exit status. The time this takes is not in wall_s."""
    check_started = time.monotonic()
    count = len(job.elements)
    unsorted_at = first_unsorted(sorted_elements)
    total = checksum(sorted_elements)
    right = unsorted_at == len(sorted_elements) and total == job.input_checksum
    if unsorted_at < len(sorted_elements):
        summary = (f"{count} elements, NOT sorted: [{unsorted_at}] = {sorted_elements[unsorted_at]}"
                   f" is less than [{unsorted_at - 1}] = {sorted_elements[unsorted_at - 1]}")
    elif not right:
        summary = (f"{count} elements sorted, but checksum {total:016x} is not the input's "
                   f"{job.input_checksum:016x}: elements were lost or changed")
    else:
        summary = f"{count} elements sorted, checksum {total:016x} as in the input"
    if right and run.options.output is not None:
        write_numbers(run.options.output, sorted_elements)
        bench.log(run, f"wrote {run.options.output}")
    run.started += time.monotonic() - check_started    # wall_s times the sort, not this
    return bench.finish(run, bench.EXIT_OK if right else bench.EXIT_WRONG,
                        {"elements": len(sorted_elements), "checksum": f"{total:016x}"}, summary)
