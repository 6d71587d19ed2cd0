#!/usr/bin/env bats
# sort: every model (and the reference rows) agrees, edge-case inputs,
# --output, usage errors.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    export INPUTS=$BATS_FILE_TMPDIR/inputs
    mkdir -p "$INPUTS"
    : > "$INPUTS/empty.txt"
    echo 4294967295 > "$INPUTS/one.txt"
    printf '%s\n' 4294967295 0 > "$INPUTS/two.txt"
    seq 1 3000 > "$INPUTS/sorted.txt"
    seq 3000 -1 1 > "$INPUTS/reverse.txt"
    yes 77 | head -n 3000 > "$INPUTS/all-equal.txt"
    seq 1 5000 | awk '{ print ($1 * 7919) % 3 }' > "$INPUTS/mod-three.txt"
    { seq 0 1999; seq 1999 -1 0; } > "$INPUTS/organ-pipe.txt"
    seq 1 3000 | awk '{ printf "%.0f\n", ($1 * 2654435761) % 4294967296 }' > "$INPUTS/scattered.txt"
}

# The models under test, plus the two reference rows outside the TSan pass
# (libgomp and libstdc++'s parallel mode are not built for TSan).
programs() {
    echo $MODELS
    [[ " $MODELS " == *" serial "* && "$SANITIZER" != thread ]] && echo qsort gnu-parallel
    return 0
}

@test "sort: every model and worker count agrees with serial" {
    run_record sort serial --elements 50000
    expected=$(json .result "$record")
    [ "$(json .result.elements "$record")" -eq 50000 ]
    [ "$(json .tasks "$record")" -eq 50000 ]
    for model in $(programs); do
        for workers in 1 2 3 8; do
            run_record sort "$model" --elements 50000 -j "$workers"
            [ "$(json .result "$record")" = "$expected" ] || {
                echo "$model -j $workers: $(json .result "$record") != $expected"; false; }
        done
    done
}

@test "sort: edge-case inputs, every model: sorted like sort -n, same checksum" {
    for input in "$INPUTS"/*.txt; do
        sort -n "$input" > "$BATS_TEST_TMPDIR/expected"
        line_count=$(wc -l < "$input")
        for model in $(programs); do
            output_file=$BATS_TEST_TMPDIR/out-$model
            run_record sort "$model" -j 3 --input "$input" --output "$output_file"
            [ "$(json '"\(.tasks) \(.result.elements)"' "$record")" = "$line_count $line_count" ]
            cmp -s "$output_file" "$BATS_TEST_TMPDIR/expected" || {
                echo "$model: $(basename "$input") sorted wrongly"; false; }
        done
    done
}

@test "sort: a range that is all one key, above the parallel cut-off" {
    yes 5 | head -n 70000 > "$BATS_TEST_TMPDIR/equal.txt"
    for model in $(programs); do
        run_record sort "$model" -j 2 --input "$BATS_TEST_TMPDIR/equal.txt"
        [ "$(json .result.elements "$record")" -eq 70000 ]
    done
}

@test "sort: the seed decides the input; -n N is --elements N" {
    need_models serial
    run_record sort serial --elements 1000 --seed 1
    first=$(json .result.checksum "$record")
    run_record sort serial -n 1000 --seed 1
    [ "$(json .result.checksum "$record")" = "$first" ]
    [ "$(json .tasks "$record")" -eq 1000 ]
    run_record sort serial --elements 1000 -n 1000 --seed 1
    [ "$(json .result.checksum "$record")" = "$first" ]
    run_record sort serial --elements 1000 --seed 2
    [ "$(json .result.checksum "$record")" != "$first" ]
}

@test "sort: the default is 10,000,000 elements, the same in every model" {
    plain_only
    need_models serial pthread
    run_record sort serial
    [ "$(json .tasks "$record")" -eq 10000000 ]
    [ "$(json .result.elements "$record")" -eq 10000000 ]
    expected=$(json .result "$record")
    run_record sort pthread -j 2
    [ "$(json .result "$record")" = "$expected" ]
}

@test "sort: --output replaces the file whole and leaves no temporary file" {
    need_models serial
    mkdir "$BATS_TEST_TMPDIR/out"
    echo stale > "$BATS_TEST_TMPDIR/out/sorted.txt"
    run_record sort serial --input "$INPUTS/scattered.txt" --output "$BATS_TEST_TMPDIR/out/sorted.txt"
    sort -n "$INPUTS/scattered.txt" | cmp - "$BATS_TEST_TMPDIR/out/sorted.txt"
    [ "$(ls "$BATS_TEST_TMPDIR/out")" = sorted.txt ]
    run_record sort serial --elements 20000 --output "$BATS_TEST_TMPDIR/out/random.txt"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/out/random.txt")" -eq 20000 ]
    sort -n -c "$BATS_TEST_TMPDIR/out/random.txt"
    [ "$(ls "$BATS_TEST_TMPDIR/out" | wc -l)" -eq 2 ]
}

@test "sort: human summary without --json" {
    for model in $(programs); do
        run "$BIN/sort-$model" --elements 3000
        [ "$status" -eq 0 ]
        [[ "$output" == *"verified: 3000 elements sorted, checksum"* ]]
    done
}

@test "sort: usage errors exit 2 and name the bad value" {
    plain_only
    for model in $(programs); do
        expect_usage_error "'0'" "$BIN/sort-$model" -j 0
        expect_usage_error "'abc'" "$BIN/sort-$model" -j abc
        expect_usage_error "'-1'" "$BIN/sort-$model" -n -1
        expect_usage_error "'many'" "$BIN/sort-$model" --elements many
        expect_usage_error "'-3'" "$BIN/sort-$model" --seed -3
        expect_usage_error "--frobnicate" "$BIN/sort-$model" --frobnicate
        expect_usage_error "stray" "$BIN/sort-$model" stray
        expect_usage_error "no-such-file" "$BIN/sort-$model" --input /no-such-file
    done
}

@test "sort: bad --input lines, conflicting sizes and a bad --output are usage errors" {
    plain_only
    need_models serial
    printf '7\n12x\n' > "$BATS_TEST_TMPDIR/bad.txt"
    expect_usage_error "bad.txt:2: '12x'" "$BIN/sort-serial" --input "$BATS_TEST_TMPDIR/bad.txt"
    printf '1\n2\n4294967296\n' > "$BATS_TEST_TMPDIR/big.txt"
    expect_usage_error "big.txt:3: '4294967296'" "$BIN/sort-serial" --input "$BATS_TEST_TMPDIR/big.txt"
    printf -- '-1\n' > "$BATS_TEST_TMPDIR/negative.txt"
    expect_usage_error "negative.txt:1: '-1'" "$BIN/sort-serial" --input "$BATS_TEST_TMPDIR/negative.txt"
    printf '1\n\n2\n' > "$BATS_TEST_TMPDIR/blank.txt"
    expect_usage_error "blank.txt:2" "$BIN/sort-serial" --input "$BATS_TEST_TMPDIR/blank.txt"
    expect_usage_error "--elements 5" "$BIN/sort-serial" --elements 5 --input "$INPUTS/two.txt"
    expect_usage_error "-n 3" "$BIN/sort-serial" -n 3 --input "$INPUTS/two.txt"
    expect_usage_error "-n 3" "$BIN/sort-serial" -n 3 --elements 4
    expect_usage_error "/no-such-dir" "$BIN/sort-serial" --elements 5 --output /no-such-dir/out.txt
    for model in fork gnu-parallel; do
        expect_usage_error "bad.txt:2" "$BIN/sort-$model" --input "$BATS_TEST_TMPDIR/bad.txt"
    done
}

@test "sort: --help lists the common and the workload's options" {
    plain_only
    for model in $(programs); do
        run "$BIN/sort-$model" --help
        [ "$status" -eq 0 ]
        [[ "$output" == *"--workers"* && "$output" == *"--elements"* && "$output" == *"--seed"* ]]
        [[ "$output" == *"--input"* && "$output" == *"--output"* && "$output" == *"--json"* ]]
    done
}
