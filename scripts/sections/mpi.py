"""sections/mpi.py - "Beyond one machine" (issue 16): the MPI rows, their
launch cost, message costs on the TCP path, a projection to more hosts, and
the Celery task queue's per-task cost beside a process pool's.

Reads the workload CSVs (mpi and mpi-openmp rows, sum's `launch` and
`pertask` rows) and RUN_DIR/mpi.json (scripts/mpi-pingpong.sh).
"""
import math
import os

from results import karp_flatt, read_json

ORDER = 70
PROJECTED_HOSTS = (4, 16, 64)


def _ms(seconds):
    return "-" if seconds is None else f"{seconds * 1e3:.1f} ms"


def _s(seconds):
    return "-" if seconds is None else f"{seconds:.3f} s"


def _ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def _scaling_lines(results):
    lines = []
    for workload in ("primes", "sum", "sort"):
        one = results.find(workload, "mpi", "workers", 1)
        if one is None:
            continue
        if not lines:
            lines += ["### MPI on one host", "",
                      "*Own clock* is rank 0's `wall_s`: from every rank being up to the answer "
                      "being in rank 0, launch left out; *wall* is hyperfine's median of the whole "
                      "command, mpirun and its daemon included.", "",
                      "| workload | ranks | wall | own clock | vs 1 rank (own) | vs serial (own) "
                      "| pthread at same -j (own) | mpi / pthread |",
                      "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        serial = results.find(workload, "serial", "workers", 1)
        serial_own = serial["own_wall_s"] if serial else None
        for workers in range(1, 2 * results.cores + 1):
            row = results.find(workload, "mpi", "workers", workers)
            if row is None:
                continue
            own = row["own_wall_s"]
            pthread = results.find(workload, "pthread", "workers", workers)
            pthread_own = pthread["own_wall_s"] if pthread else None
            lines.append(f"| {workload} | {workers} | {_s(row['median_s'])} | {_s(own)} | "
                         f"{_ratio(one['own_wall_s'], own)} | {_ratio(serial_own, own)} | "
                         f"{_s(pthread_own)} | {_ratio(own, pthread_own)} |")
    return lines + [""] if lines else []


def _launch_lines(results):
    rows = [(workers, results.find("sum", "mpi", "launch", workers),
             results.find("sum", "fork", "launch", workers)) for workers in (1, 2, 4)]
    rows = [row for row in rows if row[1]]
    if not rows:
        return []
    lines = ["### The launch cost", "",
             "`sum-mpi -n 1 --count 0 -j N`: one empty task, so the time is starting the job "
             "(mpirun, its daemon, N ranks, MPI_Init and MPI_Finalize), beside `sum-fork` doing "
             "the same with fork().", "",
             "| ranks | sum-mpi | sum-fork | launch cost (difference) |", "| --- | --- | --- | --- |"]
    for workers, mpi, fork in rows:
        fork_s = fork["median_s"] if fork else None
        cost = mpi["median_s"] - fork_s if fork_s is not None else None
        lines.append(f"| {workers} | {_ms(mpi['median_s'])} | {_ms(fork_s)} | {_ms(cost)} |")
    return lines + [""]


def _pingpong_lines(data):
    runs = data.get("pingpong") or []
    if not runs:
        return []
    names = {"one-host": "one host (shared memory)", "two-hosts-tcp": "two hosts (TCP)",
             "hostfile": "MPI_HOSTFILE's hosts"}
    header = "| message | " + " | ".join(names.get(run["label"], run["label"]) for run in runs) + " |"
    lines = ["### Messages", "",
             "`bin/tools/mpi-pingpong`: two ranks bounce a message; one way is half the round "
             "trip. The two hosts are two Open MPI daemons on this machine "
             "(`tests/fixtures/mpi`), so the TCP path is loopback: a real network adds its "
             "wire time to these figures.", "",
             header, "|" + " --- |" * (len(runs) + 1)]
    for index, size in enumerate(runs[0]["sizes"]):
        cells = []
        for run in runs:
            entry = run["sizes"][index]
            cells.append(f"{entry['one_way_us']:.2f} us, {entry['bandwidth_mb_s']:.0f} MB/s")
        label = f"{size['bytes']} B" if size["bytes"] < 1024 else f"{size['bytes'] // 1024} KiB"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| one MPI_Reduce (8 B) | " +
                 " | ".join(f"{run['reduce_us']:.2f} us" for run in runs) + " |")
    return lines + [""]


def _two_host_lines(data):
    runs = {(run["workload"], run["ranks"]): run["wall_s"] for run in data.get("two_hosts") or []}
    lines = []
    for workload in ("primes", "sum"):
        one, two = runs.get((workload, 1)), runs.get((workload, 2))
        if one and two:
            if not lines:
                lines = ["### One rank per host, two hosts", "",
                         "Own clock, best of 3 (scripts/mpi-pingpong.sh): one rank on one host, "
                         "then one rank on each of the two hosts, talking over TCP.", "",
                         "| workload | 1 host | 2 hosts | speed-up |", "| --- | --- | --- | --- |"]
            lines.append(f"| {workload} | {_s(one)} | {_s(two)} | {_ratio(one, two)} |")
    return lines + [""] if lines else []


def _projection_lines(results, data):
    tcp = next((run for run in data.get("pingpong") or [] if run["label"] == "two-hosts-tcp"), None)
    if tcp is None:
        return []
    latency = tcp["sizes"][0]["one_way_us"] * 1e-6
    reduce_s = tcp["reduce_us"] * 1e-6
    lines = []
    for workload in ("primes", "sum"):
        one = results.find(workload, "mpi", "workers", 1)
        many = results.find(workload, "mpi", "workers", results.cores)
        if not (one and many and one["own_wall_s"] and many["own_wall_s"]) or results.cores < 2:
            continue
        t1 = one["own_wall_s"]
        speedup = t1 / many["own_wall_s"]
        serial_fraction = min(1.0, max(0.0, karp_flatt(speedup, results.cores)))
        tasks = one["tasks"] or 0
        cells = []
        for hosts in PROJECTED_HOSTS:
            ranks = hosts * results.cores
            communication = math.ceil(math.log2(ranks)) * reduce_s
            if workload == "primes":   # every task: a request and an answer through rank 0
                communication += 2 * tasks * latency
            time = t1 * (serial_fraction + (1 - serial_fraction) / ranks) + communication
            cells.append(f"{t1 / time:.1f}x")
        if not lines:
            lines = ["### Projection to more hosts (a projection, not a measurement)", "",
                     f"Each host like this one ({results.cores} cores, one rank per core). "
                     "T(p) = T1 x (e + (1 - e) / p) + communication, with T1 the 1-rank own "
                     f"clock, e the serial fraction measured at {results.cores} ranks "
                     "(Karp-Flatt), communication = ceil(log2 p) reductions at the measured TCP "
                     "cost, plus for primes a request and an answer per task at the measured "
                     "8 B latency. It ignores what it cannot know from here: a real network's "
                     "latency (tens of us, not loopback's), contention, and the granularity of "
                     "the work (primes has 65 tasks: past 65 ranks, and even before, its "
                     "biggest number alone sets the time).", "",
                     "| workload | e (measured) | " +
                     " | ".join(f"{h} hosts ({h * results.cores} ranks)" for h in PROJECTED_HOSTS) +
                     " |", "|" + " --- |" * (len(PROJECTED_HOSTS) + 2)]
        lines.append(f"| {workload} | {serial_fraction:.3f} | " + " | ".join(cells) + " |")
    return lines + [""] if lines else []


def _celery_lines(results):
    celery = results.find("sum", "py-celery", "pertask")
    processes = results.find("sum", "py-processes", "pertask")
    if celery is None:
        return []
    tasks = celery["tasks"] or float(celery["value"])
    lines = ["### A task queue: Celery on Redis beside a process pool", "",
             f"`sum-py-celery -n {tasks:.0f} --count 0`: empty tasks, so the time is the cost of "
             "handing out a task and bringing back its result. Own clock: from the first task "
             "sent to the last result in (the worker processes and the Redis broker already "
             "up); wall: the whole command, starting redis-server and the Celery worker "
             "included.", "",
             "| model | wall | own clock | per task (own clock / tasks) |",
             "| --- | --- | --- | --- |"]
    for name, row in (("py-processes (multiprocessing pool)", processes),
                      ("py-celery (Redis broker)", celery)):
        if row:
            per_task = row["own_wall_s"] / tasks if row["own_wall_s"] else None
            lines.append(f"| {name} | {_s(row['median_s'])} | {_s(row['own_wall_s'])} | "
                         f"{'-' if per_task is None else f'{per_task * 1e3:.3f} ms'} |")
    lines += ["", "py-processes hands its tasks out in chunks (16 per worker), so one trip "
              "through its pipes carries several; Celery sends every task as a message of its "
              "own.", "", "What the queue costs: every task is a message through a broker process "
              "(serialised, stored, fetched, acknowledged, its result stored and fetched "
              "again). What it buys: the workers can be on any host that reaches the broker, "
              "come and go, and retry, with no shared start-up: worth it when a task takes "
              "far longer than its per-task cost.", ""]
    return lines


def lines(results, report_dir):
    data = read_json(os.path.join(results.directory, "mpi.json"), {}) or {}
    body = (_scaling_lines(results) + _launch_lines(results) + _two_host_lines(data) +
            _pingpong_lines(data) + _projection_lines(results, data) + _celery_lines(results))
    if not body:
        return []
    return ["## Beyond one machine", "",
            "MPI ranks (`mpi`, `mpi-openmp`) are processes that share nothing and talk by "
            "messages, on one host or many (`make bench MPI_HOSTFILE=F`, see the README); the "
            "Celery rows hand tasks out through a Redis broker. Indicative on one machine: "
            "the hosts here are this machine.", ""] + body
