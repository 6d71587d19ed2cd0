#!/usr/bin/python3
"""plots.py RESULTS_DIR - the plots of a results folder, PNG and SVG, in RESULTS_DIR/plots/.

For each <workload>.csv (written by bench_collect.py):
  <w>-time         median wall time per model, min..max bars (every workload)
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
from results import Results, headline_rows, karp_flatt_fit  # noqa: E402
import sections  # noqa: E402

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


def model_colour(models, model):
    return (models.index(model) % 10) + 1


def plot_time(results, workload, plots):
    rows = headline_rows(results, workload)
    if not rows:
        return
    models = results.models(workload)
    lines = []
    for position, (label, row) in enumerate(rows):
        lines.append(f"{position}\t{label}\t{row['median_s']}\t{row['min_s']}\t{row['max_s']}\t"
                     f"{model_colour(models, row['model'])}")
    medians = [row["median_s"] for _, row in rows]
    data = os.path.join(plots, f"{workload}-time.dat")
    write_whole(data, "\n".join(lines) + "\n")
    gnuplot("plot-time.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-time"),
        "heading": f"{workload}: median wall time per model ({results.headline_text(workload)})",
        "logy": int(max(medians) / max(min(medians), 1e-9) > 30)})


def write_blocks(path, blocks):
    """One gnuplot data block per model (blank-line separated): x, y."""
    text = "\n\n\n".join("\n".join(f"{x}\t{y}" for x, y in points) for _, points in blocks)
    write_whole(path, text + "\n")


def plot_speedup(results, workload, plots):
    blocks = []
    for model in results.models(workload):
        points = sorted((float(row["value"]), row["speedup"]) for row in results.rows(workload, model)
                        if row["param"] == "workers" and row["speedup"] is not None)
        if points:
            blocks.append((model, points))
    if len(blocks) < 2:
        return
    fit = karp_flatt_fit(results, workload)
    data = os.path.join(plots, f"{workload}-speedup.dat")
    write_blocks(data, blocks)
    gnuplot("plot-speedup.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-speedup"),
        "heading": f"{workload}: speedup against workers (median times)",
        "models": " ".join(model for model, _ in blocks), "count": len(blocks),
        "cores": results.cores, "maxworkers": max(x for _, points in blocks for x, _ in points),
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
        "models": " ".join(model for model, _ in blocks), "count": len(blocks),
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
    counts = []
    for model in results.models(workload):
        for row in results.rows(workload, model):
            if row["param"] == "mode" and row["value"] == "ERROR" and row["result"]:
                result = row["result"]
                counts.append((model, [result.get("ok", 0), result.get("not_found", 0),
                                       result.get("errors", 0)]))
    plot_clusters(workload, plots, "errors", f"{workload}: what happened to each flag under the ERROR server",
                  ["ok", "not found", "error"], counts, "flags (one run)", stacked=1)
    plot_scaling_concurrency(results, workload, plots)


def plot_scaling_concurrency(results, workload, plots):
    blocks = []
    for model in results.models(workload):
        points = sorted((float(row["value"]), row["median_s"]) for row in results.rows(workload, model)
                        if row["param"] == "concurrency" and row["median_s"] is not None)
        if points:
            blocks.append((model, points))
    if not blocks:
        return
    data = os.path.join(plots, f"{workload}-concurrency.dat")
    write_blocks(data, blocks)
    gnuplot("plot-scaling.gp", {
        "data": data, "out": os.path.join(plots, f"{workload}-concurrency"),
        "heading": f"{workload}: median time against concurrency (DELAY server)",
        "models": " ".join(model for model, _ in blocks), "count": len(blocks),
        "xlabel_text": "requests in flight (-m), log scale", "ylabel_text": "wall time, s (log scale)",
        "ideal": -1})


def peak_memory_mib(row):
    """Parent's peak RSS, plus, for process models, every worker at the largest child's peak."""
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
        plot_scaling(results, workload, plots, "memory", peak_memory_mib,
                     "peak RSS, MiB (log scale)", -1,
                     "peak memory against tasks (process models: parent + workers x largest child, an upper bound)")
    elif kind == "http":
        plot_http(results, workload, plots)


if __name__ == "__main__":
    main()
