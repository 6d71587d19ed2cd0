/*
 * races.c - many threads update one shared value; does any update get lost?
 *
 *   ./races --what counter --fix mutex  -j 8 -n 1000   (the notes' counter)
 *   ./races --what counter --fix atomic -j 8 -n 1000
 *   ./races --what bank    --fix mutex  -j 8 -n 1000   (the notes' bank account)
 *   ./races ... --fix none     the unprotected update, for comparison
 *
 * Each of -j threads does -n rounds. Counter: add k, then subtract k (k is
 * the thread's number + 1), so it must end at 0. Bank: deposit 10k, then
 * withdraw 10k from a balance of 1000, so it must end at 1000. --pattern up
 * (or down) makes both updates of a round add (subtract): then every lost
 * update shows, where add-then-subtract losses can cancel out. The program
 * prints the final value and the cost of one update in nanoseconds, and
 * exits 1 when the value is wrong. LAB_DELAY_US=50 sleeps about 50 us (0 to
 * 100) at every race_window(), the gap between a read and its write.
 */
#include "bench.h"
#include "races.h"

#include <unistd.h>

enum { WHAT_COUNTER, WHAT_BANK };
enum { FIX_MUTEX, FIX_ATOMIC, FIX_NONE };
static int what_choice = WHAT_COUNTER;
static int fix_choice = FIX_MUTEX;
enum { PATTERN_BOTH, PATTERN_UP, PATTERN_DOWN };
static int pattern_choice = PATTERN_BOTH;
static const bench_option race_options[] = {
    {"what", 0, BENCH_OPT_CHOICE, &what_choice, "WHAT",
     "counter (the notes' var) or bank (the notes' account) (default counter)", "counter|bank"},
    {"pattern", 0, BENCH_OPT_CHOICE, &pattern_choice, "PATTERN",
     "each round adds then subtracts (both, the notes'), adds twice (up) or subtracts twice "
     "(down) (default both)", "both|up|down"},
    {"fix", 0, BENCH_OPT_CHOICE, &fix_choice, "FIX",
     "your mutex or atomic version, or none: unprotected (default mutex)", "mutex|atomic|none"},
    BENCH_OPTIONS_END,
};

static long rounds;
static long delay_microseconds;
#define STARTING_BALANCE 1000

/* Sleeps a varying 0 .. 2 x LAB_DELAY_US, so the threads do not fall into
 * step (in step, the same thread would always write last and the losses
 * would cancel out). */
void race_window(void)
{
    static _Thread_local uint64_t calls;
    if (delay_microseconds <= 0)
        return;
    uint64_t spread = bench_mix64(++calls ^ (uint64_t)(uintptr_t)&calls);
    if (usleep((useconds_t)(spread % (uint64_t)(2 * delay_microseconds + 1))) != 0)
        bench_fail("usleep");
}

/* --fix none: the plain read-then-write, on the same variables (volatile
 * only so that the compiler keeps every read and write, as it must for the
 * versions in fixes.c, which it cannot see from here). */
static void counter_update_none(long amount)
{
    long seen = *(volatile long *)&counter;
    race_window();
    *(volatile long *)&counter = seen + amount;
}

static void bank_update_none(long amount)
{
    long seen = *(volatile long *)&balance;
    race_window();
    *(volatile long *)&balance = seen + amount;
}

/* One update of the shared value by `change`, with the chosen fix. */
static void update(long change)
{
    if (what_choice == WHAT_BANK && fix_choice == FIX_NONE)
        bank_update_none(change);
    else if (what_choice == WHAT_BANK && change >= 0)
        bank_deposit(change);
    else if (what_choice == WHAT_BANK)
        bank_withdraw(-change);
    else if (fix_choice == FIX_NONE)
        counter_update_none(change);
    else if (fix_choice == FIX_MUTEX)
        counter_update_mutex(change);
    else
        counter_update_atomic(change);
}

static void *worker(void *argument)
{
    long amount = ((long)argument + 1) * (what_choice == WHAT_BANK ? 10 : 1);
    long first = pattern_choice == PATTERN_DOWN ? -amount : amount;
    long second = pattern_choice == PATTERN_UP ? amount : -amount;
    for (long round = 0; round < rounds; round++) {
        update(first);
        update(second);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "races", .model = "lab", .default_tasks = 100000,
        .about = "Threads update one shared counter or bank balance; -n is rounds per thread.",
        .workload_options = race_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (what_choice == WHAT_BANK && fix_choice == FIX_ATOMIC)
        bench_usage_error("--what bank has no atomic version here: use --fix mutex or none");
    const char *delay = getenv("LAB_DELAY_US");
    delay_microseconds = delay ? atol(delay) : 0;
    rounds = run.tasks;
    /* up: every update adds; down: every update subtracts. */
    long per_round = 0;
    for (long index = 0; index < run.workers; index++)
        per_round += 2 * (index + 1) * (what_choice == WHAT_BANK ? 10 : 1);
    long change = pattern_choice == PATTERN_BOTH ? 0 : per_round * rounds;
    if (pattern_choice == PATTERN_DOWN)
        change = -change;
    long start = what_choice == WHAT_BANK ? STARTING_BALANCE - (change < 0 ? change : 0) : 0;
    balance = start;

    pthread_t *threads = bench_alloc((size_t)run.workers, sizeof *threads);
    for (long index = 0; index < run.workers; index++) {
        int error = pthread_create(&threads[index], NULL, worker, (void *)index);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    for (long index = 0; index < run.workers; index++) {
        int error = pthread_join(threads[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }
    double wall = bench_now() - run.started;
    free(threads);

    long final = what_choice == WHAT_BANK ? balance
                 : fix_choice == FIX_ATOMIC ? atomic_load(&atomic_counter) : counter;
    long expected = start + change;
    double updates = 2.0 * (double)rounds * (double)run.workers;
    char result[96], summary[160];
    snprintf(result, sizeof result, "\"final\": %ld, \"expected\": %ld, \"ns_per_update\": %.1f",
             final, expected, wall / updates * 1e9);
    snprintf(summary, sizeof summary, "%s ended at %ld, expected %ld; %.1f ns per update",
             what_choice == WHAT_BANK ? "balance" : "counter", final, expected,
             wall / updates * 1e9);
    return bench_finish(&run, final == expected ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result,
                        summary);
}
