#!/usr/bin/env bats
# flagserver-fuzz: the fuzz target of the request parser (fuzz/http_request.c)
# replayed on its seed corpus, in every pass (plain, ASan + UBSan), so that
# the target builds, its checks hold on the seeds, and a crash file from
# `make fuzz` can be replayed the same way. The fuzzing itself is `make fuzz`.
bats_require_minimum_version 1.5.0
load helpers

@test "flagserver-fuzz: the seed corpus replays through the fuzz target" {
    run "$BIN/fuzz-http-replay" fuzz/seeds/http/*
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "$(ls fuzz/seeds/http | wc -l) inputs ok" ]
}

@test "flagserver-fuzz: the replay names a file it cannot read and exits 2" {
    run "$BIN/fuzz-http-replay" "$BATS_TEST_TMPDIR/missing"
    [ "$status" -eq 2 ]
    [[ "$output" == *"fopen"*"missing"* ]]
}
