"""sections/server_load - the Servers section: every flag server model and
nginx under wrk (scripts/server-load.sh), and the statistics behind it.

Also a command-line tool, which scripts/server-load.sh calls:

    server_load.py collect RAW_DIR OUT_JSON   wrk outputs + PSS samples -> JSON

RAW_DIR holds one file per run, named SERVER.MODE.KEEP.CONNECTIONS.RUN.wrk
(wrk --latency's output), a .pss beside it (the server's PSS over its process
tree in KiB, sampled mid-run) and SERVER.idle.pss (before any load).
"""
import glob
import json
import math
import os
import re
import sys

ORDER = 60
MODELS = ["iterative", "fork", "pthread", "prefork", "pool", "eventloop", "coroutine", "nginx"]


# ---- statistics -------------------------------------------------------------

def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_interval(values, confidence=0.95):
    """A distribution-free interval for the median from order statistics: the
    widest (k-th smallest, k-th largest) pair whose coverage, from the binomial
    (n, 1/2), is at least `confidence`; with fewer runs, the range (for 5
    runs that is 94 %). Returns (low, high, coverage)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return (math.nan, math.nan, 0.0)

    def coverage(k):  # P(X_(k) <= median <= X_(n+1-k)), k from 1
        return 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2 ** n

    k = 1
    while k + 1 <= n // 2 and coverage(k + 1) >= confidence:
        k += 1
    return (ordered[k - 1], ordered[n - k], coverage(k))


# ---- wrk's output -----------------------------------------------------------

UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def seconds(text):
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(text):
    """Requests/s, p50/p99 (s), requests, errors from `wrk --latency`."""
    result = {"requests_per_s": 0.0, "p50_s": None, "p99_s": None, "requests": 0, "errors": 0}
    for line in text.splitlines():
        fields = line.split()
        if line.startswith("Requests/sec:"):
            result["requests_per_s"] = float(fields[1])
        elif re.match(r"\s+(50|99)(\.0+)?%\s", line):
            key = "p50_s" if fields[0].startswith("50") else "p99_s"
            result[key] = seconds(fields[1])
        elif "requests in" in line:
            result["requests"] = int(fields[0])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["errors"] += int(fields[-1])
    if result["requests"] == 0:
        result["p50_s"] = result["p99_s"] = None   # wrk prints 0.00us when nothing came back
    return result


def collect(raw_dir, out_path, meta):
    runs = {}
    for path in sorted(glob.glob(os.path.join(raw_dir, "*.wrk"))):
        server, mode, keep, connections, _run = os.path.basename(path)[:-4].split(".")
        with open(path) as file:
            measured = parse_wrk(file.read())
        pss_path = path[:-4] + ".pss"
        measured["pss_kib"] = float(open(pss_path).read() or 0) if os.path.exists(pss_path) else None
        runs.setdefault((server, mode, keep, int(connections)), []).append(measured)
    points = []
    for (server, mode, keep, connections), measured in sorted(runs.items()):
        rps = [m["requests_per_s"] for m in measured]
        low, high, cover = median_interval(rps)
        idle_path = os.path.join(raw_dir, f"{server}.idle.pss")
        idle = float(open(idle_path).read() or 0) if os.path.exists(idle_path) else None
        pss = [m["pss_kib"] for m in measured if m["pss_kib"]]
        point = {"server": server, "mode": mode, "keep_alive": keep == "keep",
                 "connections": connections, "runs": len(measured),
                 "requests_per_s": median(rps), "requests_per_s_runs": rps,
                 "requests_per_s_low": low,
                 "requests_per_s_high": high, "interval_coverage": round(cover, 3),
                 "p50_s": median([m["p50_s"] for m in measured if m["p50_s"] is not None] or [math.nan]),
                 "p99_s": median([m["p99_s"] for m in measured if m["p99_s"] is not None] or [math.nan]),
                 "errors": sum(m["errors"] for m in measured),
                 "requests": sum(m["requests"] for m in measured),
                 "pss_kib": median(pss) if pss else None, "idle_pss_kib": idle}
        if point["pss_kib"] is not None and idle is not None:
            point["pss_per_connection_kib"] = (point["pss_kib"] - idle) / connections
        points.append(point)
    # The keys report.py's older section reads: eventloop and nginx at 100, LOCAL, keep-alive.
    servers = {}
    for point in points:
        if point["mode"] == "local" and point["keep_alive"] and point["connections"] == 100:
            name = "flagserver" if point["server"] == "eventloop" else point["server"]
            servers[name] = {"requests_per_s": point["requests_per_s"], "errors": point["errors"]}
    servers.setdefault("nginx", {"requests_per_s": 0, "errors": 0})["workers"] = 1
    servers.setdefault("flagserver", {"requests_per_s": 0, "errors": 0})
    slow = {}
    for path in sorted(glob.glob(os.path.join(raw_dir, "*.slow"))):
        fields = open(path).read().split()
        served = len(fields) == 2 and fields[0] == "200"
        slow[os.path.basename(path)[:-5]] = {"served": served,
                                             "seconds": float(fields[1]) if len(fields) == 2 else None}
    document = dict(meta, connections=100, points=points, servers=servers, slow_clients=slow)
    with open(out_path + ".tmp", "w") as file:
        json.dump(document, file, indent=1)
    os.replace(out_path + ".tmp", out_path)
    return document


# ---- the report section -------------------------------------------------------

def load(results):
    path = os.path.join(results.directory, "server-load.json")
    if not os.path.exists(path):
        return None
    with open(path) as file:
        document = json.load(file)
    return document if document.get("points") else None


def find(points, server, mode, keep_alive, connections):
    for point in points:
        if (point["server"], point["mode"], point["keep_alive"], point["connections"]) == \
                (server, mode, keep_alive, connections):
            return point
    return None


def ms(value):
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value * 1000:.1f}"


def lines(results, report_dir):
    document = load(results)
    if document is None:
        return []
    points = document["points"]
    servers = [name for name in MODELS if any(p["server"] == name for p in points)]
    levels = sorted({p["connections"] for p in points})
    out = ["## Servers: every model of the flag server, and nginx, under wrk", "",
           f"`wrk -t1 --latency` on `{document.get('flag')}`, pinned to CPU {document.get('wrk_cpu')}, "
           f"the server to CPU {document.get('server_cpu')}; {document.get('runs')} runs of "
           f"{document.get('duration_s')} s per point (DELAY: {document.get('delay_duration_s')} s, "
           f"delay {document.get('delay_s')} s); median and an order-statistic interval for the "
           f"median. pool and prefork have -j {document.get('workers')}. nginx: one worker. "
           f"Descriptor limit: {document.get('nofile')} ({document.get('levels_note', '')}). "
           f"Indicative figures if the machine was shared.", ""]
    for mode, keep_alive, title in [("local", True, "LOCAL, keep-alive"), ("local", False, "LOCAL, Connection: close"),
                                    ("delay", True, "DELAY, keep-alive")]:
        rows = [p for p in points if p["mode"] == mode and p["keep_alive"] == keep_alive]
        if not rows:
            continue
        out += [f"### {title}: requests/s (interval), p50 / p99 ms, errors", "",
                "| server | " + " | ".join(f"{c} conn." for c in levels) + " |",
                "| --- |" + " ---: |" * len(levels)]
        for server in servers:
            cells = []
            for connections in levels:
                p = find(points, server, mode, keep_alive, connections)
                cells.append("-" if p is None else
                             f"{p['requests_per_s']:,.0f} ({p['requests_per_s_low']:,.0f}-{p['requests_per_s_high']:,.0f}); "
                             f"{ms(p['p50_s'])} / {ms(p['p99_s'])}; {p['errors']}")
            out.append(f"| {server} | " + " | ".join(cells) + " |")
        out.append("")
    out += ["### Memory: PSS over the server's process tree, MiB (per connection, KiB)", "",
            "| server | idle | " + " | ".join(f"{c} conn." for c in levels) + " |",
            "| --- | ---: |" + " ---: |" * len(levels)]
    for server in servers:
        idle = next((p["idle_pss_kib"] for p in points if p["server"] == server and p["idle_pss_kib"]), None)
        cells = []
        for connections in levels:
            p = find(points, server, "delay", True, connections) or find(points, server, "local", True, connections)
            if p is None or p["pss_kib"] is None:
                cells.append("-")
            else:
                cells.append(f"{p['pss_kib'] / 1024:.1f} ({p.get('pss_per_connection_kib', 0):.0f})")
        out.append(f"| {server} | {idle / 1024 if idle else 0:.1f} | " + " | ".join(cells) + " |")
    out += ["", "(Memory measured mid-run in DELAY mode, where every connection is held open, "
            "else LOCAL.)", ""]
    slow = document.get("slow_clients") or {}
    if slow:
        out += ["### Slow clients: 200 connections sending a byte a second, and one normal client", "",
                "| server | the normal client | |", "| --- | --- | --- |"]
        for server in [name for name in MODELS if name in slow]:
            result = slow[server]
            out.append(f"| {server} | " + (f"served in {result['seconds']:.3f} s | not stalled"
                                           if result["served"] else "no answer within 2 s | **stalled**") + " |")
        out += ["", "(The iterative server is stalled by design; prefork and pool until their -j "
                "workers are all held by slow heads, which --header-timeout ends.)", ""]
    # The load test runs after the timing: judged by the calibration taken then.
    after = [c for c in getattr(results, "calibrations", []) if c.get("label") == "after the timing"]
    disturbed = any(results.is_low(c) for c in after) if after else results.disturbed()
    out += claim_lines(points, disturbed)
    return out


def claim_lines(points, disturbed=False):
    """The issue's claims, each with its figure, interval and verdict as the
    other claims of the report have them (stats.verdict: holds, does not
    hold, inconclusive; never more than inconclusive on a disturbed machine)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import stats
    out = ["### Claims", "",
           "Each verdict from the interval of its figure (5 runs a point in a full run): "
           "**holds** when the whole interval is on the rule's side, **inconclusive** when it "
           "straddles the threshold.", "",
           "| claim | rule | measured | verdict |", "| --- | --- | --- | --- |"]

    def runs_of(point):
        return point.get("requests_per_s_runs") or [point["requests_per_s"]]

    def throughput(point):
        low, high, _ = median_interval(runs_of(point))
        return stats.Interval(point["requests_per_s"], low, high, runs=len(runs_of(point)))

    def row(claim, rule, interval, unit, threshold, direction):
        digits = 0 if "req/s" in unit else 2
        out.append(f"| {claim} | {rule} | {interval.text(unit, digits)} | "
                   f"**{stats.verdict(interval, threshold, direction, disturbed)}** |")

    top = max((p["connections"] for p in points if p["mode"] == "delay"), default=0)
    it = find(points, "iterative", "delay", True, top)
    if it:
        row(f"an iterative server serves one client at a time (DELAY, {top} connections)",
            "at most 5 requests/s (one per 0.5 s delay: 2)", throughput(it), " req/s", 5, "at most")
    for model in ("eventloop", "coroutine", "pthread"):
        point = find(points, model, "delay", True, 1000)
        if point:
            row(f"{model}: concurrency is the capacity (DELAY 0.5 s, 1000 connections)",
                "at least 1800 requests/s (within 10 % of 2000)", throughput(point), " req/s",
                1800, "at least")
    fork = find(points, "fork", "delay", True, top)
    thread = find(points, "pthread", "delay", True, top)
    if fork and thread and (fork.get("pss_per_connection_kib") or 0) < 1:
        out.append("| a process per connection costs more than a thread per connection | more PSS per "
                   "connection | the fork server's tree showed no growth (its children were not "
                   "sampled) | **not measured** |")
    elif fork and thread and fork.get("pss_per_connection_kib") and thread.get("pss_per_connection_kib"):
        out.append(f"| a process per connection costs more than a thread per connection | "
                   f"more PSS per connection (one sample per run, mid-run) | "
                   f"{fork['pss_per_connection_kib']:.0f} vs {thread['pss_per_connection_kib']:.0f} KiB | "
                   f"**{'holds' if fork['pss_per_connection_kib'] > thread['pss_per_connection_kib'] else 'does not hold'}"
                   f"{' (machine disturbed)' if disturbed else ''}** |")
    loop = find(points, "eventloop", "delay", True, 1000) or find(points, "eventloop", "local", True, 1000)
    if loop and loop["pss_kib"]:
        out.append(f"| an event loop holds 1000 connections in a few MiB | under 16 MiB PSS | "
                   f"{loop['pss_kib'] / 1024:.1f} MiB | **{'holds' if loop['pss_kib'] < 16 * 1024 else 'does not hold'}** |")
    nginx = find(points, "nginx", "local", True, 100)
    for model, threshold in (("eventloop", 1.0), ("pthread", 0.5), ("prefork", 0.5)):
        ours = find(points, model, "local", True, 100)
        if ours and nginx and nginx["requests_per_s"]:
            row(f"{model} against nginx (LOCAL, keep-alive, 100 connections)",
                f"at least {threshold}x nginx's requests/s",
                stats.ratio_ci(runs_of(ours), runs_of(nginx)), "x", threshold, "at least")
    out.append("")
    return out


def plots(results, plots_dir):
    """servers-rps (LOCAL), servers-p99 (LOCAL), servers-delay-rps and
    servers-memory (DELAY): keep-alive, against connections (log x), one line
    per server; gnuplot draws them from the .dat kept beside."""
    import subprocess
    document = load(results)
    if document is None:
        return
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import style
    points = document["points"]
    servers = [name for name in MODELS if any(p["server"] == name for p in points)]
    for key, label, name, mode in [("requests_per_s", "requests/s (LOCAL)", "servers-rps", "local"),
                                   ("p99_s", "p99 latency, s (LOCAL)", "servers-p99", "local"),
                                   ("requests_per_s", "requests/s (DELAY)", "servers-delay-rps", "delay"),
                                   ("pss_kib", "PSS of the process tree, MiB (DELAY)", "servers-memory", "delay")]:
        blocks, series = [], []
        for server in servers:
            rows = sorted((p for p in points if p["server"] == server and p["mode"] == mode
                           and p["keep_alive"] and p.get(key)), key=lambda p: p["connections"])
            if not rows:
                continue
            scale = 1024 if key == "pss_kib" else 1
            blocks.append(f"# {server}\n" + "".join(f"{p['connections']}\t{p[key] / scale}\n" for p in rows))
            series.append(server)
        if not series:
            continue
        data = os.path.join(plots_dir, f"{name}.dat")
        with open(data, "w") as file:
            file.write("\n\n".join(blocks))
        plot = ", ".join(f"'{data}' index {index} with linespoints lw 2 pt 7 lc rgb '{style.colour(server)}' "
                         f"title '{server}'" for index, server in enumerate(series))
        for terminal, extension in [("pngcairo size 800,500", "png"), ("svg size 800,500", "svg")]:
            script = (f"set terminal {terminal}; set output '{os.path.join(plots_dir, name + '.' + extension)}'; "
                      f"set logscale x; {'' if key == 'pss_kib' else 'set logscale y;'} "
                      f"set xlabel 'connections (wrk, keep-alive)'; set ylabel '{label}'; "
                      f"set key outside right; set grid; plot {plot}")
            subprocess.run(["gnuplot", "-e", script], check=True)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "collect":
        meta = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
        document = collect(sys.argv[2], sys.argv[3], meta)
        for point in document["points"]:
            print(f"{point['server']:>10} {point['mode']:>5} {'keep ' if point['keep_alive'] else 'close'} "
                  f"{point['connections']:>5} conn: {point['requests_per_s']:>10,.0f} req/s "
                  f"[{point['requests_per_s_low']:,.0f}, {point['requests_per_s_high']:,.0f}] "
                  f"p99 {ms(point['p99_s'])} ms, {point['errors']} errors, "
                  f"PSS {((point['pss_kib'] or 0) / 1024):.1f} MiB")
    else:
        sys.exit("usage: server_load.py collect RAW_DIR OUT_JSON [META_JSON]")
