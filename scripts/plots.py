#!/usr/bin/python3
"""plots.py RESULTS_DIR - the plots of a results folder, PNG and SVG, in RESULTS_DIR/plots/.

For each <workload>.csv (written by bench_collect.py):
  <w>-time[-P-V]   wall time per model at one size: quartile box, median, min..max
                   (the headline size; CPU-bound workloads: one chart per other size)
  <w>-speedup      speedup against workers, ideal line, Amdahl fit (CPU-bound)
  <w>-wall         wall time against tasks, log-log, ideal line (sleep)
  <w>-memory       peak memory against tasks (sleep)
  <w>-modes        time per model per server mode (http)
  <w>-errors       ok / not found / error counts under the ERROR server (http)
  <w>-concurrency  time against concurrency (http)
The data each plot draws is kept beside it (<name>.dat), and gnuplot draws
it with scripts/plot-*.gp.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results, karp_flatt_fit, speedup_of  # noqa: E402
import sections  # noqa: E402
import stats  # noqa: E402
import style  # noqa: E402

SCRIPTS = os.path.dirname(os.path.abspath(__file__))


def gnuplot(script, settings):
    """Runs scripts/<script> with gnuplot variables set from a dict."""
    commands = []
    for name, value in settings.items():
        if isinstance(value, str):
            commands.append(f"{name}='{value}'")
        else:
            commands.append(f"{name}={value}")
    subprocess.run(["gnuplot", "-e", "; ".join(commands), os.path.join(SCRIPTS, script)],
                   check=True, cwd=os.path.dirname(SCRIPTS))


def write_whole(path, text):
    with open(path + ".tmp", "w") as file:
        file.write(text)
    os.replace(path + ".tmp", path)


def time_charts(results, workload):
    """[(suffix, param, value, rows)]: one chart per size, never two sizes in one.
    The headline size first; for CPU-bound workloads also every other size
    parameter (tasks, count, elements, notes-*) that two or more models share."""
    param, value = results.headline(workload)
    timed = [row for row in results.rows(workload) if row["median_s"] is not None]
    charts = []
    if param:
        rows = [row for row in timed if row["param"] == param and row["value"] == value]
        if param == "workers":   # serial has one worker: it is the baseline of every workers row
            rows = [row for row in timed if row["model"] == "serial" and row["param"] == "workers"][:1] + \
                   [row for row in rows if row["model"] != "serial"]
        charts.append(("", param, value, rows))
    if results.kind(workload) == "cpu":
        sizes = sorted({(row["param"], row["value"]) for row in timed
                        if row["param"] not in ("workers", "schedule")})
        for other_param, other_value in sizes:
            rows = [row for row in timed if row["param"] == other_param and row["value"] == other_value]
            if len({row["model"] for row in rows}) >= 2:
                charts.append((f"-{other_param}-{other_value}", other_param, other_value, rows))
    return charts


def plot_time(results, workload, plots):
    for suffix, param, value, rows in time_charts(results, workload):
        rows = sorted(rows, key=lambda row: results.models(workload).index(row["model"]))
        if not rows:
            continue
        lines = []
        for position, row in enumerate(rows):
            times = sorted(row["times"] or [row["median_s"]])
            if len(times) >= 10:   # a box where there are enough runs for quartiles
                q1, q3 = (float(q) for q in stats.numpy.percentile(times, [25, 75]))
            else:
                q1 = q3 = row["median_s"]
            colour = int(style.colour(row["model"])[1:], 16)
            label = row["model"] if not suffix or row["param"] == param else f"{row['model']} ({row['param']}={row['value']})"
            lines.append(f"{position}\t{label}\t{row['median_s']}\t{row['min_s']}\t{row['max_s']}\t"
                         f"{colour}\t{q1}\t{q3}")
        medians = [row["median_s"] for row in rows]
        name = f"{workload}-time{suffix}"
        data = os.path.join(plots, f"{name}.dat")
        write_whole(data, "\n".join(lines) + "\n")
        runs = sorted({int(row["runs"] or 0) for row in rows})
        gnuplot("plot-time.gp", {
            "data": data, "out": os.path.join(plots, name),
            "heading": f"{workload}: wall time per model at {param}={value} "
                       f"({'/'.join(str(r) for r in runs)} runs)",
            "logy": int(max(medians) / max(min(medians), 1e-9) > 30), "last": len(rows) - 1})


def write_blocks(path, blocks, break_gaps=False):
    """One gnuplot data block per model (blank-line separated): x, y, ...
    break_gaps (worker scans): a blank line breaks the line between two x more
    than 2x apart (1..4 workers, then 300: no line suggests what was not measured)."""
    texts = []
    for _, points in blocks:
        lines, previous = [], None
        for point in points:
            if break_gaps and previous is not None and point[0] > 2 * previous:
                lines.append("")
            lines.append("\t".join(str(v) for v in point))
            previous = point[0]
        texts.append("\n".join(lines))
    write_whole(path, "\n\n\n".join(texts) + "\n")


def colours(blocks):
    return " ".join(style.colour(model) for model, _ in blocks)


def plot_speedup(results, workload, plots):
    blocks = []
    for model in results.models(workload):
        points = []
        for row in results.rows(workload, model):
            if row["param"] != "workers" or row["median_s"] is None:
                continue
            speedup = speedup_of(results, row)
            if speedup is not None:
                points.append((float(row["value"]), speedup.estimate, speedup.low, speedup.high))
        if points:
            blocks.append((model, sorted(points)))
    if len(blocks) < 2:
        return
    fit = karp_flatt_fit(results, workload)
    data = os.path.join(plots, f"{workload}-speedup.dat")
    write_blocks(data, blocks, break_gaps=True)
    gnuplot("plot-speedup.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-speedup"),
        "heading": f"{workload}: speedup against workers (ratio of medians, 95 % bootstrap interval)",
        "models": " ".join(model for model, _ in blocks), "colours": colours(blocks), "count": len(blocks),
        "cores": results.cores, "maxworkers": max(x for _, points in blocks for x, *_ in points),
        "fraction": fit[1] if fit else -1.0, "fitted": fit[0] if fit else "none"})


def plot_scaling(results, workload, plots, name, quantity, ylabel, ideal, heading=None):
    blocks = []
    for model in results.models(workload):
        points = sorted((float(row["value"]), quantity(row)) for row in results.rows(workload, model)
                        if row["param"] == "tasks" and quantity(row) is not None)
        if points:
            blocks.append((model, points))
    if not blocks:
        return
    data = os.path.join(plots, f"{workload}-{name}.dat")
    write_blocks(data, blocks)
    gnuplot("plot-scaling.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-{name}"),
        "heading": f"{workload}: {heading or ylabel.split(',')[0] + ' against number of tasks'}",
        "models": " ".join(model for model, _ in blocks), "colours": colours(blocks), "count": len(blocks),
        "xlabel_text": "tasks (-n), log scale", "ylabel_text": ylabel, "ideal": ideal})


def plot_clusters(workload, plots, name, heading, header, table, ylabel, logy=0, stacked=0, errorbars=0):
    if not table:
        return
    data = os.path.join(plots, f"{workload}-{name}.dat")
    lines = ["model\t" + "\t".join(header)]
    lines += ["\t".join([model] + [str(value) for value in values]) for model, values in table]
    write_whole(data, "\n".join(lines) + "\n")
    columns = len(header) // 3 if errorbars else len(header)
    gnuplot("plot-clusters.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-{name}"), "heading": heading,
        "columns": columns, "ylabel_text": ylabel, "logy": logy, "stacked": stacked,
        "errorbars": errorbars})


def plot_http(results, workload, plots):
    modes = [mode for mode in ("LOCAL", "DELAY", "ERROR")
             if any(row["param"] == "mode" and row["value"] == mode and row["median_s"] is not None
                    for row in results.rows(workload))]
    table = []
    for model in results.models(workload):
        by_mode = {row["value"]: row for row in results.rows(workload, model) if row["param"] == "mode"}
        if any(mode in by_mode and by_mode[mode]["median_s"] is not None for mode in modes):
            values = []
            for mode in modes:
                row = by_mode.get(mode)
                if row is None or row["median_s"] is None:
                    values += ["NaN", "NaN", "NaN"]
                else:
                    values += [row["median_s"], row["min_s"], row["max_s"]]
            table.append((model, values))
    header = [item for mode in modes for item in (mode, mode + " min", mode + " max")]
    plot_clusters(workload, plots, "modes", f"{workload}: median time per model and server mode",
                  header, table, "wall time, s (log scale; bars: min..max)", logy=1, errorbars=1)
    plot_errors(results, workload, plots)
    plot_scaling_concurrency(results, workload, plots)


ERROR_RATE = 0.25   # scripts/flagservers.sh: the ERROR server's --error-rate


def recorded_results(results, row):
    """The result counts of every run recorded for a row: its check run and
    its last timed run (hyperfine keeps one record), as a list of dicts."""
    found = []
    for suffix in (".check.json", ".json"):
        case = f"{row['workload']}-{row['model']}-{row['param']}-{row['value']}"
        path = os.path.join(results.directory, "records", case + suffix)
        try:
            with open(path) as file:
                found.append(json.load(file).get("result") or {})
        except (OSError, ValueError):
            continue
    if not found and row["result"]:
        found.append(row["result"])
    return found


def plot_errors(results, workload, plots):
    """Under the ERROR server: the fraction of flags that failed, totalled
    over the recorded runs, with its Clopper-Pearson interval, against the
    server's configured error rate."""
    lines = []
    for model in results.models(workload):
        for row in results.rows(workload, model):
            if row["param"] != "mode" or row["value"] != "ERROR":
                continue
            records = recorded_results(results, row)
            errors = sum(r.get("errors", 0) for r in records)
            total = sum(r.get("ok", 0) + r.get("not_found", 0) + r.get("errors", 0) for r in records)
            if total == 0:
                continue
            interval = stats.binomial_ci(errors, total)
            lines.append(f"{len(lines)}\t{model}\t{interval.estimate}\t{interval.low}\t{interval.high}\t"
                         f"{int(style.colour(model)[1:], 16)}\t{errors}/{total} in {len(records)} runs")
    if not lines:
        return
    data = os.path.join(plots, f"{workload}-errors.dat")
    write_whole(data, "\n".join(lines) + "\n")
    gnuplot("plot-errors.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-errors"), "rate": ERROR_RATE,
        "last": len(lines) - 1,
        "heading": f"{workload}: failed flags under the ERROR server (totals over the recorded runs, "
                   "95 % Clopper-Pearson interval)"})


def plot_scaling_concurrency(results, workload, plots):
    blocks, ideal = [], {}
    for model in results.models(workload):
        rows = [row for row in results.rows(workload, model)
                if row["param"] == "concurrency" and row["median_s"] is not None]
        points = sorted((float(row["value"]), row["median_s"]) for row in rows)
        if points:
            blocks.append((model, points))
        for row in rows:
            flags = sum((row["result"] or {}).get(key, 0) for key in ("ok", "not_found", "errors"))
            delay = results.duration_of(row)
            if flags and delay:   # c requests in flight: ceil(N / c) rounds of one delay each
                ideal[float(row["value"])] = -(-flags // int(float(row["value"]))) * delay
    if not blocks:
        return
    data = os.path.join(plots, f"{workload}-concurrency.dat")
    write_blocks(data, blocks)
    settings = {
        "data": data, "out": os.path.join(plots, f"{workload}-concurrency"),
        "heading": f"{workload}: median time against concurrency (DELAY server)",
        "models": " ".join(model for model, _ in blocks), "colours": colours(blocks), "count": len(blocks),
        "xlabel_text": "requests in flight (-m), log scale", "ylabel_text": "wall time, s (log scale)",
        "ideal": -1}
    if ideal:
        ideal_data = os.path.join(plots, f"{workload}-concurrency-ideal.dat")
        write_whole(ideal_data, "\n".join(f"{x}\t{y}" for x, y in sorted(ideal.items())) + "\n")
        settings.update({"idealdata": ideal_data, "idealtitle": "ideal: ceil(flags / c) x delay"})
    gnuplot("plot-scaling.gp", settings)


def peak_memory_mib(row):
    """Peak PSS summed over the process tree (scripts/pss.py), shared pages once."""
    if row.get("pss_kib") is None or row["median_s"] is None:
        return None
    return row["pss_kib"] / 1024


def rss_bound_mib(row):
    """Without PSS (older folders): parent's peak RSS plus, for process models,
    every worker at the largest child's peak: an upper bound, shared pages many times."""
    if row["maxrss_kib"] is None or row["median_s"] is None:
        return None
    total = row["maxrss_kib"]
    if row["children_maxrss_kib"]:
        total += row["children_maxrss_kib"] * (row["workers"] or 1)
    return total / 1024


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: plots.py RESULTS_DIR")
    results = Results(sys.argv[1])
    plots = os.path.join(results.directory, "plots")
    os.makedirs(plots, exist_ok=True)
    failures = 0
    for workload in results.workloads():
        try:
            plot_workload(results, workload, plots)
        except (subprocess.CalledProcessError, OSError, ValueError) as error:
            print(f"plots: {workload}: {error}", file=sys.stderr)
            failures += 1
    for section in sections.modules():   # scripts/sections/*.py with plots of their own
        if hasattr(section, "plots"):
            try:
                section.plots(results, plots)
            except (subprocess.CalledProcessError, OSError, ValueError) as error:
                print(f"plots: {section.__name__}: {error}", file=sys.stderr)
                failures += 1
    sys.exit(1 if failures else 0)


def plot_workload(results, workload, plots):
    kind = results.kind(workload)
    plot_time(results, workload, plots)
    if kind == "cpu":
        plot_speedup(results, workload, plots)
    elif kind == "sleep":
        duration = results.duration(workload) or -1
        plot_scaling(results, workload, plots, "wall", lambda row: row["median_s"],
                     "wall time, s (median, log scale)", duration)
        if any(peak_memory_mib(row) for row in results.rows(workload)):
            plot_scaling(results, workload, plots, "memory", peak_memory_mib,
                         "peak PSS summed over the process tree, MiB (log scale)", -1,
                         "peak PSS of the process tree against tasks (shared pages once)")
        else:
            plot_scaling(results, workload, plots, "memory", rss_bound_mib,
                         "peak RSS, MiB (log scale)", -1,
                         "peak memory against tasks (process models: parent + workers x largest "
                         "child, an upper bound)")
    elif kind == "http":
        plot_http(results, workload, plots)


if __name__ == "__main__":
    main()
