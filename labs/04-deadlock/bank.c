/*
 * bank.c - threads move money between accounts in both directions at once.
 *
 *   ./bank [-j 2] [-n 100000] [--accounts 2] [--self] [--watchdog 3]
 *
 * Each of -j threads does -n transfers of 1 with your transfer(): with two
 * accounts, even threads start from account 0 and odd threads from account
 * 1, the notes' two threads taking two locks in opposite order. --self
 * makes every tenth transfer go from an account to itself.
 *
 * A watchdog thread watches the count of finished transfers. If it stops
 * moving for --watchdog seconds, the watchdog prints which account each
 * thread holds and which it waits for, and ends the program with status 4:
 * a deadlock never ends by itself. Otherwise the program checks that no
 * money appeared or vanished (exit 0, or 1 with the difference).
 *
 * An auditor thread, as a bank's would, takes every account's lock (in id
 * order), adds up the balances and lets go, again and again while the
 * transfers run: with every transfer done under both its locks, it always
 * finds all the money; a transfer that ever lets go of one account before
 * the other has its money in neither, and the auditor sees it missing. It
 * also notes each balance as it takes that account's lock and looks again
 * once it holds them all: a balance that changed meanwhile was written by a
 * thread that did not hold its lock.
 *
 * LAB_DELAY_US=1000 sleeps 1 ms after each thread's first lock, which turns
 * a rare deadlock into one that happens within the first transfers, and as
 * long after every unlock (where whatever a transfer does without the lock
 * shows: money in transit, a balance written unguarded).
 */
#include "bench.h"
#include "accounts.h"
#include "lab_report.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define MOST_THREADS 64
#define STARTING_BALANCE 1000
#define DEADLOCK_EXIT 4

typedef struct {
    atomic_int held[2];          /* ids of the accounts this thread holds, or -1 */
    atomic_int held_count;
    atomic_int waiting_for;      /* id of the account it is waiting for, or -1 */
} thread_state;

static thread_state states[MOST_THREADS];
static _Thread_local long my_index;
static account *accounts;
static long account_count = 2, transfers_per_thread;
static bool self_transfers;
static double watchdog_seconds = 3.0;
static long delay_microseconds;
static atomic_long transfers_done;
static atomic_bool workers_finished;
static long audits, bad_audits, first_bad_total, unguarded_writes;   /* the auditor's alone */

static const bench_option bank_options[] = {
    {"accounts", 0, BENCH_OPT_COUNT, &account_count, "N", "number of accounts (default 2)", NULL},
    {"self", 0, BENCH_OPT_FLAG, &self_transfers, NULL,
     "every tenth transfer goes from an account to itself", NULL},
    {"watchdog", 0, BENCH_OPT_SECONDS, &watchdog_seconds, "S",
     "report a deadlock after S seconds without progress (default 3)", NULL},
    BENCH_OPTIONS_END,
};

void account_lock(account *which)
{
    thread_state *me = &states[my_index];
    atomic_store(&me->waiting_for, which->id);
    int error = pthread_mutex_lock(&which->lock);
    if (error == EDEADLK)
        bench_failf("thread %ld locked account %d, which it already holds: the mutex is "
                    "not recursive, and a normal one would hang here forever", my_index, which->id);
    if (error != 0)
        bench_fail_errno(error, "pthread_mutex_lock");
    atomic_store(&me->waiting_for, -1);
    int held = atomic_load(&me->held_count);
    if (held < 2)
        atomic_store(&me->held[held], which->id);
    atomic_store(&me->held_count, held + 1);
    if (held == 0 && delay_microseconds > 0 && usleep((useconds_t)delay_microseconds) != 0)
        bench_fail("usleep");   /* the window between a thread's first and second lock */
}

void account_unlock(account *which)
{
    thread_state *me = &states[my_index];
    int held = atomic_load(&me->held_count);
    if (held == 2 && atomic_load(&me->held[0]) == which->id)
        atomic_store(&me->held[0], atomic_load(&me->held[1]));
    if (held > 0)
        atomic_store(&me->held_count, held - 1);
    int error = pthread_mutex_unlock(&which->lock);
    if (error != 0)
        bench_fail_errno(error, "pthread_mutex_unlock");
    if (delay_microseconds > 0 && usleep((useconds_t)delay_microseconds) != 0)
        bench_fail("usleep");   /* the gap after an unlock: whatever is unguarded now shows */
}

/* Sums every balance under every account's lock, until the workers end. */
static void *auditor(void *unused)
{
    long expected = STARTING_BALANCE * account_count;
    long *seen = bench_alloc((size_t)account_count, sizeof *seen);
    while (!atomic_load(&workers_finished)) {
        long total = 0;
        int error;
        for (long index = 0; index < account_count; index++) {
            if ((error = pthread_mutex_lock(&accounts[index].lock)) != 0)
                bench_fail_errno(error, "pthread_mutex_lock");
            seen[index] = accounts[index].balance;
        }
        if (usleep(50) != 0)
            bench_fail("usleep");
        for (long index = 0; index < account_count; index++) {
            if (accounts[index].balance != seen[index])
                unguarded_writes++;   /* changed while the auditor held its lock */
            total += accounts[index].balance;
        }
        for (long index = account_count - 1; index >= 0; index--)
            if ((error = pthread_mutex_unlock(&accounts[index].lock)) != 0)
                bench_fail_errno(error, "pthread_mutex_unlock");
        audits++;
        if (total != expected && bad_audits++ == 0)
            first_bad_total = total;
        if (usleep(200) != 0)
            bench_fail("usleep");
    }
    free(seen);
    return unused;
}

static void *worker(void *argument)
{
    my_index = (long)argument;
    for (long round = 0; round < transfers_per_thread; round++) {
        long from = (my_index + round) % account_count;
        long to = my_index % 2 == 0 ? (from + 1) % account_count
                                    : (from + account_count - 1) % account_count;
        if (self_transfers && round % 10 == 9)
            to = from;
        transfer(&accounts[from], &accounts[to], 1);
        atomic_fetch_add(&transfers_done, 1);
    }
    return NULL;
}

static void report_deadlock(long workers)
{
    fprintf(stderr, "bank: no transfer finished for %.1f s, after %ld transfers: deadlock. "
            "Who holds what:\n", watchdog_seconds, atomic_load(&transfers_done));
    for (long index = 0; index < workers; index++) {
        thread_state *state = &states[index];
        int held = atomic_load(&state->held_count), waiting = atomic_load(&state->waiting_for);
        fprintf(stderr, "  thread %ld holds", index);
        if (held == 0)
            fprintf(stderr, " nothing");
        for (int slot = 0; slot < held && slot < 2; slot++)
            fprintf(stderr, " account %d", atomic_load(&state->held[slot]));
        if (waiting >= 0)
            fprintf(stderr, " and waits for account %d", waiting);
        fprintf(stderr, "\n");
    }
    lab_report("deadlock=1 transfers=%ld", atomic_load(&transfers_done));
    _exit(DEADLOCK_EXIT);   /* the stuck threads can never be joined */
}

static void *watchdog(void *argument)
{
    long workers = (long)argument, last_count = -1;
    double last_progress = bench_now();
    while (!atomic_load(&workers_finished)) {
        if (usleep(50000) != 0)
            bench_fail("usleep");
        long count = atomic_load(&transfers_done);
        if (count != last_count) {
            last_count = count;
            last_progress = bench_now();
        } else if (bench_now() - last_progress > watchdog_seconds) {
            report_deadlock(workers);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "deadlock", .model = "lab", .default_tasks = 100000,
        .about = "Threads transfer money both ways between accounts; -n is transfers per thread.",
        .workload_options = bank_options,
    };
    bench_run run;
    lab_report_open();   /* before any of transfer.c runs: see lab_report.h */
    bench_start(&run, &spec, argc, argv);
    if (run.workers > MOST_THREADS)
        bench_usage_error("-j %ld: at most %d threads here", run.workers, MOST_THREADS);
    const char *delay = getenv("LAB_DELAY_US");
    delay_microseconds = delay ? atol(delay) : 0;
    transfers_per_thread = run.tasks;

    pthread_mutexattr_t attributes;
    int error = pthread_mutexattr_init(&attributes);
    if (error == 0)
        error = pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ERRORCHECK);
    if (error != 0)
        bench_fail_errno(error, "pthread_mutexattr_settype");
    accounts = bench_alloc((size_t)account_count, sizeof *accounts);
    for (long index = 0; index < account_count; index++) {
        accounts[index].id = (int)index;
        accounts[index].balance = STARTING_BALANCE;
        if ((error = pthread_mutex_init(&accounts[index].lock, &attributes)) != 0)
            bench_fail_errno(error, "pthread_mutex_init");
    }
    pthread_mutexattr_destroy(&attributes);
    for (long index = 0; index < run.workers; index++) {
        atomic_store(&states[index].waiting_for, -1);
        atomic_store(&states[index].held_count, 0);
    }

    pthread_t watchdog_thread, auditor_thread, *threads = bench_alloc((size_t)run.workers, sizeof *threads);
    if ((error = pthread_create(&watchdog_thread, NULL, watchdog, (void *)run.workers)) != 0)
        bench_fail_errno(error, "pthread_create");
    if ((error = pthread_create(&auditor_thread, NULL, auditor, NULL)) != 0)
        bench_fail_errno(error, "pthread_create");
    for (long index = 0; index < run.workers; index++)
        if ((error = pthread_create(&threads[index], NULL, worker, (void *)index)) != 0)
            bench_fail_errno(error, "pthread_create");
    for (long index = 0; index < run.workers; index++)
        if ((error = pthread_join(threads[index], NULL)) != 0)
            bench_fail_errno(error, "pthread_join");
    atomic_store(&workers_finished, true);
    if ((error = pthread_join(watchdog_thread, NULL)) != 0)
        bench_fail_errno(error, "pthread_join");
    if ((error = pthread_join(auditor_thread, NULL)) != 0)
        bench_fail_errno(error, "pthread_join");

    long total = 0;
    for (long index = 0; index < account_count; index++) {
        total += accounts[index].balance;
        pthread_mutex_destroy(&accounts[index].lock);
    }
    long expected = STARTING_BALANCE * account_count;
    char result[96], summary[160];
    snprintf(result, sizeof result, "\"transfers\": %ld, \"total\": %ld", atomic_load(&transfers_done), total);
    snprintf(summary, sizeof summary, "%ld transfers; the accounts hold %ld in all, expected %ld; "
             "%ld of %ld audits found %ld", atomic_load(&transfers_done), total, expected,
             bad_audits, audits, bad_audits ? first_bad_total : expected);
    lab_report("deadlock=0 transfers=%ld total=%ld audits=%ld bad_audits=%ld first_bad_total=%ld "
               "unguarded_writes=%ld", atomic_load(&transfers_done), total, audits, bad_audits,
               first_bad_total, unguarded_writes);
    free(threads);
    free(accounts);
    return bench_finish(&run, total == expected && bad_audits == 0 && unguarded_writes == 0 ? BENCH_EXIT_OK : BENCH_EXIT_WRONG, result, summary);
}
