#!/bin/bash
# labs/check-class.sh - runs the lab checkers over a class's submissions.
#
#   labs/check-class.sh [--csv FILE] [-j N] SUBMISSIONS [LAB...]
#
# SUBMISSIONS holds one folder per student, each with that student's copy of
# the labs they hand in: SUBMISSIONS/<student>/<NN-name>/... For every
# student and every lab folder found (or only the LABs named, like 03-races),
# the script copies the pristine lab from labs/ to a temporary folder, puts
# the student's versions of the files the lab asks them to write (the names
# in the lab's solution/ folder) over it, runs `make check`, and prints:
#
#   student lab PASS|FAIL points/total reason
#
# then one summary line per lab ("class LAB: ..."). With --csv FILE it also
# writes FILE: one row per student, lab and test of the checker (student,
# lab, test, points, out_of), a row "(build)" with 0 points when the lab
# did not build or its checker gave no verdict. Each student's runs use
# their own seed (SEED, from the student's name: `make check SEED=n` shows
# the same numbers), so answers cannot be copied from a neighbour's output.
# Up to -j checks run at once (default: the number of cores).
#
# Only those files are taken from the student: a changed Makefile or checker
# has no effect. Each check gets at most 5 minutes. Exit status 0 when every
# line is PASS, 1 otherwise, 2 on a usage error. Student code runs as you:
# run this in a throw-away container or as an unprivileged user.
set -uo pipefail
labs_dir=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$labs_dir/.." && pwd)

usage() { echo "usage: $0 [--csv FILE] [-j N] SUBMISSIONS [LAB...]  (SUBMISSIONS/<student>/<NN-name>/)" >&2; exit 2; }
csv= parallel=$(nproc)
while [ $# -gt 0 ]; do
    case $1 in
    --csv) [ $# -ge 2 ] || usage; csv=$2; shift 2 ;;
    -j) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "$0: -j takes a whole number above 0, not '${2:-}'" >&2; exit 2; }
        parallel=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "$0: unknown option '$1'" >&2; usage ;;
    *) break ;;
    esac
done
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    usage
fi
submissions=$1; shift
wanted=("$@")
for lab in "${wanted[@]}"; do
    [ -d "$labs_dir/$lab/solution" ] || { echo "$0: no lab '$lab' in $labs_dir" >&2; exit 2; }
done

work=$(mktemp -d) || { echo "$0: mktemp failed" >&2; exit 1; }
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Each check writes its verdict line to $work/verdicts/<n> and its CSV rows
# to $work/rows/<n>, n its place in the order, so that parallel checks print
# in order.
mkdir -p "$work/verdicts" "$work/rows"

report() {  # report slot student lab PASS|FAIL points reason
    echo "$2 $3 $4 $5 ${6:-}" >"$work/verdicts/$1"
}

student_seed() { printf '%s' "$1" | cksum | awk '{ print $1 % 100000 }'; }

check_one() {  # check_one slot student lab
    local slot=$1 student=$2 lab=$3 copy="$work/$1-$3" file name output status verdict points
    cp -r "$labs_dir/$lab" "$copy" || { report "$slot" "$student" "$lab" FAIL 0/0 "could not copy the lab"; return; }
    rm -rf "$copy/solution" "$copy/wrong"
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
        report "$slot" "$student" "$lab" FAIL 0/0 "missing ${missing[*]}"
        printf '%s,%s,(build),0,0\n' "$student" "$lab" >"$work/rows/$slot"
        return
    fi
    output=$(timeout 300 make --no-print-directory -s -C "$copy" check PROJECT="$project" \
             SEED="$(student_seed "$student")" 2>&1)
    status=$?
    verdict=$(grep -E '^(PASS|FAIL):' <<<"$output" | tail -1)
    points=$(sed -n 's/^score: //p' <<<"$output" | tail -1)
    # one CSV row per test line: "ok: [P/T] name: detail" or "fail: [0/T] name: reason"
    sed -nE 's/^(ok|fail): \[([0-9]+)\/([0-9]+)\] ([^:]*).*/\4\t\2\t\3/p' <<<"$output" |
        awk -F '\t' -v student="$student" -v lab="$lab" '{ gsub(/"/, "\"\"", $1); printf "%s,%s,\"%s\",%s,%s\n", student, lab, $1, $2, $3 }' \
        >"$work/rows/$slot"
    if [ $status -eq 124 ]; then
        report "$slot" "$student" "$lab" FAIL "${points:-0/0}" "the checker did not finish within 5 minutes"
    elif [ $status -eq 0 ] && [[ $verdict == PASS:* ]]; then
        report "$slot" "$student" "$lab" PASS "${points:-0/0}" "${verdict#PASS: }"
    elif [[ $verdict == FAIL:* ]]; then
        report "$slot" "$student" "$lab" FAIL "${points:-0/0}" "${verdict#FAIL: }"
    else   # no verdict: it did not build
        report "$slot" "$student" "$lab" FAIL 0/0 "does not build: $(grep -m1 -E 'error|Error' <<<"$output")"
        printf '%s,%s,(build),0,0\n' "$student" "$lab" >"$work/rows/$slot"
    fi
    rm -rf "$copy"
}

slot=0 running=0
run_check() {  # run_check student lab: in the background, at most $parallel at once
    slot=$((slot + 1))
    check_one "$(printf '%05d' $slot)" "$1" "$2" &
    running=$((running + 1))
    if [ $running -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
}
note() {  # note student lab PASS|FAIL points reason: a verdict without a check
    slot=$((slot + 1))
    report "$(printf '%05d' $slot)" "$@"
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
            run_check "$student" "$lab"
        else
            note "$student" "$lab" FAIL 0/0 "no such lab"
        fi
    done
    for lab in "${wanted[@]}"; do   # a named lab the student did not hand in
        [ -d "$student_dir$lab" ] || { found=1; note "$student" "$lab" FAIL 0/0 "not handed in"; }
    done
    [ $found = 1 ] || note "$student" - FAIL 0/0 "no lab folders"
done
wait

all_passed=1
for verdict in "$work"/verdicts/*; do
    [ -f "$verdict" ] || continue
    cat "$verdict"
    read -r _ _ result _ <"$verdict"
    [ "$result" = PASS ] || all_passed=0
done
# The class summary: per lab, how many passed and the mean points.
cat "$work"/verdicts/* 2>/dev/null | awk '$2 != "-" && $4 ~ /^[0-9]+\/[0-9]+$/ {
        split($4, score, "/"); lab = $2; students[lab]++; passed[lab] += $3 == "PASS"
        points[lab] += score[1]; if (score[2] > most[lab]) most[lab] = score[2]
    }
    END { for (lab in students) printf "class %s: %d of %d passed, mean %.1f of %d points\n",
              lab, passed[lab], students[lab], points[lab] / students[lab], most[lab] }' | sort
if [ -n "$csv" ]; then
    { echo "student,lab,test,points,out_of"; cat "$work"/rows/* 2>/dev/null; } >"$csv" ||
        { echo "$0: cannot write $csv" >&2; exit 1; }
fi
[ $all_passed = 1 ]
