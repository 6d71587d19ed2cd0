#!/bin/bash
# Lab 4 checker. With 1 ms between each thread's first and second lock
# (LAB_DELAY_US=1000), opposite lock orders deadlock within a few transfers:
#   1. two threads, two accounts, both directions: must finish (the watchdog
#      reports a deadlock after 2 s without progress; `timeout` backs it up);
#   2. eight threads over three accounts, and transfers to the same account;
#   3. ThreadSanitizer: no data race on the balances (and no lock-order
#      inversion report).
# Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

attempt() {  # attempt description args...
    local description=$1; shift
    output=$(LAB_DELAY_US=1000 timeout 20 ./bank --watchdog 2 "$@" 2>&1)
    status=$?
    case $status in
    0) echo "ok: $description" ;;
    4) fail "$description: deadlock ($(grep 'thread' <<<"$output" | grep -v 'no transfer' | sed 's/^ *//' | paste -sd ';' -))" ;;
    124) fail "$description: still running after 20 s (deadlock?)" ;;
    *) fail "$description: $(tail -1 <<<"$output")" ;;
    esac
}

attempt "two threads, opposite directions, 200 transfers each" -j 2 -n 200
attempt "eight threads over three accounts" -j 8 -n 100 --accounts 3
attempt "transfers to the same account" -j 2 -n 100 --self

output=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout 60 ./bank-tsan --watchdog 10 -j 4 -n 2000 --accounts 3 --self 2>&1)
status=$?
[ $status -eq 66 ] && fail "ThreadSanitizer: $(grep -m1 'WARNING' <<<"$output")"
[ $status -eq 0 ] || fail "under ThreadSanitizer exited with $status: $(tail -1 <<<"$output")"
echo "ok: no data race or lock-order inversion under ThreadSanitizer"
echo "PASS: no deadlock with the window widened, money conserved, no race"
