#!/usr/bin/env bash
# scripts/bench.sh - what `make bench` runs after the build:
#
#   1. checks the dependencies (scripts/deps.sh bench);
#   2. finds every bin/<workload>-<model> and, from workloads/<w>/bench.conf,
#      the cases to time (sizes, worker counts, task counts, server modes);
#   3. starts the flag servers if a workload needs them (stopped at the end,
#      also on Ctrl-C or an error);
#   4. CHECKS every case once: a variant whose answer is wrong is not timed;
#   5. TIMES every checked case with hyperfine, keeping hyperfine's JSON and
#      the variant's own --json record of its last timed run;
#   6. loads the flag server and nginx with wrk (scripts/server-load.sh);
#      then MPI message costs, one host and two (scripts/mpi-pingpong.sh);
#   7. collects one CSV per workload, draws the plots, writes the report.
#
# Results go to $BENCH_RESULTS_ROOT/<date>-<host>/ (default results/). Knobs:
#   QUICK=1            smaller sizes and fewer runs (a couple of minutes)
#   BENCH_TINY=1       tiny sizes, for the tests
#   PIN=1 | PIN=LIST   run everything under taskset -c (every online CPU, or
#                      LIST) with every model's threads bound one per CPU
#                      (default: every model unbound)
#   BENCH_BIN_DIR      where the variants are (default bin)
#   BENCH_WORKLOADS    only these workloads, space-separated
#   REPORT             where the report goes (default REPORT.md)
# Exit status: 0 when every case checked out and was timed, 1 when some case
# failed (listed at the end and in the report), 130 when interrupted.
set -uo pipefail

main() {
repo=$(cd "$(dirname "$0")/.." && pwd)
absolute() { realpath -m -- "$1"; }
bin_dir=$(absolute "${BENCH_BIN_DIR:-$repo/bin}")
results_root=$(absolute "${BENCH_RESULTS_ROOT:-$repo/results}")
report_path=$(absolute "${REPORT:-$repo/REPORT.md}")
cd "$repo" || exit 1
source scripts/bench-lib.sh

scripts/deps.sh bench || exit 1

# Debian 12 has hyperfine 1.15: -N (no shell, 1.13) and --output FILE (1.15)
# are the newest options used; an older one times through a shell and keeps
# only the check run's record.
hyperfine_version=$(hyperfine --version | sed -n 's/^hyperfine \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r hyperfine_major hyperfine_minor <<< "${hyperfine_version:-0 0}"
hyperfine_no_shell=1 hyperfine_output=1
if [ "$hyperfine_major" -lt 1 ] || { [ "$hyperfine_major" -eq 1 ] && [ "$hyperfine_minor" -lt 15 ]; }; then
    hyperfine_output=0
    [ "$hyperfine_major" -eq 1 ] && [ "$hyperfine_minor" -lt 13 ] && hyperfine_no_shell=0
    say "hyperfine $hyperfine_major.$hyperfine_minor is older than 1.15: records come from the check runs only"
fi

run_size=full
[ -n "${QUICK:-}" ] && [ "${QUICK}" != 0 ] && run_size=quick
[ -n "${BENCH_TINY:-}" ] && [ "${BENCH_TINY}" != 0 ] && run_size=tiny
cores=$(nproc)
pin_list=""
case ${PIN:-} in
"" | 0) ;;
1) pin_list="0-$((cores - 1))" ;;
*) pin_list=$PIN ;;
esac
pin_prefix=()
[ -n "$pin_list" ] && pin_prefix=(taskset -c "$pin_list")
# One pinning policy for every model (issue 12). Unbound by default: OpenMP,
# pthread and fork threads all go where the scheduler puts them. PIN=1 binds
# them all one per CPU: OpenMP through OMP_PROC_BIND=close OMP_PLACES=threads,
# pthread and fork through BENCH_PIN=1 (read by bench/ where it supports it;
# machine.json records whether it does).
if [ -n "$pin_list" ]; then
    export OMP_PROC_BIND=close OMP_PLACES=threads BENCH_PIN=1
    pinning="bound one per CPU (OMP_PROC_BIND=close OMP_PLACES=threads, BENCH_PIN=1)"
    grep -qs BENCH_PIN bench/*.c || pinning+="; bench/ does not read BENCH_PIN: pthread and fork stay unbound"
else
    unset OMP_PROC_BIND OMP_PLACES BENCH_PIN
    pinning="unbound (every model)"
fi

# ---- the results folder and a scratch folder for downloads and servers ----
run_dir=$results_root/$(date -u +%Y-%m-%d-%H%M%S)-$(hostname -s)
mkdir -p "$run_dir"/{raw,records,cases} || exit 1
scratch=$(mktemp -d /tmp/bench.XXXXXX) || exit 1
started_at=$(date +%s)
write_run_status running
write_machine_json > "$run_dir/machine.json.tmp" && mv "$run_dir/machine.json.tmp" "$run_dir/machine.json"
/usr/bin/python3 scripts/machine.py start "$run_dir" || say "machine.py start failed"
say "results: $run_dir ($run_size sizes, $cores cores${pin_list:+, pinned to CPUs $pin_list})"

trap on_interrupt INT TERM
trap cleanup EXIT

# ---- discover variants and expand each workload's cases ----
discover_cases || { say "no variants found in $bin_dir"; exit 1; }
say "found ${#case_ids[@]} cases in ${#workloads[@]} workloads: ${workloads[*]}"

start_servers_if_needed

# ---- check first: every case once, at the benchmark's size ----
say "checking every case once"
for index in "${!case_ids[@]}"; do
    check_case "$index"
done
compare_results_with_serial
failed=0
for index in "${!case_ids[@]}"; do
    [ "${case_status[$index]}" = ok ] || failed=$((failed + 1))
done
[ $failed -gt 0 ] && say "$failed cases failed the check and will not be timed"

# ---- time every case that checked out ----
timed_total=0 estimate_total=0
for index in "${!case_ids[@]}"; do
    [ "${case_status[$index]}" = ok ] || continue
    timed_total=$((timed_total + 1))
    estimate_total=$(awk -v a="$estimate_total" -v b="$(case_estimate "$index")" 'BEGIN { print a + b }')
done
say "timing $timed_total cases, about $(format_seconds "$estimate_total") of runs"
timed=0 estimate_left=$estimate_total timing_started=$(date +%s) current_workload=""
for index in "${!case_ids[@]}"; do
    [ "${case_status[$index]}" = ok ] || continue
    timed=$((timed + 1))
    if [ "${case_workloads[$index]}" != "$current_workload" ]; then
        current_workload=${case_workloads[$index]}
        calibrate_now "before $current_workload"   # the noise guard, between workloads
    fi
    time_case "$index"
    [ "${case_status[$index]}" = ok ] || failed=$((failed + 1))
    estimate_left=$(awk -v a="$estimate_left" -v b="$(case_estimate "$index")" 'BEGIN { print a - b }')
done

calibrate_now "after the timing"

# ---- the flag server under load, beside nginx (wrk -c100 on one flag) ----
if [[ " ${workloads[*]} " == *" http "* ]]; then
    case $run_size in full) load_seconds=5 ;; quick) load_seconds=2 ;; *) load_seconds=1 ;; esac
    BENCH_BIN_DIR=$bin_dir scripts/server-load.sh "$run_dir" "$load_seconds" | while read -r line; do say "$line"; done
fi

# ---- MPI message costs: ping-pong and MPI_Reduce, one host and two (issue 16) ----
if [[ " ${workloads[*]} " == *" sum "* ]] && [ -x "$bin_dir/tools/mpi-pingpong" ]; then
    BENCH_BIN_DIR=$bin_dir scripts/mpi-pingpong.sh "$run_dir" "$run_size" | while read -r line; do say "$line"; done
fi

# What one unit of each model costs (issue 15): the report's Costs section.
BENCH_BIN_DIR=$bin_dir scripts/costs.sh "$run_dir" "$run_size" | while read -r line; do say "$line"; done

# The notes' coroutine demonstrations (issue 14): the report's Coroutines section.
if [ -x "$bin_dir/demos/switching" ]; then
    BENCH_BIN_DIR=$bin_dir demos/run-all.sh "$run_dir" "$run_size" 2>&1 | while read -r line; do say "$line"; done
fi

stop_servers
finish_run "$([ $failed -eq 0 ] && echo complete || echo failed)"
say "results: $run_dir"
say "plots:   $run_dir/plots/"
say "report:  $report_path"
if [ $failed -gt 0 ]; then
    say "$failed cases FAILED:"
    for index in "${!case_ids[@]}"; do
        [ "${case_status[$index]}" = ok ] || say "  ${case_labels[$index]}: ${case_status[$index]}"
    done
    exit 1
fi
exit 0
}

# The whole script is read before it runs, so that editing it meanwhile is safe.
main "$@"
