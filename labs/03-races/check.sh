#!/bin/bash
# Lab 3 checker. For each of your fixes (counter with a mutex, counter with
# an atomic, bank account with a mutex):
#   1. with the race window widened (LAB_DELAY_US=20 sleeps between each read
#      and its write), 8 threads x 200 rounds must end exactly right, twice
#      with only additions and twice with only subtractions (with the notes'
#      add-then-subtract, lost updates can cancel out and hide);
#   2. under ThreadSanitizer, without delay, no data race may be reported.
# Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

cases=("counter mutex" "counter atomic" "bank mutex")
for case in "${cases[@]}"; do
    read -r what fix <<<"$case"
    for pattern in up down up down; do
        output=$(LAB_DELAY_US=20 timeout 30 ./races --what "$what" --fix "$fix" --pattern $pattern -j 8 -n 200 2>&1)
        status=$?
        [ $status -eq 124 ] && fail "--what $what --fix $fix did not finish within 30 s"
        [ $status -eq 0 ] || fail "--what $what --fix $fix --pattern $pattern lost updates: $(grep -m1 -o '[a-z]* ended at [-0-9]*, expected [-0-9]*' <<<"$output")"
    done
    echo "ok: --what $what --fix $fix exact with the window widened, 4 runs"
    output=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout 60 ./races-tsan --what "$what" --fix "$fix" --pattern up -j 4 -n 2000 2>&1)
    status=$?
    [ $status -eq 66 ] && fail "--what $what --fix $fix: ThreadSanitizer reports a data race: $(grep -m1 'WARNING' <<<"$output")"
    [ $status -eq 0 ] || fail "--what $what --fix $fix under ThreadSanitizer exited with $status: $(grep -m1 -o '[a-z]* ended at [-0-9]*, expected [-0-9]*' <<<"$output")"
    echo "ok: --what $what --fix $fix: no data race under ThreadSanitizer"
done
echo "PASS: counter (mutex, atomic) and bank account exact under a widened race window; no data race"
