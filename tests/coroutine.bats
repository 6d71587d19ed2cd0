#!/usr/bin/env bats
# coroutine: the coroutine model (bench/coro) in every workload. Each
# workload's own tests run again with MODELS="serial coroutine", so this model
# passes exactly what the others pass; then what only coroutines claim.
#
# Sanitizers: the plain and the ASan + UBSan passes run all of it (bench/coro
# announces its stack switches to ASan). The TSan pass skips it: coroutines
# are one thread and never run at the same time, so there is no race for
# TSan to find, and bench/coro does not announce its switches to TSan
# (__tsan_switch_to_fiber: a TSan fiber costs about 50 ms here, see bench/coro.h).
bats_require_minimum_version 1.5.0
load helpers

setup() {
    [ "$SANITIZER" != thread ] || skip "coroutines are one thread: nothing for TSan (see the top of this file)"
}

# Runs a workload's bats file for the serial and coroutine models only.
workload_tests() {  # workload_tests file
    run env MODELS="serial coroutine" bats --tap "tests/$1.bats"
    echo "$output" | grep -E '^not ok|^#' | head -40
    [ "$status" -eq 0 ]
}

@test "coroutine: passes primes' tests" { workload_tests primes; }
@test "coroutine: passes sum's tests" { workload_tests sum; }
@test "coroutine: passes sort's tests" { workload_tests sort; }
@test "coroutine: passes sleep's tests" { workload_tests sleep; }
@test "coroutine: passes http's tests" { workload_tests http; }

@test "coroutine: 100,000 coroutines sleep 0.5 s at once, in well under 64 MiB" {
    plain_only
    run_record sleep coroutine -n 100000 --seconds 0.5
    [ "$(json .result.completed "$record")" -eq 100000 ]
    [ "$(json .workers "$record")" -eq 100000 ]
    wall=$(json .wall_s "$record") rss=$(json .maxrss_kib "$record")
    echo "wall $wall s, maxrss $rss KiB"
    awk -v wall="$wall" 'BEGIN { exit !(wall >= 0.5 && wall < 0.5 * 3) }'   # 3x: a loaded machine
    [ "$rss" -lt 65536 ]
}

@test "coroutine: CPU-bound work gains nothing, and the slices yield (one thread)" {
    run_record sum coroutine -n 100 --count 1000000
    [ "$(json .result.total "$record")" -eq $((100 * 999999 * 1000000 / 2)) ]
    [ "$(json .workers "$record")" -eq 100 ]
    # one thread: its CPU time is at most its wall time (no second core at work); the
    # 0.05 s is start-up before the clock (rusage counts it: ASan maps its shadow then)
    awk -v wall="$(json .wall_s "$record")" -v user="$(json .user_s "$record")" \
        -v sys="$(json .sys_s "$record")" 'BEGIN { exit !(user + sys <= wall * 1.05 + 0.05) }'
}

@test "coroutine: --help says what the model is, in every workload" {
    plain_only
    for workload in primes sum sort sleep http; do
        run "$BIN/$workload-coroutine" --help
        [ "$status" -eq 0 ]
        [[ "$output" == *"coroutine"* && "$output" == *"--workers"* ]] || {
            echo "$workload: $output"; false; }
    done
}

@test "coroutine: the switching demo checks out and goes the notes' way, in C and with greenlet" {
    run "$BIN/demos/switching" --steps 200000 --thread-steps 5000
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(json .verified "$output")" = true ]
    # switching after every step is slower than the same steps one after the other
    awk -v x="$(json .slowdown "$output")" 'BEGIN { exit !(x > 1.5) }'
    [ -n "$SANITIZER" ] ||   # one switch at least 10x cheaper than a thread hand-over
        awk -v x="$(json .handover_over_switch "$output")" 'BEGIN { exit !(x >= 10) }'
    run "$BIN/demos/switching-py" --steps 50000
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(json .verified "$output")" = true ]
    awk -v x="$(json .slowdown "$output")" 'BEGIN { exit !(x > 1.2) }'
}

@test "coroutine: the generator demos check out (C coroutines, Python generators)" {
    run "$BIN/demos/generators" --items 100000
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(json .verified "$output")" = true ]
    run "$BIN/demos/generators-py" --items 20000
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(json .verified "$output")" = true ]
}

@test "coroutine: the demos' usage errors exit 2 and name the bad value" {
    plain_only
    expect_usage_error "'0'" "$BIN/demos/switching" --steps 0
    expect_usage_error "'x'" "$BIN/demos/switching" --thread-steps x
    expect_usage_error "'--frobnicate'" "$BIN/demos/generators" --frobnicate
    run --separate-stderr "$BIN/demos/generators-py" --items 0
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"'0'"* ]]
}

@test "coroutine: demos/run-all.sh keeps the records, and the report section reads its claims from them" {
    plain_only
    results=$BATS_TEST_TMPDIR/results
    mkdir -p "$results"
    run env BIN="$BIN" demos/run-all.sh "$results" tiny
    echo "$output"
    [ "$status" -eq 0 ]
    for name in switching switching-py generators generators-py; do
        [ "$(jq -r .verified "$results/demos/$name.json")" = true ]
    done
    run /usr/bin/python3 -c 'import sys; sys.path.insert(0, "scripts")
from results import Results
from sections import coroutine
print("\n".join(coroutine.lines(Results(sys.argv[1]), sys.argv[1])))' "$results"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"| Switching without I/O only slows the work down"*"| holds |"* ]]
    [[ "$output" == *"| One C coroutine switch is at least 10x cheaper"*"| holds |"* ]]
    [[ "$output" == *"| 1000 coroutines sleeping 2 s take about 2 s"*"| not measured | not measured |"* ]]
    run env BIN="$BIN" demos/run-all.sh "$results" huge
    [ "$status" -eq 2 ]
}
