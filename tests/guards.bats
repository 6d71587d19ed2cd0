#!/usr/bin/env bats
# guards: the rules a student relies on when diffing a variant against
# serial.c, kept true as workloads and models are added (issue 13).
#   1. kernels are model-free: no pthread_, atomic_, omp_, fork(), sem_ in
#      workloads/*/kernel*.[ch] (comments aside);
#   2. `diff serial.c <model>.c` stays within the budget of the table below,
#      and every variant file stays under VARIANT_MAX_LINES lines.
# Each guard is also run on a copy with a planted violation, and must fail.
# plain pass only: reads the sources: nothing is run (tests/run leaves this file out of the sanitizer passes)
bats_require_minimum_version 1.5.0

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
VARIANT_MAX_LINES=250

# The diff budget: changed lines (diff serial.c <model>.c | grep -c '^[<>]').
# The first matching row wins; add a row when a model needs more.
DIFF_BUDGET='
# workload  model       budget   why more than the default
http        eventloop   180      # libcurl multi interface driven by the epoll loop
http        coroutine   190      # the same multi interface under the coroutines (issue 14)
primes      mpi         170      # a manager rank handing out tasks (issue 16)
sort        mpi         200      # a distributed sample sort, not the shared stack (issue 16)
*           *           100
'

# Prints "file:line: text" for every model construct in the kernels of the
# tree `root`; fails if there is any.
kernel_violations() {  # kernel_violations root
    local root=$1 file hits found=0
    for file in "$root"/workloads/*/kernel*.c "$root"/workloads/*/kernel*.h; do
        [ -e "$file" ] || continue
        # Comments removed (a kernel may say what a model does with it), includes kept.
        hits=$(gcc -fpreprocessed -dD -E -P -x c "$file" 2>/dev/null |
            grep -E '\bpthread_|pthread\.h|\batomic_|_Atomic|stdatomic\.h|\bomp_|pragma +omp|omp\.h|\bfork *\(|\bsem_|semaphore\.h')
        if [ -n "$hits" ]; then
            sed "s|^|${file#"$root"/}: |" <<<"$hits"
            found=1
        fi
    done
    return "$found"
}

budget_for() {  # budget_for workload model
    local workload=$1 model=$2 row_workload row_model budget
    while read -r row_workload row_model budget _; do
        [[ -z $row_workload || $row_workload == \#* ]] && continue
        [[ ($row_workload == "$workload" || $row_workload == '*') &&
           ($row_model == "$model" || $row_model == '*') ]] && { echo "$budget"; return; }
    done <<<"$DIFF_BUDGET"
}

# Prints every variant over its diff budget or over VARIANT_MAX_LINES; fails if any.
budget_violations() {  # budget_violations root
    local root=$1 file workload model changed budget lines found=0
    for file in "$root"/workloads/*/*.c "$root"/workloads/*/*.cpp; do
        [ -e "$file" ] || continue
        model=$(basename "${file%.*}")
        workload=$(basename "$(dirname "$file")")
        [[ $model == kernel* ]] && continue
        lines=$(wc -l <"$file")
        if [ "$lines" -ge "$VARIANT_MAX_LINES" ]; then
            echo "workloads/$workload/$(basename "$file"): $lines lines (limit $VARIANT_MAX_LINES)"
            found=1
        fi
        # Only a variant (it has main) is diffed; shared model code (sort's queue_pthread.c) is not.
        [[ $model == serial || ! -e "$root/workloads/$workload/serial.c" ]] && continue
        grep -q '^int main(' "$file" || continue
        changed=$(diff "$root/workloads/$workload/serial.c" "$file" | grep -c '^[<>]')
        budget=$(budget_for "$workload" "$model")
        if [ "$changed" -gt "$budget" ]; then
            echo "workloads/$workload/$(basename "$file"): diff against serial.c changes $changed lines (budget $budget)"
            found=1
        fi
    done
    return "$found"
}

copy_tree() {
    copy=$BATS_TEST_TMPDIR/tree
    mkdir -p "$copy"
    cp -r "$ROOT/workloads" "$copy/"
}

@test "guards: the kernels use no pthread_, atomic_, omp_, fork or sem_" {
    run kernel_violations "$ROOT"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "guards: the kernel guard fails on a planted lock, atomic, pragma and fork" {
    copy_tree
    run kernel_violations "$copy"
    [ "$status" -eq 0 ]
    local planted
    for planted in 'static pthread_mutex_t planted_lock;' 'int planted(void) { return atomic_load(&x); }' \
        '#pragma omp parallel' 'int planted(void) { return fork(); }' 'int planted(void) { return sem_post(s); }'; do
        cp "$ROOT/workloads/sum/kernel.c" "$copy/workloads/sum/kernel.c"
        echo "$planted" >>"$copy/workloads/sum/kernel.c"
        run kernel_violations "$copy"
        echo "planted '$planted': status $status, $output"
        [ "$status" -eq 1 ]
        [[ "$output" == *"workloads/sum/kernel.c: "* ]]
    done
    # The same words in a comment are allowed.
    cp "$ROOT/workloads/sum/kernel.c" "$copy/workloads/sum/kernel.c"
    echo '/* pthread_mutex_lock, fork() and omp_get_num_threads live in the variants */' \
        >>"$copy/workloads/sum/kernel.c"
    run kernel_violations "$copy"
    [ "$status" -eq 0 ]
}

@test "guards: every variant's diff against serial.c is within its budget, every file under $VARIANT_MAX_LINES lines" {
    run budget_violations "$ROOT"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "guards: the budget guard fails on a variant that grew past its budget or the line limit" {
    copy_tree
    run budget_violations "$copy"
    [ "$status" -eq 0 ]
    # 101 changed lines in primes/pthread.c: over the default budget of 100.
    for line in $(seq 101); do echo "static int planted_$line;"; done \
        >>"$copy/workloads/primes/pthread.c"
    run budget_violations "$copy"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"workloads/primes/pthread.c: diff against serial.c changes"*"(budget 100)"* ]]
    # A new model gets the default budget too; a long file fails the line limit.
    cp "$ROOT/workloads/primes/pthread.c" "$copy/workloads/primes/pthread.c"
    { cat "$ROOT/workloads/sum/serial.c"; for line in $(seq 260); do echo "/* $line */"; done; } \
        >"$copy/workloads/sum/newmodel.c"
    run budget_violations "$copy"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"workloads/sum/newmodel.c: "*" lines (limit $VARIANT_MAX_LINES)"* ]]
    [[ "$output" == *"workloads/sum/newmodel.c: diff against serial.c changes 260 lines (budget 100)"* ]]
}

@test "guards: the budget table gives a row's budget, else the default" {
    [ "$(budget_for http eventloop)" -eq 180 ]
    [ "$(budget_for http pthread)" -eq 100 ]
    [ "$(budget_for newworkload newmodel)" -eq 100 ]
}
