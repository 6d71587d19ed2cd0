#!/bin/bash
# check.sh FLAGSERVER - lab 7's checker: tests with points (labs/lib/lab.sh).
#   1. ./dispatch_check calls your dispatch step with batches of several
#      ready events (shuffled watchers, distinct event flags) and runs the
#      real loop over pipes all ready at once: every watcher once, with the
#      events epoll reported, nothing past ready_count;
#   2. starts a DELAY flag server on a free loopback port (FLAGSERVER if it
#      is an executable, else the lab's delay_server.py), downloads the 20
#      flags with ./flags all at once, and requires all 20 within 2 delays.
# Both report through the checker's per-run token (lib/lab.sh), not their
# exit status or stdout. Stops the server on every way out.
# The last line is "PASS: ..." or "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
source "${PROJECT:-../..}/labs/lib/lab.sh" || { echo "FAIL: cannot read labs/lib/lab.sh"; exit 1; }
DELAY=0.5
LIMIT=1.0            # 2 x DELAY: concurrent downloads take about one delay

flagserver=${1:-}
if [ -n "$flagserver" ] && [ -x "$flagserver" ]; then
    server_command=("$flagserver")
else
    server_command=(/usr/bin/python3 ./delay_server.py)
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lab07-check.XXXXXX") || { echo "FAIL: mktemp failed"; exit 1; }
server_pid=
flags_pid=
cleanup() {
    [ -n "$flags_pid" ] && kill -TERM "$flags_pid" 2>/dev/null
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }

dispatching() {
    lab_run 20 ./dispatch_check "$(lab_random 1 100000)"
    if [ "$lab_result" = pass ]; then
        grep '^ok:' <<<"$lab_output" | tail -1 | sed 's/^ok: //'
        return 0
    fi
    local reason
    reason=$(grep -m1 '^FAIL:' <<<"$lab_output" | sed 's/^FAIL: //')
    [ -n "$reason" ] || case $lab_status in
        124|137) reason="./dispatch_check did not finish within 20 s" ;;
        139) reason="segmentation fault in dispatch_check (a ready entry past ready_count, or a freed watcher?)" ;;
        *) reason=$(lab_no_result ./dispatch_check) ;;
    esac
    echo "$reason"
    return 1
}

downloading() {   # runs in lab_test's subshell: it stops its own server
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    "${server_command[@]}" --mode delay --delay "$DELAY" --port 0 --port-file "$scratch/port" \
        >"$scratch/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 50); do
        [ -s "$scratch/port" ] && break
        kill -0 "$server_pid" 2>/dev/null || { echo "the flag server (${server_command[*]}) exited: $(tail -1 "$scratch/server.log")"; return 1; }
        sleep 0.1
    done
    port=$(cat "$scratch/port" 2>/dev/null)
    [[ $port =~ ^[0-9]+$ ]] || { echo "the flag server wrote no port within 5 s"; return 1; }
    echo "server: ${server_command[*]} --mode delay --delay $DELAY on 127.0.0.1:$port"

    # In the background, so that a signal to this script is handled at once.
    local token status result summary
    token=$(lab_token)
    LAB_TOKEN=$token LAB_RESULT_FD=3 timeout -k 2 10 ./flags --port "$port" --timeout 3 --quiet \
        >"$scratch/flags.out" 2>&1 3>"$scratch/result" &
    flags_pid=$!
    wait "$flags_pid"
    status=$?
    flags_pid=
    summary=$(tail -1 "$scratch/flags.out")
    echo "flags: $summary"
    result=$(grep -m1 "^$token " "$scratch/result")
    case $status in
        124|137) echo "./flags did not finish within 10 s"; return 1 ;;
    esac
    [ -n "$result" ] || { echo "./flags ended (status $status) before it reported its result: does your code call exit()?"; return 1; }
    lab_result=${result#"$token "}
    local downloaded elapsed
    downloaded=$(lab_field downloaded) elapsed=$(lab_field elapsed)
    [ "$downloaded" = 20 ] || { echo "not every flag arrived: $downloaded of 20 ($summary)"; return 1; }
    awk -v elapsed="$elapsed" -v limit="$LIMIT" 'BEGIN { exit !(elapsed < limit) }' ||
        { echo "20 downloads took $elapsed s; all at once they take about one delay ($DELAY s), the limit is $LIMIT s"; return 1; }
    echo "20 flags in $elapsed s from a $DELAY s DELAY server, on one thread"
}

lab_test 0 "dispatch.c runs only when called" lab_no_constructors dispatch.c
[ $lab_failures -eq 0 ] || lab_finish ""
lab_test 50 "dispatch calls every ready watcher once, with epoll's events" dispatching
lab_test 50 "20 flags from a DELAY server within two delays" downloading
lab_finish "dispatch calls every ready watcher with its events; 20 flags within two delays from a $DELAY s DELAY server, on one thread"
