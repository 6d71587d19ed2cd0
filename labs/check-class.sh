#!/bin/bash
# labs/check-class.sh - runs the lab checkers over a class's submissions.
#
#   labs/check-class.sh SUBMISSIONS [LAB...]
#
# SUBMISSIONS holds one folder per student, each with that student's copy of
# the labs they hand in: SUBMISSIONS/<student>/<NN-name>/... For every
# student and every lab folder found (or only the LABs named, like 03-races),
# the script copies the pristine lab from labs/ to a temporary folder, puts
# the student's versions of the files the lab asks them to write (the names
# in the lab's solution/ folder) over it, runs `make check`, and prints:
#
#   student lab PASS|FAIL reason
#
# Only those files are taken from the student: a changed Makefile or checker
# has no effect. Each check gets at most 5 minutes. Exit status 0 when every
# line is PASS, 1 otherwise, 2 on a usage error. Student code runs as you:
# run this in a throw-away container or as an unprivileged user.
set -uo pipefail
labs_dir=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$labs_dir/.." && pwd)

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 SUBMISSIONS [LAB...]  (SUBMISSIONS/<student>/<NN-name>/)" >&2
    exit 2
fi
submissions=$1; shift
wanted=("$@")
for lab in "${wanted[@]}"; do
    [ -d "$labs_dir/$lab/solution" ] || { echo "$0: no lab '$lab' in $labs_dir" >&2; exit 2; }
done

work=$(mktemp -d) || { echo "$0: mktemp failed" >&2; exit 1; }
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
all_passed=1

report() {  # report student lab PASS|FAIL reason
    echo "$1 $2 $3 ${4:-}"
    [ "$3" = PASS ] || all_passed=0
}

check_one() {  # check_one student lab
    local student=$1 lab=$2 copy="$work/$1/$2" file name output status verdict
    mkdir -p "$work/$student"
    cp -r "$labs_dir/$lab" "$copy" || { report "$student" "$lab" FAIL "could not copy the lab"; return; }
    make --no-print-directory -s -C "$copy" clean PROJECT="$project" >/dev/null 2>&1
    local missing=()
    for file in "$labs_dir/$lab"/solution/*; do
        name=$(basename "$file")
        if [ -f "$submissions/$student/$lab/$name" ]; then
            cp "$submissions/$student/$lab/$name" "$copy/$name"
        else
            missing+=("$name")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        report "$student" "$lab" FAIL "missing ${missing[*]}"
        return
    fi
    output=$(timeout 300 make --no-print-directory -s -C "$copy" check PROJECT="$project" 2>&1)
    status=$?
    verdict=$(grep -E '^(PASS|FAIL):' <<<"$output" | tail -1)
    if [ $status -eq 124 ]; then
        report "$student" "$lab" FAIL "the checker did not finish within 5 minutes"
    elif [ $status -eq 0 ] && [[ $verdict == PASS:* ]]; then
        report "$student" "$lab" PASS "${verdict#PASS: }"
    elif [[ $verdict == FAIL:* ]]; then
        report "$student" "$lab" FAIL "${verdict#FAIL: }"
    else   # no verdict: it did not build
        report "$student" "$lab" FAIL "does not build: $(grep -m1 -E 'error|Error' <<<"$output")"
    fi
    rm -rf "$copy"
}

for student_dir in "$submissions"/*/; do
    [ -d "$student_dir" ] || continue
    student=$(basename "$student_dir")
    found=0
    for lab_dir in "$student_dir"*/; do
        [ -d "$lab_dir" ] || continue
        lab=$(basename "$lab_dir")
        if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $lab "* ]]; then
            continue
        fi
        found=1
        if [ -d "$labs_dir/$lab/solution" ]; then
            check_one "$student" "$lab"
        else
            report "$student" "$lab" FAIL "no such lab"
        fi
    done
    for lab in "${wanted[@]}"; do   # a named lab the student did not hand in
        [ -d "$student_dir$lab" ] || { found=1; report "$student" "$lab" FAIL "not handed in"; }
    done
    [ $found = 1 ] || report "$student" - FAIL "no lab folders"
done
[ $all_passed = 1 ]
