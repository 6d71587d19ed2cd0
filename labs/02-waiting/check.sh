#!/bin/bash
# Lab 2 checker: 1000 and then 10,000 sleepers of 1 s each must all complete,
# none early, in about one second (a blocking callback would take hours: the
# timeout stops it). Last line: PASS or FAIL.
set -u
cd "$(dirname "$0")" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

for tasks in 1000 10000; do
    output=$(timeout 10 ./sleepers -n "$tasks" --seconds 1 2>&1)
    status=$?
    [ $status -eq 124 ] && fail "$tasks sleepers of 1 s did not finish within 10 s (does task_done block?)"
    [ $status -eq 0 ] || fail "$tasks sleepers: $(grep -m1 'sleepers:' <<<"$output" || tail -1 <<<"$output")"
    echo "ok: $tasks sleepers: $(tail -1 <<<"$output" | sed 's/^ *//')"
done
echo "PASS: 1000 and 10000 sleepers all completed on time, together"
