#!/bin/bash
# Lab 3 checker: tests with points (labs/lib/lab.sh); the thread count and
# the rounds vary per run (fixed by SEED=n). For each of your fixes (counter
# with a mutex, counter with an atomic, bank account with a mutex):
#   1. with the race window widened (LAB_DELAY_US=20 sleeps between each read
#      and its write), the final value must be exactly right with every
#      pattern: only additions, only subtractions, add-then-subtract, and
#      split (half the threads add while the other half subtract, so that
#      deposits meet withdrawals);
#   2. under ThreadSanitizer, without delay, no data race may be reported,
#      with only additions and with the split pattern;
# and 3. the atomic counter must be lock-free: a signal handler that updates
# it while its own thread is in the middle of an update must not deadlock.
# The right values come from the checker's own arithmetic, and the program's
# result through a per-run token (see lib/lab.sh), never from its exit status.
# Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

threads=$(lab_random 5 8)
rounds=$(lab_random 150 250)

# expected WHAT PATTERN: "start final" for `threads` threads x `rounds` rounds
# (as the handout describes races.c: thread i moves (i + 1) x unit twice a round).
expected() {
    local unit=1 change=0 index sign start=0
    [ "$1" = bank ] && unit=10
    for ((index = 0; index < threads; index++)); do
        case $2 in
        up) sign=2 ;; down) sign=-2 ;; both) sign=0 ;;
        split) sign=$((index % 2 == 0 ? 2 : -2)) ;;
        esac
        change=$((change + sign * (index + 1) * unit * rounds))
    done
    [ "$1" = bank ] && start=$((1000 - (change < 0 ? change : 0)))
    echo "$start $((start + change))"
}

widened() {  # widened what fix
    local what=$1 fix=$2 pattern start want final
    for pattern in up down both split; do
        read -r start want < <(expected "$what" "$pattern")
        LAB_DELAY_US=20 lab_run 30 ./races --what "$what" --fix "$fix" --pattern $pattern -j "$threads" -n "$rounds"
        [ -n "$lab_result" ] || { lab_no_result "./races --what $what --fix $fix --pattern $pattern"; return 1; }
        final=$(lab_field final)
        if [ "$final" != "$want" ] || [ "$(lab_field start)" != "$start" ]; then
            echo "--pattern $pattern -j $threads -n $rounds lost updates: ended at $final, expected $want$([ "$pattern" = split ] && echo " (deposits and withdrawals at the same time: do both take the same lock?)")"
            return 1
        fi
    done
    echo "exact with -j $threads -n $rounds, patterns up, down, both and split"
}

sanitized() {  # sanitized what fix
    local what=$1 fix=$2 pattern start want
    for pattern in up split; do
        read -r start want < <(expected "$what" "$pattern")
        TSAN_OPTIONS="halt_on_error=1 exitcode=66" lab_run 90 ./races-tsan --what "$what" --fix "$fix" --pattern $pattern -j 4 -n 2000
        if [ $lab_status -eq 66 ]; then
            echo "--pattern $pattern: ThreadSanitizer reports a data race: $(grep -m1 'WARNING' <<<"$lab_output")"
            return 1
        fi
        [ -n "$lab_result" ] || { lab_no_result "./races-tsan --what $what --fix $fix --pattern $pattern"; return 1; }
    done
    echo "no data race with the patterns up and split"
}

lock_free() {
    local final want handled
    lab_run 10 ./races --what counter --fix atomic --signal-test -n 1000
    if [ $lab_status -eq 124 ] || [ $lab_status -eq 137 ]; then
        echo "counter_update_atomic deadlocked when a signal handler called it while its thread was inside it: it takes a lock (a mutex or a spin lock); one atomic read-modify-write needs none"
        return 1
    fi
    [ -n "$lab_result" ] || { lab_no_result "./races --signal-test"; return 1; }
    final=$(lab_field final) want=$(lab_field expected) handled=$(lab_field handler_updates)
    [ "$handled" -ge 100 ] || { echo "only $handled signals arrived in 5 s: the test is void (a very busy machine?)"; return 1; }
    [ "$final" = "$want" ] || { echo "with a signal handler updating it too, the counter ended at $final, expected $want: the update is not one atomic read-modify-write"; return 1; }
    echo "lock-free: $handled updates from a signal handler, none lost, no deadlock"
}

lab_test 0 "fixes.c runs only when called" lab_no_constructors fixes.c -I. -I"$LAB_PROJECT/bench"
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 20 "counter (mutex) exact with the window widened" widened counter mutex
lab_test 20 "counter (atomic) exact with the window widened" widened counter atomic
lab_test 20 "bank account (mutex) exact with the window widened" widened bank mutex
lab_test 10 "counter (mutex) no data race (TSan)" sanitized counter mutex
lab_test 10 "counter (atomic) no data race (TSan)" sanitized counter atomic
lab_test 10 "bank account (mutex) no data race (TSan)" sanitized bank mutex
lab_test 10 "counter (atomic) lock-free, a signal handler may update it" lock_free
lab_finish "counter (mutex, atomic) and bank account exact under a widened race window, with every pattern; no data race; the atomic is lock-free"
