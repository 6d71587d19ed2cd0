/* WRONG: the "atomic" counter is atomic_load + atomic_store inside a mutex: exact, race-free, but not lock-free */
/* expect: counter (atomic) lock-free, a signal handler may update it: counter_update_atomic deadlocked */
#include "races.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long counter;
pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
atomic_long atomic_counter;
long balance;
pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;

static void lock(pthread_mutex_t *mutex)
{
    int error = pthread_mutex_lock(mutex);
    if (error != 0) {
        fprintf(stderr, "pthread_mutex_lock: %s\n", strerror(error));
        exit(1);
    }
}

static void unlock(pthread_mutex_t *mutex)
{
    int error = pthread_mutex_unlock(mutex);
    if (error != 0) {
        fprintf(stderr, "pthread_mutex_unlock: %s\n", strerror(error));
        exit(1);
    }
}

void counter_update_mutex(long amount)
{
    lock(&counter_lock);
    long seen = counter;
    race_window();
    counter = seen + amount;
    unlock(&counter_lock);
}

void counter_update_atomic(long amount)
{
    lock(&counter_lock);
    long seen = atomic_load(&atomic_counter);
    race_window();
    atomic_store(&atomic_counter, seen + amount);
    unlock(&counter_lock);
}

void bank_deposit(long amount)
{
    lock(&balance_lock);
    long seen = balance;
    race_window();
    balance = seen + amount;
    unlock(&balance_lock);
}

void bank_withdraw(long amount)
{
    lock(&balance_lock);
    long seen = balance;
    race_window();
    balance = seen - amount;
    unlock(&balance_lock);
}
