#!/usr/bin/env bats
# flagserver-models: tests/flagserver.bats once per server model (issue 17),
# each through FLAGSERVER_MODEL=<model> (tests/flagserver-helpers.bash), so
# that every model has today's behaviour: routes, errors, keep-alive, delays,
# faults, idle timeout, signals, 1000 connections, descriptor exhaustion.
# (flagserver.bats itself runs bin/flagserver, the eventloop model.)
# Under a sanitizer only the thread models run here (pool, pthread): the
# process models share their code with them, and the file is long.
bats_require_minimum_version 1.5.0
load helpers

run_model() {
    local model=$1
    [ -x "$BIN/flagserver-$model" ] || { echo "no $BIN/flagserver-$model"; return 1; }
    if [ -n "$SANITIZER" ] && [[ " pool pthread " != *" $model "* ]]; then
        skip "process models are not repeated under $SANITIZER"
    fi
    run env FLAGSERVER_MODEL="$model" bats --tap tests/flagserver.bats
    [ "$status" -eq 0 ] || { grep -v '^ok' <<<"$output"; false; }
}

@test "flagserver-models: iterative passes the flag server tests" { run_model iterative; }
@test "flagserver-models: fork passes the flag server tests" { run_model fork; }
@test "flagserver-models: pthread passes the flag server tests" { run_model pthread; }
@test "flagserver-models: prefork passes the flag server tests" { run_model prefork; }
@test "flagserver-models: pool passes the flag server tests" { run_model pool; }
@test "flagserver-models: eventloop (bin/flagserver-eventloop) passes the flag server tests" { run_model eventloop; }
