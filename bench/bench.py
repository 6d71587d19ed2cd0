"""bench.py - the harness every Python variant imports (the C one is bench.c).

A variant does three things with it, as the C variants do with bench.h:

    run = bench.start("primes", "py-threads", ABOUT, workload_options=...)
    ... the work, in the variant's own concurrency model ...
    sys.exit(bench.finish(run, status, {"primes": 5, "checksum": "..."}, summary))

It keeps the same contract (docs/DESIGN.md): the same common options, a usage
error is ONE line on stderr naming the bad value and exit status 2, and
--json prints one record with exactly the C keys, in the same order.
Standard library only; run by Debian's /usr/bin/python3.
"""
import argparse
import ctypes
import json
import math
import multiprocessing
import os
import re
import resource
import signal
import sys
import time

EXIT_OK, EXIT_WRONG, EXIT_USAGE, EXIT_IO_FAILED = 0, 1, 2, 3
MASK64 = (1 << 64) - 1

program_name = "bench"


# ---- errors ---------------------------------------------------------------------

def usage_error(message):
    """Prints "prog: message (try --help)" on stderr and exits 2."""
    print(f"{program_name}: {message} (try --help)", file=sys.stderr, flush=True)
    sys.exit(EXIT_USAGE)


def fail(message):
    """Prints "prog: message" on stderr and exits 1 (a call failed, no result)."""
    print(f"{program_name}: {message}", file=sys.stderr, flush=True)
    sys.exit(EXIT_WRONG)


def fail_os(what, error):
    """For a failed system call: names the call and the reason."""
    fail(f"{what}: {error.strerror or error}")


# ---- option types: each names the bad value, like bench.c's parse_long --------------

def whole_number(minimum):
    def parse(text):
        value = int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number >= {minimum}")
        return value
    return parse


count = whole_number(1)      # -j, -n: whole number >= 1
natural = whole_number(0)    # whole number >= 0


def u64(text):
    if not text.isdigit() or int(text) > MASK64:
        raise argparse.ArgumentTypeError(f"'{text}' is not an unsigned 64-bit number")
    return int(text)


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds >= 0")
    return value


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, exit 2, as in bench.c."""

    def error(self, message):
        # "argument -j/--workers: 'abc' is not ..." -> "--workers: 'abc' is not ..."
        message = re.sub(r"^argument (?:-\w/)?(--[\w-]+): ", r"\1: ", message)
        message = message.replace("unrecognized arguments: ", "unknown option or argument ")
        usage_error(message)


def cores():
    """Online CPUs, as bench_cores."""
    return max(os.sysconf("SC_NPROCESSORS_ONLN"), 1)


# ---- one run ----------------------------------------------------------------------

class Run:
    """What bench.start parsed: the common options, and the rest in .options."""

    def __init__(self, workload, model, options, workers_default_to_tasks):
        self.workload, self.model = workload, model
        self.options = options
        self.workers_given = options.workers is not None
        self.tasks_given = options.tasks is not None
        self.workers = options.workers or cores()
        self.tasks = options.tasks or 0
        self.json = options.json
        self.verbose = options.verbose
        self.workers_default_to_tasks = workers_default_to_tasks
        self.started = time.monotonic()


def start(workload, model, about, workload_options=None, model_options=None,
          default_tasks=0, workers_default_to_tasks=False, operands=None):
    """Parses the options and starts the clock. `workload_options` and
    `model_options` are functions that add arguments to an argparse group;
    `operands` ("[CODE...]") allows operands, collected in .options.operands."""
    global program_name
    program_name = f"{workload}-{model}"
    parser = Parser(prog=program_name, description=about, add_help=False,
                    usage=f"%(prog)s [options]{' ' + operands if operands else ''}",
                    epilog="exit status: 0 result verified, 1 result wrong or not produced, "
                           "2 usage error, 3 some I/O failed (accounted for)")
    common = parser.add_argument_group("common options")
    common.add_argument("-j", "--workers", type=count, metavar="N",
                        help="threads, processes or tasks in flight (default: number of cores)")
    common.add_argument("-n", "--tasks", type=count, metavar="N", help="number of tasks")
    common.add_argument("--json", action="store_true",
                        help="print one JSON record on stdout instead of the summary")
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="show progress on stderr (repeat for more)")
    common.add_argument("-h", "--help", action="help", help="show this help and exit")
    if workload_options:
        workload_options(parser.add_argument_group(f"{workload} options"))
    if model_options:
        model_options(parser.add_argument_group(f"{model} options"))
    if operands:
        parser.add_argument("operands", nargs="*", metavar=operands, help=argparse.SUPPRESS)
    # intermixed: operands may come before, between or after the options
    options = parser.parse_intermixed_args() if operands else parser.parse_args()
    # Ctrl-C (or kill) ends the run at once, as it ends a C variant, instead of
    # raising KeyboardInterrupt and waiting for the pool's queued tasks.
    signal.signal(signal.SIGINT, die_of_signal)
    signal.signal(signal.SIGTERM, die_of_signal)
    run = Run(workload, model, options, workers_default_to_tasks)
    set_default_tasks(run, options.tasks or default_tasks)
    return run


def set_default_tasks(run, tasks):
    """For a workload that knows its task count only after reading its input."""
    if not run.tasks_given:
        run.tasks = tasks
    if not run.workers_given and run.workers_default_to_tasks:
        run.workers = max(run.tasks, 1)


def restart_clock(run):
    run.started = time.monotonic()


def log(run, message):
    if run.verbose:
        print(f"[{time.monotonic() - run.started:8.3f} s] {message}", file=sys.stderr, flush=True)


def finish(run, status, result, summary):
    """Stops the clock, prints the summary or the --json record, returns the exit
    status. `result` is a dict in the order of the C record's result object."""
    wall = time.monotonic() - run.started
    self = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = self.ru_utime + children.ru_utime
    system = self.ru_stime + children.ru_stime
    verified = status in (EXIT_OK, EXIT_IO_FAILED)
    if run.json:
        inside = ", ".join(f"{json.dumps(key)}: {json.dumps(value)}" for key, value in result.items())
        print(f'{{"workload": "{run.workload}", "model": "{run.model}", '
              f'"workers": {run.workers}, "tasks": {run.tasks}, '
              f'"wall_s": {wall:.6f}, "user_s": {user:.6f}, "sys_s": {system:.6f}, '
              f'"maxrss_kib": {self.ru_maxrss}, "children_maxrss_kib": {children.ru_maxrss}, '
              f'"vol_ctx": {self.ru_nvcsw + children.ru_nvcsw}, '
              f'"invol_ctx": {self.ru_nivcsw + children.ru_nivcsw}, '
              f'"result": {{{inside}}}, "verified": {"true" if verified else "false"}}}')
    else:
        verdict = {EXIT_OK: "verified", EXIT_IO_FAILED: "accounted for, some failed"}
        print(f"{program_name}: {run.tasks} tasks, {run.workers} workers: {wall:.3f} s wall, "
              f"{user + system:.3f} s CPU, {max(self.ru_maxrss, children.ru_maxrss)} KiB peak\n"
              f"  {verdict.get(status, 'WRONG')}: {summary}")
    try:
        sys.stdout.flush()
    except OSError as error:
        fail_os("writing to stdout", error)
    if status == EXIT_WRONG:
        print(f"{program_name}: the result did not pass the check: {summary}", file=sys.stderr)
    return status


# ---- processes ----------------------------------------------------------------------

def die_of_signal(signal_number, frame):
    """SIGINT and SIGTERM: kills the process pool's workers and reaps them (so
    that none is left a zombie for init to reap), then dies of the signal
    itself, as a C variant does (exit status 128 + N to the shell). Threads
    end with the process."""
    workers = multiprocessing.active_children()
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join()
    signal.signal(signal_number, signal.SIG_DFL)
    os.kill(os.getpid(), signal_number)


def die_with_parent():
    """For a pool's worker processes (the initializer of ProcessPoolExecutor):
    prctl(PR_SET_PDEATHSIG, SIGKILL), so an interrupted run leaves no orphan."""
    PR_SET_PDEATHSIG = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        fail(f"prctl(PR_SET_PDEATHSIG): {os.strerror(ctypes.get_errno())}")
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:   # it died before prctl
        os._exit(EXIT_WRONG)


# ---- checksums and input -----------------------------------------------------------

def mix64(x):
    """bench_mix64: the splitmix64 finaliser (after adding the golden-ratio
    constant, so that 0 does not map to 0), on 64-bit unsigned values."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK64
    x ^= x >> 31
    return x


def read_numbers(path, maximum):
    """bench_read_numbers: unsigned numbers, one per line, each <= maximum.
    A missing file or a bad line is a usage error naming the file and line."""
    try:
        with open(path, "rb") as file:
            lines = file.read().decode("latin-1").split("\n")
    except OSError as error:
        usage_error(f"{path}: {error.strerror}")
    if lines and lines[-1] == "":
        lines.pop()           # the newline that ends the last line
    numbers = []
    for line_number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if not (line.isascii() and line.isdigit()) or int(line) > maximum:
            usage_error(f"{path}:{line_number}: '{line[:40]}' is not a whole number "
                        f"from 0 to {maximum}")
        numbers.append(int(line))
    return numbers
