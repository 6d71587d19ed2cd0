#!/usr/bin/env bats
# python: the Python variants (issue 6) keep the C variants' contract: the
# same result object as the C serial variant at small sizes, the same record
# keys (run_record checks them), exit 2 and one line naming the bad value on
# a usage error. Only the plain pass: sanitizers do not apply to Python.
# plain pass only: the Python variants: the same code in every tree, nothing for a sanitizer to see (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0
load helpers

# The Python models of each workload, as the notes used them: gevent (issue 14)
# beside asyncio for primes, sleep and http.
PY_MODELS_CPU="py-serial py-threads py-processes"
PY_MODELS_WITH_COROUTINES="py-serial py-threads py-processes py-asyncio py-gevent"

# Every Python model of a workload gives the C serial variant's result object.
agrees_with_c_serial() {  # agrees_with_c_serial workload "models" args...
    local workload=$1 models=$2; shift 2
    run_record "$workload" serial "$@"
    local expected expected_tasks model workers
    expected=$(jq -c .result <<<"$record")
    expected_tasks=$(json .tasks "$record")
    for model in $models; do
        worker_counts="2 3"
        [ "$model" = py-serial ] && worker_counts=1
        for workers in $worker_counts; do
            run_record "$workload" "$model" -j "$workers" "$@"
            [ "$(jq -c .result <<<"$record")" = "$expected" ] || {
                echo "$workload-$model -j $workers $*: $(jq -c .result <<<"$record") != $expected"; return 1; }
            [ "$model" = py-serial ] || [ "$(json .workers "$record")" -eq "$workers" ]
            [ "$(json .tasks "$record")" -eq "$expected_tasks" ]
        done
    done
}

# The usage errors every variant shares.
common_usage_errors() {  # common_usage_errors program
    expect_usage_error "'0'" "$1" -j 0
    expect_usage_error "'abc'" "$1" -j abc
    expect_usage_error "'-1'" "$1" -n -1
    expect_usage_error "'2x'" "$1" --tasks 2x
    expect_usage_error "--frobnicate" "$1" --frobnicate
    expect_usage_error "stray" "$1" stray
    expect_usage_error "--workers" "$1" -j
}

setup() {
    plain_only
}

# The flag servers (LOCAL, DELAY 0.5 s, ERROR) for the http tests, started once,
# stopped in teardown_file (and by flagservers.sh's watchdog if bats is killed).
setup_file() {
    [ -z "$SANITIZER" ] || return 0
    export FLAGS_SERVERS_DIR=$BATS_FILE_TMPDIR/servers
    FLAGSERVER=$BIN/flagserver "$BATS_TEST_DIRNAME/../scripts/flagservers.sh" start "$FLAGS_SERVERS_DIR" $$ >/dev/null 3>&-
}

teardown_file() {
    [ -z "$SANITIZER" ] || return 0
    "$BATS_TEST_DIRNAME/../scripts/flagservers.sh" stop "$FLAGS_SERVERS_DIR"
}

@test "python: launchers are installed for every Python variant, and only for those" {
    local workload model source launchers=0
    for workload in primes sum sleep sort http; do
        models=$PY_MODELS_CPU
        [[ $workload == @(primes|sleep|http) ]] && models=$PY_MODELS_WITH_COROUTINES
        for model in $models; do
            [ -f "$BATS_TEST_DIRNAME/../workloads/$workload/$model.py" ] || { echo "no $workload/$model.py"; false; }
            [ -x "$BIN/$workload-$model" ] || { echo "no $BIN/$workload-$model"; false; }
            head -1 "$BIN/$workload-$model" | grep -q '^#!/bin/sh'
            grep -q "^exec /usr/bin/python3 /.*/workloads/$workload/$model.py" "$BIN/$workload-$model"
        done
    done
    for source in "$BATS_TEST_DIRNAME"/../workloads/*/py-*.py; do
        launchers=$((launchers + 1))
        [ -x "$BIN/$(basename "$(dirname "$source")")-$(basename "$source" .py)" ]
    done
    [ "$launchers" -eq 23 ] || { echo "$launchers Python variants; update the table above"; false; }
}

@test "python: primes agrees with primes-serial, in every Python model" {
    printf '%s\n' 0 1 2 3 4 25 2147483647 1000000007 999999999989 15 > "$BATS_TEST_TMPDIR/small.txt"
    agrees_with_c_serial primes "$PY_MODELS_WITH_COROUTINES" --numbers "$BATS_TEST_TMPDIR/small.txt"
    [ "$(json .result.primes "$record")" -eq 5 ]
    run_record primes serial -n 13
    expected=$(jq -c .result <<<"$record")
    run_record primes py-processes -n 13 -j 2
    [ "$(jq -c .result <<<"$record")" = "$expected" ]
}

@test "python: primes usage errors exit 2 with one line naming the value" {
    common_usage_errors "$BIN/primes-py-serial"     # the parsing is bench.py's, shared
    for model in $PY_MODELS_WITH_COROUTINES; do
        expect_usage_error "'0'" "$BIN/primes-$model" -j 0
        expect_usage_error "no-such-file" "$BIN/primes-$model" --numbers /no-such-file
    done
    printf '7\n12x\n' > "$BATS_TEST_TMPDIR/bad.txt"
    expect_usage_error "bad.txt:2" "$BIN/primes-py-serial" --numbers "$BATS_TEST_TMPDIR/bad.txt"
    printf '18446744073709551616\n' > "$BATS_TEST_TMPDIR/big.txt"
    expect_usage_error "big.txt:1" "$BIN/primes-py-serial" --numbers "$BATS_TEST_TMPDIR/big.txt"
}

@test "python: primes defaults, summary and help match the C variants" {
    run_record primes py-serial -n 2
    [ "$(json .workers "$record")" -eq 1 ]
    for model in py-asyncio py-gevent; do
        run_record primes "$model" -n 3
        [ "$(json .workers "$record")" -eq 3 ]     # -j defaults to the task count, as primes-eventloop
    done
    run "$BIN/primes-py-threads" -n 7
    [ "$status" -eq 0 ]
    [[ "$output" == *"verified: 7 of 7 numbers are prime"* ]]
    run "$BIN/primes-py-processes" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--workers"* && "$output" == *"--numbers"* && "$output" == *"--json"* ]]
}

@test "python: sum agrees with sum-serial and the formula, in every Python model" {
    agrees_with_c_serial sum "$PY_MODELS_CPU" -n 20 --count 1000
    [ "$(json .result.total "$record")" -eq $((20 * 1000 * 999 / 2)) ]
    agrees_with_c_serial sum py-processes -n 7 --count 0
    run_record sum py-threads --count 10
    [ "$(json .tasks "$record")" -eq 300 ]     # the default, as in C
}

@test "python: sum usage errors exit 2 with one line naming the value" {
    common_usage_errors "$BIN/sum-py-threads"
    for model in $PY_MODELS_CPU; do
        expect_usage_error "'-5'" "$BIN/sum-$model" --count -5
    done
    expect_usage_error "64 bits" "$BIN/sum-py-serial" -n 300 --count 4294967296
}

@test "python: sleep agrees with sleep-serial; the concurrent models wait at once" {
    agrees_with_c_serial sleep "py-serial" -n 3 --seconds 0.05
    for model in py-threads py-processes py-asyncio py-gevent; do
        run_record sleep "$model" -n 12 --seconds 0.3
        [ "$(jq -c .result <<<"$record")" = '{"completed":12}' ]
        [ "$(json .workers "$record")" -eq 12 ]                       # one per task by default
        jq -e '.wall_s >= 0.3 and .wall_s < 3.6' <<<"$record" >/dev/null   # not 12 x 0.3 s one after another
    done
    run_record sleep py-threads -n 4 -j 2 --seconds 0.2                # a pool: two rounds
    jq -e '.wall_s >= 0.4' <<<"$record" >/dev/null
    for model in py-asyncio py-gevent; do                              # the semaphore lets one in at a time
        run_record sleep "$model" -n 4 -j 1 --seconds 0.1
        jq -e '.wall_s >= 0.4' <<<"$record" >/dev/null
    done
}

@test "python: sleep usage errors exit 2 with one line naming the value" {
    common_usage_errors "$BIN/sleep-py-asyncio"
    for model in $PY_MODELS_WITH_COROUTINES; do
        expect_usage_error "'-1'" "$BIN/sleep-$model" --seconds -1
    done
    expect_usage_error "'soon'" "$BIN/sleep-py-threads" --seconds soon
    expect_usage_error "'inf'" "$BIN/sleep-py-threads" --seconds inf
}

# Through /proc, not procps (a fresh Debian may not have ps or pgrep).
children_of() {  # children_of PID: the pids whose parent is PID
    awk -v parent="$1" '{ sub(/^.*\) /, ""); if ($2 == parent) { split(FILENAME, path, "/"); print path[3] } }' \
        /proc/[0-9]*/stat 2>/dev/null
}

process_state() {  # process_state PID: R, S, Z ..., or nothing once it is gone
    sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

@test "python: an interrupted py-processes run leaves no process behind" {
    "$BIN/sleep-py-processes" -n 6 --seconds 30 3>&- &
    local parent=$!
    for _ in $(seq 200); do      # up to 20 s: starting Python on a loaded machine
        [ "$(children_of "$parent" | wc -l)" -ge 6 ] && break
        sleep 0.1
    done
    local workers
    workers=$(children_of "$parent" | tr '\n' ' ')
    [ "$(wc -w <<<"$workers")" -ge 2 ] || { echo "workers: $workers"; false; }
    kill -INT "$parent"
    local exit_status=0
    wait "$parent" || exit_status=$?
    [ "$exit_status" -eq 130 ]      # died of SIGINT, as a C variant does
    local worker state
    for worker in $workers; do      # gone, or dead and waiting for init to reap it
        for _ in $(seq 30); do
            state=$(process_state "$worker")
            [ -z "$state" ] || [ "$state" = Z ] && break
            sleep 0.1
        done
        [ -z "$state" ] || [ "$state" = Z ] || { echo "worker $worker still running ($state)"; false; }
    done
}

@test "python: sort agrees with sort-serial (generator, checksum, --input, --output)" {
    agrees_with_c_serial sort "$PY_MODELS_CPU" --elements 5000 --seed 7
    [ "$(json .tasks "$record")" -eq 5000 ]
    # few distinct keys, a sorted run and duplicates, from a file
    { seq 300 -1 1; for _ in $(seq 200); do echo 5; done; seq 1 300; echo 4294967295; echo 0; } \
        > "$BATS_TEST_TMPDIR/input.txt"
    run_record sort serial --input "$BATS_TEST_TMPDIR/input.txt" --output "$BATS_TEST_TMPDIR/c.txt"
    expected=$(jq -c .result <<<"$record")
    for model in $PY_MODELS_CPU; do
        run_record sort "$model" -j 2 --input "$BATS_TEST_TMPDIR/input.txt" --output "$BATS_TEST_TMPDIR/$model.txt"
        [ "$(jq -c .result <<<"$record")" = "$expected" ]
        cmp "$BATS_TEST_TMPDIR/c.txt" "$BATS_TEST_TMPDIR/$model.txt"
    done
    [ "$(find "$BATS_TEST_TMPDIR" -name '*.txt.*' | wc -l)" -eq 0 ]    # no temporary file left
}

@test "python: sort usage errors exit 2 with one line naming the value" {
    common_usage_errors "$BIN/sort-py-processes"
    expect_usage_error "'-3'" "$BIN/sort-py-serial" --elements -3
    expect_usage_error "'-1'" "$BIN/sort-py-serial" --seed -1
    expect_usage_error "--elements 10" "$BIN/sort-py-serial" -n 5 --elements 10
    printf '1\n4294967296\n' > "$BATS_TEST_TMPDIR/big.txt"
    expect_usage_error "big.txt:2" "$BIN/sort-py-threads" --input "$BATS_TEST_TMPDIR/big.txt"
    expect_usage_error "/no-such-dir" "$BIN/sort-py-threads" --elements 10 --output /no-such-dir/out.txt
    expect_usage_error "not with --input" "$BIN/sort-py-serial" --elements 3 --input "$BATS_TEST_TMPDIR/big.txt"
}

@test "python: http agrees with http-serial against LOCAL, in every Python model" {
    dest=$BATS_TEST_TMPDIR
    run_record http serial -s LOCAL --dest "$dest/c"
    expected=$(jq -c .result <<<"$record")
    [ "$expected" = '{"ok":20,"not_found":0,"errors":0}' ]
    for model in $PY_MODELS_WITH_COROUTINES; do
        run_record http "$model" -s LOCAL --dest "$dest/$model"
        [ "$(jq -c .result <<<"$record")" = "$expected" ]
        [ "$(json .tasks "$record")" -eq 20 ]
        for flag in "$dest"/c/*.gif; do cmp "$flag" "$dest/$model/${flag##*/}"; done
        [ "$(ls -A "$dest/$model" | wc -l)" -eq 20 ]
    done
    # letters, codes that do not exist, -l: the same accounting as C
    run_record http serial -s LOCAL B Z xx -l 40 --dest "$dest/c2"
    expected=$(jq -c .result <<<"$record")
    for model in $PY_MODELS_WITH_COROUTINES; do
        run_record http "$model" -s LOCAL -m 8 B Z xx -l 40 --dest "$dest/$model-2"
        [ "$(jq -c .result <<<"$record")" = "$expected" ]
        [ "$(json .workers "$record")" -eq "$([ "$model" = py-serial ] && echo 1 || echo 8)" ]
    done
}

@test "python: http against DELAY: the pools and asyncio overlap the waits, serial does not" {
    for model in py-threads py-processes py-asyncio py-gevent; do
        run_record http "$model" -s DELAY -m 10 -l 10 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$(jq -c .result <<<"$record")" = '{"ok":10,"not_found":0,"errors":0}' ]
        jq -e '.wall_s >= 0.5 and .wall_s < 3.0' <<<"$record" >/dev/null ||   # 10 in a row: 5 s
            { echo "$model took $(json .wall_s "$record") s"; false; }
    done
    run_record http py-serial -s DELAY -l 3 --dest "$BATS_TEST_TMPDIR/serial"
    jq -e '.wall_s >= 1.5' <<<"$record" >/dev/null
}

@test "python: http against ERROR and a dead port: every code accounted for, exit 3" {
    for model in $PY_MODELS_WITH_COROUTINES; do
        codes=20
        [ "$model" = py-serial ] && codes=4           # serial waits for every 0.5 s delay
        run --separate-stderr "$BIN/http-$model" --json -s ERROR -m 20 -l $codes --dest "$BATS_TEST_TMPDIR/$model"
        [ "$status" -eq 3 ] || [ "$status" -eq 0 ] || { echo "$model: $status $stderr"; false; }
        read -r ok not_found errors <<<"$(jq -r '.result | "\(.ok) \(.not_found) \(.errors)"' <<<"$output")"
        [ $((ok + not_found + errors)) -eq $codes ]
        [ "$(ls -A "$BATS_TEST_TMPDIR/$model" | wc -l)" -eq "$ok" ]    # failed codes leave no file
    done
    dead=http://127.0.0.1:$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/flags
    for model in py-serial py-asyncio py-gevent; do
        run --separate-stderr "$BIN/http-$model" --json -s "$dead" -l 3 --dest "$BATS_TEST_TMPDIR/dead"
        [ "$status" -eq 3 ]
        [ "$(jq -c .result <<<"$output")" = '{"ok":0,"not_found":0,"errors":3}' ]
        [[ "$stderr" == *"$dead/manifest.tsv"* && "$stderr" == *"3 errors"* ]]
    done
}

@test "python: http usage errors exit 2 with one line naming the value" {
    common_usage_errors "$BIN/http-py-serial"
    for model in $PY_MODELS_WITH_COROUTINES; do
        expect_usage_error "'B1'" "$BIN/http-$model" B1
        expect_usage_error "'http://example.com'" "$BIN/http-$model" -s http://example.com
    done
    expect_usage_error "'http://127.0.0.1@example.com/'" "$BIN/http-py-threads" -s http://127.0.0.1@example.com/
    expect_usage_error "'BR'" "$BIN/http-py-threads" -e BR
    expect_usage_error "disagree" "$BIN/http-py-threads" -m 3 -j 4
    expect_usage_error "no-such.tsv" "$BIN/http-py-asyncio" --manifest /no-such.tsv
    FLAGS_SERVERS_DIR=/nonexistent expect_usage_error "/nonexistent/delay.port" "$BIN/http-py-serial" -s DELAY
}

@test "python: http's tqdm progress bar: on stderr with -v, never on the --json stdout" {
    for model in py-serial py-threads py-asyncio py-gevent; do
        run --separate-stderr "$BIN/http-$model" --json -v -s LOCAL -l 4 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$status" -eq 0 ]
        [ "$(wc -l <<<"$output")" -eq 1 ] && jq -e '.result.ok == 4' <<<"$output" >/dev/null
        [[ "$stderr" == *"4/4"* && "$stderr" == *"flag"* ]] || { echo "$model: no bar in: $stderr"; false; }
        [ "$(tr '\r' '\n' <<<"$stderr" | grep -c '[A-Z][A-Z]  ok  ')" -eq 4 ]    # the -v lines
        run --separate-stderr "$BIN/http-$model" --json -s LOCAL -l 4 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$status" -eq 0 ] && [ -z "$stderr" ]          # stderr not a terminal, no -v: no bar
    done
}
