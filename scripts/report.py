#!/usr/bin/python3
"""report.py RESULTS_DIR REPORT_PATH - writes the report (REPORT.md) of a results folder.

Every figure and every verdict in the report comes from the results folder;
the text around them only says what was measured and how to read it, so it
stays true on any machine. The claims table at the end takes each claim of
the Python notes, finds the rows that test it, and computes the verdict from
the measured numbers with the rule written beside it.
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results, headline_rows, karp_flatt_fit, median_of, speedup_of  # noqa: E402
import sections  # noqa: E402
import stats  # noqa: E402

KIND_TEXT = {
    "cpu": "CPU-bound: every task computes. More workers help up to the number of cores and "
           "no further; the event loop runs on one core by design.",
    "sleep": "Waiting, not computing: every task waits one duration. The ideal wall time is one "
             "duration, whatever the number of tasks; what grows is the cost of each waiter "
             "(a thread, a process, a timer).",
    "http": "I/O-bound: downloads from the project's flag server on loopback, in three modes "
            "(LOCAL answers at once, DELAY waits before answering, ERROR also fails some requests). "
            "Time is spent waiting for answers, so requests in flight matter, not cores.",
    "generic": "A workload without a benchmark configuration: every model once, at its default "
               "size, with one worker per core.",
}

PLOT_TEXT = {
    "time": "wall time per model at one size (box: quartiles, line: median, whiskers: min..max)",
    "speedup": "speedup against workers, log x, 95 % intervals (dashed: ideal; dotted: Amdahl's law with the serial "
               "fraction measured by Karp-Flatt)",
    "wall": "wall time against tasks (log-log; dashed: one duration)",
    "memory": "peak memory against tasks (PSS summed over the process tree, shared pages counted "
              "once; in older folders: parent + workers x largest child's RSS, an upper bound)",
    "modes": "time per model and server mode",
    "errors": "failed flags under the ERROR server, totals over the recorded runs (check and last timed), 95 % Clopper-Pearson interval, against the configured rate",
    "concurrency": "time against requests in flight, DELAY server (dashed: ideal ceil(flags / c) x delay)",
}


def seconds(value):
    if value is None:
        return "–"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 0.1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms"


def seconds_interval(interval):
    """'0.142 s [0.140, 0.143]' in the unit of the estimate."""
    if interval.estimate >= 0.1:
        unit, factor, digits = " s", 1, 3 if interval.estimate < 10 else 1
    else:
        unit, factor, digits = " ms", 1000, 1 if interval.estimate * 1000 >= 10 else 2
    return interval.scaled(factor).text(unit, digits)


def times(value):
    return "–" if value is None else f"{value:.2f}x"


def mib(row):
    if row["maxrss_kib"] is None:
        return "–"
    text = f"{row['maxrss_kib'] / 1024:.1f}"
    if row["children_maxrss_kib"]:
        text += f" (+{row['children_maxrss_kib'] / 1024:.1f}/child)"
    if row.get("pss_kib"):
        text += f"; tree PSS {row['pss_kib'] / 1024:.1f}"
    return text


# ---- the statistics of a row (scripts/stats.py) --------------------------

def row_flags(results, row):
    """What a careful reader should know about a row's figures."""
    flags = []
    if row.get("times") and stats.cv(row["times"]) > 0.05:
        flags.append(f"CV {stats.cv(row['times']) * 100:.0f} % > 5 %")
    if row["runs"] is not None and row["runs"] < 6:
        flags.append(f"{row['runs']:.0f} runs: interval is min..max")
    base = results.baseline(row)
    if base is not None and base is not row and base["runs"] is not None and row["runs"] is not None \
            and base["runs"] < row["runs"]:
        flags.append(f"baseline has {base['runs']:.0f} runs < {row['runs']:.0f}")
    speedup = speedup_of(results, row)
    workers = workers_of(row)
    if speedup is not None and workers and speedup.low / workers > 1.0 and base is not row:
        flags.append("**superlinear** beyond its interval: suspect")
    if results.disturbed(row["workload"]):
        flags.append("machine disturbed")
    return flags


def workers_of(row):
    if row["param"] == "workers":
        try:
            return float(row["value"])
        except ValueError:
            return None
    return row["workers"]


def workload_table(results, workload):
    lines = ["| model | parameter | runs | median [95 % CI] | CV | speedup [95 % CI] | efficiency | "
             "CPU time | peak RSS, MiB | context switches (vol/invol) | own clock | notes |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for model in results.models(workload):
        for row in results.rows(workload, model):
            if row["median_s"] is None:
                lines.append(f"| {model} | {row['param']}={row['value']} | | **{row['status']}** "
                             "| | | | | | | | |")
                continue
            switches = "–" if row["vol_ctx"] is None else f"{row['vol_ctx']:.0f} / {row['invol_ctx']:.0f}"
            speedup = speedup_of(results, row)
            workers = workers_of(row)
            if results.baseline(row) is row:
                speedup = None   # the baseline itself
            efficiency = "–" if speedup is None or not workers else f"{speedup.estimate / workers * 100:.0f} %"
            cv = "–" if row["cv"] is None else f"{row['cv'] * 100:.1f} %"
            runs = f"{row['runs']:.0f}" + (f" (+{row['warmup']:.0f})" if row.get("warmup") else "")
            lines.append(
                f"| {model} | {row['param']}={row['value']} | {runs} | {seconds_interval(median_of(row))} | "
                f"{cv} | {('baseline' if results.baseline(row) is row else '–') if speedup is None else speedup.text('x')} | "
                f"{efficiency} | {seconds(row['cpu_s'])} | {mib(row)} | {switches} | "
                f"{'–' if row.get('own_wall_s') is None else seconds(row['own_wall_s'])} | "
                f"{'; '.join(row_flags(results, row))} |")
    return lines


def plot_lines(results, workload, report_dir):
    lines = []
    for name, caption in PLOT_TEXT.items():
        for png in sorted(glob.glob(os.path.join(results.directory, "plots", f"{workload}-{name}*.png"))):
            relative = os.path.relpath(png, report_dir)
            suffix = os.path.basename(png)[len(workload) + len(name) + 1:-4].lstrip("-")
            text = f"{caption} ({suffix})" if suffix else caption
            lines.append(f"![{workload}: {text}]({relative})  ")
            lines.append(f"*{workload}: {text}* ([SVG]({relative[:-4]}.svg))")
            lines.append("")
    return lines


# ---- "fastest", only where a test says so --------------------------------

def fastest(results, workload, candidates=None):
    """(text, best label or None, tied labels) at the headline parameter.

    The row with the lowest median is called fastest only when a two-sided
    Mann-Whitney U test separates it from every other row at p < 0.05;
    rows it does not separate are tied with it."""
    param, value = results.headline(workload)
    # only rows at the headline size (serial's one worker is the baseline of a workers scan)
    rows = [(label, row) for label, row in (candidates or headline_rows(results, workload))
            if (row["param"] == param and row["value"] == value)
            or (param == "workers" and row["param"] == "workers")]
    if not rows:
        return None, None, []
    rows.sort(key=lambda item: item[1]["median_s"])
    (best_label, best), others = rows[0], rows[1:]
    best_text = f"**{best_label}**, {seconds_interval(median_of(best))}"
    if results.disturbed(workload):
        return (f"lowest median: {best_text}; **no fastest called (machine disturbed)**",
                None, [])
    tied, ahead, untested = [], [], []
    for label, row in others:
        if best.get("times") and row.get("times"):
            result = stats.compare(best["times"], row["times"])
            if not result.tested:
                untested.append((label, result))
            elif result.faster == "a":
                ahead.append((label, result))
            else:
                tied.append((label, result))
        elif row["median_s"] > best["median_s"]:
            ahead.append((label, None))
        else:
            tied.append((label, None))
    if tied or untested:
        names = ", ".join(f"{label} ({result.text() if result else 'no runs to test'})"
                          for label, result in tied + untested)
        word = "**tied**" if tied else "lowest median, **not called**"
        return (f"{word}: {best_text}, not separated from {names}", None,
                [best_label] + [t[0] for t in tied + untested])
    runner = ahead[0] if ahead else None
    margin = f", ahead of {runner[0]} ({runner[1].text() if runner[1] else 'medians only'})" if runner else ""
    return f"{best_text}{margin}", best_label, []


# ---- the claims ----------------------------------------------------------

def scaling_threshold(cores):
    """A speedup that counts as "uses the extra cores": half of each extra core."""
    return 1 + 0.5 * (cores - 1)


def speedup_row(results, workload, model):
    """The row that says how much a model gains: one worker per core, or, for
    rows timed at a size of their own (Python), the one with the most runs."""
    row = results.find(workload, model, "workers", results.cores)
    if row is None:
        rows = [r for r in results.rows(workload, model)
                if r["median_s"] is not None and results.baseline(r) is not None
                and not r["param"].startswith("notes-")]
        rows.sort(key=lambda r: -(r["runs"] or 0))
        row = rows[0] if rows else None
    return row


def margin_text(verdict, interval, threshold, direction, unit="x"):
    sign = "≥" if direction == "at least" else "≤"
    return f"**{verdict}**: {interval.text(unit)} (rule: {sign} {threshold:.2f}{unit})"


def combine(parts):
    """One verdict from per-workload verdicts (each holds, does not hold,
    inconclusive...)."""
    kinds = {verdict for verdict, _ in parts}
    if any(verdict.startswith("inconclusive (machine") for verdict in kinds):
        return "inconclusive (machine disturbed)"
    if any(verdict.startswith("inconclusive (too few") for verdict in kinds):
        return "inconclusive (too few runs)"
    if kinds == {"holds"}:
        return "holds"
    if kinds == {"does not hold"}:
        return "does not hold"
    if "inconclusive" in kinds:
        return "inconclusive"
    return "partly (differs by workload)"


def claim_parallel(results, model, holds_if_fast, claim):
    """A CPU-bound claim about a model: measured on primes and sum, if present."""
    figures, parts = [], []
    threshold = scaling_threshold(results.cores)
    for workload in ("primes", "sum"):
        row = speedup_row(results, workload, model)
        speedup = speedup_of(results, row) if row else None
        if speedup is None:
            continue
        base = "py-serial" if model.startswith("py-") else "serial"
        where = "" if row["param"] == "workers" else f", {row['param']}={row['value']}"
        figures.append(f"{workload}: {speedup.text('x')} {base} with {row['workers']:.0f} workers{where}")
        fast = stats.verdict(speedup, threshold, "at least", results.disturbed(workload))
        if fast in ("holds", "does not hold") and not holds_if_fast:
            fast = "does not hold" if fast == "holds" else "holds"
        parts.append((fast, f"{workload} {speedup.text('x')}"))
    if not figures:
        return claim, "not measured", "not measured"
    if results.cores < 2:
        return claim, "; ".join(figures), "not testable on 1 core"
    verdict = combine(parts)
    if verdict == "does not hold" and not model.startswith("py-"):
        verdict += " in C"
    rule = f"{'≥' if holds_if_fast else '<'} {threshold:.2f}x"
    return claim, "; ".join(figures) + f" (rule: speedup {rule})", verdict


def claim_eventloop_cpu(results):
    figures, parts = [], []
    for workload in ("primes", "sum"):
        row = results.find(workload, "eventloop", "workers", results.cores)
        speedup = speedup_of(results, row) if row else None
        if speedup is not None:
            figures.append(f"{workload}: {speedup.text('x')} serial with {results.cores} workers")
            parts.append((stats.verdict(speedup, 1.15, "at most", results.disturbed(workload)), workload))
    claim = "An event loop (asyncio) gains nothing on CPU-bound work."
    if not figures:
        return claim, "not measured", "not measured"
    return claim, "; ".join(figures) + " (rule: ≤ 1.15x)", combine(parts)


NOTES_SLEEP = 2.0   # the notes' sleep: 1000 tasks of 2 s


def claim_sleepers(results, model, claim, holds_if_slow, language=" in C"):
    """The notes time 1000 tasks of 2 s; the statistics rows wait a shorter
    duration d. What a model adds to the duration does not depend on it, so
    the wall time at 2 s is estimated as 2 s + (wall - d), with the interval
    of the row's median; the rule: about 25 s = at least 5 x 2 s."""
    row = results.find("sleep", model, "tasks", 1000)
    duration = results.duration_of(row) if row else None
    if row is None or not duration:
        return claim, "not measured", "not measured"
    median = median_of(row)
    offset = NOTES_SLEEP - duration
    at_notes = stats.Interval(median.estimate + offset, median.low + offset, median.high + offset,
                              median.coverage, median.runs)
    durations = at_notes.scaled(1 / NOTES_SLEEP)
    figure = (f"1000 x {duration:g} s: {seconds_interval(median)} over {row['runs']:.0f} runs, "
              f"so 1000 x 2 s ≈ {at_notes.text(' s')} ({durations.text(' durations', 1)})")
    slow = stats.verdict(durations, 5, "at least", results.disturbed("sleep"))
    if slow in ("holds", "does not hold") and not holds_if_slow:
        slow = "does not hold" if slow == "holds" else "holds"
    if slow == "does not hold":
        slow += language
    return claim, figure + f" (rule: {'≥' if holds_if_slow else '<'} 5 durations)", slow


def claim_download(results, model, claim):
    fast = results.find("http", model, "mode", "DELAY")
    base_model = "py-serial" if model.startswith("py-") else "serial"
    base = results.find("http", base_model, "mode", "DELAY")
    if fast is None or base is None:
        return claim, "not measured", "not measured"
    if fast.get("times") and base.get("times"):
        ratio = stats.ratio_ci(base["times"], fast["times"])
    else:
        value = base["median_s"] / fast["median_s"]
        ratio = stats.Interval(value, value, value, 0.0, 0)
    result = base["result"] or {}
    flags = sum(result.get(key, 0) for key in ("ok", "not_found", "errors")) or 1
    threshold = max(2.0, flags / 2)
    figure = (f"DELAY, {flags} flags: {base_model} {seconds(base['median_s'])}, "
              f"{model} {seconds(fast['median_s'])}: {ratio.text('x')} (rule: ≥ {threshold:.1f}x)")
    return claim, figure, stats.verdict(ratio, threshold, "at least", results.disturbed("http"))


def claim_process_per_task(results):
    claim = "One process per task costs more than one thread per task (sum: 300 of each)."
    rows = {}
    for model in ("pthread", "fork"):
        values = [float(row["value"]) for row in results.rows("sum", model)
                  if row["param"] == "workers" and row["median_s"] is not None]
        if values:
            rows[model] = results.find("sum", model, "workers", f"{max(values):g}")
    if len(rows) < 2 or rows["pthread"]["value"] != rows["fork"]["value"] or float(rows["fork"]["value"]) <= results.cores * 2:
        return claim, "not measured", "not measured"
    threads, processes = rows["pthread"], rows["fork"]
    if threads.get("times") and processes.get("times"):
        ratio = stats.ratio_ci(processes["times"], threads["times"])
    else:
        value = processes["median_s"] / threads["median_s"]
        ratio = stats.Interval(value, value, value, 0.0, 0)
    figure = (f"{threads['value']} threads {seconds(threads['median_s'])}, "
              f"{processes['value']} processes {seconds(processes['median_s'])}: {ratio.text('x')} "
              "(rule: ≥ 1.10x)")
    verdict = stats.verdict(ratio, 1.1, "at least", results.disturbed("sum"))
    if verdict == "does not hold":
        verdict += " in C (the difference is within 10 %)"
    return claim, figure, verdict


def claims(results):
    python = any(model.startswith("py-") for w in results.workloads() for model in results.models(w))
    rows = [claim_parallel(results, "pthread", False,
                           "Threads do not speed up CPU-bound work (the GIL).")]
    if python:
        rows.append(claim_parallel(results, "py-threads", False,
                                   "Threads do not speed up CPU-bound work: Python threads."))
    rows.append(claim_parallel(results, "fork", True, "Processes do speed up CPU-bound work."))
    if python:
        rows.append(claim_parallel(results, "py-processes", True,
                                   "Processes do speed up CPU-bound work: Python processes."))
    rows.append(claim_eventloop_cpu(results))
    rows.append(claim_process_per_task(results))
    rows.append(claim_sleepers(results, "pthread", "1000 threads sleeping 2 s take about 2 s.", False))
    rows.append(claim_sleepers(results, "fork", "1000 processes sleeping 2 s take about 25 s.", True))
    if python:
        rows.append(claim_sleepers(results, "py-processes",
                                   "1000 processes sleeping 2 s take about 25 s: Python processes.", True, ""))
    rows.append(claim_download(results, "pthread", "A thread pool downloads many times faster than sequential code."))
    rows.append(claim_download(results, "eventloop", "An event loop (asyncio) downloads many times faster than sequential code."))
    if python:
        rows.append(claim_download(results, "py-threads", "A thread pool downloads many times faster: Python threads."))
        rows.append(claim_download(results, "py-asyncio", "asyncio downloads many times faster: Python asyncio."))
    return rows


CLAIM_RULES = [
    "*speeds up* = at least 1 + 0.5 x (cores - 1) times faster than serial with one worker per core;",
    "*gains nothing* = at most 1.15x serial;",
    "*about 2 s* = under 5 durations, *about 25 s* = 5 durations or more, for 1000 tasks of the "
    "notes' 2 s, estimated from the statistics rows' shorter duration as 2 s + (wall - duration);",
    "*many times faster* = under the DELAY server, at least half as many times faster than the "
    "sequential variant of the same language as there are flags (the most it could gain), and at least 2x;",
    "*costs more* = at least 10 % slower.",
    "Every figure is a ratio of medians (or a median) with its 95 % interval; a verdict **holds** "
    "or **does not hold** only when the whole interval is on one side of the rule's threshold, "
    "and is **inconclusive** when the interval straddles it, or when the noise guard found the "
    "machine disturbed while the rows were timed.",
]


# ---- the report ----------------------------------------------------------

def calibration_text(results):
    found = results.calibrations
    if not found:
        return "not measured (no bin/tools/calibrate)"
    figures = ", ".join(f"{c['parallelism']:.2f} {c.get('label', '')}".strip() for c in found)
    lowest = min(c["parallelism"] for c in found)
    text = f"{figures} (of {results.cores} CPUs; disturbed below {0.9 * results.cores:.2f})"
    if results.disturbed():
        text += f": **disturbed** (lowest {lowest:.2f})"
    return text


def machine_lines(results):
    machine = results.machine
    memory = machine.get("memory_kib")
    steal = machine.get("steal_fraction")
    rows = [
        ("CPU", f"{machine.get('cpu_model', '?')}, {machine.get('nproc', '?')} CPUs online"),
        ("topology", f"{machine.get('sockets', '?')} socket(s), {machine.get('cores_per_socket', '?')} "
                     f"core(s) per socket, {machine.get('threads_per_core', '?')} thread(s) per core; "
                     f"SMT siblings: {' | '.join(machine.get('smt_siblings', [])) or '?'}"
                     if "sockets" in machine else "not recorded"),
        ("frequency", f"{machine.get('cpu_mhz', 'not recorded')} MHz; governor "
                      f"{machine.get('governor', 'not recorded')}; boost {machine.get('boost', 'not recorded')}"),
        ("virtualisation", machine.get("virtualisation", "not recorded")),
        ("memory", f"{memory / 1048576:.1f} GiB" if memory else "?"),
        ("kernel", machine.get("kernel", "?")),
        ("compiler", f"{machine.get('compiler', '?')}; `{machine.get('build_flags', '?')}`; "
                     f"{machine.get('libgomp', 'libgomp not recorded')}"),
        ("Python", f"{machine.get('python', 'not recorded')}"
                   + ("" if "python_free_threaded" not in machine else
                      ", free-threaded" if machine["python_free_threaded"] else ", with the GIL (not free-threaded)")),
        ("tools", f"{machine.get('hyperfine', '?')}; {machine.get('gnuplot', '?')}"),
        ("commit", machine.get("git_commit", "?")),
        ("date", machine.get("date", "?")),
        ("load", f"{machine.get('load_average', '?')} at start, {machine.get('load_average_after', '?')} "
                 "after (1, 5, 15 min)" + (": **the machine was busy**" if machine.get("busy_at_start") else "")),
        ("steal time", "not recorded" if steal is None else f"{steal * 100:.1f} % of CPU time over the run"),
        ("noise guard", calibration_text(results)),
        ("pinning", machine.get("pinning", f"taskset {machine.get('pinned_cpus', 'no')}; "
                                           f"OMP_PROC_BIND={machine.get('omp_proc_bind', 'unset')}")),
    ]
    return ["| | |", "| --- | --- |"] + [f"| {name} | {value} |" for name, value in rows]


def runs_text(results):
    """Runs and warm-ups, per workload and parameter, as they were."""
    parts = []
    for workload in results.workloads():
        groups = {}
        for row in results.rows(workload):
            if row["runs"] is None:
                continue
            key = (int(row["runs"]), int(row["warmup"] or 0))
            groups.setdefault(key, set()).add(row["param"])
        if groups:
            text = "; ".join(f"{runs} after {warmup} warm-up ({', '.join(sorted(params))})"
                             for (runs, warmup), params in sorted(groups.items(), reverse=True))
            parts.append(f"{workload}: {text}")
    return ". ".join(parts) if parts else "no timed rows"


def method_lines(results):
    size = results.run.get("size", results.machine.get("size", "?"))
    return [
        f"Size: **{size}** (`make bench`: full; `QUICK=1`: quick). Every case was first run once "
        "at the size it is timed at, and its answer checked: the exit status, the `--json` "
        "record's keys, `verified`, and for the CPU-bound workloads the result itself against "
        "serial's. A case that failed is not timed and is listed below.",
        "",
        f"Timing: [hyperfine](https://github.com/sharkdp/hyperfine), no shell (`-N`). Timed runs "
        f"per row, as run: {runs_text(results)}. Wall time "
        "is the whole process, start-up included. Rows that enter a ratio or a verdict are timed "
        "at sizes that afford their runs (Python, sleep at a short duration, downloads against a "
        "short server delay); the notes' own sizes are the `notes-*` headline rows, with fewer runs "
        "and no verdict resting on them. CPU time is hyperfine's mean user + system "
        "time (children included); peak RSS and context switches come from the variant's own "
        "`--json` record of its last timed run (for process models, the parent's and the largest "
        "child's peak). *Own clock* is that record's `wall_s`, the variant's own measure of its "
        "work: for sort it leaves out making the input and checking the output. Pinning: "
        f"{results.machine.get('pinning', 'not recorded')}.",
        "",
        "Statistics (scripts/stats.py, scipy and numpy): each median with a 95 % distribution-free "
        "interval from order statistics (with fewer than 6 runs no such interval reaches 95 %: it "
        "is then min..max, flagged); each speedup or ratio is a ratio of medians with a 95 % "
        "bootstrap interval (4000 resamples of both rows, fixed seed); *fastest* is called only "
        "where a two-sided Mann-Whitney U test separates the row from every other at p < 0.05, "
        "otherwise the rows are **tied** (or, with too few runs for the test to reach p < 0.05 at "
        "all, such as 3 against 3, *not called*); no verdict rests on fewer than 5 runs of a row "
        "(*inconclusive (too few runs)*). Speedup is the median of `serial` (of `py-serial` for "
        "Python rows) at the same size over the row's median; efficiency is speedup / workers. "
        "Notes flag a CV above 5 %, an efficiency above 100 % beyond its interval (superlinear: "
        "suspect), a baseline with fewer runs than the row, and rows timed while the noise guard "
        "found the machine disturbed.",
        "",
        "Noise guard: before each workload and after the last, bin/tools/calibrate spins a fixed "
        "loop on one thread and on one pinned thread per CPU at once; the parallel capacity is "
        "CPUs x (one thread's time / all threads' time). Below 0.9 x CPUs the machine was not all "
        "ours: the workload's rows are marked, no fastest is called and their verdicts read "
        "*inconclusive (machine disturbed)*.",
    ]


def python_table(results):
    lines = []
    for workload in results.workloads():
        pairs = []
        for model in results.models(workload):
            if not model.startswith("py-"):
                continue
            c_model = {"py-serial": "serial", "py-threads": "pthread", "py-processes": "fork",
                       "py-asyncio": "eventloop"}.get(model)
            param, value = results.headline(workload)
            python_row = results.find(workload, model, param, value) if param else None
            if python_row is None:
                candidates = [r for r in results.rows(workload, model) if r["median_s"] is not None
                              and not r["param"].startswith("notes-")]
                candidates.sort(key=lambda r: -(r["runs"] or 0))   # the statistics row, not a headline
                python_row = candidates[0] if candidates else None
            if python_row is None or c_model is None:
                continue
            c_row = results.find(workload, c_model, python_row["param"], python_row["value"])
            if c_row is None and python_row["param"] == "workers" and c_model == "serial":
                c_row = results.find(workload, c_model, "workers")
            if c_row is None:
                continue
            pairs.append((model, c_model, python_row, c_row))
        for model, c_model, py, c in pairs:
            if c.get("times") and py.get("times"):
                ratio = stats.ratio_ci(c["times"], py["times"]).text("", 3)
            else:
                ratio = f"{c['median_s'] / py['median_s']:.3f}"
            lines.append(f"| {workload} | {c_model} / {model} | {py['param']}={py['value']} | "
                         f"{seconds(c['median_s'])} | {seconds(py['median_s'])} | "
                         f"{ratio} | {seconds(c['cpu_s'])} | {seconds(py['cpu_s'])} | "
                         f"{mib(c)} | {mib(py)} |")
    if not lines:
        return []
    return ["## C vs Python, same model, same work", "",
            "| workload | models | parameter | C | Python | C/Python time [95 % CI] | C CPU | Python CPU | "
            "C peak RSS, MiB | Python peak RSS, MiB |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + lines + [""]


JOBS = {"cpu": "CPU-bound", "sleep": "waiting (many sleepers)", "http": "downloads (I/O-bound)"}


def which_model_lines(results):
    """The opening table: kind of work -> the fastest model at the headline
    size (or the tie), by how much against serial, with its interval."""
    lines = []
    for workload in results.workloads():
        kind = results.kind(workload)
        c_rows = [(label, row) for label, row in headline_rows(results, workload)
                  if not row["model"].startswith("py-")]
        text, best, tied = fastest(results, workload, c_rows)
        if text is None:
            continue
        names = [best] if best else (tied if text.startswith("**tied**") else tied[:1])
        caveat = []
        if results.disturbed(workload):
            caveat.append("machine disturbed: not called")
        if tied and text.startswith("**tied**"):
            caveat.append("tied: no test separates them")
        elif tied:
            caveat.append("too few runs to test: not called")
        figures = []
        for label in names:
            row = dict(c_rows)[label]
            speedup = speedup_of(results, row)
            if speedup is not None and row["model"] != "serial":
                figures.append(f"{label} {speedup.text('x')}")
        winner = ("–" if not names else " = ".join(f"**{name}**" for name in names))
        lines.append(f"| {JOBS.get(kind, kind)}: {workload} ({results.headline_text(workload)}) | "
                     f"{winner} | {'; '.join(figures) or '–'} | {'; '.join(caveat) or '–'} |")
    if not lines:
        return []
    return ["## Which model for which job", "",
            "The C model with the lowest median at each workload's headline size, if a "
            "Mann-Whitney U test separates it from the others (p < 0.05); else the tied models. "
            "Speedup: serial's median over the model's, with its 95 % interval.", "",
            "| kind of work | best model | speedup against serial [95 % CI] | caveat |",
            "| --- | --- | --- | --- |"] + lines + [""]


def report(results, report_dir):
    status = results.run.get("status", "unknown")
    out = ["# Which concurrency model, for which work: measured", "",
           f"Generated by `make report` from `{os.path.relpath(results.directory, report_dir)}` "
           f"(run status: **{status}**). Do not edit by hand: rerun `make bench`.", ""]
    if status == "partial":
        out += ["> **This run was interrupted**: only the cases that finished are here.", ""]
    out += [f"Noise guard (parallel capacity found by bin/tools/calibrate): {calibration_text(results)}.", ""]
    if results.disturbed():
        bad = [w for w in results.workloads() if results.disturbed(w)]
        out += [f"> **Machine disturbed**: a calibration found less than 0.9 x {results.cores} CPUs "
                f"around {', '.join(bad) or 'the run'}; those rows are marked and their verdicts "
                "read *inconclusive (machine disturbed)*. Rerun on a quiet machine.", ""]
    out += which_model_lines(results)
    out += ["## Machine", ""] + machine_lines(results) + [""]
    out += ["## Method", ""] + method_lines(results) + [""]
    failed = results.failed()
    if failed:
        out += ["## Failed cases (not timed)", ""]
        out += [f"- `{row['workload']}-{row['model']}` {row['param']}={row['value']}: {row['status']}"
                for row in failed]
        out += [""]
    for workload in results.workloads():
        kind = results.kind(workload)
        out += [f"## {workload}", "", KIND_TEXT.get(kind, KIND_TEXT["generic"]), ""]
        text, _, _ = fastest(results, workload)
        if text:
            out += [f"Fastest at {results.headline_text(workload)}: {text}.", ""]
        fit = karp_flatt_fit(results, workload) if kind == "cpu" else None
        if fit:
            out += [f"Serial fraction measured with Karp-Flatt ({fit[0]}): {fit[1]:.3f}; Amdahl's "
                    f"law then bounds the speedup at {1 / max(fit[1], 1e-9):.0f}x on any number of cores."
                    if fit[1] > 0.001 else
                    f"Serial fraction measured with Karp-Flatt ({fit[0]}): {fit[1]:.3f} (no measurable serial part).", ""]
        out += workload_table(results, workload) + [""]
        out += plot_lines(results, workload, report_dir)
    for section in sections.modules():   # scripts/sections/*.py: sections of their own
        out += section.lines(results, report_dir)
    out += python_table(results)
    out += ["## What the notes claimed, and what C shows", "",
            "Each verdict is computed from the rows above by these rules: " + " ".join(CLAIM_RULES), "",
            "| claim from the notes | measured here | verdict |", "| --- | --- | --- |"]
    out += [f"| {claim} | {figure} | **{verdict}** |" for claim, figure, verdict in claims(results)]
    out += ["", "In C there is no global interpreter lock: where the notes blame the GIL, C threads "
            "are expected to scale like processes; where the notes show the cost of a process or "
            "a thread per task, that cost is the operating system's and is measured above.", ""]
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULTS_DIR REPORT_PATH")
    results = Results(sys.argv[1])
    if not results.workloads():
        sys.exit(f"report.py: no <workload>.csv in {sys.argv[1]}")
    path = sys.argv[2]
    text = report(results, os.path.dirname(os.path.abspath(path)))
    with open(path + ".tmp", "w") as file:
        file.write(text)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
