#!/usr/bin/python3
"""machine.py start|finish RUN_DIR - the machine record of a run (issue 12).

  start   adds to RUN_DIR/machine.json (written by scripts/bench.sh) what a
          careful reader needs to judge the numbers: the CPU topology (sockets,
          cores, threads per core, SMT siblings), model and MHz, frequency
          governor and boost ("not exposed" where /sys has no such file),
          virtualisation, the Python that runs the py-* rows (version, free-
          threaded or not), gcc and libgomp versions, the kernel; and a
          snapshot of /proc/stat's CPU times.
  finish  adds what the run itself saw: steal time and idle time over the run
          (from the two /proc/stat snapshots), the load after, and the noise
          guard's calibrations (RUN_DIR/calibration.jsonl, one JSON line per
          calibration): the lowest parallelism seen and whether the run was
          disturbed (below DISTURBED x CPUs).
"""
import glob
import json
import os
import platform
import re
import subprocess
import sys
import sysconfig

DISTURBED = 0.9      # a calibration below 0.9 x CPUs: the machine was not all ours


def read(path, default=None):
    try:
        with open(path) as file:
            return file.read().strip()
    except OSError:
        return default


def command(*words):
    try:
        return subprocess.run(words, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_times():
    """The aggregate 'cpu' line of /proc/stat, named."""
    names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    for line in (read("/proc/stat", "") or "").splitlines():
        if line.startswith("cpu "):
            values = [int(v) for v in line.split()[1:9]]
            return dict(zip(names, values))
    return {}


def lscpu():
    fields = {}
    for line in command("lscpu").splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def topology():
    """SMT siblings per CPU from /sys: ["0", "1"] means no CPU shares a core."""
    siblings = set()
    for path in glob.glob("/sys/devices/system/cpu/cpu[0-9]*/topology/thread_siblings_list"):
        value = read(path)
        if value:
            siblings.add(value)
    return sorted(siblings)


def governor_and_boost():
    governors = {read(path) for path in glob.glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor")}
    governors.discard(None)
    boost = read("/sys/devices/system/cpu/cpufreq/boost")
    if boost is not None:
        boost = "on" if boost == "1" else "off"
    else:
        no_turbo = read("/sys/devices/system/cpu/intel_pstate/no_turbo")
        boost = None if no_turbo is None else ("off" if no_turbo == "1" else "on")
    return (", ".join(sorted(governors)) if governors else "not exposed"), boost or "not exposed"


def python_record():
    python = "/usr/bin/python3"
    text = command(python, "-c", "import sys, sysconfig; print(sys.version.split()[0]); "
                   "print(sysconfig.get_config_var('Py_GIL_DISABLED') or 0); "
                   "print(getattr(sys, '_is_gil_enabled', lambda: True)())")
    lines = text.splitlines() + ["?", "0", "True"]
    return {"python": f"{python} {lines[0]}",
            "python_free_threaded": lines[1] not in ("0", "None", ""),
            "python_gil_enabled": lines[2] == "True"}


def libgomp_version():
    version = command("dpkg-query", "-W", "-f", "${Version}", "libgomp1")
    if version:
        return f"libgomp1 {version}"
    for line in command("ldconfig", "-p").splitlines():
        if "libgomp.so" in line:
            return os.path.realpath(line.split("=>")[-1].strip())
    return "not found"


def start(run_dir):
    path = os.path.join(run_dir, "machine.json")
    machine = json.loads(read(path, "{}") or "{}")
    info = lscpu()
    governor, boost = governor_and_boost()
    virtualisation = command("systemd-detect-virt") or info.get("Hypervisor vendor") or "none detected"
    compiler = os.environ.get("CC", "cc")
    machine.update({
        "cpu_model": info.get("Model name", machine.get("cpu_model", "?")),
        "sockets": info.get("Socket(s)", "?"),
        "cores_per_socket": info.get("Core(s) per socket", "?"),
        "threads_per_core": info.get("Thread(s) per core", "?"),
        "smt_siblings": topology(),
        "cpu_mhz": info.get("CPU MHz") or info.get("CPU max MHz") or "not exposed",
        "governor": governor,
        "boost": boost,
        "virtualisation": virtualisation,
        "kernel": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "gcc": command(compiler, "-dumpfullversion") or "?",
        "libgomp": libgomp_version(),
        "proc_stat_start": cpu_times(),
        "recorded_by": f"scripts/machine.py under Python {sys.version.split()[0]} "
                       f"({sysconfig.get_platform()})",
    })
    machine.update(python_record())
    write_json(path, machine)


def calibrations(run_dir):
    found = []
    for line in (read(os.path.join(run_dir, "calibration.jsonl"), "") or "").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def finish(run_dir):
    path = os.path.join(run_dir, "machine.json")
    machine = json.loads(read(path, "{}") or "{}")
    before, after = machine.get("proc_stat_start") or {}, cpu_times()
    if before and after:
        delta = {key: after[key] - before.get(key, 0) for key in after}
        total = sum(delta.values()) or 1
        machine["steal_fraction"] = delta["steal"] / total
        machine["idle_fraction"] = (delta["idle"] + delta["iowait"]) / total
    machine["load_average_after"] = " ".join((read("/proc/loadavg", "") or "").split()[:3])
    found = calibrations(run_dir)
    cpus = machine.get("nproc", 1)
    if found:
        lowest = min(item["parallelism"] for item in found)
        machine["calibration_lowest"] = lowest
        machine["calibration_threshold"] = DISTURBED * cpus
        machine["disturbed"] = lowest < DISTURBED * cpus
    write_json(path, machine)
    if machine.get("disturbed"):
        print(f"machine.py: WARNING: the machine was disturbed: the calibration found "
              f"{machine['calibration_lowest']:.2f} of {cpus} CPUs (below {DISTURBED * cpus:.2f}); "
              "affected verdicts read inconclusive", file=sys.stderr)


def write_json(path, data):
    with open(path + ".tmp", "w") as file:
        json.dump(data, file, indent=2, sort_keys=True)
        file.write("\n")
    os.replace(path + ".tmp", path)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "finish"):
        sys.exit("usage: machine.py start|finish RUN_DIR")
    if not os.path.isdir(sys.argv[2]):
        sys.exit(f"machine.py: {sys.argv[2]}: no such folder")
    (start if sys.argv[1] == "start" else finish)(sys.argv[2])


if __name__ == "__main__":
    main()
