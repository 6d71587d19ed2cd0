"""coroutine - the coroutine model (issue 14): bench/coro's rows beside the
serial and event-loop rows they are measured against, the notes' switching
and generator demonstrations, and the claims, each computed from the run.

The demonstrations (bin/demos/*) are not variants: their one-line JSON
records are read from <results>/demos/<name>.json when the run has them
(switching, switching-py, generators, generators-py).
"""
import json
import os

ORDER = 60

MIB = 1024


def _seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _demo(results, name):
    try:
        with open(os.path.join(results.directory, "demos", f"{name}.json")) as file:
            record = json.load(file)
    except (OSError, ValueError):
        return None
    return record if record.get("verified") else None


def _cpu_rows(results, workload):
    """(serial, coroutine) rows of a CPU workload: coroutine with every task in
    flight if timed, else with one worker per core."""
    serial = results.find(workload, "serial", "workers", 1)
    coroutine = results.find(workload, "coroutine", "inflight", "all") \
        or results.find(workload, "coroutine", "workers", results.cores)
    return serial, coroutine


def claim_switching(results):
    claim = "Switching without I/O only slows the work down (two loops, a switch after every step)."
    figures, verdicts = [], []
    for name, label in (("switching", "C coroutines"), ("switching-py", "Python greenlet")):
        record = _demo(results, name)
        if record is None:
            continue
        figures.append(f"{label}, 2 x {record['steps']:,} steps: {_seconds(record['sequential_s'])} "
                       f"one after the other, {_seconds(record['switching_s'])} switching "
                       f"({record['slowdown']:.1f}x)")
        verdicts.append(record["slowdown"] >= 1.5)
    if not figures:
        return claim, "not measured (no demos/switching*.json in this run)", "not measured"
    return claim, "; ".join(figures), "holds" if all(verdicts) else "does not hold"


def claim_switch_cost(results):
    claim = "One C coroutine switch is at least 10x cheaper than a thread-to-thread hand-over."
    record = _demo(results, "switching")
    if record is None:
        return claim, "not measured", "not measured"
    figure = (f"coroutine switch {record['coroutine_switch_ns']:.0f} ns, thread hand-over "
              f"(condition variable) {record['thread_handover_ns']:.0f} ns "
              f"({record['handover_over_switch']:.0f}x)")
    return claim, figure, "holds" if record["handover_over_switch"] >= 10 else "does not hold"


def claim_generators(results):
    claim = "A yield-based producer/consumer is faster than plain calls (the notes: 21.9 s against 30.1 s)."
    figures, verdicts = [], []
    for name, label in (("generators-py", "Python generators"), ("generators", "C coroutines")):
        record = _demo(results, name)
        if record is None:
            continue
        figures.append(f"{label}, {record['items']:,} items: calls {_seconds(record['calls_s'])}, "
                       f"yield {_seconds(record['yielding_s'])} ({record['yielding_over_calls']:.2f}x)")
        verdicts.append((label, record["yielding_over_calls"] < 1))
    if not figures:
        return claim, "not measured", "not measured"
    holds = [label for label, faster in verdicts if faster]
    if len(holds) == len(verdicts):
        verdict = "holds"
    elif holds:
        verdict = f"holds for {', '.join(holds)} only"
    else:
        verdict = "does not hold"
    return claim, "; ".join(figures), verdict


def claim_sleepers(results):
    claim = "1000 coroutines sleeping 2 s take about 2 s (C, and gevent where timed)."
    duration = results.duration("sleep")
    figures, verdicts = [], []
    for model in ("coroutine", "py-gevent"):
        row = results.find("sleep", model, "tasks", 1000)
        if row is None or not duration:
            continue
        ratio = row["median_s"] / duration
        figures.append(f"{model}, 1000 x {duration:g} s: {_seconds(row['median_s'])} "
                       f"({ratio:.2f} durations)")
        verdicts.append(ratio < 5)
    if not figures:
        return claim, "not measured", "not measured"
    return claim, "; ".join(figures), "holds" if all(verdicts) else "does not hold"


def claim_hundred_thousand(results):
    claim = "100,000 coroutines sleeping 1 s take at most 1.10 s and under 64 MiB."
    row = results.find("sleep", "coroutine", "seconds", 1)
    if row is None or row["maxrss_kib"] is None:
        return claim, "not measured", "not measured"
    tasks = row["tasks"] or 100000
    per_task = (row["maxrss_kib"] * 1024) / tasks
    figure = (f"{_seconds(row['median_s'])}, peak RSS {row['maxrss_kib'] / MIB:.1f} MiB "
              f"({per_task:.0f} bytes a coroutine, the process's own base included)")
    timer = results.find("sleep", "eventloop", "seconds", 1)
    if timer is not None and timer["maxrss_kib"] is not None:
        figure += f"; the event loop's bare timers: {timer['maxrss_kib'] / MIB:.1f} MiB"
    holds = row["median_s"] <= 1.10 and row["maxrss_kib"] < 64 * MIB
    return claim, figure, "holds" if holds else "does not hold"


def claim_download(results):
    claim = "Coroutines download as fast as the event loop (within 1.1x; all 676 codes within 1.2x)."
    figures, verdicts = [], []
    for param, value, limit, label in (("mode", "DELAY", 1.1, "DELAY"), ("codes", "all", 1.2, "DELAY, -e")):
        coroutine = results.find("http", "coroutine", param, value)
        loop = results.find("http", "eventloop", param, value)
        if coroutine is None or loop is None:
            continue
        ratio = coroutine["median_s"] / loop["median_s"]
        figures.append(f"{label}: coroutine {_seconds(coroutine['median_s'])}, eventloop "
                       f"{_seconds(loop['median_s'])} ({ratio:.2f}x)")
        verdicts.append(ratio <= limit)
    if not figures:
        return claim, "not measured", "not measured"
    return claim, "; ".join(figures), "holds" if all(verdicts) else "does not hold"


def claim_cpu(results):
    claim = "Coroutines gain nothing on CPU-bound work (and lose at most 10 % to serial)."
    figures, verdicts = [], []
    for workload in ("primes", "sum"):
        serial, coroutine = _cpu_rows(results, workload)
        if serial is None or coroutine is None:
            continue
        ratio = coroutine["median_s"] / serial["median_s"]
        where = f"{coroutine['param']}={coroutine['value']}"
        figures.append(f"{workload}: {ratio:.2f}x serial's time ({where})")
        verdicts.append(0.87 <= ratio <= 1.10)
    # gevent against py-serial, at whatever parameter both were timed with
    for row in results.rows("primes", "py-gevent"):
        base = results.find("primes", "py-serial", row["param"], row["value"])
        if row["median_s"] is None or base is None:
            continue
        ratio = row["median_s"] / base["median_s"]
        figures.append(f"primes, gevent: {ratio:.2f}x py-serial's time ({row['param']}={row['value']})")
        verdicts.append(ratio >= 0.87)   # gains nothing; what it loses is Python's business
        break
    if not figures:
        return claim, "not measured", "not measured"
    return claim, "; ".join(figures), "holds" if all(verdicts) else "does not hold"


def claims(results):
    return [claim_switching(results), claim_switch_cost(results), claim_generators(results),
            claim_sleepers(results), claim_hundred_thousand(results), claim_download(results),
            claim_cpu(results)]


def lines(results, report_dir):
    del report_dir   # no files of its own
    measured = [row for workload in results.workloads()
                for row in results.rows(workload, "coroutine") if row["median_s"] is not None]
    demos = [name for name in ("switching", "switching-py", "generators", "generators-py")
             if _demo(results, name) is not None]
    if not measured and not demos:
        return []
    out = ["## Coroutines (issue 14)", "",
           "The coroutine model runs every task as a coroutine of bench/coro on one thread: "
           "a wait (sleep, a socket, a transfer) parks the coroutine on the epoll loop, "
           "the hub, which runs the others meanwhile. Every coroutine runs on one "
           "copied stack, as greenlet's do, so that a parked one costs a few hundred bytes. "
           "Figures from this run:", "",
           "| claim | measured | verdict |", "| --- | --- | --- |"]
    out += [f"| {claim} | {figure} | {verdict} |" for claim, figure, verdict in claims(results)]
    out += ["", "*gains nothing* = between 0.87x and 1.10x serial's time; *slows down* = at least "
            "1.5x the time of the same steps without switches; *about 2 s* = under 5 durations.", ""]
    return out
