#!/bin/bash
# Lab 2 checker: tests with points (labs/lib/lab.sh). Many sleepers (about
# 1000, then about 10,000; the counts vary, SEED=n fixes them) of 1 s each
# must all complete, none early, each finish time the loop's clock when its
# callback ran, in about one second (a blocking callback would take hours:
# the timeout stops it). The result comes through the checker's per-run
# token (lib/lab.sh), not the exit status. Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

sleepers() {  # sleepers tasks
    local tasks=$1
    lab_run 10 ./sleepers -n "$tasks" --seconds 1
    if [ -z "$lab_result" ]; then
        case $lab_status in
        124|137) echo "$tasks sleepers of 1 s did not finish within 10 s (does task_done block?)" ;;
        *) lab_no_result "./sleepers -n $tasks" ;;
        esac
        return 1
    fi
    if [ "$(lab_field right)" != 1 ] || [ "$(lab_field completed)" != "$tasks" ]; then
        grep -m1 'sleepers:' <<<"$lab_output" || echo "$(lab_field completed) of $tasks completed"
        return 1
    fi
    echo "$tasks sleepers of 1 s all completed on time, together, in $(lab_field wall) s"
}

lab_test 0 "task_done.c runs only when called" lab_no_constructors task_done.c -I. -I"$LAB_PROJECT/bench"
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 50 "about 1000 sleepers" sleepers "$(lab_random 900 1100)"
lab_test 50 "about 10,000 sleepers" sleepers "$(lab_random 9000 11000)"
lab_finish "1000 and 10000 sleepers all completed on time, together"
