/*
 * fixes.c - the part you write: make each update below safe when many
 * threads run it at once.
 *
 * As given, every function reads a shared value, then writes back a value
 * computed from what it read. Between the two, another thread can read the
 * same old value: then one of the two writes is lost (a "lost update").
 * race_window() marks that gap; the checker widens it (LAB_DELAY_US) so the
 * race happens on every run instead of once in a while.
 *
 *   1. counter_update_mutex: hold counter_lock around the read and the write.
 *   2. counter_update_atomic: no lock; one atomic read-modify-write instead.
 *   3. bank_deposit / bank_withdraw: hold balance_lock around each.
 *
 * Check every pthread_mutex_lock/unlock result (they return an error number).
 */
#include "races.h"

long counter;
pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
atomic_long atomic_counter;
long balance;
pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;

void counter_update_mutex(long amount)
{
    /* TODO(student): make the read and the write one step, with counter_lock. */
    long seen = counter;
    race_window();
    counter = seen + amount;
}

void counter_update_atomic(long amount)
{
    /* TODO(student): each access below is atomic, but the update is not:
     * replace the three lines by ONE atomic read-modify-write. */
    long seen = atomic_load(&atomic_counter);
    race_window();
    atomic_store(&atomic_counter, seen + amount);
}

void bank_deposit(long amount)
{
    /* TODO(student): no other deposit or withdrawal may run in between. */
    long seen = balance;
    race_window();
    balance = seen + amount;
}

void bank_withdraw(long amount)
{
    /* TODO(student): as for bank_deposit. */
    long seen = balance;
    race_window();
    balance = seen - amount;
}
