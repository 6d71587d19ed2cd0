#!/usr/bin/python3
"""report.py RESULTS_DIR REPORT_PATH - writes the report (REPORT.md) of a results folder.

Every figure and every verdict in the report comes from the results folder;
the text around them only says what was measured and how to read it, so it
stays true on any machine. The claims table at the end takes each claim of
the Python notes, finds the rows that test it, and computes the verdict from
the measured numbers with the rule written beside it.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results, headline_rows, karp_flatt_fit  # noqa: E402
import sections  # noqa: E402

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
    "time": "median wall time per model",
    "speedup": "speedup against workers (dashed: ideal; dotted: Amdahl's law with the serial "
               "fraction measured by Karp-Flatt)",
    "wall": "wall time against tasks (log-log; dashed: one duration)",
    "memory": "peak memory against tasks (process models: parent + workers x largest child's peak, "
              "an upper bound since forked processes share pages)",
    "modes": "time per model and server mode",
    "errors": "ok / not found / error counts under the ERROR server",
    "concurrency": "time against requests in flight, DELAY server",
}


def seconds(value):
    if value is None:
        return "–"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 0.1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms"


def times(value):
    return "–" if value is None else f"{value:.2f}x"


def mib(row):
    if row["maxrss_kib"] is None:
        return "–"
    text = f"{row['maxrss_kib'] / 1024:.1f}"
    if row["children_maxrss_kib"]:
        text += f" (+{row['children_maxrss_kib'] / 1024:.1f}/child)"
    return text


def workload_table(results, workload):
    lines = ["| model | parameter | median | min .. max | CV | speedup | efficiency | CPU time | "
             "peak RSS, MiB | context switches (vol/invol) | own clock |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for model in results.models(workload):
        for row in results.rows(workload, model):
            if row["median_s"] is None:
                lines.append(f"| {model} | {row['param']}={row['value']} | **{row['status']}** "
                             "| | | | | | | | |")
                continue
            switches = "–" if row["vol_ctx"] is None else f"{row['vol_ctx']:.0f} / {row['invol_ctx']:.0f}"
            efficiency = "–" if row["efficiency"] is None else f"{row['efficiency'] * 100:.0f} %"
            cv = "–" if row["cv"] is None else f"{row['cv'] * 100:.1f} %"
            lines.append(
                f"| {model} | {row['param']}={row['value']} | {seconds(row['median_s'])} | "
                f"{seconds(row['min_s'])} .. {seconds(row['max_s'])} | {cv} | {times(row['speedup'])} | "
                f"{efficiency} | {seconds(row['cpu_s'])} | {mib(row)} | {switches} | "
                f"{'–' if row.get('own_wall_s') is None else seconds(row['own_wall_s'])} |")
    return lines


def plot_lines(results, workload, report_dir):
    lines = []
    for name, caption in PLOT_TEXT.items():
        png = os.path.join(results.directory, "plots", f"{workload}-{name}.png")
        if os.path.exists(png):
            relative = os.path.relpath(png, report_dir)
            lines.append(f"![{workload}: {caption}]({relative})  ")
            lines.append(f"*{workload}: {caption}* ([SVG]({relative[:-4]}.svg))")
            lines.append("")
    return lines


# ---- the claims ----------------------------------------------------------

def scaling_threshold(cores):
    """A speedup that counts as "uses the extra cores": half of each extra core."""
    return 1 + 0.5 * (cores - 1)


def speedup_row(results, workload, model):
    """The row that says how much a model gains: one worker per core, or, for
    rows timed at a size of their own (Python), the first with a speedup."""
    row = results.find(workload, model, "workers", results.cores)
    if row is None:
        rows = [r for r in results.rows(workload, model) if r["speedup"] is not None]
        row = rows[0] if rows else None
    return row if row and row["speedup"] is not None else None


def claim_parallel(results, model, holds_if_fast, claim):
    """A CPU-bound claim about a model: measured on primes and sum, if present."""
    figures, verdicts = [], []
    for workload in ("primes", "sum"):
        row = speedup_row(results, workload, model)
        if row is None:
            continue
        base = "py-serial" if model.startswith("py-") else "serial"
        where = "" if row["param"] == "workers" else f", {row['param']}={row['value']}"
        figures.append(f"{workload}: {row['speedup']:.2f}x {base} with {row['workers']:.0f} workers{where}")
        fast = row["speedup"] >= scaling_threshold(results.cores)
        verdicts.append(fast)
    if not figures:
        return claim, "not measured", "not measured"
    if results.cores < 2:
        return claim, "; ".join(figures), "not testable on 1 core"
    if all(v == holds_if_fast for v in verdicts):
        verdict = "holds"
    elif all(v != holds_if_fast for v in verdicts):
        verdict = "does not hold" + ("" if model.startswith("py-") else " in C")
    else:
        verdict = "partly (differs by workload)"
    return claim, "; ".join(figures), verdict


def claim_eventloop_cpu(results):
    figures, verdicts = [], []
    for workload in ("primes", "sum"):
        row = results.find(workload, "eventloop", "workers", results.cores)
        if row is not None and row["speedup"] is not None:
            figures.append(f"{workload}: {row['speedup']:.2f}x serial with {results.cores} workers")
            verdicts.append(row["speedup"] <= 1.15)
    claim = "An event loop (asyncio) gains nothing on CPU-bound work."
    if not figures:
        return claim, "not measured", "not measured"
    return claim, "; ".join(figures), "holds" if all(verdicts) else "does not hold"


def sleep_row(results, model):
    row = results.find("sleep", model, "tasks", 1000)
    return row, results.duration("sleep")


def claim_sleepers(results, model, claim, holds_if_slow, language=" in C"):
    row, duration = sleep_row(results, model)
    if row is None or not duration:
        return claim, "not measured", "not measured"
    ratio = row["median_s"] / duration
    figure = f"1000 x {duration:g} s: {seconds(row['median_s'])} ({ratio:.1f} durations)"
    slow = ratio >= 5
    if slow == holds_if_slow:
        return claim, figure, "holds"
    return claim, figure, "does not hold" + language


def claim_download(results, model, claim):
    fast = results.find("http", model, "mode", "DELAY")
    base_model = "py-serial" if model.startswith("py-") else "serial"
    base = results.find("http", base_model, "mode", "DELAY")
    if fast is None or base is None:
        return claim, "not measured", "not measured"
    ratio = base["median_s"] / fast["median_s"]
    result = base["result"] or {}
    flags = sum(result.get(key, 0) for key in ("ok", "not_found", "errors")) or 1
    figure = (f"DELAY, {flags} flags: {base_model} {seconds(base['median_s'])}, "
              f"{model} {seconds(fast['median_s'])} ({ratio:.1f}x)")
    return claim, figure, "holds" if ratio >= max(2.0, flags / 2) else "does not hold"


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
    ratio = processes["median_s"] / threads["median_s"]
    figure = (f"{threads['value']} threads {seconds(threads['median_s'])}, "
              f"{processes['value']} processes {seconds(processes['median_s'])} ({ratio:.2f}x)")
    return claim, figure, "holds" if ratio >= 1.1 else "does not hold in C (the difference is within 10 %)"


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
    "*about 2 s* = under 5 durations, *about 25 s* = 5 durations or more (the sleep rows use the "
    "duration in the table, 2 s in a full run);",
    "*many times faster* = under the DELAY server, at least half as many times faster than the "
    "sequential variant of the same language as there are flags (the most it could gain), and at least 2x;",
    "*costs more* = at least 10 % slower.",
]


# ---- the report ----------------------------------------------------------

def machine_lines(results):
    machine = results.machine
    memory = machine.get("memory_kib")
    rows = [
        ("CPU", f"{machine.get('cpu_model', '?')}, {machine.get('nproc', '?')} cores online"),
        ("memory", f"{memory / 1048576:.1f} GiB" if memory else "?"),
        ("kernel", machine.get("kernel", "?")),
        ("compiler", f"{machine.get('compiler', '?')}; `{machine.get('build_flags', '?')}`"),
        ("tools", f"{machine.get('hyperfine', '?')}; {machine.get('gnuplot', '?')}"),
        ("commit", machine.get("git_commit", "?")),
        ("date", machine.get("date", "?")),
        ("load at start", f"{machine.get('load_average', '?')} (1, 5, 15 min)"
                          + (": **the machine was busy**" if machine.get("busy_at_start") else "")),
        ("pinned", machine.get("pinned_cpus", "no")),
        ("OpenMP threads", f"`OMP_PROC_BIND={machine['omp_proc_bind']}`"
                           if "omp_proc_bind" in machine else "not recorded"),
    ]
    return ["| | |", "| --- | --- |"] + [f"| {name} | {value} |" for name, value in rows]


def method_lines(results):
    runs = sorted({(case.get("runs"), case.get("warmup")) for case in results.cases})
    run_text = ", ".join(f"{r} runs after {w} warm-up" for r, w in runs)
    size = results.run.get("size", results.machine.get("size", "?"))
    return [
        f"Size: **{size}** (`make bench`: full; `QUICK=1`: quick). Every case was first run once "
        "at the size it is timed at, and its answer checked: the exit status, the `--json` "
        "record's keys, `verified`, and for the CPU-bound workloads the result itself against "
        "serial's. A case that failed is not timed and is listed below.",
        "",
        f"Timing: [hyperfine](https://github.com/sharkdp/hyperfine), no shell (`-N`), {run_text} "
        "(fewer runs where one run takes seconds: serial sleep and serial downloads). Wall time "
        "is the whole process, start-up included. The tables give the median, the min..max "
        "range and the coefficient of variation (CV). CPU time is hyperfine's mean user + system "
        "time (children included); peak RSS and context switches come from the variant's own "
        "`--json` record of its last timed run (for process models, the parent's and the largest "
        "child's peak). *Own clock* is that record's `wall_s`, the variant's own measure of its "
        "work: for sort it leaves out making the input and checking the output (which the "
        "parallel models share out in -j parts, and the others do on one core), so speedups of "
        "the sort itself are read there. OpenMP rows (`openmp`, `gnu-parallel`) run with "
        f"`OMP_PROC_BIND={results.machine.get('omp_proc_bind', 'unset')}`: `spread` binds their "
        "threads one per core, as OpenMP benchmarks usually do (unbound, libgomp's threads lost "
        "up to 10 ms a run to the scheduler on the reference VM).",
        "",
        "Speedup is the median of `serial` (of `py-serial` for Python rows) at the same size "
        "divided by the row's median; efficiency is speedup / workers. The full run is budgeted "
        "to about 10 minutes on 2 cores: sleep and downloads use few runs since each run waits "
        "seconds; the per-workload sizes are in `workloads/<w>/bench.conf`.",
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
                candidates = [r for r in results.rows(workload, model) if r["median_s"] is not None]
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
            lines.append(f"| {workload} | {c_model} / {model} | {py['param']}={py['value']} | "
                         f"{seconds(c['median_s'])} | {seconds(py['median_s'])} | "
                         f"{c['median_s'] / py['median_s']:.3f} | {seconds(c['cpu_s'])} | {seconds(py['cpu_s'])} | "
                         f"{mib(c)} | {mib(py)} |")
    if not lines:
        return []
    return ["## C vs Python, same model, same work", "",
            "| workload | models | parameter | C | Python | C/Python time | C CPU | Python CPU | "
            "C peak RSS, MiB | Python peak RSS, MiB |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + lines + [""]


def server_load_lines(results):
    """The flag server against nginx under wrk, if the run measured it."""
    path = os.path.join(results.directory, "server-load.json")
    if not os.path.exists(path):
        return []
    with open(path) as file:
        load = json.load(file)
    ours = load["servers"]["flagserver"]
    nginx = load["servers"]["nginx"]
    ratio = ours["requests_per_s"] / nginx["requests_per_s"] if nginx["requests_per_s"] else 0
    return ["## The flag server under load", "",
            f"`wrk -t1 -c{load['connections']} -d{load['duration_s']}s` on `{load['flag']}`, "
            f"one server after the other, on loopback. bin/flagserver is one thread on the "
            f"bench/ epoll loop; nginx runs {nginx.get('workers', '?')} worker processes.", "",
            "| server | requests/s | errors |", "| --- | ---: | ---: |",
            f"| bin/flagserver | {ours['requests_per_s']:,.0f} | {ours['errors']} |",
            f"| nginx | {nginx['requests_per_s']:,.0f} | {nginx['errors']} |", "",
            f"The flag server does **{ratio:.2f}x** nginx's requests per second "
            f"(target: at least 0.5x).", ""]


def report(results, report_dir):
    status = results.run.get("status", "unknown")
    out = ["# Which concurrency model, for which work: measured", "",
           f"Generated by `make report` from `{os.path.relpath(results.directory, report_dir)}` "
           f"(run status: **{status}**). Do not edit by hand: rerun `make bench`.", ""]
    if status == "partial":
        out += ["> **This run was interrupted**: only the cases that finished are here.", ""]
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
        best = [(label, row) for label, row in headline_rows(results, workload)]
        if best:
            fastest = min(best, key=lambda item: item[1]["median_s"])
            out += [f"Fastest at {results.headline_text(workload)}: **{fastest[0]}**, "
                    f"{seconds(fastest[1]['median_s'])}.", ""]
        fit = karp_flatt_fit(results, workload) if kind == "cpu" else None
        if fit:
            out += [f"Serial fraction measured with Karp-Flatt ({fit[0]}): {fit[1]:.3f}; Amdahl's "
                    f"law then bounds the speedup at {1 / max(fit[1], 1e-9):.0f}x on any number of cores."
                    if fit[1] > 0.001 else
                    f"Serial fraction measured with Karp-Flatt ({fit[0]}): {fit[1]:.3f} (no measurable serial part).", ""]
        out += workload_table(results, workload) + [""]
        out += plot_lines(results, workload, report_dir)
    out += server_load_lines(results)
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
