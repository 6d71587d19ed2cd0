# tests/helpers.bash - shared by the bats files: load it with `load helpers`.
#
# BIN        where the variants are (bin, build/asan/bin, build/tsan/bin)
# MODELS     which models to test (the TSan pass sets MODELS=pthread)
# SANITIZER  address or thread when running under one, else empty

BIN=${BIN:-bin}
MODELS=${MODELS:-serial pthread fork openmp eventloop}
SANITIZER=${SANITIZER:-}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Skips the test unless every named model is being tested.
need_models() {
    local model
    for model in "$@"; do
        [[ " $MODELS " == *" $model "* ]] || skip "model $model not tested in this pass"
    done
}

# Skips tests that only check the command line, in sanitizer passes.
plain_only() {
    [ -z "$SANITIZER" ] || skip "not repeated under $SANITIZER sanitizer"
}

# Prints the value of a top-level or result key of a --json record.
json() {  # json 'expression' record
    jq -r "$1" <<<"$2"
}

# Runs a variant with --json and checks the contract's keys; sets $record.
run_record() {  # run_record workload model args...
    local workload=$1 model=$2; shift 2
    run "$BIN/$workload-$model" --json "$@"
    if [ "$status" -ne 0 ]; then
        echo "$workload-$model $* exited with $status: $output" >&2
        return 1
    fi
    record=$output
    local keys
    keys=$(jq -r 'keys_unsorted | join(",")' <<<"$record") || return 1
    [ "$keys" = "workload,model,workers,tasks,wall_s,user_s,sys_s,maxrss_kib,children_maxrss_kib,vol_ctx,invol_ctx,result,verified" ] || {
        echo "wrong keys: $keys" >&2
        return 1
    }
    [ "$(json .verified "$record")" = true ] || return 1
    [ "$(json .workload "$record")" = "$workload" ] || return 1
    [ "$(json .model "$record")" = "$model" ] || return 1
}

# Checks that a command failed with `expected` status and a one-line message
# on stderr that contains `needle`.
expect_usage_error() {  # expect_usage_error needle command...
    local needle=$1; shift
    run --separate-stderr "$@"
    [ "$status" -eq 2 ] || { echo "status $status for $*" >&2; return 1; }
    [ -z "$output" ] || { echo "stdout not empty: $output" >&2; return 1; }
    [ "$(wc -l <<<"$stderr")" -eq 1 ] || { echo "stderr: $stderr" >&2; return 1; }
    [[ "$stderr" == *"$needle"* ]] || { echo "'$needle' not in: $stderr" >&2; return 1; }
}
