#!/usr/bin/env bats
# workers: bench/workers.c, the create/join of the pthread variants and the
# fork/reap of the fork variants: BENCH_PIN=1 pins worker i to CPU i mod
# ncpu, and a child that dies stops the others instead of leaving them to run.
bats_require_minimum_version 1.5.0
load helpers

teardown() {
    [ -n "${background_pid:-}" ] && kill -KILL "$background_pid" 2>/dev/null
    return 0
}

# The CPUs this process may use, as a list of numbers.
allowed_cpus() {
    taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' |
        awk -F- '{ last = NF > 1 ? $2 : $1; for (cpu = $1; cpu <= last; cpu++) print cpu }'
}

# Prints the Cpus_allowed_list of every worker of `pid`: its threads but the
# first (the main thread), or its children.
worker_cpus() {  # worker_cpus pid threads|children
    local pid=$1 kind=$2 task
    if [ "$kind" = threads ]; then
        for task in $(ls /proc/"$pid"/task | sort -n | tail -n +2); do
            awk '/^Cpus_allowed_list/ { print $2 }' /proc/"$pid"/task/"$task"/status
        done
    else
        for task in $(pgrep -P "$pid" | sort -n); do
            awk '/^Cpus_allowed_list/ { print $2 }' /proc/"$task"/status
        done
    fi
}

# Starts sleep-<model> with 4 workers for 30 s and waits until all 4 exist.
start_four_workers() {  # start_four_workers model threads|children [env...]
    local model=$1 kind=$2; shift 2
    env "$@" "$BIN/sleep-$model" -n 4 --seconds 30 -v 2>"$BATS_TEST_TMPDIR/stderr" &
    background_pid=$!
    for _ in $(seq 200); do
        [ "$(worker_cpus "$background_pid" "$kind" 2>/dev/null | wc -l)" -eq 4 ] && return 0
        sleep 0.05
    done
    return 1
}

# Stops the run started above (SIGTERM: the fork variant kills and reaps its children).
stop_workers() {
    kill -TERM "$background_pid"
    wait "$background_pid" || true
    background_pid=
}

@test "workers: BENCH_PIN=1 pins pthread and fork worker i to CPU i mod ncpu, and -v says so" {
    need_models pthread fork
    command -v taskset >/dev/null || skip "taskset not installed"
    mapfile -t cpus < <(allowed_cpus)
    local expected="" index
    for index in 0 1 2 3; do expected+="${cpus[index % ${#cpus[@]}]} "; done
    for model in pthread fork; do
        kind=threads; [ "$model" = fork ] && kind=children
        start_four_workers "$model" "$kind" BENCH_PIN=1
        got=$(worker_cpus "$background_pid" "$kind" | tr '\n' ' ')
        stop_workers
        echo "$model: workers on '$got', expected '$expected'"
        [ "$got" = "$expected" ]
        grep -q "4 .* started, pinned" "$BATS_TEST_TMPDIR/stderr"
    done
}

@test "workers: without BENCH_PIN the workers may run on every CPU, and -v does not say pinned" {
    need_models pthread fork
    command -v taskset >/dev/null || skip "taskset not installed"
    local all
    all=$(awk '/^Cpus_allowed_list/ { print $2 }' /proc/$$/status)
    for model in pthread fork; do
        kind=threads; [ "$model" = fork ] && kind=children
        start_four_workers "$model" "$kind"
        got=$(worker_cpus "$background_pid" "$kind" | sort -u)
        stop_workers
        echo "$model: workers on '$got', the shell on '$all'"
        [ "$got" = "$all" ]
        grep -q "4 .* started" "$BATS_TEST_TMPDIR/stderr"
        ! grep -q pinned "$BATS_TEST_TMPDIR/stderr"
    done
}

@test "workers: a fork child that dies stops the others at once, and the run exits 1" {
    need_models fork
    "$BIN/sleep-fork" -n 4 --seconds 30 2>"$BATS_TEST_TMPDIR/stderr" &
    background_pid=$!
    for _ in $(seq 100); do
        [ "$(pgrep -c -P "$background_pid")" -eq 4 ] && break
        sleep 0.05
    done
    children=$(pgrep -d, -P "$background_pid")
    [ "$(tr , '\n' <<<"$children" | wc -l)" -eq 4 ]
    local started=$SECONDS
    kill -KILL "${children%%,*}"
    status=0
    wait "$background_pid" || status=$?
    background_pid=
    cat "$BATS_TEST_TMPDIR/stderr"
    [ "$status" -eq 1 ]
    [ $((SECONDS - started)) -lt 10 ]   # not the 30 s the others would have slept
    grep -q "killed by signal 9 (Killed); stopping the others" "$BATS_TEST_TMPDIR/stderr"
    ! ps -o pid=,stat= -p "$children"   # every child reaped: not even a zombie
}

@test "workers: BENCH_PIN=1 leaves the answers alone (every pthread and fork variant verifies)" {
    need_models pthread fork
    for workload in primes sum sort; do
        for model in pthread fork; do
            BENCH_PIN=1 run_record "$workload" "$model" -j 3 -n 4
        done
    done
}
