#!/bin/bash
# Lab 4 checker: tests with points (labs/lib/lab.sh); thread, transfer and
# account counts vary per run (fixed by SEED=n). With 1 ms between each
# thread's first and second lock, and after its last unlock
# (LAB_DELAY_US=1000), opposite lock orders deadlock within a few transfers:
#   1. two threads, two accounts, both directions: must finish (the watchdog
#      reports a deadlock after 2 s without progress; a timeout backs it up);
#   2. more threads over three to five accounts; 3. transfers to the same account;
#   in each, every transfer is done, no money appears or vanishes, and an
#   auditor that sums all the accounts (holding all their locks) while the
#   transfers run always finds all the money: a transfer that ever holds
#   only one of its two locks has money in transit, and the auditor sees it;
#   no balance changes while the auditor holds its lock (a write unguarded);
#   4. ThreadSanitizer: no data race on the balances (and no lock-order
#      inversion report).
# The checker computes the totals itself and reads the program's result
# through a per-run token (see lib/lab.sh), never from its exit status.
# Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

attempt() {  # attempt threads transfers accounts [--self]
    local threads=$1 transfers=$2 accounts=$3 extra=${4:-} done total bad
    LAB_DELAY_US=1000 lab_run 30 ./bank --watchdog 2 -j "$threads" -n "$transfers" --accounts "$accounts" $extra
    local deadlock=$(lab_field deadlock)
    if [ "$deadlock" = 1 ]; then
        echo "deadlock ($(grep 'thread' <<<"$lab_output" | grep -v 'no transfer' | sed 's/^ *//' | paste -sd ';' -))"
        return 1
    fi
    if [ -z "$lab_result" ]; then
        grep -m1 'already holds' <<<"$lab_output" && return 1
        [ "$lab_status" = 124 ] && { echo "still running after 30 s (deadlock?)"; return 1; }
        lab_no_result "./bank"; return 1
    fi
    done=$(lab_field transfers) total=$(lab_field total) bad=$(lab_field bad_audits)
    [ "$done" = $((threads * transfers)) ] || { echo "$done transfers done of $((threads * transfers))"; return 1; }
    [ "$total" = $((1000 * accounts)) ] || { echo "the accounts hold $total in all, expected $((1000 * accounts)): money appeared or vanished"; return 1; }
    if [ "$bad" != 0 ]; then
        echo "an auditor holding every account's lock found $(lab_field first_bad_total) instead of $((1000 * accounts)) in $bad of $(lab_field audits) audits: money was in transit, so a transfer let go of one account before it had changed the other (hold both locks for the whole transfer)"
        return 1
    fi
    if [ "$(lab_field unguarded_writes)" != 0 ]; then
        echo "a balance changed $(lab_field unguarded_writes) times while an auditor held that account's lock: a transfer writes a balance without holding its account's lock (keep both locks until both balances are changed)"
        return 1
    fi
    echo "-j $threads -n $transfers over $accounts accounts${extra:+ ($extra)}: all done, money conserved, $(lab_field audits) audits found it all"
}

sanitized() {
    TSAN_OPTIONS="halt_on_error=1 exitcode=66" lab_run 90 ./bank-tsan --watchdog 10 -j 4 -n 2000 --accounts 3 --self
    if [ "$lab_status" = 66 ]; then echo "ThreadSanitizer: $(grep -m1 'WARNING' <<<"$lab_output")"; return 1; fi
    [ -n "$lab_result" ] || { grep -m1 'already holds' <<<"$lab_output" || lab_no_result "./bank-tsan"; return 1; }
    [ "$(lab_field deadlock)" = 0 ] || { echo "deadlock under ThreadSanitizer"; return 1; }
    echo "no data race or lock-order inversion"
}

threads=$(lab_random 6 10) accounts=$(lab_random 3 5)
lab_test 0 "transfer.c runs only when called" lab_no_constructors transfer.c -I. -I"$LAB_PROJECT/bench"
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 30 "two threads, opposite directions" attempt 2 "$(lab_random 150 250)" 2
lab_test 25 "many threads over several accounts" attempt "$threads" "$(lab_random 60 100)" "$accounts"
lab_test 25 "transfers to the same account" attempt 2 "$(lab_random 80 120)" 2 --self
lab_test 20 "no data race (TSan)" sanitized
lab_finish "no deadlock with the window widened, money conserved and never in transit, no race"
