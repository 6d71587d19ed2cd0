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
 * update shows, where add-then-subtract losses can cancel out; --pattern split
 * makes even threads add twice and odd threads subtract twice, so that the
 * two kinds of update (deposits and withdrawals) run at the same time. The program
 * prints the final value and the cost of one update in nanoseconds, and
 * exits 1 when the value is wrong. LAB_DELAY_US=50 sleeps about 50 us (0 to
 * 100) at every race_window(), the gap between a read and its write.
 *
 * --signal-test (counter, atomic): one thread updates the counter while
 * another interrupts it with signals as fast as it can, and the signal
 * handler updates the counter too. A lock-free update works there; one that
 * takes a lock (a mutex, a spin lock) deadlocks as soon as a signal arrives
 * while the thread holds that lock, as the handler then waits for a lock
 * its own thread holds.
 */
#include "bench.h"
#include "races.h"
#include "lab_report.h"

#include <signal.h>
#include <unistd.h>

enum { WHAT_COUNTER, WHAT_BANK };
enum { FIX_MUTEX, FIX_ATOMIC, FIX_NONE };
static int what_choice = WHAT_COUNTER;
static int fix_choice = FIX_MUTEX;
enum { PATTERN_BOTH, PATTERN_UP, PATTERN_DOWN, PATTERN_SPLIT };
static bool signal_test;
static int pattern_choice = PATTERN_BOTH;
static const bench_option race_options[] = {
    {"what", 0, BENCH_OPT_CHOICE, &what_choice, "WHAT",
     "counter (the notes' var) or bank (the notes' account) (default counter)", "counter|bank"},
    {"pattern", 0, BENCH_OPT_CHOICE, &pattern_choice, "PATTERN",
     "each round adds then subtracts (both, the notes'), adds twice (up) or subtracts twice "
     "(down), or even threads add and odd threads subtract (split) (default both)",
     "both|up|down|split"},
    {"signal-test", 0, BENCH_OPT_FLAG, &signal_test, NULL,
     "counter, atomic: a signal handler updates the counter too (lock-free or deadlock)", NULL},
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
    bool subtracts = pattern_choice == PATTERN_DOWN
                     || (pattern_choice == PATTERN_SPLIT && (long)argument % 2 == 1);
    long first = subtracts ? -amount : amount;
    long second = pattern_choice == PATTERN_BOTH ? -amount : first;
    for (long round = 0; round < rounds; round++) {
        update(first);
        update(second);
    }
    return NULL;
}

/* --signal-test: the handler adds 1 on the interrupted thread. */
static volatile sig_atomic_t handler_updates;
static atomic_bool interrupting;

static void on_signal(int signal_number)
{
    (void)signal_number;
    counter_update_atomic(1);
    handler_updates = handler_updates + 1;
}

static void *interrupter(void *argument)
{
    pthread_t target = *(pthread_t *)argument;
    while (atomic_load(&interrupting)) {
        int error = pthread_kill(target, SIGUSR1);
        if (error != 0)
            bench_fail_errno(error, "pthread_kill");
        sched_yield();
    }
    return NULL;
}

/* The main thread updates the counter by 1 until its handler has run
 * `rounds` times (or 5 s have passed), while being interrupted. */
static long run_signal_test(void)
{
    struct sigaction action = { .sa_handler = on_signal };
    if (sigemptyset(&action.sa_mask) != 0 || sigaction(SIGUSR1, &action, NULL) != 0)
        bench_fail("sigaction");
    pthread_t self = pthread_self(), thread;
    atomic_store(&interrupting, true);
    int error = pthread_create(&thread, NULL, interrupter, &self);
    if (error != 0)
        bench_fail_errno(error, "pthread_create");
    long updates = 0;
    double stop_at = bench_now() + 5;
    while (handler_updates < rounds && (updates % 1024 != 0 || bench_now() < stop_at)) {
        counter_update_atomic(1);
        updates++;
    }
    atomic_store(&interrupting, false);
    if ((error = pthread_join(thread, NULL)) != 0)
        bench_fail_errno(error, "pthread_join");
    struct sigaction ignore = { .sa_handler = SIG_IGN };
    if (sigaction(SIGUSR1, &ignore, NULL) != 0)   /* a signal still pending is dropped */
        bench_fail("sigaction");
    return updates + handler_updates;
}

int main(int argc, char **argv)
{
    lab_report_open();   /* before any of fixes.c runs: see lab_report.h */
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
        per_round += 2 * (index + 1) * (what_choice == WHAT_BANK ? 10 : 1)
                     * (pattern_choice == PATTERN_SPLIT && index % 2 == 1 ? -1 : 1);
    if (signal_test && (what_choice != WHAT_COUNTER || fix_choice != FIX_ATOMIC))
        bench_usage_error("--signal-test is for --what counter --fix atomic only");
    long change = pattern_choice == PATTERN_BOTH ? 0 : per_round * rounds;
    if (pattern_choice == PATTERN_DOWN)
        change = -change;
    long start = what_choice == WHAT_BANK ? STARTING_BALANCE - (change < 0 ? change : 0) : 0;
    balance = start;

    if (signal_test) {
        long expected = run_signal_test(), final = atomic_load(&atomic_counter);
        char result[96], summary[160];
        snprintf(result, sizeof result, "\"final\": %ld, \"expected\": %ld", final, expected);
        snprintf(summary, sizeof summary, "counter ended at %ld, expected %ld (%ld updates in a signal handler)",
                 final, expected, (long)handler_updates);
        lab_report("final=%ld expected=%ld handler_updates=%ld", final, expected, (long)handler_updates);
        return bench_finish(&run, final == expected ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
    }
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
    lab_report("final=%ld start=%ld", final, start);
    return bench_finish(&run, final == expected ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result,
                        summary);
}
