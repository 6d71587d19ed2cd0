#!/bin/bash
# labs/lib/lab.sh - what the lab checkers share; each NN-name/check.sh sources it.
#
# Points. A checker is a list of tests, each worth points (as xv6's `make
# grade`), and goes on after a failure so that every test gets its line:
#     lab_test POINTS "what it checks" function args...
# The function prints one line of detail and returns 0 (pass) or 1 (its
# last line is the reason). lab_finish prints `score: P/T` and the last line,
# "PASS: ..." or "FAIL: <the first failure>", and exits 0 only on PASS.
#
# A verdict the student's code cannot forge. The student's code runs in a
# child process the checker starts (lab_run); the checker never trusts that
# child's exit status or stdout alone:
#   - each run gets a fresh random token (LAB_TOKEN) and a result file
#     (LAB_RESULT_FD=3); the lab's own main() reads both, removes them from
#     the environment before any student code runs, and at the very end
#     writes "<token> <result>" there (lib/lab_report.h). No token line: the
#     program ended early (an exit() or _exit() in the student's code);
#   - the checker works out the right answer itself, from the parameters it
#     chose (at random, or from SEED), and compares;
#   - lab_no_constructors rejects a student file that runs code before main
#     (__attribute__((constructor)) / destructor), which could otherwise end
#     the program with status 0 or print "PASS" before any test ran.
# A student who reads all this and writes a program that forges the token
# on purpose is cheating in a way a code review sees, not a wrong solution.
#
# Seeded variation: `make check SEED=n` (or LAB_SEED / the student's name
# through check-class.sh) fixes the random parameters; without it they vary.

LAB_PROJECT=${PROJECT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
lab_score=0 lab_total=0 lab_first_failure= lab_failures=0
if [ -n "${SEED:-}" ]; then
    [[ $SEED =~ ^[0-9]+$ ]] || { echo "FAIL: SEED must be a whole number, not '$SEED'"; exit 2; }
    RANDOM=$SEED
fi

# lab_random LOW HIGH: a number in [LOW, HIGH], from SEED when it is set.
lab_random() { echo $(($1 + RANDOM % ($2 - $1 + 1))); }

lab_test() {  # lab_test points name function args...
    local points=$1 name=$2 output status
    shift 2
    case $name in *:*) echo "lab_test: a test's name has no ':' (it separates the name from the reason): $name" >&2; exit 2 ;; esac
    lab_total=$((lab_total + points))
    output=$("$@" 2>&1)
    status=$?
    if [ $status -eq 0 ]; then
        lab_score=$((lab_score + points))
        echo "ok: [$points/$points] $name${output:+: $(tail -1 <<<"$output")}"
    else
        local reason
        reason=$(tail -1 <<<"$output")
        [ -n "$reason" ] || reason="failed (status $status)"
        printf '%s\n' "$output" | sed '$d' | tail -8 | sed 's/^/    /'
        echo "fail: [0/$points] $name: $reason"
        lab_failures=$((lab_failures + 1))
        [ -n "$lab_first_failure" ] || lab_first_failure="$name: $reason"
    fi
}

lab_finish() {  # lab_finish "what a pass means"
    echo "score: $lab_score/$lab_total"
    if [ $lab_failures -eq 0 ]; then
        echo "PASS: $1"
        exit 0
    fi
    echo "FAIL: $lab_first_failure"
    exit 1
}

# lab_token: 16 random hex digits.
lab_token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# lab_run SECONDS command...: runs the command with a fresh token and result
# file. Sets lab_status (124: timed out), lab_output (stdout and stderr) and
# lab_result (what the lab's main() reported, or "" if it never got there).
lab_run() {
    local seconds=$1 token result_file line
    shift
    token=$(lab_token)
    result_file=$(mktemp "${TMPDIR:-/tmp}/lab-result.XXXXXX") || { lab_status=1; lab_result=; lab_output="mktemp failed"; return; }
    lab_output=$(LAB_TOKEN=$token LAB_RESULT_FD=3 timeout -k 2 "$seconds" "$@" 2>&1 3>"$result_file")
    lab_status=$?
    line=$(grep -m1 "^$token " "$result_file")
    rm -f "$result_file"
    lab_result=${line#"$token "}
    [ -n "$line" ] || lab_result=
}

# lab_field NAME: the value of NAME=value in lab_result.
lab_field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$lab_result"; }

# lab_no_result WHAT: the reason to give when lab_run got no result.
lab_no_result() {
    case $lab_status in
    124|137) echo "$1 did not finish within its time limit" ;;
    *) echo "$1 ended (status $lab_status) before the lab's program reported its result: does your code call exit() or _exit()? $(grep -m1 -iE 'error|abort|fail|sanitizer' <<<"$lab_output")" ;;
    esac
}

# lab_no_constructors FILE.c [cc flags...]: compiles the student's file on
# its own and fails if it has code that runs before or after main.
lab_no_constructors() {
    local source=$1 object sections
    shift
    object=$(mktemp "${TMPDIR:-/tmp}/lab-object.XXXXXX") || return 1
    if ! ${CC:-cc} -c -O0 -w -std=gnu11 "$@" -o "$object" "$source" 2>/dev/null; then
        rm -f "$object"
        echo "$source does not compile"
        return 1
    fi
    sections=$(readelf -SW "$object" | grep -oE '\.(init_array|fini_array|preinit_array|ctors|dtors)\b' | sort -u | tr '\n' ' ')
    rm -f "$object"
    if [ -n "$sections" ]; then
        echo "$source runs code before or after main (a constructor or destructor: ${sections% }): not allowed in a lab file"
        return 1
    fi
    echo "$source has no constructor or destructor"
}
