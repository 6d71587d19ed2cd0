#!/bin/bash
# Lab 1 checker: every task runs exactly once, at several worker counts and on
# both the quick and the unbalanced list, and ThreadSanitizer sees no data
# race. Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

for run in "quick 1" "quick 2" "quick 3" "quick 8" "unbalanced 2"; do
    read -r list workers <<<"$run"
    output=$(timeout 60 ./pool --list "$list" -j "$workers" 2>&1)
    status=$?
    [ $status -eq 124 ] && fail "./pool --list $list -j $workers did not finish within 60 s"
    [ $status -eq 0 ] || fail "./pool --list $list -j $workers: $(grep -m1 'pool:' <<<"$output" || tail -1 <<<"$output")"
done
echo "ok: every task ran exactly once with -j 1, 2, 3 and 8"

# The same under ThreadSanitizer: a plain (non-atomic) shared counter is a race.
for _ in 1 2; do
    output=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout 60 ./pool-tsan --list quick -j 4 2>&1)
    status=$?
    [ $status -eq 66 ] && fail "ThreadSanitizer found a data race: $(grep -m1 -A3 'WARNING' <<<"$output" | tr '\n' ' ')"
    [ $status -eq 0 ] || fail "./pool-tsan --list quick -j 4 exited with $status: $(grep -m1 'pool' <<<"$output")"
done
echo "ok: no data race under ThreadSanitizer"
echo "PASS: every task ran exactly once at -j 1..8, no data race"
