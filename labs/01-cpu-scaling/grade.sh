#!/bin/bash
# Lab 1 grader: performance, scaled to this machine's cores (noisy on a
# shared machine: run it when the machine is otherwise idle).
#   1. balanced list: speed-up of -j nproc over -j 1 must be >= 0.6 * nproc
#   2. unbalanced list at -j nproc: dynamic must beat static by 15 % or more
# Each time is the best of three runs. Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
cores=$(nproc)
fail() { echo "FAIL: $*"; exit 1; }

best_wall() {  # best_wall args... : the smallest wall_s of three runs
    local best="" wall record
    for _ in 1 2 3; do
        record=$(./pool --json "$@" 2>/dev/null) ||
            fail "./pool $* gave a wrong result: run make check first"
        wall=$(jq -r .wall_s <<<"$record")
        if [ -z "$wall" ] || [ "$wall" = null ]; then fail "./pool $* printed no wall time"; fi
        best=$(awk -v a="$wall" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$best"
}

serial=$(best_wall --list balanced -j 1) || { echo "$serial"; exit 1; }
parallel=$(best_wall --list balanced -j "$cores") || { echo "$parallel"; exit 1; }
speedup=$(awk -v s="$serial" -v p="$parallel" 'BEGIN { printf "%.2f", s / p }')
needed=$(awk -v c="$cores" 'BEGIN { printf "%.2f", 0.6 * c }')
efficiency=$(awk -v x="$speedup" -v c="$cores" 'BEGIN { printf "%.0f", 100 * x / c }')
echo "balanced list: -j 1 ${serial} s, -j $cores ${parallel} s: speed-up $speedup (efficiency ${efficiency} %), need >= $needed"
awk -v x="$speedup" -v n="$needed" 'BEGIN { exit !(x >= n) }' ||
    fail "speed-up $speedup with $cores cores is below $needed"

if [ "$cores" -ge 2 ]; then
    static=$(best_wall --list unbalanced -j "$cores" --schedule static) || { echo "$static"; exit 1; }
    dynamic=$(best_wall --list unbalanced -j "$cores" --schedule dynamic) || { echo "$dynamic"; exit 1; }
    echo "unbalanced list at -j $cores: static ${static} s, dynamic ${dynamic} s"
    awk -v d="$dynamic" -v s="$static" 'BEGIN { exit !(d <= 0.85 * s) }' ||
        fail "dynamic (${dynamic} s) is not clearly faster than static (${static} s) on the unbalanced list"
else
    echo "one core: static and dynamic cannot differ here; skipped"
fi
echo "PASS: speed-up $speedup on $cores cores; dynamic beats static on the unbalanced list"
