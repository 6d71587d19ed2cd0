#!/usr/bin/env bats
# costs (issue 15): bin/costs and bin/costs-py at tiny sizes, every family:
# one record, every figure's own check held, no figure negative, each interval
# around its median; usage errors.
bats_require_minimum_version 1.5.0
load helpers

# Runs a costs command with --json; checks the record and its figures.
costs_record() {  # costs_record program args...
    local program=$1; shift
    run --separate-stderr "$BIN/$program" --json "$@"
    [ "$status" -eq 0 ] || { echo "$program $* exited $status: $stderr" >&2; return 1; }
    record=$output
    [ "$(json .verified "$record")" = true ]
    [ "$(json '.result.figures | length' "$record")" -gt 0 ]
    # No figure is negative; a measured one lies inside its interval.
    bad=$(jq -r '.result.figures[] | select(.median < 0 or .low < 0 or
                 (.below_resolution | not) and (.median <= 0 or .low > .median or .high < .median))
                 | .name' <<<"$record")
    [ -z "$bad" ] || { echo "bad figures: $bad" >&2; jq -c '.result.figures[]' <<<"$record" >&2; return 1; }
}

tiny=(--quick -n 3)

@test "costs: start, memory and pool figures, each family's checks hold" {
    [ "$SANITIZER" = thread ] && skip "libgomp and fork-heavy figures: the thread figures run under TSan below"
    costs_record costs --family start "${tiny[@]}"
    for name in "thread create + join" "fork + exit + wait" "posix_spawn of true + wait" \
                "loop timer add + fire" "parallel region enter + leave" \
                "coroutine spawn + run to its end"; do
        [ "$(json "[.result.figures[] | select(.name == \"$name\")] | length" "$record")" -ge 1 ] ||
            { echo "no figure: $name" >&2; false; }
    done
    costs_record costs --family memory "${tiny[@]}" --units 20
    # A live forked process holds more than a live thread: its own page tables
    # and the pages it copied, against a stack's few touched pages (not under
    # ASan, whose shadow memory and quarantine are in every figure).
    if [ -z "$SANITIZER" ]; then
    thread=$(json '.result.figures[] | select(.name == "live thread, 64 KiB stack") | .median' "$record")
    process=$(json '.result.figures[] | select(.name == "live process (forked)") | .median' "$record")
    awk -v t="$thread" -v p="$process" 'BEGIN { exit !(t > 0 && p > t) }'
    # A parked coroutine holds its copied frames, less than a thread's stack pages.
    coroutine=$(json '.result.figures[] | select(.name == "parked coroutine (sleeping)") | .median' "$record")
    awk -v t="$thread" -v c="$coroutine" 'BEGIN { exit !(c > 0 && c < t) }'
    fi
    costs_record costs --family pool "${tiny[@]}" --pool-tasks 40 -j 2
    [ "$(json '[.result.figures[] | select(.family == "pool")] | length' "$record")" -eq 3 ]
}

@test "costs: hand-over, synchronisation and queue figures (threads under TSan too)" {
    costs_record costs --family handover "${tiny[@]}"
    [ "$(json '[.result.figures[] | select(.family == "handover")] | length' "$record")" -ge 5 ]
    [ "$(json '[.result.figures[] | select(.model == "coroutine")] | length' "$record")" -eq 1 ]
    costs_record costs --family sync "${tiny[@]}"
    [ "$(json '[.result.figures[] | select(.family == "sync")] | length' "$record")" -eq 10 ]
    costs_record costs --family queue "${tiny[@]}"
    [ "$(json '[.result.figures[] | select(.family == "queue")] | length' "$record")" -eq 6 ]
}

@test "costs: the table names every figure, with -n repetitions" {
    plain_only
    run "$BIN/costs" --family sync --quick -n 4
    [ "$status" -eq 0 ]
    [[ "$output" == *"mutex lock + unlock, uncontended"* ]]
    [[ "$output" == *"verified: 10 figures, 4 repetitions each"* ]]
}

@test "costs: usage errors name the bad value" {
    plain_only
    expect_usage_error "'queues'" "$BIN/costs" --family queues
    expect_usage_error "'0'" "$BIN/costs" -n 0
    expect_usage_error "'x'" "$BIN/costs" --units x
    expect_usage_error "queues" "$BIN/costs-py" --family queues
    run "$BIN/costs" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--family"* ]]
}

@test "costs-py: thread, Process, asyncio task, queues and a pool" {
    [ -z "$SANITIZER" ] || skip "Python: not built with the sanitizers"
    costs_record costs-py --family start "${tiny[@]}"
    [ "$(json '.model' "$record")" = py ]
    for name in "thread start + join" "Process start + join, fork" \
                "Process start + join, spawn" "asyncio task create + await"; do
        [ "$(json "[.result.figures[] | select(.name == \"$name\")] | length" "$record")" -eq 1 ]
    done
    costs_record costs-py --family queue "${tiny[@]}"
    costs_record costs-py --family pool "${tiny[@]}" --pool-tasks 20 -j 2
    [ "$(json '[.result.figures[] | select(.family == "pool")] | length' "$record")" -eq 2 ]
}
