#!/usr/bin/env bats
# sleep: every model completes every task, one worker per task overlaps the
# waits, pools take longer, usage errors, memory of the event loop, and what
# happens when the system refuses a thread or a process.
bats_require_minimum_version 1.5.0
load helpers

teardown() {
    [ -n "${limit_dir:-}" ] && rm -rf "$limit_dir"
    [ -n "${background_pid:-}" ] && kill -KILL "$background_pid" 2>/dev/null
    return 0
}

# Checks the record of a run of `tasks` tasks of `seconds`: every task
# completed, and the run lasted at least the waits that one worker had to
# do in a row (ceil(tasks / workers) of them).
check_sleep_record() {  # check_sleep_record tasks seconds
    local tasks=$1 seconds=$2 workers wall
    workers=$(json .workers "$record")
    wall=$(json .wall_s "$record")
    [ "$(json .result.completed "$record")" -eq "$tasks" ] || {
        echo "completed $(json .result.completed "$record") of $tasks" >&2; return 1; }
    [ "$(json .tasks "$record")" -eq "$tasks" ] || return 1
    awk -v wall="$wall" -v tasks="$tasks" -v workers="$workers" -v seconds="$seconds" \
        'BEGIN { rounds = int((tasks + workers - 1) / workers); exit !(wall >= rounds * seconds) }' || {
        echo "wall $wall s < ceil($tasks / $workers) x $seconds s" >&2; return 1; }
}

@test "sleep: every model and worker count completes every task, no sooner than it can" {
    for model in $MODELS; do
        worker_counts="1 2 3 8 default"
        [ "$model" = serial ] && worker_counts=default
        for workers in $worker_counts; do
            args=(-n 20 --seconds 0.05)
            [ "$workers" != default ] && args+=(-j "$workers")
            run_record sleep "$model" "${args[@]}"
            check_sleep_record 20 0.05 || { echo "$model ${args[*]}: $record"; false; }
            expected_workers=$workers
            [ "$workers" = default ] && expected_workers=20
            [ "$model" = serial ] && expected_workers=1
            [ "$(json .workers "$record")" -eq "$expected_workers" ] || {
                echo "$model ${args[*]}: workers $(json .workers "$record")"; false; }
        done
    done
}

@test "sleep: one worker per task overlaps the waits (well under n x S)" {
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        run_record sleep "$model" -n 20 --seconds 0.05
        wall=$(json .wall_s "$record")
        awk -v wall="$wall" 'BEGIN { exit !(wall < 20 * 0.05 / 2) }' || {
            echo "$model: 20 x 0.05 s one per task took $wall s"; false; }
    done
}

@test "sleep: a pool of 2 for 4 tasks of 0.1 s takes two rounds" {
    for model in $MODELS; do
        run_record sleep "$model" -j 2 -n 4 --seconds 0.1
        check_sleep_record 4 0.1
        awk -v wall="$(json .wall_s "$record")" 'BEGIN { exit !(wall >= 0.2) }'
    done
}

@test "sleep: defaults are 1000 tasks of 2 s, one worker per task" {
    need_models pthread
    run "$BIN/sleep-pthread" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--seconds"*"(default 2)"* && "$output" == *"--stack-kib"* ]]
    run_record sleep pthread --seconds 0
    [ "$(json .tasks "$record")" -eq 1000 ]
    [ "$(json .workers "$record")" -eq 1000 ]
    [ "$(json .result.completed "$record")" -eq 1000 ]
}

@test "sleep: human summary without --json" {
    for model in $MODELS; do
        run "$BIN/sleep-$model" -n 3 --seconds 0.01
        [ "$status" -eq 0 ]
        [[ "$output" == *"verified: 3 of 3 tasks waited 0.01 s each"* ]]
    done
}

@test "sleep: usage errors exit 2 and name the bad value" {
    plain_only
    for model in $MODELS; do
        expect_usage_error "'0'" "$BIN/sleep-$model" -j 0
        expect_usage_error "'abc'" "$BIN/sleep-$model" -n abc
        expect_usage_error "'-1'" "$BIN/sleep-$model" --seconds -1
        expect_usage_error "'abc'" "$BIN/sleep-$model" --seconds abc
        expect_usage_error "'nan'" "$BIN/sleep-$model" --seconds nan
        expect_usage_error "more than 1e9 seconds" "$BIN/sleep-$model" --seconds 1e10
        [ "$model" = pthread ] || expect_usage_error "--stack-kib" "$BIN/sleep-$model" --stack-kib 64
    done
    need_models pthread
    expect_usage_error "'1'" "$BIN/sleep-pthread" --stack-kib 1
    expect_usage_error "'0'" "$BIN/sleep-pthread" --stack-kib 0
    run_record sleep pthread -n 2 --seconds 0 --stack-kib 16
}

@test "sleep: the event loop keeps 100,000 timers in well under 32 MiB" {
    need_models eventloop
    plain_only
    run_record sleep eventloop -n 100000 --seconds 0.2
    check_sleep_record 100000 0.2
    [ "$(json .maxrss_kib "$record")" -lt 32768 ]
}

# Runs $BIN/sleep-<model> as user nobody with at most 40 processes (threads
# count too), from a copy nobody can execute; sets $status, $output, $elapsed.
run_as_nobody_with_limit() {  # run_as_nobody_with_limit model args...
    local model=$1; shift
    [ "$(id -u)" -eq 0 ] || skip "needs root to switch to nobody (root ignores ulimit -u)"
    command -v setpriv >/dev/null || skip "setpriv not installed"
    pgrep -u 65534 >/dev/null && skip "processes of nobody already running"
    limit_dir=$(mktemp -d /tmp/sleep-limit.XXXXXX)
    chmod 755 "$limit_dir"
    cp "$BIN/sleep-$model" "$limit_dir/"
    local started=$EPOCHREALTIME
    run setpriv --reuid=65534 --regid=65534 --clear-groups \
        bash -c 'ulimit -u 40 && exec "$0" "$@"' "$limit_dir/sleep-$model" "$@"
    elapsed=$(awk -v start="$started" -v end="$EPOCHREALTIME" 'BEGIN { print end - start }')
}

@test "sleep: pthread stops, joins its threads and names the limit when one is refused" {
    need_models pthread
    plain_only
    run_as_nobody_with_limit pthread -n 200 --seconds 30 --no-limit-check
    echo "status $status in $elapsed s: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"pthread_create (started "*" of 200 threads"* ]]
    [[ "$output" == *"ulimit -u"* ]]
    awk -v elapsed="$elapsed" 'BEGIN { exit !(elapsed < 5) }'
    ! pgrep -u 65534
}

@test "sleep: fork stops, reaps its children and names the limit when one is refused" {
    need_models fork
    plain_only
    run_as_nobody_with_limit fork -n 200 --seconds 30 --no-limit-check
    echo "status $status in $elapsed s: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"fork (started "*" processes, stopped and reaped them)"* ]]
    [[ "$output" == *"ulimit -u"* ]]
    awk -v elapsed="$elapsed" 'BEGIN { exit !(elapsed < 5) }'
    ! pgrep -u 65534
}

@test "sleep: openmp exits (libgomp's message, how many ran) when a thread is refused" {
    need_models openmp
    plain_only
    run_as_nobody_with_limit openmp -n 200 --seconds 30 --no-limit-check
    echo "status $status in $elapsed s: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"Thread creation failed"* && "$output" == *"were running"* ]]
    awk -v elapsed="$elapsed" 'BEGIN { exit !(elapsed < 5) }'
    ! pgrep -u 65534
}

@test "sleep: fork kills and reaps its children on SIGTERM" {
    need_models fork
    "$BIN/sleep-fork" -n 20 --seconds 30 2>"$BATS_TEST_TMPDIR/stderr" &
    background_pid=$!
    for _ in $(seq 100); do   # until every child exists (at most 10 s)
        [ "$(pgrep -c -P "$background_pid")" -eq 20 ] && break
        sleep 0.1
    done
    children=$(pgrep -d, -P "$background_pid")
    [ "$(tr , '\n' <<<"$children" | wc -l)" -eq 20 ]
    kill -TERM "$background_pid"
    status=0
    wait "$background_pid" || status=$?
    background_pid=
    [ "$status" -eq 143 ]
    ! ps -o pid=,stat= -p "$children"   # reaped: not even a zombie is left
    grep -q "killed and reaped the 20 processes" "$BATS_TEST_TMPDIR/stderr"
}
