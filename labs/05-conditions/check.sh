#!/bin/bash
# check.sh - runs lab 5's checker plain, then under ThreadSanitizer (fewer
# items: TSan is slower). Prints the tests' lines; the last line is
# "PASS: ..." or "FAIL: <reason>"; exits 0 only on PASS.
cd "$(dirname "$0")" || exit 1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0"

run_checker() {  # run_checker label seconds command...
    local label=$1 seconds=$2; shift 2
    local output status
    output=$(timeout -k 2 "$seconds" "$@" 2>&1)
    status=$?
    printf '%s\n' "$output" | grep '^ok:' | sed "s/^/[$label] /"
    if [ "$status" -eq 0 ] && [[ $(printf '%s\n' "$output" | tail -1) == PASS:* ]]; then return 0; fi
    local reason
    reason=$(printf '%s\n' "$output" | grep -m1 '^FAIL:' | sed 's/^FAIL: //')
    if [ -z "$reason" ]; then
        case $status in
            124|137) reason="timed out after $seconds s (a thread waits forever?)" ;;
            66) reason="ThreadSanitizer: $(printf '%s\n' "$output" | grep -m1 'WARNING: ThreadSanitizer' | sed 's/.*ThreadSanitizer: //')" ;;
            134) reason="aborted: $(printf '%s\n' "$output" | grep -m1 -E 'ring_(push|pop)' || echo "signal SIGABRT")" ;;
            *) reason="exited with status $status before finishing its tests" ;;
        esac
        [ "$status" = 66 ] && printf '%s\n' "$output" | sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' | head -30
    fi
    echo "FAIL: [$label] $reason"
    exit 1
}

run_checker plain 30 ./queue_check 20000
run_checker tsan 60 ./queue_check_tsan 2000
echo "PASS: bounded queue correct (blocks when full/empty, exactly-once, bounded, no lost wakeup, TSan clean)"
