"""results.py - reads a results folder for plots.py and report.py.

A results folder (written by scripts/bench.sh) holds <workload>.csv, one row
per variant and parameter value, cases/*.json (what each row ran and which
kind of workload it is), machine.json and run.json.
"""
import csv
import glob
import json
import os

import stats

# The order rows appear in: the models of docs/DESIGN.md, then anything else (the
# reference rows, new models), then the Python rows.
MODEL_ORDER = ["serial", "pthread", "fork", "openmp", "eventloop"]
PYTHON_ORDER = ["py-serial", "py-threads", "py-processes", "py-asyncio"]
NUMBERS = ["runs", "median_s", "mean_s", "stddev_s", "min_s", "max_s", "cv", "speedup",
           "efficiency", "workers", "tasks", "user_s", "sys_s", "cpu_s", "maxrss_kib",
           "children_maxrss_kib", "vol_ctx", "invol_ctx", "own_wall_s", "warmup", "duration_s", "pss_kib"]
DISTURBED = 0.9     # a calibration below 0.9 x CPUs: the machine was not all ours (machine.py)


def model_key(model):
    if model in MODEL_ORDER:
        return (0, MODEL_ORDER.index(model), model)
    if model.startswith("py-"):
        return (2, PYTHON_ORDER.index(model) if model in PYTHON_ORDER else 99, model)
    return (1, 0, model)


def read_json(path, default=None):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return default


class Results:
    def __init__(self, directory):
        self.directory = directory
        self.machine = read_json(os.path.join(directory, "machine.json"), {})
        self.run = read_json(os.path.join(directory, "run.json"), {})
        self.cores = int(self.machine.get("nproc", 1))
        self.cases = [read_json(path, {}) for path in sorted(glob.glob(os.path.join(directory, "cases", "*.json")))]
        self.calibrations = []
        try:
            with open(os.path.join(directory, "calibration.jsonl")) as file:
                for line in file:
                    try:
                        self.calibrations.append(json.loads(line))
                    except ValueError:
                        continue
        except OSError:
            pass
        self.table = {}
        for path in sorted(glob.glob(os.path.join(directory, "*.csv"))):
            workload = os.path.basename(path)[:-4]
            with open(path, newline="") as file:
                self.table[workload] = [self._parse(row) for row in csv.DictReader(file)]

    @staticmethod
    def _parse(row):
        for key in NUMBERS:
            text = row.get(key, "")
            row[key] = float(text) if text not in ("", None) else None
        row["result"] = json.loads(row["result"]) if row.get("result") else None
        row["times"] = [float(t) for t in row["times"].split()] if row.get("times") else None
        return row

    def is_low(self, calibration):
        return calibration["parallelism"] < DISTURBED * calibration.get("cpus", self.cores)

    def disturbed(self, workload=None):
        """True if a calibration right before or right after the workload's
        rows (any calibration, for workload None) found too little capacity."""
        if workload is None:
            return any(self.is_low(c) for c in self.calibrations) or bool(self.machine.get("disturbed"))
        for index, calibration in enumerate(self.calibrations):
            if calibration.get("label") == f"before {workload}":
                around = self.calibrations[index:index + 2]
                return any(self.is_low(c) for c in around)
        return False

    def baseline(self, row):
        """The row a row's speedup is measured against (serial or py-serial, same size)."""
        model = "py-serial" if row["model"].startswith("py-") else "serial"
        for base in self.rows(row["workload"], model):
            if base["median_s"] is None:
                continue
            if row["param"] == "workers" and base["param"] == "workers":
                return base
            if base["param"] == row["param"] and base["value"] == row["value"]:
                return base
        return None

    def duration_of(self, row):
        return row.get("duration_s") or self.duration(row["workload"])

    def workloads(self):
        return sorted(self.table)

    def models(self, workload):
        return sorted({row["model"] for row in self.table.get(workload, [])}, key=model_key)

    def rows(self, workload, model=None):
        return [row for row in self.table.get(workload, []) if model is None or row["model"] == model]

    def find(self, workload, model, param, value=None):
        """The timed row of a model at parameter=value (any value if None), or None."""
        for row in self.rows(workload, model):
            if row["param"] == param and (value is None or row["value"] == str(value)) \
                    and row["median_s"] is not None:
                return row
        return None

    def failed(self):
        return [row for workload in self.workloads() for row in self.rows(workload)
                if row["status"] != "ok"]

    def _case_field(self, workload, field):
        for case in self.cases:
            if case.get("workload") == workload and case.get(field) not in (None, ""):
                return case[field]
        return None

    def kind(self, workload):
        return self._case_field(workload, "kind") or "generic"

    def duration(self, workload):
        return self._case_field(workload, "duration_s")

    def headline(self, workload):
        """The parameter and value the time-per-model plot and table compare at."""
        kind = self.kind(workload)
        if kind == "cpu":
            return "workers", str(self.cores)
        if kind == "http":
            return "mode", "DELAY"
        if kind == "sleep":
            values = sorted({row["value"] for row in self.rows(workload) if row["param"] == "tasks"}, key=float)
            return "tasks", ("1000" if "1000" in values else (values[-1] if values else None))
        return None, None

    def headline_text(self, workload):
        param, value = self.headline(workload)
        return f"{param}={value}" if param else "default size"


def headline_rows(results, workload):
    """[(label, row)]: each model at the headline parameter, or, if it has no
    such row, at its first timed one, labelled with where it was measured."""
    param, value = results.headline(workload)
    chosen = []
    for model in results.models(workload):
        row = results.find(workload, model, param, value) if param else None
        label = model
        if row is None:
            timed = [r for r in results.rows(workload, model) if r["median_s"] is not None]
            same_param = [r for r in timed if r["param"] == param]
            candidates = same_param or timed
            if not candidates:
                continue
            row = candidates[0]
            if param:
                label = f"{model} ({row['param']}={row['value']})"
        chosen.append((label, row))
    return chosen


def karp_flatt(speedup, workers):
    """The measured serial fraction: e = (1/S - 1/p) / (1 - 1/p)."""
    return (1 / speedup - 1 / workers) / (1 - 1 / workers)


def karp_flatt_fit(results, workload):
    """(model, serial fraction) for the C model that scales best, averaged
    over 2..cores workers; None with fewer than 2 cores or no data."""
    best = None
    for model in results.models(workload):
        if model in ("serial", "eventloop") or model.startswith("py-"):
            continue   # the event loop is one thread by design: nothing to fit
        row = results.find(workload, model, "workers", results.cores)
        if row and row["speedup"] and (best is None or row["speedup"] > best[1]):
            best = (model, row["speedup"])
    if best is None or best[1] < 1.05 or results.cores < 2:
        return None   # nothing scales: no serial fraction to measure
    fractions = []
    for workers in range(2, results.cores + 1):
        row = results.find(workload, best[0], "workers", workers)
        if row and row["speedup"]:
            fractions.append(karp_flatt(row["speedup"], workers))
    if not fractions:
        return None
    return best[0], min(1.0, max(0.0, sum(fractions) / len(fractions)))


def median_of(row):
    """The row's median with its 95 % interval (a point without run times)."""
    if row.get("times"):
        return stats.median_ci(row["times"])
    return stats.Interval(row["median_s"], row["median_s"], row["median_s"], 0.0, 0)   # no run times


def speedup_of(results, row):
    """The baseline's median over the row's, with a 95 % bootstrap interval;
    None without a baseline at the same size."""
    base = results.baseline(row)
    if base is None or row["median_s"] is None:
        return None
    if row.get("times") and base.get("times"):
        return stats.ratio_ci(base["times"], row["times"])
    ratio = base["median_s"] / row["median_s"]
    return stats.Interval(ratio, ratio, ratio, 0.0, 0)
