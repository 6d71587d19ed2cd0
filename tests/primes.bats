#!/usr/bin/env bats
# primes: every model agrees, edge cases, usage errors.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    export SMALL=$BATS_FILE_TMPDIR/small.txt
    # small numbers, primes and not, and one large prime so threads overlap
    printf '%s\n' 0 1 2 3 4 25 2147483647 1000000007 999999999989 15 > "$SMALL"
}

@test "primes: every model and worker count agrees with serial (schedules too)" {
    run_record primes serial --numbers "$SMALL"
    expected=$(json .result "$record")
    [ "$(json .result.primes "$record")" -eq 5 ]
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        for workers in 1 2 3 8; do
            schedules="dynamic static"
            [[ $model == eventloop || $model == coroutine ]] && schedules=none
            for schedule in $schedules; do
                args=(--numbers "$SMALL" -j "$workers")
                [ "$schedule" != none ] && args+=(--schedule "$schedule")
                run_record primes "$model" "${args[@]}"
                [ "$(json .result "$record")" = "$expected" ] || {
                    echo "$model ${args[*]}: $(json .result "$record") != $expected"; false; }
            done
        done
    done
}

@test "primes: the notes' list (65 tasks) gives the same verdicts in every model" {
    run_record primes serial -n 13
    expected=$(json .result "$record")
    for model in $MODELS; do
        run_record primes "$model" -n 13 -j 2
        [ "$(json .result "$record")" = "$expected" ]
        [ "$(json .tasks "$record")" -eq 13 ]
    done
}

@test "primes: default is 65 tasks, the notes' list five times" {
    need_models serial
    plain_only
    run_record primes serial
    [ "$(json .tasks "$record")" -eq 65 ]
    [ "$(json .workers "$record")" -eq 1 ]
}

@test "primes: -j equal to the task count is one worker per task" {
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        run_record primes "$model" --numbers "$SMALL" -j 10
        [ "$(json .workers "$record")" -eq 10 ]
    done
}

@test "primes: human summary without --json" {
    for model in $MODELS; do
        run "$BIN/primes-$model" --numbers "$SMALL"
        [ "$status" -eq 0 ]
        [[ "$output" == *"verified: 5 of 10 numbers are prime"* ]]
    done
}

@test "primes: usage errors exit 2 and name the bad value" {
    plain_only
    for model in $MODELS; do
        expect_usage_error "'0'" "$BIN/primes-$model" -j 0
        expect_usage_error "'abc'" "$BIN/primes-$model" -j abc
        expect_usage_error "'-1'" "$BIN/primes-$model" -n -1
        expect_usage_error "--frobnicate" "$BIN/primes-$model" --frobnicate
        expect_usage_error "no-such-file" "$BIN/primes-$model" --numbers /no-such-file
        expect_usage_error "stray" "$BIN/primes-$model" stray
    done
    for model in pthread fork openmp; do
        [[ " $MODELS " == *" $model "* ]] || continue
        expect_usage_error "'sometimes'" "$BIN/primes-$model" --schedule sometimes
    done
}

@test "primes: a bad line in --numbers is a usage error naming the line" {
    plain_only
    printf '7\n12x\n' > "$BATS_TEST_TMPDIR/bad.txt"
    expect_usage_error "bad.txt:2" "$BIN/primes-serial" --numbers "$BATS_TEST_TMPDIR/bad.txt"
    printf '7\n18446744073709551616\n' > "$BATS_TEST_TMPDIR/big.txt"
    expect_usage_error "big.txt:2" "$BIN/primes-serial" --numbers "$BATS_TEST_TMPDIR/big.txt"
    printf '18446744073709551615\n' > "$BATS_TEST_TMPDIR/max.txt"
    run_record primes serial --numbers "$BATS_TEST_TMPDIR/max.txt"
    [ "$(json .result.primes "$record")" -eq 0 ]
}

@test "primes: --help lists the common and the model's options" {
    plain_only
    for model in $MODELS; do
        run "$BIN/primes-$model" --help
        [ "$status" -eq 0 ]
        [[ "$output" == *"--workers"* && "$output" == *"--numbers"* && "$output" == *"--json"* ]]
    done
    run "$BIN/primes-pthread" --help
    [[ "$output" == *"--schedule"* ]]
}
