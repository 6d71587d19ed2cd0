#!/usr/bin/env bats
# flagserver-models: tests/flagserver.bats once per server model (issue 17),
# each through FLAGSERVER_MODEL=<model> (tests/flagserver-helpers.bash), so
# that every model has today's behaviour: routes, errors, keep-alive, delays,
# faults, idle timeout, signals, 1000 connections, descriptor exhaustion.
# (flagserver.bats itself runs bin/flagserver, the eventloop model.)
# Under ASan only pthread runs here (its session.c and respond.c are the
# blocking models' shared code), under TSan pthread and pool (the models with
# threads): the file is long, and make test stays well under 15 minutes.
# eventloop is bin/flagserver's own build, which flagserver.bats tests itself.
bats_require_minimum_version 1.5.0
load helpers

run_model() {
    local model=$1
    [ -x "$BIN/flagserver-$model" ] || { echo "no $BIN/flagserver-$model"; return 1; }
    if [ "$SANITIZER" = address ] && [ "$model" != pthread ]; then
        skip "only pthread (the blocking models' shared code) is repeated under ASan"
    elif [ "$SANITIZER" = thread ] && [[ " pool pthread " != *" $model "* ]]; then
        skip "only the thread models are repeated under TSan"
    fi
    # A pool of -j workers holds -j connections at once (the lesson); the
    # tests open 50 in parallel, so the pools get more workers than that.
    local args=""
    [[ " pool prefork " == *" $model "* ]] && args="-j 64"
    run env FLAGSERVER_MODEL="$model" FLAGSERVER_ARGS="$args" bats --tap tests/flagserver.bats
    [ "$status" -eq 0 ] || { grep -v '^ok' <<<"$output"; false; }
}

@test "flagserver-models: iterative passes the flag server tests" { run_model iterative; }
@test "flagserver-models: fork passes the flag server tests" { run_model fork; }
@test "flagserver-models: pthread passes the flag server tests" { run_model pthread; }
@test "flagserver-models: prefork passes the flag server tests" { run_model prefork; }
@test "flagserver-models: pool passes the flag server tests" { run_model pool; }

load flagserver-helpers

teardown() {
    if [ -n "${SERVER_PID:-}" ]; then
        stop_server
    fi
}

# Descriptors, threads and child processes of the server (its process tree).
tree_counts() {
    local pids=$SERVER_PID all=$SERVER_PID next pid fds=0 threads=0
    while [ -n "$pids" ]; do
        next=""
        for pid in $pids; do next="$next $(cat /proc/"$pid"/task/*/children 2>/dev/null)"; done
        pids=$(echo $next)
        all="$all $pids"
    done
    for pid in $all; do
        fds=$((fds + $(ls /proc/"$pid"/fd 2>/dev/null | wc -l)))
        threads=$((threads + $(ls /proc/"$pid"/task 2>/dev/null | wc -l)))
    done
    # Under TSan the runtime starts a background thread of its own at some
    # point: there, threads are not compared (processes and descriptors are).
    [ "$SANITIZER" = thread ] && threads="(not counted under TSan)"
    echo "processes $(wc -w <<<"$all") threads $threads descriptors $fds"
}

@test "flagserver-models: after load every model is back to its idle descriptors, threads and processes; SIGTERM leaves nothing" {
    command -v wrk >/dev/null || skip "wrk not installed"
    for model in iterative fork pthread prefork pool eventloop; do
        SERVER_BIN=$BIN/flagserver-$model
        start_server --mode delay --delay 0.05 --idle-timeout 1
        sleep 0.2
        idle=$(tree_counts)
        echo "# $model: $idle when idle" >&3
        wrk -t1 -c50 -d2s --timeout 3s "$URL/br/br.gif" >/dev/null
        wrk -t1 -c50 -d1s --timeout 3s -H "Connection: close" "$URL/br/br.gif" >/dev/null
        attempts=40   # connections end within the idle timeout and the linger
        [ -n "$SANITIZER" ] && attempts=160   # (a sanitizer slows the threads' ends)
        for attempt in $(seq "$attempts"); do
            [ "$(tree_counts)" = "$idle" ] && break
            sleep 0.25
        done
        [ "$(tree_counts)" = "$idle" ] || { echo "$model: idle: $idle; after load: $(tree_counts)"; false; }
        pid=$SERVER_PID
        stop_server
        [ "$server_status" -eq 0 ] || { echo "$model exited with $server_status"; cat "$BATS_TEST_TMPDIR/server.err"; false; }
        leftovers=$(live_processes "flagserver-$model .*$BATS_TEST_TMPDIR")
        [ -z "$leftovers" ] || { echo "$model left: $leftovers"; false; }
    done
}
