#!/usr/bin/env bats
# sum: every model agrees, one worker per task, usage errors.
bats_require_minimum_version 1.5.0
load helpers

@test "sum: every model and worker count agrees with serial and the formula (schedules too)" {
    run_record sum serial -n 20 --count 1000
    expected=$(json .result "$record")
    [ "$(json .result.total "$record")" -eq $((20 * 1000 * 999 / 2)) ]
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        for workers in 1 2 3 8; do
            schedules="dynamic static"
            [[ $model == eventloop || $model == coroutine ]] && schedules=none
            for schedule in $schedules; do
                args=(-n 20 --count 1000 -j "$workers")
                [ "$schedule" != none ] && args+=(--schedule "$schedule")
                run_record sum "$model" "${args[@]}"
                [ "$(json .result "$record")" = "$expected" ] || {
                    echo "$model ${args[*]}: $(json .result "$record") != $expected"; false; }
                [ "$(json .tasks "$record")" -eq 20 ]
            done
        done
    done
}

@test "sum: the default is 300 tasks of 0..999999" {
    need_models serial
    plain_only
    run_record sum serial
    [ "$(json .tasks "$record")" -eq 300 ]
    [ "$(json .result.total "$record")" = 149999850000000 ]
}

@test "sum: the event loop's slices cover a task longer than one slice" {
    need_models eventloop
    run_record sum eventloop -n 3 --count 250001 -j 2
    [ "$(json .result.total "$record")" -eq $((3 * 250001 * 250000 / 2)) ]
}

@test "sum: -j equal to the task count is one thread or process per task (300)" {
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        run_record sum "$model" -n 300 --count 1000 -j 300
        [ "$(json .workers "$record")" -eq 300 ]
        [ "$(json .result.total "$record")" -eq $((300 * 1000 * 999 / 2)) ]
    done
}

@test "sum: more workers than tasks, and zero-length tasks" {
    for model in $MODELS; do
        run_record sum "$model" -n 2 --count 10 -j 5
        [ "$(json .result.total "$record")" -eq 90 ]
        run_record sum "$model" -n 4 --count 0
        [ "$(json .result.total "$record")" -eq 0 ]
    done
}

@test "sum: human summary without --json" {
    for model in $MODELS; do
        run "$BIN/sum-$model" -n 4 --count 100
        [ "$status" -eq 0 ]
        [[ "$output" == *"verified: total 19800 = 4 tasks"* ]]
    done
}

@test "sum: usage errors exit 2 and name the bad value" {
    plain_only
    for model in $MODELS; do
        expect_usage_error "'0'" "$BIN/sum-$model" -j 0
        expect_usage_error "'abc'" "$BIN/sum-$model" -j abc
        expect_usage_error "'-1'" "$BIN/sum-$model" -n -1
        expect_usage_error "'-5'" "$BIN/sum-$model" --count -5
        expect_usage_error "'1e6'" "$BIN/sum-$model" --count 1e6
        expect_usage_error "--frobnicate" "$BIN/sum-$model" --frobnicate
        expect_usage_error "stray" "$BIN/sum-$model" stray
        expect_usage_error "5000000000" "$BIN/sum-$model" --count 5000000000
    done
    for model in pthread fork openmp; do
        [[ " $MODELS " == *" $model "* ]] || continue
        expect_usage_error "'sometimes'" "$BIN/sum-$model" --schedule sometimes
    done
}

@test "sum: --help lists the common and the model's options" {
    plain_only
    for model in $MODELS; do
        run "$BIN/sum-$model" --help
        [ "$status" -eq 0 ]
        [[ "$output" == *"--workers"* && "$output" == *"--count"* && "$output" == *"--json"* ]]
    done
    run "$BIN/sum-fork" --help
    [[ "$output" == *"--schedule"* ]]
}
