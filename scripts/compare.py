#!/usr/bin/python3
"""compare.py A B - `make compare A=dir B=dir`: two results folders, side by side.

For every variant and parameter timed in both, prints the medians, their
ratio B/A with its 95 % bootstrap interval, and B faster, B slower or no
difference by the report's own test (scripts/stats.py): a two-sided
Mann-Whitney U test on the two rows' run times at p < 0.05. Folders without
run times (older CSVs) fall back to: a difference counts when the two
min..max ranges do not overlap and the medians differ by more than twice the
larger standard deviation. Rows found in only one folder are listed at the end.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results, model_key  # noqa: E402
import stats  # noqa: E402


def timed_rows(results):
    rows = {}
    for workload in results.workloads():
        for row in results.rows(workload):
            if row["median_s"] is not None:
                rows[(workload, row["model"], row["param"], row["value"])] = row
    return rows


def verdict(a, b):
    """(result, detail): result is "faster", "slower" (B against A) or "noise"."""
    if a.get("times") and b.get("times"):
        ratio = stats.ratio_ci(b["times"], a["times"])   # median(B) / median(A): B's time over A's
        test = stats.compare(a["times"], b["times"])
        detail = f"B/A {ratio.text('x', 3)}, {test.text()}"
        if test.faster == "":
            return "noise", detail
        return ("faster" if test.faster == "b" else "slower"), detail
    overlap = a["min_s"] <= b["max_s"] and b["min_s"] <= a["max_s"]
    spread = 2 * max(a["stddev_s"] or 0.0, b["stddev_s"] or 0.0)
    detail = "no run times: min..max and stddev rule"
    if overlap or abs(b["median_s"] - a["median_s"]) <= spread:
        return "noise", detail
    return ("slower" if b["median_s"] > a["median_s"] else "faster"), detail


def sort_key(key):
    workload, model, param, value = key
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    return (workload, model_key(model), param, number, value)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare.py RESULTS_A RESULTS_B")
    for directory in sys.argv[1:]:
        if not os.path.isdir(directory):
            sys.exit(f"compare: {directory}: no such results folder")
    first, second = (timed_rows(Results(directory)) for directory in sys.argv[1:])
    print(f"A = {sys.argv[1]}\nB = {sys.argv[2]}\n")
    print(f"{'variant':<28} {'parameter':<18} {'A median':>10} {'B median':>10} {'B/A':>7}  difference")
    shared = sorted(set(first) & set(second), key=sort_key)
    counts = {"noise": 0, "slower": 0, "faster": 0}
    for key in shared:
        a, b = first[key], second[key]
        result, detail = verdict(a, b)
        counts[result] += 1
        label = ("no difference shown" if result == "noise" else f"B {result}") + f" ({detail})"
        print(f"{key[0] + '-' + key[1]:<28} {key[2] + '=' + key[3]:<18} {a['median_s']:>9.4g}s "
              f"{b['median_s']:>9.4g}s {b['median_s'] / a['median_s']:>7.3f}  {label}")
    print(f"\n{len(shared)} rows in both: {counts['noise']} with no difference shown, "
          f"{counts['slower']} slower in B, {counts['faster']} faster in B")
    for name, only in (("A", set(first) - set(second)), ("B", set(second) - set(first))):
        for key in sorted(only, key=sort_key):
            print(f"only in {name}: {key[0]}-{key[1]} {key[2]}={key[3]}")


if __name__ == "__main__":
    main()
