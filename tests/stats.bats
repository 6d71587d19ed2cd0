#!/usr/bin/env bats
# The report's statistics (issue 12): scripts/stats.py against reference
# values, the noise guard, and the report's verdicts on fixture results.
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
