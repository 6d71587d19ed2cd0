#!/bin/bash
# check.sh - runs lab 8's checker with a time limit (a scheduler that never
# stops is a failure too). The last line is "PASS: ..." or "FAIL: <reason>";
# exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
output=$(timeout -k 2 15 ./coro_check 2>&1)
status=$?
printf '%s\n' "$output" | grep '^ok:'
last_line=$(printf '%s\n' "$output" | tail -1)
if [ "$status" -eq 0 ] && [[ $last_line == PASS:* ]]; then
    echo "$last_line"
    exit 0
fi
reason=$(printf '%s\n' "$output" | grep -m1 '^FAIL:' | sed 's/^FAIL: //')
case $status in
    124|137) reason=${reason:-"coro_check did not finish within 15 s (the scheduler loops forever?)"} ;;
    139) reason=${reason:-"segmentation fault (resuming a finished coroutine, or a freed stack?)"} ;;
esac
echo "FAIL: ${reason:-coro_check exited with status $status without finishing its tests}"
exit 1
