#!/bin/bash
# check.sh - runs lab 6's ticket sale several times, with a delay injected
# between reading the count and writing it back (LAB_DELAY_US), and once
# with many buyers and no delay. Every run must sell exactly the tickets
# there are, end with 0 in the file, and leave no zombie. The last line is
# "PASS: ..." or "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1

run_sale() {  # run_sale label delay_us buyers per_buyer tickets
    local label=$1
    local output status
    output=$(LAB_DELAY_US=$2 timeout -k 2 20 ./ticket_sale "$3" "$4" "$5" 2>&1)
    status=$?
    local verdict
    verdict=$(printf '%s\n' "$output" | grep -E '^(ok|FAIL):' | tail -1)
    if [ "$status" -eq 0 ] && [[ $verdict == ok:* ]]; then
        echo "[$label] $verdict"
        return 0
    fi
    printf '%s\n' "$output" | grep -v -E '^(ok|FAIL):' | head -5
    case $status in
        124|137) echo "FAIL: [$label] no result after 20 s: a buyer waits for a lock that is never released?" ;;
        *) echo "FAIL: [$label] ${verdict#FAIL: }" ;;
    esac
    exit 1
}

for round in 1 2 3; do
    run_sale "8 buyers x 100, 500 tickets, 1 ms delay, round $round" 1000 8 100 500
done
run_sale "20 buyers x 100, 1000 tickets, no delay" 0 20 100 1000
run_sale "4 buyers x 50, 500 tickets (not sold out), 1 ms delay" 1000 4 50 500
echo "PASS: tickets sold exactly once under flock, file ends right, no zombies"
