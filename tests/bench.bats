#!/usr/bin/env bats
# The benchmark commands: make bench-run (the driver), make report, make compare.
# Tiny sizes (BENCH_TINY=1), results in a temporary folder, never in results/.
bats_require_minimum_version 1.5.0
load helpers

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
FIXTURE=$REPO/tests/fixtures/results-small

setup() {
    plain_only
    BIN_DIR=$(cd "$REPO" && realpath -- "$BIN")
    export BENCH_RESULTS_ROOT=$BATS_TEST_TMPDIR/results
    export REPORT=$BATS_TEST_TMPDIR/REPORT.md
    export BENCH_TINY=1
}

# A bin folder with links to some real variants (and whatever else is given).
link_variants() {  # link_variants dir name...
    local dir=$1 name; shift
    mkdir -p "$dir"
    for name in "$@"; do
        [ -x "$BIN_DIR/$name" ] || skip "$name is not built"
        ln -s "$BIN_DIR/$name" "$dir/$name"
    done
}

@test "bench: make bench-run QUICK=1 on tiny sizes gives CSVs, plots and a report with every workload" {
    ls "$BIN_DIR"/primes-serial > /dev/null || skip "nothing built in $BIN_DIR"
    BENCH_BIN_DIR=$BIN_DIR run make -s -C "$REPO" --no-print-directory bench-run QUICK=1
    echo "$output" | tail -30
    [ "$status" -eq 0 ]
    [[ "$output" == *"report:  $REPORT"* ]]
    dirs=("$BENCH_RESULTS_ROOT"/*/)
    [ ${#dirs[@]} -eq 1 ]
    dir=${dirs[0]%/}
    [ "$(jq -r .status "$dir/run.json")" = complete ]
    [ "$(jq -r .size "$dir/run.json")" = tiny ]
    jq -e '.nproc >= 1 and (.cpu_model | length) > 0 and (.hyperfine | test("hyperfine"))
           and (.load_average | length) > 0 and (.git_commit | length) > 0' "$dir/machine.json"
    # every workload built has a CSV that parses, with a timed row per model
    workloads=$(ls "$BIN_DIR" | sed -n 's/^\([a-z]*\)-.*/\1/p' | sort -u |
                while read -r name; do [ -d "$REPO/workloads/$name" ] && echo "$name"; done)
    for workload in $workloads; do
        /usr/bin/python3 - "$dir/$workload.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
for row in rows:
    assert row["status"] == "ok", row
    median, low, high = float(row["median_s"]), float(row["min_s"]), float(row["max_s"])
    assert 0 < low <= median <= high, row
    assert float(row["cpu_s"]) >= 0 and int(row["maxrss_kib"]) > 0, row
EOF
        grep -q "^## $workload\$" "$REPORT"
        [ -s "$dir/plots/$workload-time.png" ]
        [ -s "$dir/plots/$workload-time.svg" ]
    done
    # every plot is a real PNG with its SVG
    for png in "$dir"/plots/*.png; do
        [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
        grep -q '<svg' "${png%.png}.svg"
    done
    [ -s "$dir/plots/primes-speedup.png" ]
    grep -q "What the notes claimed, and what C shows" "$REPORT"
    # beside every hyperfine export, the variant's own record
    for raw in "$dir"/raw/*.json; do
        jq -e '.results[0].times | length >= 2' "$raw" > /dev/null
        jq -e '.verified != null' "$dir/records/$(basename "$raw")" > /dev/null
    done
}

@test "bench: a variant with a wrong answer is refused, reported, and fails the run" {
    bin=$BATS_TEST_TMPDIR/bin
    link_variants "$bin" primes-serial primes-pthread
    ln -s "$REPO/tests/fixtures/bin/primes-fakewrong" "$bin/primes-fakewrong"
    BENCH_BIN_DIR=$bin run "$REPO/scripts/bench.sh"
    echo "$output" | tail -20
    [ "$status" -eq 1 ]
    [[ "$output" == *"REFUSED primes-fakewrong"* ]]
    dir=$(echo "$BENCH_RESULTS_ROOT"/*)
    [ "$(jq -r .status "$dir/run.json")" = failed ]
    # not timed, marked failed in the CSV and the report; the real ones were timed
    ! ls "$dir"/raw/primes-fakewrong-* 2> /dev/null
    ls "$dir"/raw/primes-pthread-* > /dev/null
    grep -q '^primes,fakewrong,workers,[0-9]*,"failed: wrong result' "$dir/primes.csv"
    grep -q '^primes,pthread,workers,[0-9]*,ok' "$dir/primes.csv"
    grep -A3 '^## Failed cases' "$REPORT" | grep -q 'primes-fakewrong.*wrong result'
}

@test "bench: Ctrl-C in the middle leaves no process behind and a partial folder" {
    bin=$BATS_TEST_TMPDIR/bin
    link_variants "$bin" sleep-serial sleep-pthread sleep-fork http-serial http-pthread flagserver
    log=$BATS_TEST_TMPDIR/bench.log
    # its own process group, as make's under a terminal; SIGINT restored to
    # its default, since a background job starts with SIGINT ignored
    BENCH_BIN_DIR=$bin BENCH_WORKLOADS="http sleep" setsid /usr/bin/python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$REPO/scripts/bench.sh" > "$log" 2>&1 &
    driver=$!
    for _ in $(seq 300); do     # until the timing has begun
        grep -q '^bench: \[2/' "$log" && break
        sleep 0.1
    done
    grep -q '^bench: \[2/' "$log" || { cat "$log"; false; }
    ports=$(sed -n 's/^bench: flag servers: LOCAL :\([0-9]*\) DELAY :\([0-9]*\) ERROR :\([0-9]*\)$/\1 \2 \3/p' "$log")
    [ -n "$ports" ]
    kill -INT -- "-$driver"
    status=0
    wait "$driver" || status=$?
    cat "$log"
    [ "$status" -eq 130 ]
    sleep 0.5
    # nothing left: no driver, no hyperfine, no variant, no flag server
    ! pgrep -g "$driver"
    ! pgrep -f "$bin/"
    for port in $ports; do     # nothing listens on the servers' ports any more
        ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null
    done
    dir=$(echo "$BENCH_RESULTS_ROOT"/*)
    [ "$(jq -r .status "$dir/run.json")" = partial ]
    grep -q "partial results: $dir" "$log"
    # what finished is kept: CSVs, with the unfinished rows marked
    ls "$dir"/*.csv
    ! ls "$dir"/raw/*.tmp 2> /dev/null
}

@test "bench: make report on the fixed results gives the expected verdicts" {
    cp -r "$FIXTURE" "$BATS_TEST_TMPDIR/fixed"
    run make -s -C "$REPO" --no-print-directory report RESULTS="$BATS_TEST_TMPDIR/fixed"
    [ "$status" -eq 0 ]
    verdict() { grep -F "| $1 |" "$REPORT" | sed 's/.*| \*\*\([^*]*\)\*\* |$/\1/'; }
    [ "$(verdict 'Threads do not speed up CPU-bound work (the GIL).')" = "does not hold in C" ]
    [ "$(verdict 'Threads do not speed up CPU-bound work: Python threads.')" = holds ]
    [ "$(verdict 'Processes do speed up CPU-bound work.')" = holds ]
    [ "$(verdict 'An event loop (asyncio) gains nothing on CPU-bound work.')" = holds ]
    [ "$(verdict 'One process per task costs more than one thread per task (sum: 300 of each).')" = holds ]
    [ "$(verdict '1000 threads sleeping 2 s take about 2 s.')" = holds ]
    [ "$(verdict '1000 processes sleeping 2 s take about 25 s.')" = "does not hold in C" ]
    [ "$(verdict '1000 processes sleeping 2 s take about 25 s: Python processes.')" = holds ]
    [ "$(verdict 'A thread pool downloads many times faster than sequential code.')" = holds ]
    [ "$(verdict 'asyncio downloads many times faster: Python asyncio.')" = "does not hold" ]
    grep -qF '| 1000 processes sleeping 2 s take about 25 s. | 1000 x 2 s: 2.600 s [2.600, 2.600] over 3 runs, so 1000 x 2 s ≈ 2.60 s [2.60, 2.60] (1.3 durations [1.3, 1.3])' "$REPORT"
    grep -A3 '^## Failed cases' "$REPORT" | grep -q 'primes-openmp'
    for workload in http primes sleep sum; do grep -q "^## $workload\$" "$REPORT"; done
    grep -q '^## C vs Python, same model, same work' "$REPORT"
    # the plots were drawn from the CSVs, since the folder had none
    [ -s "$BATS_TEST_TMPDIR/fixed/plots/sleep-wall.png" ]
    grep -q '(fixed/plots/sleep-wall.png)' "$REPORT"
}

@test "bench: make compare tells a real difference from noise" {
    cp -r "$FIXTURE" "$BATS_TEST_TMPDIR/a"
    cp -r "$FIXTURE" "$BATS_TEST_TMPDIR/b"
    /usr/bin/python3 - "$BATS_TEST_TMPDIR/b/primes.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for row in rows:
    if row["model"] == "pthread":          # twice as slow
        for key in ("median_s", "mean_s", "min_s", "max_s"):
            row[key] = str(float(row[key]) * 2)
    if row["model"] == "fork":             # 1 % slower: within the noise
        row["median_s"] = str(float(row["median_s"]) * 1.01)
writer = csv.DictWriter(open(sys.argv[1], "w", newline=""), rows[0].keys(), lineterminator="\n")
writer.writeheader()
writer.writerows(rows)
EOF
    run make -s -C "$REPO" --no-print-directory compare A="$BATS_TEST_TMPDIR/a" B="$BATS_TEST_TMPDIR/b"
    [ "$status" -eq 0 ]
    [[ "$(grep '^primes-pthread ' <<< "$output")" == *"2.000  B slower (no run times"* ]]
    [[ "$(grep '^primes-fork ' <<< "$output")" == *"1.010  no difference shown"* ]]
    [[ "$output" == *"1 slower in B"* ]]
    run make -s -C "$REPO" --no-print-directory compare A="$BATS_TEST_TMPDIR/a"
    [ "$status" -ne 0 ]
    [[ "$output" == *"usage: make compare"* ]]
}

@test "bench: make compare on run times uses the Mann-Whitney test and gives the ratio's interval" {
    cp -r "$REPO/tests/fixtures/results-stats" "$BATS_TEST_TMPDIR/a"
    cp -r "$REPO/tests/fixtures/results-stats" "$BATS_TEST_TMPDIR/b"
    /usr/bin/python3 - "$BATS_TEST_TMPDIR/b/primes.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for row in rows:
    times = [float(t) for t in row["times"].split()]
    if row["model"] == "openmp" or not times:
        continue
    if row["model"] == "serial":            # 3 % faster, beyond its 1 % noise
        times = [t * 0.97 for t in times]
    if row["model"] == "fork":              # the same runs, shuffled: no difference
        times = times[::-1]
    row["times"] = " ".join(str(t) for t in times)
    row["median_s"] = str(sorted(times)[len(times) // 2])
writer = csv.DictWriter(open(sys.argv[1], "w", newline=""), rows[0].keys(), lineterminator="\n")
writer.writeheader()
writer.writerows(rows)
EOF
    run make -s -C "$REPO" --no-print-directory compare A="$BATS_TEST_TMPDIR/a" B="$BATS_TEST_TMPDIR/b"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$(grep '^primes-serial ' <<< "$output")" == *"B faster (B/A 0.97"*"x ["*"Mann-Whitney U p = "* ]]
    [[ "$(grep '^primes-fork ' <<< "$output")" == *"no difference shown (B/A 1.000x [0."* ]]
}

@test "bench: a case without arguments runs the variant with none (the full sizes' default)" {
    plain_only
    run bash -c 'source scripts/bench-lib.sh; bin_dir=/x; case_workloads=(primes); case_models=(serial)
                 case_args=(""); variant_command 0 | wc -l; case_args=("-j 2 "); variant_command 0 | tail -2 | tr "\n" ,'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 2 ]
    [ "${lines[1]}" = "-j,2," ]
}
