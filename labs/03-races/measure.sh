#!/bin/bash
# Lab 3: what one counter update costs, in nanoseconds, with no delay:
# unprotected (wrong), mutex, atomic; one thread, then all cores fighting
# over the same variable. Prints a table; the numbers are for README question 4.
set -u
cd "$(dirname "$0")" || exit 1
cores=$(nproc)
printf '%-8s %12s %12s\n' fix "-j 1 (ns)" "-j $cores (ns)"
for fix in none mutex atomic; do
    costs=()
    for workers in 1 "$cores"; do
        costs+=("$(./races --json --what counter --fix "$fix" -j "$workers" -n 2000000 | jq -r .result.ns_per_update)")
    done
    printf '%-8s %12s %12s\n' "$fix" "${costs[0]}" "${costs[1]}"
done
echo "expect: mutex and atomic cost several times 'none' with one thread, and more again"
echo "with $cores threads (the cache line moves between cores); 'none' is fast and wrong."
