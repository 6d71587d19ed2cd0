#!/bin/sh
# scripts/report.sh [RESULTS_DIR] - what `make report` runs: writes REPORT.md
# (or $REPORT) from a results folder, by default the newest under results/
# (or $BENCH_RESULTS_ROOT). The work is done by scripts/report.py.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${BENCH_RESULTS_ROOT:-$repo/results}
dir=${1:-}
if [ -z "$dir" ]; then
    # folder names start with the date and time, so the newest sorts last
    dir=$(find "$root" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -1)
    [ -n "$dir" ] || { echo "report: no results folder under $root: run make bench first" >&2; exit 1; }
fi
[ -d "$dir" ] || { echo "report: $dir: no such results folder" >&2; exit 1; }
report=${REPORT:-$repo/REPORT.md}
if [ ! -d "$dir/plots" ] && ls "$dir"/*.csv >/dev/null 2>&1; then
    /usr/bin/python3 "$repo/scripts/plots.py" "$dir" || echo "report: some plots failed (see above)" >&2
fi
/usr/bin/python3 "$repo/scripts/report.py" "$dir" "$report"
echo "report: $report (from $dir)"
