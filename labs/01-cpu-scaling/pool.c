/*
 * pool.c - the lab's thread pool: builds the list, starts -j threads, checks.
 *
 * With --schedule dynamic (the default) every thread runs your
 * dynamic_worker() from worker.c. With --schedule static every thread runs
 * static_worker() below: thread k gets the k-th contiguous block of tasks up
 * front, whatever they cost. The lists:
 *
 *   balanced    64 primes near 4 * 10^13, all about the same cost
 *   unbalanced  56 cheap numbers, then 8 primes near 4 * 10^15 that each cost
 *               about as much as all the cheap ones together
 *   quick       300 small numbers, for the checker
 *   tiny        numbers below 1000: tasks that cost almost nothing, so the
 *               threads spend their time taking tasks (the checker's race hunt)
 *
 * At the end it checks that every task ran exactly once and that every
 * verdict is right (exit 0), or says which task went wrong (exit 1). With
 * --json it prints the project's usual record, so hyperfine and jq work.
 * --slow-first makes task 0 take 0.3 s more: with dynamic scheduling, the
 * thread that drew it comes back to find the others have done the rest (it
 * prints how many tasks each thread ran).
 */
#include "pool.h"
#include "kernel.h"   /* is_prime, is_prime_fast (workloads/primes) */
#include "lab_report.h"

#include <inttypes.h>
#include <pthread.h>
#include <time.h>

size_t task_count;
atomic_size_t next_task;

static uint64_t *numbers;
static unsigned char *verdicts;
static atomic_int *runs;          /* how many times each task ran */
static atomic_size_t bad_task_calls;
static long workers;
static bool slow_first;
static _Thread_local long my_worker = -1;
static atomic_long *tasks_by_worker;
static atomic_long slow_worker = -1;       /* the worker that drew task 0 */

enum { LIST_BALANCED, LIST_UNBALANCED, LIST_QUICK, LIST_TINY };
static int list_choice = LIST_BALANCED;
static const bench_option pool_options[] = {
    {"list", 0, BENCH_OPT_CHOICE, &list_choice, "LIST",
     "which numbers: balanced, unbalanced, quick or tiny (default balanced)",
     "balanced|unbalanced|quick|tiny"},
    {"slow-first", 0, BENCH_OPT_FLAG, &slow_first, NULL,
     "task 0 takes 0.3 s more (to see who takes the rest meanwhile)", NULL},
    BENCH_OPTIONS_END,
};

void run_task(size_t task)
{
    if (task >= task_count) {      /* a worker asked for a task that does not exist */
        atomic_fetch_add(&bad_task_calls, 1);
        return;
    }
    atomic_fetch_add(&runs[task], 1);
    if (my_worker >= 0)
        atomic_fetch_add(&tasks_by_worker[my_worker], 1);
    if (task == 0 && slow_first) {
        atomic_store(&slow_worker, my_worker);
        struct timespec pause = { 0, 300000000 };
        while (nanosleep(&pause, &pause) != 0) { }
    }
    verdicts[task] = is_prime(numbers[task]);
}

/* Every thread starts here: it notes its number, then runs the schedule's body. */
static void *(*worker_body)(void *);
static void *start_worker(void *argument)
{
    my_worker = (long)argument;
    return worker_body(argument);
}

static void *static_worker(void *argument)
{
    bench_block block = bench_static_block(task_count, workers, (long)argument);
    for (size_t task = block.first; task < block.end; task++)
        run_task(task);
    return NULL;
}

static uint64_t prime_at_or_above(uint64_t number)
{
    while (!is_prime_fast(number))
        number++;
    return number;
}

/* Fills numbers[] with `count` tasks of the chosen list (repeated if needed). */
static void make_list(size_t count)
{
    size_t length = list_choice == LIST_QUICK ? 300 : list_choice == LIST_TINY ? 997 : 64;
    uint64_t *list = bench_alloc(length, sizeof *list);
    for (size_t index = 0; index < length; index++) {
        if (list_choice == LIST_QUICK)
            list[index] = 1000000 + 7919 * index;
        else if (list_choice == LIST_TINY)
            list[index] = 2 + index;
        else if (list_choice == LIST_BALANCED)
            list[index] = prime_at_or_above(40000000000000u + 400000000000u * index);
        else if (index < 56)
            list[index] = 100000000 + 1237 * index;
        else
            list[index] = prime_at_or_above(4000000000000000u + 40000000000000u * index);
    }
    for (size_t task = 0; task < count; task++)
        numbers[task] = list[task % length];
    free(list);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "primes", .model = "lab-pool",
        .about = "Tests a list of numbers for primality with a pool of -j threads.",
        .workload_options = pool_options, .model_options = bench_schedule_options,
    };
    bench_run run;
    lab_report_open();   /* before any of worker.c runs: see lab_report.h */
    bench_start(&run, &spec, argc, argv);
    bench_set_default_tasks(&run, list_choice == LIST_QUICK ? 300 : list_choice == LIST_TINY ? 997 : 64);
    task_count = (size_t)run.tasks;
    workers = run.workers;
    numbers = bench_alloc(task_count, sizeof *numbers);
    verdicts = bench_alloc(task_count, 1);
    runs = bench_alloc(task_count, sizeof *runs);   /* zeroed: calloc */
    tasks_by_worker = bench_alloc((size_t)workers, sizeof *tasks_by_worker);
    make_list(task_count);
    bench_restart_clock(&run);   /* time the work, not the list */

    worker_body = bench_schedule == BENCH_SCHEDULE_STATIC ? static_worker : dynamic_worker;
    pthread_t *threads = bench_alloc((size_t)workers, sizeof *threads);
    for (long index = 0; index < workers; index++) {
        int error = pthread_create(&threads[index], NULL, start_worker, (void *)index);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    for (long index = 0; index < workers; index++) {
        int error = pthread_join(threads[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }

    int status = BENCH_EXIT_OK;
    size_t primes = 0;
    if (atomic_load(&bad_task_calls) > 0) {
        fprintf(stderr, "pool: run_task was called %zu times with a task number >= %zu "
                "(there is no such task)\n", atomic_load(&bad_task_calls), task_count);
        status = BENCH_EXIT_WRONG;
    }
    for (size_t task = 0; task < task_count; task++) {
        int times = atomic_load(&runs[task]);
        if (times != 1 && status == BENCH_EXIT_OK) {
            fprintf(stderr, "pool: task %zu ran %d times with -j %ld (each task must run "
                    "exactly once)\n", task, times, workers);
            status = BENCH_EXIT_WRONG;
        } else if (times == 1 && verdicts[task] != is_prime_fast(numbers[task])) {
            fprintf(stderr, "pool: task %zu (%" PRIu64 ") has a wrong verdict\n", task,
                    numbers[task]);
            status = BENCH_EXIT_WRONG;
        }
        primes += verdicts[task] == 1;
    }
    long slow = atomic_load(&slow_worker);
    long slow_tasks = slow >= 0 ? atomic_load(&tasks_by_worker[slow]) : -1;
    if (slow_first)
        fprintf(stderr, "pool: the thread that drew the slow task 0 ran %ld of %zu tasks\n", slow_tasks,
                task_count);
    lab_report("ok=%d tasks=%zu slow_worker_tasks=%ld", status == BENCH_EXIT_OK, task_count, slow_tasks);
    char result[96], summary[128];
    snprintf(result, sizeof result, "\"primes\": %zu", primes);
    snprintf(summary, sizeof summary, "%zu of %zu numbers are prime", primes, task_count);
    free(threads);
    free(numbers);
    free(verdicts);
    free(runs);
    free(tasks_by_worker);
    return bench_finish(&run, status, result, summary);
}
