#!/bin/bash
# check.sh - lab 5's checker: tests with points (labs/lib/lab.sh), each a
# separate run of ./queue_check (see queue_check.c), then the stress test
# under ThreadSanitizer, and a look at what bounded_queue.c calls: it must
# wait with pthread_cond_wait and must not sleep or yield to poll. The
# thread counts and items vary per run (fixed by SEED=n). A run counts only
# when queue_check reports through the checker's token (lib/lab.sh), never
# from its exit status or its "PASS" line alone. The last line is
# "PASS: ..." or "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0"

queue_test() {  # queue_test seconds program test [items producers consumers]
    local seconds=$1 program=$2 test=$3 line reason
    shift 3
    lab_run "$seconds" "$program" "$test" "$@"
    line=$(grep -m1 '^ok:' <<<"$lab_output")
    if [ "$lab_result" = "pass $test" ]; then
        echo "${line#ok: }"
        return 0
    fi
    reason=$(grep -m1 '^FAIL:' <<<"$lab_output" | sed 's/^FAIL: //')   # a FAIL is never a forged pass
    if [ -z "$reason" ]; then
        case $lab_status in
        124|137) reason="timed out after $seconds s" ;;
        66) printf '%s\n' "$lab_output" | sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' | head -20
            reason="ThreadSanitizer: $(grep -m1 'WARNING: ThreadSanitizer' <<<"$lab_output" | sed 's/.*ThreadSanitizer: //')" ;;
        134) reason="aborted: $(grep -m1 -E 'ring_(push|pop)' <<<"$lab_output" || echo "signal SIGABRT")" ;;
        *) reason=$(lab_no_result "$program $test") ;;
        esac
    fi
    echo "$reason"
    return 1
}

# What bounded_queue.c calls, from its object file's undefined symbols.
primitives() {
    local object symbols banned
    object=$(mktemp "${TMPDIR:-/tmp}/lab05.XXXXXX") || return 1
    cc -c -O0 -w -std=gnu11 -o "$object" bounded_queue.c || { rm -f "$object"; echo "bounded_queue.c does not compile"; return 1; }
    symbols=$(nm -u "$object" | awk '{ print $NF }' | sed 's/@.*//')
    rm -f "$object"
    banned=$(grep -xE 'usleep|nanosleep|clock_nanosleep|sleep|sched_yield|pthread_yield|thrd_yield|thrd_sleep|select|poll|pselect|ppoll' <<<"$symbols" | paste -sd ' ' -)
    if [ -n "$banned" ]; then
        echo "bounded_queue.c calls $banned: a thread that waits must sleep on a condition variable until it is signalled, not sleep or yield and look again"
        return 1
    fi
    grep -qxE 'pthread_cond_(timed)?wait' <<<"$symbols" || { echo "bounded_queue.c never calls pthread_cond_wait: the lesson is the condition variable"; return 1; }
    grep -qxE 'pthread_cond_(signal|broadcast)' <<<"$symbols" || { echo "bounded_queue.c never signals a condition variable"; return 1; }
    echo "waits with pthread_cond_wait, signals, never sleeps or yields"
}

items=$(lab_random 15000 25000) producers=$(lab_random 3 5) consumers=$(lab_random 3 5)
lab_test 0 "bounded_queue.c runs only when called" lab_no_constructors bounded_queue.c
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 15 "put blocks when full, and sleeps" queue_test 30 ./queue_check put-blocks
lab_test 15 "get blocks when empty, and sleeps" queue_test 30 ./queue_check get-blocks
lab_test 20 "many producers and consumers, capacity 1" queue_test 90 ./queue_check stress-1 "$items" "$producers" "$consumers"
lab_test 15 "many producers and consumers, capacity 3" queue_test 90 ./queue_check stress-3 "$items" "$producers" "$consumers"
lab_test 15 "no data race (TSan), capacity 1" queue_test 120 ./queue_check_tsan stress-1 2000 "$producers" "$consumers"
lab_test 20 "waits on a condition variable (no sleep, no yield)" primitives
lab_finish "bounded queue correct (blocks when full/empty and sleeps, exactly-once, bounded, no lost wakeup, TSan clean, a condition variable)"
