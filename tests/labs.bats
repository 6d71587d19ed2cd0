#!/usr/bin/env bats
# labs: for every labs/NN-name/ (discovered), the checker FAILS on the
# untouched starter and PASSES once solution/* is copied over it, each in a
# temporary copy; every known-wrong solution in labs/NN-name/wrong/ FAILS with
# the message its `/* expect: ... */` line names (the proof that the checker
# is sound); labs/check-class.sh grades a class into points and a CSV.
# The labs run their own sanitizer builds, so this runs in the plain pass only.
# plain pass only: each lab makes its own TSan build in its checker (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
    export ROOT
}

# Every lab folder: labs/NN-name/.
lab_names() {
    local folder
    for folder in "$ROOT"/labs/[0-9][0-9]-*/; do
        [ -d "$folder" ] && basename "$folder"
    done
}

# Copies a lab (with its solution when `variant` is solution) to
# $BATS_TEST_TMPDIR/<variant>/<lab> and runs its checker there; leaves the
# checker's stdout in <lab>.out, stderr in <lab>.err and the status in <lab>.status.
# A variant wrong/NAME puts labs/<lab>/wrong/NAME.c over the lab's one solution file.
check_copy() {  # check_copy variant lab
    local variant=$1 lab=$2 copy="$BATS_TEST_TMPDIR/$1/$2" status=0
    mkdir -p "$(dirname "$copy")"
    cp -r "$ROOT/labs/$lab" "$copy"
    make --no-print-directory -s -C "$copy" clean PROJECT="$ROOT" >/dev/null 2>&1
    [ "$variant" = solution ] && cp "$ROOT/labs/$lab"/solution/* "$copy/"
    if [[ $variant == wrong/* ]]; then
        local target
        target=$(basename "$(ls "$ROOT/labs/$lab"/solution/* | head -1)")
        cp "$ROOT/labs/$lab/$variant.c" "$copy/$target"
    fi
    timeout 120 make --no-print-directory -C "$copy" check PROJECT="$ROOT" \
        >"$copy.out" 2>"$copy.err" || status=$?
    echo $status >"$copy.status"
}

# Checks every lab in the given variant, two at a time, then verifies the
# status and the last line (`want` is PASS or FAIL).
check_all_labs() {  # check_all_labs variant want
    local variant=$1 want=$2 lab running=0 wrong=0 status last
    for lab in $(lab_names); do
        check_copy "$variant" "$lab" &
        running=$((running + 1))
        if [ $running -ge 2 ]; then wait -n || true; running=$((running - 1)); fi
    done
    wait || true
    for lab in $(lab_names); do
        status=$(cat "$BATS_TEST_TMPDIR/$variant/$lab.status")
        last=$(tail -1 "$BATS_TEST_TMPDIR/$variant/$lab.out")
        echo "$lab ($variant): status $status, last line: $last"
        if [ "$want" = PASS ] && { [ "$status" -ne 0 ] || [[ $last != PASS:* ]]; }; then
            wrong=1; tail -20 "$BATS_TEST_TMPDIR/$variant/$lab.err"
        elif [ "$want" = FAIL ] && { [ "$status" -eq 0 ] || [ "$status" -eq 124 ] || [[ $last != FAIL:* ]]; }; then
            wrong=1; tail -20 "$BATS_TEST_TMPDIR/$variant/$lab.err"
        fi
    done
    [ $wrong -eq 0 ]
}

# Runs every wrong/ solution of a lab, two at a time; each must FAIL (not
# time out) with its expected message in the checker's output.
check_wrong_solutions() {  # check_wrong_solutions lab minimum
    local lab=$1 minimum=$2 file name running=0 wrong=0 status expected count=0
    for file in "$ROOT/labs/$lab"/wrong/*.c; do
        [ -f "$file" ] || continue
        name=wrong/$(basename "$file" .c)
        count=$((count + 1))
        check_copy "$name" "$lab" &
        running=$((running + 1))
        if [ $running -ge 2 ]; then wait -n || true; running=$((running - 1)); fi
    done
    wait || true
    echo "$lab: $count wrong solutions"
    [ $count -ge "$minimum" ] || { echo "$lab: fewer than $minimum wrong solutions"; false; }
    for file in "$ROOT/labs/$lab"/wrong/*.c; do
        name=wrong/$(basename "$file" .c)
        local copy=$BATS_TEST_TMPDIR/$name/$lab
        status=$(cat "$copy.status")
        expected=$(sed -n 's|^/\* expect: \(.*\) \*/$|\1|p' "$file")   # one or more: any may match
        head -1 "$file" | grep -q '^/\* WRONG: ' || { echo "$name: no '/* WRONG: ...' first line"; wrong=1; }
        [ -n "$expected" ] || { echo "$name: no '/* expect: ... */' line"; wrong=1; continue; }
        echo "$name: status $status, $(grep -E '^(PASS|FAIL):' "$copy.out" | tail -1)"
        if [ "$status" -eq 0 ] || [ "$status" -eq 124 ] || [[ $(tail -1 "$copy.out") != FAIL:* ]] ||
            ! grep -qF -f <(printf '%s\n' "$expected") "$copy.out"; then
            echo "  expected a FAIL naming: $expected"; tail -15 "$copy.out"; tail -5 "$copy.err"; wrong=1
        fi
    done
    [ $wrong -eq 0 ]
}

@test "labs: no build output is tracked, and none is left untracked by a build" {
    plain_only
    cd "$ROOT"
    git rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
    local tracked
    for tracked in $(git ls-files labs); do
        [ -f "$tracked" ] || continue
        if [ "$(head -c 4 "$tracked" | od -An -c | tr -d ' ')" = '177ELF' ]; then
            echo "a compiled binary is committed: $tracked"; false
        fi
    done
    copy=$BATS_TEST_TMPDIR/tree
    git worktree add -q --detach "$copy" HEAD
    cp -r labs/. "$copy/labs/"          # the tree as it is now, committed or not
    git -C "$copy" status --porcelain --untracked-files=all -- labs >"$copy.before"
    make -s -C "$copy/labs" PROJECT="$copy" >/dev/null
    git -C "$copy" status --porcelain --untracked-files=all -- labs >"$copy.after"
    untracked=$(diff "$copy.before" "$copy.after" | sed -n 's/^> //p')
    git worktree remove --force "$copy"
    [ -z "$untracked" ] || { echo "built and not ignored (add to the lab's .gitignore): $untracked"; false; }
}

@test "labs: every lab has a handout, a Makefile, TODOs and a solution of the same names" {
    plain_only
    [ "$(lab_names | wc -l)" -ge 1 ]
    for lab in $(lab_names); do
        dir=$ROOT/labs/$lab
        [ -s "$dir/README.md" ] || { echo "$lab: no README.md"; false; }
        [ -f "$dir/Makefile" ] || { echo "$lab: no Makefile"; false; }
        grep -q '^check:' "$dir/Makefile" || { echo "$lab: no check target"; false; }
        grep -q '^clean:' "$dir/Makefile" || { echo "$lab: no clean target"; false; }
        ls "$dir"/solution/* >/dev/null || { echo "$lab: empty solution/"; false; }
        for file in "$dir"/solution/*; do
            name=$(basename "$file")
            [ -f "$dir/$name" ] || { echo "$lab: solution/$name replaces no starter file"; false; }
            ! cmp -s "$file" "$dir/$name" || { echo "$lab: solution/$name is the starter"; false; }
        done
        grep -rqs --exclude-dir=solution 'TODO(student)' "$dir" || { echo "$lab: no TODO(student)"; false; }
    done
}

@test "labs: every checker FAILS on the untouched starter" {
    plain_only
    check_all_labs starter FAIL
}

@test "labs: every checker PASSES on the reference solution" {
    plain_only
    check_all_labs solution PASS
}

@test "labs: check-class.sh prints one line per student and lab" {
    plain_only
    lab=02-waiting
    subs=$BATS_TEST_TMPDIR/subs
    mkdir -p "$subs/alice/$lab" "$subs/bob/$lab" "$subs/carol/99-nonsense" "$subs/dave"
    cp "$ROOT/labs/$lab/solution/task_done.c" "$subs/alice/$lab/"   # the solution: passes
    cp "$ROOT/labs/$lab/task_done.c" "$subs/bob/$lab/"              # the untouched starter: fails
    run --separate-stderr "$ROOT/labs/check-class.sh" "$subs"
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$(grep -vc '^class ' <<<"$output")" -eq 4 ]
    [[ $(sed -n 1p <<<"$output") == "alice $lab PASS 100/100 "* ]]
    [[ $(sed -n 2p <<<"$output") == "bob $lab FAIL 0/100 "?* ]]
    [[ $(sed -n 3p <<<"$output") == "carol 99-nonsense FAIL 0/0 no such lab" ]]
    [[ $(sed -n 4p <<<"$output") == "dave - FAIL 0/0 no lab folders" ]]
    [[ $(sed -n 5p <<<"$output") == "class $lab: 1 of 2 passed, mean 50.0 of 100 points" ]]
    # only alice, only that lab: all pass, exit 0
    rm -r "$subs/bob" "$subs/carol" "$subs/dave"
    run "$ROOT/labs/check-class.sh" "$subs" "$lab"
    [ "$status" -eq 0 ]
    [[ $output == "alice $lab PASS 100/100 "* ]]
    # usage errors
    run "$ROOT/labs/check-class.sh"
    [ "$status" -eq 2 ]
    run "$ROOT/labs/check-class.sh" "$subs" 42-no-such-lab
    [ "$status" -eq 2 ]
    run "$ROOT/labs/check-class.sh" -j 0 "$subs"
    [ "$status" -eq 2 ]
}

@test "labs: check-class.sh grades a fake class of five into a CSV with the right points" {
    plain_only
    subs=$BATS_TEST_TMPDIR/class
    lab=02-waiting
    for student in correct wrong nobuild hangs cheats partial; do mkdir -p "$subs/$student/$lab"; done
    cp "$ROOT/labs/$lab/solution/task_done.c" "$subs/correct/$lab/"
    cp "$ROOT/labs/$lab/wrong/deadline_not_clock.c" "$subs/wrong/$lab/task_done.c"
    sed 's/tasks_completed++;/tasks_completed++  /' "$ROOT/labs/$lab/solution/task_done.c" >"$subs/nobuild/$lab/task_done.c"
    sed 's/tasks_completed++;/tasks_completed++;\n    for (;;) { }/' "$ROOT/labs/$lab/solution/task_done.c" >"$subs/hangs/$lab/task_done.c"
    cp "$ROOT/labs/$lab/wrong/constructor_exit.c" "$subs/cheats/$lab/task_done.c"
    # and partial credit: a ticket purchase that only forgets LOCK_UN when sold out
    rm -r "$subs/partial/$lab"; mkdir -p "$subs/partial/06-processes"
    cp "$ROOT/labs/06-processes/wrong/no_unlock_when_sold_out.c" "$subs/partial/06-processes/buy_ticket.c"
    run --separate-stderr timeout 600 "$ROOT/labs/check-class.sh" --csv "$BATS_TEST_TMPDIR/grades.csv" "$subs"
    echo "$output"; cat "$BATS_TEST_TMPDIR/grades.csv"
    [ "$status" -eq 1 ]
    grep -q "^cheats $lab FAIL 0/0 task_done.c runs only when called: .*constructor" <<<"$output"
    grep -q "^correct $lab PASS 100/100 " <<<"$output"
    grep -q "^hangs $lab FAIL 0/100 about 1000 sleepers: .* did not finish within 10 s" <<<"$output"
    grep -q "^nobuild $lab FAIL 0/0 does not build: .*error" <<<"$output"
    grep -q "^partial 06-processes FAIL 20/100 .*returned 0 and still held the flock" <<<"$output"
    grep -q "^wrong $lab FAIL 0/100 .*record the loop's clock" <<<"$output"
    grep -qx "class $lab: 1 of 5 passed, mean 20.0 of 100 points" <<<"$output"
    csv=$BATS_TEST_TMPDIR/grades.csv
    [ "$(head -1 "$csv")" = "student,lab,test,points,out_of" ]
    grep -qx "correct,$lab,\"about 1000 sleepers\",50,50" "$csv"
    grep -qx "correct,$lab,\"about 10,000 sleepers\",50,50" "$csv"
    grep -qx "wrong,$lab,\"about 1000 sleepers\",0,50" "$csv"
    grep -qx "nobuild,$lab,(build),0,0" "$csv"
    grep -qx "hangs,$lab,\"about 10,000 sleepers\",0,50" "$csv"
    grep -qx "cheats,$lab,\"task_done.c runs only when called\",0,0" "$csv"
    [ "$(grep -c '^partial,06-processes,' "$csv")" -eq 6 ]
    [ "$(awk -F, '$1 == "partial" { sum += $NF == "" ? 0 : $(NF-1) } END { print sum }' "$csv")" -eq 20 ]
    # the CSV's points add up to each student's total
    [ "$(awk -F, '$1 == "correct" { sum += $(NF-1) } END { print sum }' "$csv")" -eq 100 ]
}

@test "labs: 03-races rejects every wrong solution" {
    plain_only
    check_wrong_solutions 03-races 3
}

@test "labs: 04-deadlock rejects every wrong solution" {
    plain_only
    check_wrong_solutions 04-deadlock 3
}

@test "labs: 05-conditions rejects every wrong solution" {
    plain_only
    check_wrong_solutions 05-conditions 3
}

@test "labs: 05-conditions' watchdog tells a slow queue from a lost wakeup" {
    plain_only
    copy=$BATS_TEST_TMPDIR/05-slow
    cp -r "$ROOT/labs/05-conditions" "$copy"
    # the reference solution, with 2 ms of work after each get: slow, never stuck
    sed 's|^    return item;|    struct timespec pause = { 0, 2000000 };\n    nanosleep(\&pause, NULL);\n    return item;|' \
        "$ROOT/labs/05-conditions/solution/bounded_queue.c" | sed '1a #include <time.h>' >"$copy/bounded_queue.c"
    make -s -C "$copy" queue_check PROJECT="$ROOT" >/dev/null
    run env LAB_SLOW_SECONDS=2 timeout 60 "$copy/queue_check" stress-1 20000 4 4
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"FAIL: too slow, not stuck: after 2 s"* ]]
    [[ $output != *"lost wakeup"* ]]
    # and the same queue with fewer items passes: slow is not wrong
    run timeout 60 "$copy/queue_check" stress-1 200 4 4
    [ "$status" -eq 0 ]
    [[ $output == *"PASS: bounded queue: stress-1"* ]]
}

@test "labs: 06-processes rejects every wrong solution" {
    plain_only
    check_wrong_solutions 06-processes 3
}

@test "labs: 07-event-loop rejects every wrong solution" {
    plain_only
    check_wrong_solutions 07-event-loop 3
}

@test "labs: 02-waiting rejects every wrong solution" {
    plain_only
    check_wrong_solutions 02-waiting 3
}

@test "labs: 01-cpu-scaling rejects every wrong solution" {
    plain_only
    check_wrong_solutions 01-cpu-scaling 3
}

@test "labs: 08-coroutines rejects every wrong solution" {
    plain_only
    check_wrong_solutions 08-coroutines 2
}
