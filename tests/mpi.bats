#!/usr/bin/env bats
# mpi: the MPI variants (issue 16) keep the contract of every variant, agree
# with serial at 1, 2 and 3 ranks (3 oversubscribes two cores), run on two
# "hosts" on this machine (tests/fixtures/mpi: a hostfile and a launch agent
# standing in for ssh, TCP between the hosts), stop every rank when one dies
# or when interrupted, and exit 2 on usage errors before anything starts.
bats_require_minimum_version 1.5.0
load helpers

FIXTURE=$BATS_TEST_DIRNAME/fixtures/mpi

setup() {
    [ "$SANITIZER" != thread ] ||
        skip "not under TSan: Open MPI's own threads and shared-memory transport are not instrumented"
    command -v mpirun >/dev/null || skip "Open MPI is not installed (scripts/deps.sh installs it)"
    [ -x "$BIN/sum-mpi" ] || skip "$BIN/sum-mpi not built"
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # for mpirun run here
    if [ "$SANITIZER" = address ]; then
        # Open MPI does not free all of its own memory; deep stacks so that a
        # leak in its plugins still shows a frame in libmpi & co. (see lsan.supp).
        export LSAN_OPTIONS=suppressions=$FIXTURE/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0
    fi
}

# Two hosts on one machine: one daemon per host, started by the launch agent,
# talking (daemons and ranks) over TCP on loopback only.
two_hosts() {
    export OMPI_MCA_plm_rsh_agent=$FIXTURE/launch-agent OMPI_MCA_btl=self,tcp
    export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
}

# Waits until launcher $1 has `count` ranks under its mpirun; prints their pids.
wait_for_ranks() {  # wait_for_ranks launcher-pid count
    local mpirun ranks tries
    for tries in $(seq 300); do
        mpirun=$(pgrep -P "$1" | head -1)
        [ -n "$mpirun" ] && ranks=$(pgrep -P "$mpirun" -f "bin/.*-mpi" | tr '\n' ' ')
        [ -n "$mpirun" ] && [ "$(wc -w <<<"$ranks")" -ge "$2" ] && { echo "$ranks"; return 0; }
        sleep 0.1
    done
    echo "no $2 ranks under launcher $1" >&2
    return 1
}

rank_number() {  # rank_number pid
    tr '\0' '\n' <"/proc/$1/environ" | sed -n 's/^OMPI_COMM_WORLD_RANK=//p'
}

@test "mpi: every MPI variant at 1, 2 and 3 ranks agrees with serial (both schedules)" {
    run_record primes serial -n 13
    primes=$(json .result "$record")
    run_record sum serial -n 20 --count 1000
    sum=$(json .result "$record")
    run_record sort serial --elements 100000
    sort=$(json .result "$record")
    for ranks in 1 2 3; do
        for schedule in dynamic static; do
            run_record primes mpi -n 13 -j $ranks --schedule $schedule
            [ "$(json .result "$record")" = "$primes" ]
            [ "$(json .workers "$record")" -eq $ranks ]
        done
        run_record primes mpi-openmp -n 13 -j $ranks --threads 2
        [ "$(json .result "$record")" = "$primes" ]
        [ "$(json .workers "$record")" -eq $((ranks * 2)) ]
        run_record sum mpi -n 20 --count 1000 -j $ranks
        [ "$(json .result "$record")" = "$sum" ]
        [ "$(json .workers "$record")" -eq $ranks ]
        run_record sum mpi-openmp -n 20 --count 1000 -j $ranks --threads 2
        [ "$(json .result "$record")" = "$sum" ]
        run_record sort mpi --elements 100000 -j $ranks
        [ "$(json .result "$record")" = "$sort" ]
        [ "$(json .workers "$record")" -eq $ranks ]
    done
}

@test "mpi: sort-mpi sorts tiny and duplicate-heavy input, and writes --output" {
    printf '5\n3\n3\n0\n4294967295\n3\n1\n3\n' >"$BATS_TEST_TMPDIR/in.txt"
    run_record sort mpi -j 3 --input "$BATS_TEST_TMPDIR/in.txt" --output "$BATS_TEST_TMPDIR/out.txt"
    [ "$(tr '\n' ' ' <"$BATS_TEST_TMPDIR/out.txt")" = "0 1 3 3 3 3 5 4294967295 " ]
    for elements in 1 2 5; do
        run_record sort mpi -j 3 --elements $elements
        [ "$(json .tasks "$record")" -eq $elements ]
    done
}

@test "mpi: a wrong answer (corrupted in MPI by an LD_PRELOAD library) exits 1" {
    plain_only
    mpicc -shared -fPIC -o "$BATS_TEST_TMPDIR/wrong-answers.so" "$FIXTURE/wrong-answers.c"
    export LD_PRELOAD=$BATS_TEST_TMPDIR/wrong-answers.so
    for command in "sum-mpi -j 2 -n 20 --count 1000" "sum-mpi-openmp -j 2 -n 20 --count 1000" \
        "primes-mpi -j 2 -n 13 --schedule static" "primes-mpi -j 2 -n 13 --schedule dynamic" \
        "primes-mpi-openmp -j 2 -n 13" "sort-mpi -j 2 --elements 1000"; do
        run --separate-stderr $BIN/$command --json
        [ "$status" -eq 1 ] || { echo "$command: status $status"; false; }
        [ "$(json .verified "$output")" = false ]
        [[ "$stderr" == *"did not pass the check"* ]] || { echo "$command: $stderr"; false; }
    done
}

@test "mpi: mpirun -np 2 bin/sum-mpi works too (the ranks do not launch again)" {
    plain_only
    run --separate-stderr mpirun --oversubscribe -np 2 "$BIN/sum-mpi" -n 10 --count 100 --json -v
    [ "$status" -eq 0 ]
    [ "$(json .workers "$output")" -eq 2 ]
    [ "$(json .result.total "$output")" -eq $((10 * 100 * 99 / 2)) ]
    [[ "$stderr" == *"2 ranks on 1 hosts"* ]]
    [[ "$stderr" != *"started mpirun"* ]]
}

@test "mpi: two hosts on one machine (hostfile, launch agent, TCP): two daemons, right answers" {
    two_hosts
    run mpirun --oversubscribe --bind-to none --display-map -np 2 \
        --hostfile "$FIXTURE/hostfile" true
    [ "$status" -eq 0 ]
    [ "$(grep 'Data for node:' <<<"$output" | sort -u | wc -l)" -eq 2 ]
    [[ "$output" == *"Data for node: 127.0.0.2"* ]]

    run_record sum serial -n 20 --count 1000
    sum=$(json .result "$record")
    run_record primes serial -n 13
    primes=$(json .result "$record")
    run_record sort serial --elements 100000
    sort=$(json .result "$record")
    run --separate-stderr "$BIN/sum-mpi" -j 2 --hostfile "$FIXTURE/hostfile" -n 20 --count 1000 --json -v
    [ "$status" -eq 0 ]
    [ "$(json .result "$output")" = "$sum" ]
    [[ "$stderr" == *"2 ranks on 2 hosts"* ]]
    MPI_HOSTFILE=$FIXTURE/hostfile run --separate-stderr "$BIN/primes-mpi" -j 3 -n 13 --json -v
    [ "$status" -eq 0 ]
    [ "$(json .result "$output")" = "$primes" ]
    [[ "$stderr" == *"3 ranks on 2 hosts"* ]]
    run_record sort mpi -j 2 --hostfile "$FIXTURE/hostfile" --elements 100000
    [ "$(json .result "$record")" = "$sort" ]
    run_record sum mpi-openmp -j 2 --threads 1 --hostfile "$FIXTURE/hostfile" -n 20 --count 1000
    [ "$(json .result "$record")" = "$sum" ]
}

@test "mpi: usage errors exit 2 with one line, before mpirun starts" {
    plain_only
    expect_usage_error "'0'" "$BIN/sum-mpi" -j 0
    expect_usage_error "--hostfile /nonexistent/hosts" "$BIN/sum-mpi" --hostfile /nonexistent/hosts
    MPI_HOSTFILE=/nonexistent/hosts expect_usage_error "/nonexistent/hosts" "$BIN/primes-mpi"
    expect_usage_error "sideways" "$BIN/primes-mpi" --schedule sideways
    expect_usage_error "--threads" "$BIN/sum-mpi-openmp" --threads 0
    expect_usage_error "nope" "$BIN/sort-mpi" --elements nope
    expect_usage_error "/nonexistent/numbers" "$BIN/primes-mpi" --numbers /nonexistent/numbers
    run "$BIN/primes-mpi" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--hostfile FILE"* ]] && [[ "$output" == *"--schedule"* ]]
}

@test "mpi: a rank that dies makes the run exit 1, naming the rank, and nothing is left running" {
    plain_only
    count=2999999999   # long enough to be killed while it runs; marks its processes
    "$BIN/sum-mpi" -j 2 -n 2 --count $count >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
    launcher=$!
    ranks=$(wait_for_ranks $launcher 2)
    mpirun=$(pgrep -P $launcher | head -1)
    for pid in $ranks; do
        [ "$(rank_number "$pid")" = 1 ] && kill -KILL "$pid"
    done
    status=0
    wait $launcher || status=$?
    cat "$BATS_TEST_TMPDIR/err"
    [ "$status" -eq 1 ]
    grep -q "rank 1" "$BATS_TEST_TMPDIR/err"
    [ ! -s "$BATS_TEST_TMPDIR/out" ]
    sleep 0.5
    ! pgrep -f -- "--count $count"
    ! compgen -G "${TMPDIR:-/tmp}/ompi.*/pid.$mpirun"   # mpirun's session folder is gone
}

@test "mpi: SIGTERM to bin/sum-mpi stops mpirun and every rank" {
    plain_only
    count=2999999998
    "$BIN/sum-mpi" -j 2 -n 2 --count $count >/dev/null 2>"$BATS_TEST_TMPDIR/err" &
    launcher=$!
    wait_for_ranks $launcher 2 >/dev/null
    mpirun=$(pgrep -P $launcher | head -1)
    kill -TERM $launcher
    status=0
    wait $launcher || status=$?
    [ "$status" -eq $((128 + 15)) ]   # ended by the signal, as every variant
    for tries in $(seq 50); do
        pgrep -f -- "--count $count" >/dev/null || break
        sleep 0.1
    done
    ! pgrep -f -- "--count $count"
    ! compgen -G "${TMPDIR:-/tmp}/ompi.*/pid.$mpirun"   # mpirun's session folder is gone
}
