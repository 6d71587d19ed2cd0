#!/usr/bin/env bats
# The report's statistics (issue 12): scripts/stats.py against reference
# values, the noise guard, and the report's verdicts on fixture results.
# plain pass only: the report's Python statistics: no C code (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0
load helpers

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

setup() {
    plain_only
}

@test "stats: median, ratio, Mann-Whitney, verdict and binomial against reference values" {
    run /usr/bin/python3 "$REPO/tests/python/test_stats.py" -v
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"OK"* ]]
}

# The verdict cell of a claim in the report: "| claim | figure | **verdict** |".
verdict() { grep -F "| $1 |" "$REPORT" | sed 's/.*| \*\*\([^*]*\)\*\* |$/\1/'; }

report_of() {  # report_of fixture-dir: writes $REPORT from a copy
    export REPORT=$BATS_TEST_TMPDIR/REPORT.md
    run make -s -C "$REPO" --no-print-directory report RESULTS="$1"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "stats: a tie is called tied, not fastest; verdicts carry their interval" {
    cp -r "$REPO/tests/fixtures/results-stats" "$BATS_TEST_TMPDIR/fixed"
    report_of "$BATS_TEST_TMPDIR/fixed"
    # primes pthread 0.5199 s against fork 0.52 s, runs interleaved: no test separates them
    grep -A4 '^## primes' "$REPORT" | grep -q '^Fastest at workers=2: \*\*tied\*\*: \*\*pthread\*\*.*not separated from fork (Mann-Whitney U p = 0\.'
    grep -q '| CPU-bound: primes (workers=2) | \*\*pthread\*\* = \*\*fork\*\* |' "$REPORT"
    # separated rows are called, with the test
    grep -A4 '^## sum' "$REPORT" | grep -q '^Fastest at workers=2: \*\*pthread\*\*, .*ahead of fork (Mann-Whitney U p = '
    [ "$(verdict 'Processes do speed up CPU-bound work.')" = holds ]
    grep -F '| Processes do speed up CPU-bound work. |' "$REPORT" | grep -q 'primes: 1.92x \[1.9[0-9], 1.9[0-9]\]'
    # sum's event loop at 1.15x [1.11, 1.18]: the interval straddles the 1.15x line
    [ "$(verdict 'An event loop (asyncio) gains nothing on CPU-bound work.')" = inconclusive ]
    ! grep -q 'Machine disturbed' "$REPORT"
}

@test "stats: a disturbed calibration gives inconclusive (machine disturbed), and no fastest" {
    cp -r "$REPO/tests/fixtures/results-stats" "$BATS_TEST_TMPDIR/fixed"
    dir=$BATS_TEST_TMPDIR/fixed
    # the second core was away while primes ran; sum and the rest were quiet
    printf '%s\n' '{"cpus": 2, "single_s": 0.1, "parallel_s": 0.1, "parallelism": 1.98, "label": "before http"}' \
        '{"cpus": 2, "single_s": 0.1, "parallel_s": 0.1, "parallelism": 1.97, "label": "before primes"}' \
        '{"cpus": 2, "single_s": 0.1, "parallel_s": 0.19, "parallelism": 1.05, "label": "before sleep"}' \
        '{"cpus": 2, "single_s": 0.1, "parallel_s": 0.1, "parallelism": 1.99, "label": "before sum"}' \
        '{"cpus": 2, "single_s": 0.1, "parallel_s": 0.1, "parallelism": 1.98, "label": "after the timing"}' \
        > "$dir/calibration.jsonl"
    report_of "$dir"
    grep -q '^> \*\*Machine disturbed\*\*: .* around primes, sleep;' "$REPORT"
    grep -q '^Noise guard .*1.05 before sleep.*\*\*disturbed\*\* (lowest 1.05)' "$REPORT"
    # primes enters both CPU claims: neither is called
    [ "$(verdict 'Processes do speed up CPU-bound work.')" = "inconclusive (machine disturbed)" ]
    [ "$(verdict '1000 threads sleeping 2 s take about 2 s.')" = "inconclusive (machine disturbed)" ]
    grep -A4 '^## primes' "$REPORT" | grep -q 'no fastest called (machine disturbed)'
    # http and sum were timed between quiet calibrations
    [ "$(verdict 'A thread pool downloads many times faster than sequential code.')" = holds ]
    [ "$(verdict 'One process per task costs more than one thread per task (sum: 300 of each).')" = holds ]
    grep -F '| pthread | workers=2 |' "$REPORT" | head -1 | grep -q 'machine disturbed'
}

@test "stats: bin/tools/calibrate measures the parallel capacity, and refuses bad options" {
    tool=$REPO/${BIN}/tools/calibrate
    [ -x "$tool" ] || skip "bin/tools/calibrate is not built"
    run "$tool" --spin 0.02 --repeat 2
    [ "$status" -eq 0 ]
    jq -e --argjson n "$(nproc)" '.cpus == $n and .single_s > 0 and .parallel_s > 0
        and .parallelism > 0 and .parallelism <= 1.5 * $n' <<< "$output"
    run "$tool" --spin nonsense
    [ "$status" -eq 2 ]
    [[ "$output" == *"--spin must be a number"* ]]
    run "$tool" --bogus
    [ "$status" -eq 2 ]
    run "$tool" --help
    [ "$status" -eq 0 ]
    [[ "$output" == usage:* ]]
}

@test "stats: machine.py records the topology and steal time, and marks a disturbed run" {
    dir=$BATS_TEST_TMPDIR/run
    mkdir -p "$dir"
    echo '{"nproc": 2}' > "$dir/machine.json"
    /usr/bin/python3 "$REPO/scripts/machine.py" start "$dir"
    jq -e '(.threads_per_core | length) > 0 and (.governor | length) > 0 and (.python | test("python3"))
           and (.python_free_threaded | type) == "boolean" and (.libgomp | length) > 0
           and (.proc_stat_start.steal | type) == "number"' "$dir/machine.json"
    printf '%s\n' '{"cpus": 2, "parallelism": 1.95, "label": "before a"}' \
        '{"cpus": 2, "parallelism": 1.2, "label": "before b"}' > "$dir/calibration.jsonl"
    run /usr/bin/python3 "$REPO/scripts/machine.py" finish "$dir"
    [ "$status" -eq 0 ]
    [[ "$output" == *"WARNING: the machine was disturbed"* ]]
    jq -e '.disturbed == true and .calibration_lowest == 1.2 and (.steal_fraction | type) == "number"' "$dir/machine.json"
    run /usr/bin/python3 "$REPO/scripts/machine.py" start /nonexistent
    [ "$status" -ne 0 ]
}

@test "stats: pss.py counts a forked tree's shared pages once, and keeps the exit status" {
    [ -x "$REPO/${BIN}/sleep-fork" ] || skip "sleep-fork is not built"
    out=$BATS_TEST_TMPDIR/pss.json
    run /usr/bin/python3 "$REPO/scripts/pss.py" "$out" -- "$REPO/${BIN}/sleep-fork" --json -n 50 --seconds 0.3
    [ "$status" -eq 0 ]
    record=$(tail -1 <<< "$output")
    # parent + 50 x the largest child's RSS counts the shared pages 51 times: PSS is well below it
    bound=$(jq '.maxrss_kib + 50 * .children_maxrss_kib' <<< "$record")
    jq -e --argjson bound "$bound" '.peak_pss_kib > 0 and .peak_pss_kib < $bound / 2 and .processes > 1' "$out"
    run /usr/bin/python3 "$REPO/scripts/pss.py" "$out" -- sh -c 'exit 3'
    [ "$status" -eq 3 ]
}
