#!/bin/bash
# Lab 1 checker: tests with points (labs/lib/lab.sh). Every task runs
# exactly once, at several worker counts (one of them varies per run; SEED=n
# fixes it) and on both the quick and the unbalanced list; the schedule is
# dynamic (with task 0 made 0.3 s slower, the thread that drew it must come
# back to find the rest done by the others); ThreadSanitizer sees no data
# race; the take is one atomic read-modify-write. The result comes through the checker's per-run token (lib/lab.sh),
# not the exit status. Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

pool_run() {  # pool_run seconds program args...: fails with the reason unless the tasks all ran once
    local seconds=$1 program=$2
    shift 2
    lab_run "$seconds" "$program" "$@"
    if [ -z "$lab_result" ]; then
        case $lab_status in
        124|137) echo "$program $* did not finish within $seconds s" ;;
        66) echo "ThreadSanitizer found a data race: $(grep -m1 -A3 'WARNING' <<<"$lab_output" | tr '\n' ' ')" ;;
        *) lab_no_result "$program $*" ;;
        esac
        return 1
    fi
    [ "$lab_status" != 66 ] || { echo "ThreadSanitizer found a data race: $(grep -m1 -A3 'WARNING' <<<"$lab_output" | tr '\n' ' ')"; return 1; }
    [ "$(lab_field ok)" = 1 ] || { echo "$program $*: $(grep -m1 'pool:' <<<"$lab_output")"; return 1; }
}

exactly_once() {
    local run list workers many=$(lab_random 4 8)
    for run in "quick 1" "quick 2" "quick 3" "quick $many" "unbalanced 2"; do
        read -r list workers <<<"$run"
        pool_run 60 ./pool --list "$list" -j "$workers" || return 1
    done
    pool_run 60 ./pool --list tiny -n 300000 -j 4 || return 1   # threads that mostly take tasks
    echo "every task ran exactly once with -j 1, 2, 3 and $many, on the unbalanced and the tiny list"
}

# On x86-64, an atomic read-modify-write is a lock-prefixed instruction
# (lock xadd, lock cmpxchg, ...): taking a task as a load then a store races
# so rarely on two cores that runs alone do not show it, so look for one.
atomic_take() {
    [ "$(uname -m)" = x86_64 ] || { echo "not x86-64: skipped"; return 0; }
    local object code
    object=$(mktemp "${TMPDIR:-/tmp}/lab01.XXXXXX") || return 1
    cc -c -O2 -w -std=gnu11 -I. -o "$object" worker.c || { rm -f "$object"; echo "worker.c does not compile"; return 1; }
    code=$(objdump -d "$object"; nm -u "$object")
    rm -f "$object"
    if grep -qE '\block\b|pthread_mutex_lock|__atomic_' <<<"$code"; then
        echo "takes each task with one atomic read-modify-write (or under a mutex)"
        return 0
    fi
    echo "worker.c has no atomic read-modify-write (and no mutex): a task taken with a load and then a store can be taken by two threads at once; use atomic_fetch_add, which returns the value before the increment"
    return 1
}

dynamic() {
    pool_run 30 ./pool --list quick -j 2 --slow-first || return 1
    local slow=$(lab_field slow_worker_tasks) tasks=$(lab_field tasks)
    if [ "$slow" -gt $((tasks / 10)) ]; then
        echo "with task 0 made 0.3 s slow, the thread that drew it still ran $slow of $tasks tasks: each thread must take one task at a time from next_task, so that the other thread takes the rest meanwhile (a share fixed up front is static scheduling)"
        return 1
    fi
    echo "the thread that drew the slow task ran $slow of $tasks: the other took the rest"
}

sanitized() {
    for _ in 1 2; do
        TSAN_OPTIONS="halt_on_error=1 exitcode=66" pool_run 60 ./pool-tsan --list quick -j 4 || return 1
    done
    echo "no data race under ThreadSanitizer"
}

lab_test 0 "worker.c runs only when called" lab_no_constructors worker.c -I. -I"$LAB_PROJECT/bench"
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 40 "every task exactly once, at every -j" exactly_once
lab_test 20 "takes a task with one atomic step" atomic_take
lab_test 20 "dynamic, a slow task does not hold up the rest" dynamic
lab_test 20 "no data race (TSan)" sanitized
lab_finish "every task ran exactly once at -j 1..8, scheduled dynamically, no data race"
