#!/usr/bin/python3
"""pss.py OUT -- COMMAND... - runs COMMAND and records its peak memory, counting
shared pages once (issue 12).

Every INTERVAL seconds it sums the proportional set size (Pss in
/proc/PID/smaps_rollup) over COMMAND's process tree (found through
/proc/PID/task/TID/children), and writes the peak of that sum to OUT as
{"peak_pss_kib": N, "samples": N, "processes": N}. Forked workers share the
parent's pages: PSS shares each page out among the processes that map it, so
the sum is what the tree really costs, unlike parent + workers x largest RSS.
COMMAND's stdin, stdout and stderr are its own; the exit status is COMMAND's.
A peak between two samples can be missed: the figure is a lower bound of the
true peak, and the sample count is kept beside it.
"""
import json
import os
import subprocess
import sys
import time

INTERVAL = 0.01


def children(pid):
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as file:
                found += [int(child) for child in file.read().split()]
    except OSError:
        pass
    return found


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss(root):
    total, count, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += pss_kib(pid)
        count += 1
        stack += children(pid)
    return total, count


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: pss.py OUT -- COMMAND...")
    out, command = sys.argv[1], sys.argv[3:]
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        sys.exit(f"pss.py: {command[0]}: {error.strerror}")
    peak, most, samples = 0, 0, 0
    while child.poll() is None:
        total, count = tree_pss(child.pid)
        peak, most, samples = max(peak, total), max(most, count), samples + 1
        time.sleep(INTERVAL)
    with open(out + ".tmp", "w") as file:
        json.dump({"peak_pss_kib": peak, "samples": samples, "processes": most}, file)
        file.write("\n")
    os.replace(out + ".tmp", out)
    sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)


if __name__ == "__main__":
    main()
