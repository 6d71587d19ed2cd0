#!/bin/bash
# check.sh - lab 6's checker: tests with points (labs/lib/lab.sh). Runs the
# ticket sale several times, with a delay injected between reading the
# count and writing it back (LAB_DELAY_US), and once with many buyers and no
# delay; buyer and ticket counts vary per run (fixed by SEED=n). Every run
# must sell exactly the tickets there are (the checker works that out
# itself), end with the rest in the file, leave no zombie, and never return
# from buy_one_ticket still holding the lock (ticket_sale looks in
# /proc/locks after every call). The result comes through the checker's
# token (lib/lab.sh), not from the exit status. The last line is
# "PASS: ..." or "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }

sale() {  # sale delay_us buyers per_buyer tickets
    local delay=$1 buyers=$2 each=$3 tickets=$4 sold left reason want
    LAB_DELAY_US=$delay lab_run 30 ./ticket_sale "$buyers" "$each" "$tickets"
    reason=$(grep -m1 '^FAIL:' <<<"$lab_output" | sed 's/^FAIL: //')   # a FAIL is never a forged pass
    if [ -z "$lab_result" ]; then
        case $lab_status in
        124|137) echo "no result after 30 s: a buyer waits for a lock that is never released?" ;;
        *) echo "${reason:-$(lab_no_result ./ticket_sale)}" ;;
        esac
        return 1
    fi
    want=$((buyers * each < tickets ? buyers * each : tickets))
    sold=$(lab_field sold) left=$(lab_field left)
    if [ "$(lab_field kept_lock)" != 0 ]; then echo "${reason:-a return path keeps the lock}"; return 1; fi
    if [ "$sold" != "$want" ] || [ "$left" != $((tickets - want)) ]; then
        echo "$buyers buyers x $each, $tickets tickets: sold $sold (expected $want), the file ends at $left (expected $((tickets - want)))"
        return 1
    fi
    if [ "$(lab_field started)" != "$buyers" ] || [ "$(lab_field failed)" != 0 ] ||
        [ "$(lab_field unclean)" != 0 ] || [ "$(lab_field zombies)" != 0 ]; then
        echo "${reason:-$lab_result}"
        return 1
    fi
    echo "$buyers buyers x $each, $tickets tickets: exactly $sold sold, file ends at $left, no zombie"
}

buyers=$(lab_random 6 10) tickets=$(lab_random 400 600)
lab_test 0 "buy_ticket.c runs only when called" lab_no_constructors buy_ticket.c
[ $lab_failures -eq 0 ] || lab_finish ""
for round in 1 2 3; do
    lab_test 20 "several buyers, sold out, 1 ms delay, round $round" sale 1000 "$buyers" 100 "$tickets"
done
lab_test 20 "many buyers, no delay" sale 0 "$(lab_random 16 24)" 100 "$(lab_random 800 1200)"
lab_test 20 "not sold out, 1 ms delay" sale 1000 4 50 "$tickets"
lab_finish "tickets sold exactly once under flock, the lock released on every path, file ends right, no zombies"
