"""costs.py - the report's Costs section (issue 15), from RUN_DIR/costs/.

bin/costs and bin/costs-py (written by scripts/costs.sh) measure what a unit
of each model costs: starting it, the memory it holds, handing over between
two units, synchronising, queues, a pool. This section shows a table and a
plot per family, the claims about costs with their verdicts, and one computed
sentence per workload that explains a measured result from the costs.
"""
import math
import os
import subprocess

import style
from results import read_json

ORDER = 30   # after the workload sections and the servers, before the Python table

FAMILIES = [
    ("start", "Start a unit and wait for it", "us"),
    ("memory", "Memory per 1000 live units (PSS)", "KiB"),
    ("handover", "Hand-over: a round trip between two units", "us"),
    ("sync", "Synchronisation, per operation", "us"),
    ("queue", "Producer/consumer, per item", "us"),
    ("pool", "10 us tasks: a pool against one unit per task, per task", "us"),
]
SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def figures(results):
    """Every figure of both records, or [] when the step did not run."""
    found = []
    for name in ("costs-c", "costs-py"):
        record = read_json(os.path.join(results.directory, "costs", f"{name}.json"), {})
        found += record.get("result", {}).get("figures", [])
    return found


def scale(figure, unit):
    return 1e6 if unit == "us" else 1.0


def shown(figure, unit):
    if figure["below_resolution"]:
        return "below resolution"
    k = scale(figure, unit)
    return (f"{figure['median'] * k:.3g} {unit} [{figure['low'] * k:.3g}, "
            f"{figure['high'] * k:.3g}]")


def find(found, name, model=None, pinning=None):
    for figure in found:
        if figure["name"] == name and (model is None or figure["model"] == model) \
                and (pinning is None or figure["pinning"] == pinning) \
                and not figure["below_resolution"]:
            return figure
    return None


def ratio(dear, cheap):
    """The ratio of two medians and a conservative interval from theirs."""
    if not dear or not cheap or cheap["median"] <= 0:
        return None
    low = dear["low"] / cheap["high"] if cheap["high"] > 0 else 0
    high = dear["high"] / cheap["low"] if cheap["low"] > 0 else float("inf")
    return dear["median"] / cheap["median"], low, high


def claim(text, dear, cheap, what):
    measured = ratio(dear, cheap)
    if not measured:
        return f"| {text} | not measured | **not shown** |"
    value, low, high = measured
    verdict = "holds" if low > 1 else "does not hold" if high < 1 else "not shown (intervals overlap)"
    high_text = "inf" if high == float("inf") else f"{high:.3g}"
    return f"| {text} | {what}: {value:.3g}x [{low:.3g}, {high_text}] | **{verdict}** |"


def explained(results, found):
    """One computed sentence per workload: a measured result against the costs."""
    out = []
    thread = find(found, "thread create + join", "pthread", "none")
    process = find(found, "fork + exit + wait", "fork", "none")
    duration = results.duration("sleep") if "sleep" in results.workloads() else None
    for model, unit, label in (("pthread", thread, "threads"), ("fork", process, "processes")):
        if not unit or not duration:
            continue
        rows = [row for row in results.rows("sleep", model)
                if row["param"] == "tasks" and row["median_s"] is not None]
        if not rows:
            continue
        row = max(rows, key=lambda r: float(r["value"]))
        tasks, excess = float(row["value"]), row["median_s"] - float(duration)
        predicted = tasks * unit["median"]
        agree = "agree" if excess > 0 and 0.5 <= predicted / excess <= 2 else \
            "do not agree within 2x (the rest is the scheduler waking them, and, for " \
            "processes, their pages)"
        out.append(f"- **sleep, {model}**: {tasks:.0f} {label} sleeping {float(duration):g} s "
                   f"took {row['median_s']:.3g} s, {excess:.3g} s over the sleep; starting "
                   f"them one after the other at {unit['median'] * 1e6:.3g} us each accounts "
                   f"for {predicted:.3g} s: the two {agree}.")
    for workload in ("sum", "primes"):
        if workload not in results.workloads() or not thread:
            continue
        pool = results.find(workload, "pthread", "workers", results.cores)
        rows = [row for row in results.rows(workload, "pthread") if row["param"] == "workers"
                and row["median_s"] is not None and row["value"] == str(int(row["tasks"] or 0))]
        if not pool or not rows:
            continue
        per_task = rows[0]
        extra = per_task["median_s"] - pool["median_s"]
        predicted = (float(per_task["value"]) - results.cores) * thread["median"]
        out.append(f"- **{workload}, pthread**: one thread per task ({per_task['value']} threads) "
                   f"took {per_task['median_s']:.3g} s against {pool['median_s']:.3g} s on "
                   f"{results.cores}: the {float(per_task['value']) - results.cores:.0f} extra "
                   f"threads at {thread['median'] * 1e6:.3g} us each account for "
                   f"{predicted * 1e3:.3g} ms of the {extra * 1e3:.3g} ms difference"
                   f"{'' if extra > 0 and 0.5 <= predicted / extra <= 2 else ' (not within 2x: the difference is mostly noise at this size)'}.")
    return out


def lines(results, report_dir):
    found = figures(results)
    if not found:
        return []
    out = ["## Costs: what one unit of each model costs", "",
           "Why the workloads ran as fast as they did. Measured by `bin/costs` and "
           "`bin/costs-py` (the method of lmbench and the EPCC microbenchmarks): each figure "
           "is a loop of 10 ms or more, its reference loop (the same set-up, no operation) "
           "subtracted, repeated; the median per operation, with a 95 % interval from the "
           "order statistics of the repetitions. \"below resolution\": the reference took as "
           "long, so the cost is too small to see, never negative. Pinning: \"same CPU\" and "
           "\"two CPUs\" pin the two units with sched_setaffinity.", ""]
    for family, heading, unit in FAMILIES:
        rows = [figure for figure in found if figure["family"] == family]
        if not rows:
            continue
        out += [f"### {heading}", "", f"| figure | model | pinning | median [95 % interval] | repetitions |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {f['name']} | {f['model']} | {f['pinning']} | {shown(f, unit)} | {f['repetitions']} |"
                for f in rows]
        png = os.path.join(results.directory, "plots", f"costs-{family}.png")
        if os.path.exists(png):
            out += ["", f"![{heading}]({os.path.relpath(png, report_dir)})"]
        out.append("")
    out += ["### What the costs explain", ""]
    out += explained(results, found) or ["- (no workload row to explain in this run)"]
    out += ["", "### Claims about costs", "",
            "A claim holds when the whole conservative interval of the ratio (the low end of "
            "one interval over the high end of the other) is above 1.", "",
            "| claim from the notes | measured here | verdict |", "| --- | --- | --- |",
            claim("a process costs more to start than a thread (C)",
                  find(found, "fork + exit + wait", "fork", "none"),
                  find(found, "thread create + join", "pthread", "none"), "fork / thread"),
            claim("a process costs more to start than a thread (Python)",
                  find(found, "Process start + join, fork", "py-processes"),
                  find(found, "thread start + join", "py-threads"), "Process / Thread"),
            claim("a pool beats one process per task on short tasks (C)",
                  find(found, "short tasks, one process per task", "fork"),
                  find(found, "short tasks on a pool of -j threads", "pthread"),
                  "process per task / pool"),
            claim("a pool beats one process per task on short tasks (Python)",
                  find(found, "short tasks, one Process per task", "py-processes"),
                  find(found, "short tasks on a ProcessPoolExecutor of -j", "py-processes"),
                  "Process per task / ProcessPoolExecutor"),
            claim("a contended lock costs more than an uncontended one",
                  find(found, "mutex lock + unlock, 2 threads contend", "pthread"),
                  find(found, "mutex lock + unlock, uncontended", "pthread"),
                  "contended / uncontended"),
            claim("a coroutine switch is cheaper than a thread hand-over (same CPU)",
                  find(found, "round trip through a condition variable", "pthread", "same CPU"),
                  find(found, "round trip of two coroutines yielding", "coroutine"),
                  "condition-variable round trip / coroutine round trip"),
            claim("a hand-over to the other CPU costs more than on the same CPU",
                  find(found, "round trip through a pipe", "pthread", "two CPUs"),
                  find(found, "round trip through a pipe", "pthread", "same CPU"),
                  "two CPUs / same CPU (pipe)"), ""]
    return out


def plots(results, plots_dir):
    found = figures(results)
    for family, heading, unit in FAMILIES:
        rows = [f for f in found if f["family"] == family and not f["below_resolution"]]
        if not rows:
            continue
        data = os.path.join(plots_dir, f"costs-{family}.dat")
        k = scale(None, unit)
        with open(data + ".tmp", "w") as file:
            for f in rows:
                label = f"{f['name']} ({f['model']}" + \
                    (f", {f['pinning']})" if f["pinning"] != "none" else ")")
                colour = int(style.colour(f["model"].split()[0]).lstrip("#"), 16)
                file.write(f"{label}\t{f['median'] * k}\t{f['low'] * k or f['median'] * k}\t"
                           f"{f['high'] * k}\t{colour}\n")
        os.replace(data + ".tmp", data)
        ylabel = "KiB per 1000 live units, log scale" if unit == "KiB" else "microseconds, log scale"
        lowest = min((f["low"] or f["median"]) * k for f in rows)
        xmin = 10 ** math.floor(math.log10(lowest))
        subprocess.run(["gnuplot", "-e",
                        f"data='{data}'; out='{os.path.join(plots_dir, 'costs-' + family)}'; "
                        f"heading='Costs: {heading}'; ylabel_text='{ylabel}'; xmin={xmin}",
                        os.path.join(SCRIPTS, "plot-costs.gp")],
                       check=True, cwd=os.path.dirname(SCRIPTS))
