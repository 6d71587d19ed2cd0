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
