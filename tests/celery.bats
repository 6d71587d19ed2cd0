#!/usr/bin/env bats
# celery: the py-celery variants (issue 16) keep the Python variants'
# contract (record keys, the C serial variant's result, exit 2 and one line on
# a usage error) and leave nothing behind: their redis-server and Celery
# workers are gone after a run and after SIGTERM in the middle of one. Only
# the plain pass: sanitizers do not apply to Python.
# plain pass only: Python and Redis: the same code in every tree (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0
load helpers

setup() {
    plain_only
    [ -x /usr/bin/redis-server ] || skip "redis-server not installed (scripts/deps.sh)"
    /usr/bin/python3 -c 'import celery, redis' 2>/dev/null || skip "python3-celery not installed"
}

# The pids the variant logged (-v) for its redis-server and its workers.
queue_pids() {  # queue_pids stderr-file
    sed -n -e 's/.*redis-server (pid \([0-9]*\)).*/\1/p' \
        -e 's/.*Celery workers ready (pids \([0-9 ]*\)).*/\1/p' "$1" | tr '\n' ' '
}

all_gone() {  # all_gone pid...: none of them runs any more (after up to 5 s)
    local pid tries
    for pid in "$@"; do
        for tries in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        ! kill -0 "$pid" 2>/dev/null || { echo "pid $pid still runs: $(ps -o args= -p "$pid")"; return 1; }
    done
}

@test "celery: primes and sum agree with the C serial variant, then stop Redis and the workers" {
    run_record primes serial -n 6
    expected=$(json .result "$record")
    run --separate-stderr "$BIN/primes-py-celery" -n 6 -j 2 --json -v
    [ "$status" -eq 0 ]
    [ "$(json .result "$output")" = "$expected" ]
    [ "$(json .workers "$output")" -eq 2 ]
    [ "$(json 'keys_unsorted | join(",")' "$output")" = "workload,model,workers,tasks,wall_s,user_s,sys_s,maxrss_kib,children_maxrss_kib,vol_ctx,invol_ctx,result,verified" ]
    echo "$stderr" >"$BATS_TEST_TMPDIR/err"
    pids=$(queue_pids "$BATS_TEST_TMPDIR/err")
    [ "$(wc -w <<<"$pids")" -eq 3 ] || { echo "pids: $pids"; false; }
    all_gone $pids

    run_record sum py-celery -n 20 --count 1000 -j 3
    [ "$(json .result.total "$record")" -eq $((20 * 1000 * 999 / 2)) ]
    [ "$(json .workers "$record")" -eq 3 ]
}

@test "celery: SIGTERM in the middle of a run stops Redis and every worker" {
    "$BIN/sum-py-celery" -n 400 --count 2000000 -j 2 -v >/dev/null 2>"$BATS_TEST_TMPDIR/err" &
    variant=$!
    for tries in $(seq 1200); do
        grep -q "workers ready" "$BATS_TEST_TMPDIR/err" && break
        sleep 0.1
    done
    grep -q "workers ready" "$BATS_TEST_TMPDIR/err"
    pids=$(queue_pids "$BATS_TEST_TMPDIR/err")
    kill -TERM $variant
    status=0
    wait $variant || status=$?
    [ "$status" -eq 1 ]
    all_gone $pids
}

@test "celery: usage errors exit 2 with one line, before Redis starts" {
    expect_usage_error "'-5'" "$BIN/sum-py-celery" --count -5
    expect_usage_error "64 bits" "$BIN/sum-py-celery" -n 300 --count 4294967296
    expect_usage_error "'0'" "$BIN/primes-py-celery" -j 0
    expect_usage_error "/nonexistent/numbers" "$BIN/primes-py-celery" --numbers /nonexistent/numbers
}
