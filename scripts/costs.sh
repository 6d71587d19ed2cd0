#!/usr/bin/env bash
# scripts/costs.sh RUN_DIR [full|quick|tiny] - the costs step of make bench
# (issue 15): runs bin/costs and bin/costs-py with --json and keeps their
# records as RUN_DIR/costs/costs-c.json and costs-py.json, for the report's
# Costs section (scripts/sections/costs.py). One line of progress per program.
# A program that fails its own checks leaves no record (the report says so).
set -uo pipefail
run_dir=$1
size=${2:-full}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${BENCH_BIN_DIR:-$repo/bin}
# quick and tiny: 2 ms loops and 5 (3) repetitions, whose interval is their
# whole range (94 % (75 %) coverage of the median), fewer units and tasks.
case $size in
full) c_args=() py_args=() ;;
quick) c_args=(--quick -n 5 --units 200 --pool-tasks 1000) py_args=(--quick -n 5 --pool-tasks 50) ;;
tiny) c_args=(--quick -n 3 --units 50 --pool-tasks 200) py_args=(--quick -n 3 --pool-tasks 20) ;;
*) echo "usage: $0 RUN_DIR [full|quick|tiny]" >&2; exit 2 ;;
esac
mkdir -p "$run_dir/costs" || exit 1
status=0
for program in costs costs-py; do
    [ -x "$bin_dir/$program" ] || { echo "costs: $bin_dir/$program is not built, skipped"; continue; }
    if [ "$program" = costs ]; then args=("${c_args[@]}"); else args=("${py_args[@]}"); fi
    out=$run_dir/costs/$program.json
    [ "$program" = costs ] && out=$run_dir/costs/costs-c.json
    started=$(date +%s)
    if "$bin_dir/$program" --json "${args[@]}" >"$out.tmp" 2>"$run_dir/costs/$program.log"; then
        mv "$out.tmp" "$out"
        echo "costs: $program: $(jq '.result.figures | length' "$out") figures in $(($(date +%s) - started)) s"
    else
        rm -f "$out.tmp"
        echo "costs: $program FAILED (see $run_dir/costs/$program.log)"
        status=1
    fi
done
exit $status
