#!/bin/sh
# demos/run-all.sh RESULTS_DIR [full|quick|tiny] - runs the notes' coroutine
# demonstrations (bin/demos/*, made by `make demos`) and keeps each one-line
# JSON record as RESULTS_DIR/demos/<name>.json, where the report's coroutine
# section (scripts/sections/coroutine.py) reads them. BENCH_BIN_DIR=dir (or
# BIN=dir): another tree's bin/. scripts/bench.sh runs it after the timing.
#
# Sizes: full is the notes' 10M steps for C and greenlet (the thread
# hand-over and the Python generators scaled down: at microseconds a step
# they would take minutes); quick and tiny scale everything down.
set -eu
results=${1:?usage: demos/run-all.sh RESULTS_DIR [full|quick|tiny]}
size=${2:-full}
bin=${BENCH_BIN_DIR:-${BIN:-bin}}/demos
case $size in
full) steps=10000000 thread_steps=200000 py_steps=10000000 items=10000000 py_items=3000000 ;;
quick) steps=2000000 thread_steps=50000 py_steps=1000000 items=2000000 py_items=1000000 ;;
tiny) steps=100000 thread_steps=5000 py_steps=50000 items=100000 py_items=20000 ;;
*) echo "demos/run-all.sh: size '$size' is not full, quick or tiny" >&2; exit 2 ;;
esac
mkdir -p "$results/demos"
status=0
run() {  # run name args...
    name=$1; shift
    printf 'demos: %-14s ' "$name" >&2
    if "$bin/$name" "$@" >"$results/demos/$name.json.tmp"; then
        mv "$results/demos/$name.json.tmp" "$results/demos/$name.json"
        cat "$results/demos/$name.json" >&2
    else
        echo "failed (status $?)" >&2
        rm -f "$results/demos/$name.json.tmp"
        status=1
    fi
}
run switching --steps "$steps" --thread-steps "$thread_steps"
run switching-py --steps "$py_steps"
run generators --items "$items"
run generators-py --items "$py_items"
exit $status
