#!/usr/bin/python3
"""bench_collect.py RESULTS_DIR - one CSV per workload from a results folder.

Reads what scripts/bench.sh left there:
  cases/<id>.json     what was run (workload, model, parameter, value, status)
  raw/<id>.json       hyperfine's export (every run's wall time)
  records/<id>.json   the variant's own --json record (last timed run), or
  records/<id>.check.json  the record of the check run, for a case not timed
and writes <workload>.csv: one row per variant and parameter value.

Speedup is the baseline's median over this row's median, at the same size:
the baseline is `serial` for the C rows (and the libc/libstdc++ reference
rows), `py-serial` for the Python rows. Efficiency is speedup / workers.
"""
import csv
import io
import json
import math
import os
import statistics
import sys

COLUMNS = [
    "workload", "model", "param", "value", "status", "runs",
    "median_s", "mean_s", "stddev_s", "min_s", "max_s", "cv",
    "speedup", "efficiency", "workers", "tasks",
    "user_s", "sys_s", "cpu_s", "maxrss_kib", "children_maxrss_kib",
    "vol_ctx", "invol_ctx", "result", "args", "own_wall_s",
    "warmup", "duration_s", "pss_kib", "times",
]


def read_json(path):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return None


def baseline_model(model):
    return "py-serial" if model.startswith("py-") else "serial"


def same_size(row, other):
    """Two rows of a workload at the same size: a workers scan is one size."""
    if row["param"] == "workers":
        return other["param"] == "workers"
    return other["param"] == row["param"] and other["value"] == row["value"]


def load_rows(results_dir):
    rows = []
    cases_dir = os.path.join(results_dir, "cases")
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".json"):
            continue
        case = read_json(os.path.join(cases_dir, name))
        if case is None:
            continue
        row = {key: "" for key in COLUMNS}
        for key in ("workload", "model", "param", "value", "status", "args"):
            row[key] = case[key]
        row["warmup"] = case.get("warmup", "")
        row["duration_s"] = case.get("duration_s") if case.get("duration_s") is not None else ""
        raw = read_json(os.path.join(results_dir, "raw", case["id"] + ".json"))
        record = read_json(os.path.join(results_dir, "records", case["id"] + ".json"))
        if record is None:
            record = read_json(os.path.join(results_dir, "records", case["id"] + ".check.json"))
        if raw is None and case["status"] == "ok":
            row["status"] = "not timed (interrupted)"
        if raw is not None and case["status"] == "ok":
            result = raw["results"][0]
            times = result["times"]
            row["runs"] = len(times)
            # every run's wall time, for the intervals and tests of scripts/stats.py
            row["times"] = " ".join(f"{t:.6g}" for t in times)
            row["median_s"] = statistics.median(times)
            row["mean_s"] = statistics.mean(times)
            row["stddev_s"] = statistics.stdev(times) if len(times) > 1 else 0.0
            row["min_s"] = min(times)
            row["max_s"] = max(times)
            row["cv"] = row["stddev_s"] / row["mean_s"] if row["mean_s"] > 0 else ""
            # hyperfine's user and system times are means over the runs, children included
            row["user_s"] = result.get("user", "")
            row["sys_s"] = result.get("system", "")
            if row["user_s"] != "" and row["sys_s"] != "":
                row["cpu_s"] = row["user_s"] + row["sys_s"]
        if isinstance(record, dict):
            for key in ("workers", "tasks", "maxrss_kib", "children_maxrss_kib", "vol_ctx", "invol_ctx"):
                row[key] = record.get(key, "")
            row["result"] = json.dumps(record.get("result", ""), sort_keys=True)
            # the variant's own clock (sort: the sort alone, without making the input)
            row["own_wall_s"] = record.get("wall_s", "")
        pss = read_json(os.path.join(results_dir, "records", case["id"] + ".pss.json"))
        if isinstance(pss, dict) and pss.get("peak_pss_kib"):
            row["pss_kib"] = pss["peak_pss_kib"]   # scripts/pss.py, during the check run
        row["_order"] = (case["model"] != "serial", case["model"], case["param"], number(case["value"]))
        rows.append(row)
    return rows


def number(text):
    try:
        return float(text)
    except ValueError:
        return math.inf


def add_speedups(rows):
    for row in rows:
        if row["median_s"] == "":
            continue
        for base in rows:
            if (base["workload"] == row["workload"] and base["model"] == baseline_model(row["model"])
                    and base["median_s"] != "" and same_size(row, base)):
                row["speedup"] = base["median_s"] / row["median_s"]
                workers = number(row["value"]) if row["param"] == "workers" else row["workers"]
                if isinstance(workers, (int, float)) and 0 < workers < math.inf:
                    row["efficiency"] = row["speedup"] / workers
                break


def write_whole(path, text):
    with open(path + ".tmp", "w") as file:
        file.write(text)
    os.replace(path + ".tmp", path)


def rounded(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    return value


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_collect.py RESULTS_DIR")
    results_dir = sys.argv[1]
    rows = load_rows(results_dir)
    add_speedups(rows)
    for workload in sorted({row["workload"] for row in rows}):
        text = io.StringIO()
        writer = csv.DictWriter(text, COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in sorted((r for r in rows if r["workload"] == workload), key=lambda r: r["_order"]):
            writer.writerow({key: rounded(row[key]) for key in COLUMNS})
        write_whole(os.path.join(results_dir, workload + ".csv"), text.getvalue())


if __name__ == "__main__":
    main()
