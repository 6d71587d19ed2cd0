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
case $size in
full) args=() ;;
quick) args=(--quick) ;;
tiny) args=(--quick -n 5) ;;
*) echo "usage: $0 RUN_DIR [full|quick|tiny]" >&2; exit 2 ;;
esac
mkdir -p "$run_dir/costs" || exit 1
status=0
for program in costs costs-py; do
    [ -x "$bin_dir/$program" ] || { echo "costs: $bin_dir/$program is not built, skipped"; continue; }
    extra=()
    [ "$size" = tiny ] && case $program in
        costs) extra=(--units 50 --pool-tasks 200) ;;
        costs-py) extra=(--pool-tasks 20) ;;
    esac
    out=$run_dir/costs/$program.json
    [ "$program" = costs ] && out=$run_dir/costs/costs-c.json
    started=$(date +%s)
    if "$bin_dir/$program" --json "${args[@]}" "${extra[@]}" >"$out.tmp" 2>"$run_dir/costs/$program.log"; then
        mv "$out.tmp" "$out"
        echo "costs: $program: $(jq '.result.figures | length' "$out") figures in $(($(date +%s) - started)) s"
    else
        rm -f "$out.tmp"
        echo "costs: $program FAILED (see $run_dir/costs/$program.log)"
        status=1
    fi
done
exit $status
