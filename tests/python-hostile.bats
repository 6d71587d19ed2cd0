#!/usr/bin/env bats
# python-hostile: the Python variants against hostile peers and careless input
# (issue 10 items 5-7 and the sleep-py-processes part of 8). Every Python flag
# client counts every flag, exits 3 and ends within its --timeout (for the whole
# transfer, not per read) against tests/fixtures/hostile-server.py on loopback;
# the sleep launchers bound --seconds as the C ones do; a malformed manifest
# counts every flag as an error (exit 3), as a missing one does; an interrupted
# process pool reaps its workers before it dies. Only the plain pass.
# plain pass only: the Python variants: the same code in every tree (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0
load helpers

PY_HTTP_MODELS="py-serial py-threads py-processes py-asyncio py-gevent"
PY_SLEEP_MODELS="py-serial py-threads py-processes py-asyncio py-gevent"

setup() {
    plain_only
    server_pid=""
}

teardown() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}

hostile_server() {  # hostile_server MODE: starts it, sets $url
    rm -f "$BATS_TEST_TMPDIR/port"
    "$BATS_TEST_DIRNAME/fixtures/hostile-server.py" "$1" "$BATS_TEST_TMPDIR/port" 3>&- &
    server_pid=$!
    for _ in $(seq 100); do
        [ -s "$BATS_TEST_TMPDIR/port" ] && break
        sleep 0.05
    done
    url=http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/port")/flags
}

now() { date +%s.%N; }

# Runs every Python client against $url with -l CODES -m CODES --timeout T and
# checks: exit 3, one JSON record on stdout with every code an error, no
# traceback, no file left in --dest, and the time: the record's wall_s (the
# downloads) within ROUNDS timeouts and a second, the whole run within one
# more timeout (the manifest) and 20 s (importing requests, aiohttp, gevent
# and tqdm took up to 14 s on a loaded machine; the defects hung for minutes).
every_flag_an_error() {  # every_flag_an_error CODES TIMEOUT ROUNDS [args...]
    local codes=$1 timeout=$2 rounds=$3 model started elapsed; shift 3
    for model in $PY_HTTP_MODELS; do
        local dest=$BATS_TEST_TMPDIR/dest-$model
        started=$(now)
        run --separate-stderr timeout -k 5 90 "$BIN/http-$model" --json -s "$url" -l "$codes" \
            -m "$codes" --timeout "$timeout" --dest "$dest" "$@"
        elapsed=$(echo "$(now) - $started" | bc)
        echo "$model: status $status in $elapsed s; stdout: $output; stderr: ${stderr:0:600}"
        [ "$status" -eq 3 ]
        [ "$(jq -c .result <<<"$output")" = "{\"ok\":0,\"not_found\":0,\"errors\":$codes}" ]
        [[ "$stderr" != *Traceback* ]]
        [ "$(ls -A "$dest" | wc -l)" -eq 0 ]
        jq -e ".wall_s < $rounds * $timeout + 1" <<<"$output" >/dev/null
        [ "$(echo "$elapsed < ($rounds + 1) * $timeout + 20" | bc)" -eq 1 ]
    done
}

@test "python-hostile: a garbage status line: every flag an error, exit 3" {
    hostile_server garbage
    every_flag_an_error 3 2 1
}

@test "python-hostile: a truncated body: every flag an error, exit 3" {
    hostile_server truncated
    every_flag_an_error 3 2 1
}

@test "python-hostile: a huge Content-Length, then an endless body: no MemoryError, exit 3" {
    hostile_server huge
    every_flag_an_error 2 2 1
}

@test "python-hostile: an endless body without a length, plain and chunked: exit 3 in time" {
    hostile_server endless
    every_flag_an_error 2 2 1
    teardown
    hostile_server chunked
    every_flag_an_error 2 2 1
}

@test "python-hostile: a one-byte-a-second drip: --timeout is for the whole transfer" {
    hostile_server drip
    # the manifest (one timeout), then the flags: at once, or one after another
    PY_HTTP_MODELS="py-threads py-processes py-asyncio py-gevent" every_flag_an_error 3 2 1
    PY_HTTP_MODELS=py-serial every_flag_an_error 2 1 2
}

@test "python-hostile: a malformed manifest counts every flag as an error, exit 3, like a missing one" {
    hostile_server badmanifest
    every_flag_an_error 3 2 1
    [[ "$stderr" == *"manifest.tsv"* && "$stderr" == *"every download counts as an error"* ]]
}

@test "python-hostile: the sleep launchers refuse more than 1e9 seconds, as the C ones" {
    for model in $PY_SLEEP_MODELS; do
        expect_usage_error "more than 1e9 seconds" timeout 10 "$BIN/sleep-$model" -n 2 --seconds 1e308
        expect_usage_error "'1000000001'" timeout 10 "$BIN/sleep-$model" -n 2 --seconds 1000000001
    done
    run --separate-stderr "$BIN/sleep-serial" -n 2 --seconds 1e308
    [ "$status" -eq 2 ] && [[ "$stderr" == *"more than 1e9 seconds"* ]]   # the C wording
}

process_state() {  # process_state PID: R, S, Z ..., or nothing once it is gone
    sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

children_of() {  # children_of PID: the pids whose parent is PID
    awk -v parent="$1" '{ sub(/^.*\) /, ""); if ($2 == parent) { split(FILENAME, path, "/"); print path[3] } }' \
        /proc/[0-9]*/stat 2>/dev/null
}

@test "python-hostile: an interrupted sleep-py-processes has reaped its workers when it ends" {
    for signal in INT TERM; do
        "$BIN/sleep-py-processes" -n 4 --seconds 30 3>&- &
        local parent=$!
        for _ in $(seq 200); do      # the pool starts its workers as tasks come
            [ "$(children_of "$parent" | wc -l)" -ge 4 ] && break
            sleep 0.1
        done
        local workers worker
        workers=$(children_of "$parent" | tr '\n' ' ')
        [ "$(wc -w <<<"$workers")" -ge 2 ] || { echo "workers: $workers"; false; }
        kill -"$signal" "$parent"
        local exit_status=0
        wait "$parent" || exit_status=$?
        [ "$exit_status" -eq $((128 + $(kill -l "$signal"))) ]   # died of the signal
        for worker in $workers; do          # at once: not even a zombie for init to reap
            [ -z "$(process_state "$worker")" ] ||
                { echo "$signal: worker $worker left in state $(process_state "$worker")"; false; }
        done
    done
}
