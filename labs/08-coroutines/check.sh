#!/bin/bash
# check.sh - runs lab 8's checker with a time limit (a scheduler that never
# stops is a failure too), as a test with points (labs/lib/lab.sh). The
# verdict comes through the checker's per-run token (lib/lab.sh), not the
# exit status or a "PASS" line. The last line is "PASS: ..." or
# "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

scheduling() {
    lab_run 15 ./coro_check
    if [ "$lab_result" = pass ]; then
        grep '^ok:' <<<"$lab_output" | sed 's/^ok: //' | paste -sd ';' -
        return 0
    fi
    grep '^ok:' <<<"$lab_output"
    local reason
    reason=$(grep -m1 '^FAIL:' <<<"$lab_output" | sed 's/^FAIL: //')
    [ -n "$reason" ] || case $lab_status in
        124|137) reason="coro_check did not finish within 15 s (the scheduler loops forever?)" ;;
        139) reason="segmentation fault (resuming a finished coroutine, or a freed stack?)" ;;
        *) reason=$(lab_no_result ./coro_check) ;;
    esac
    echo "$reason"
    return 1
}

lab_test 0 "scheduler.c runs only when called" lab_no_constructors scheduler.c -I.
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 100 "round-robin, exact interleaving, every coroutine to its end" scheduling
lab_finish "round-robin scheduler: exact interleaving, every coroutine runs to its end"
