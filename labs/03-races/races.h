/*
 * races.h - what the lab's program (races.c) shares with your fixes (fixes.c).
 */
#ifndef RACES_H
#define RACES_H

#include <pthread.h>
#include <stdatomic.h>

/* The notes' counter: every thread adds n, then takes n away again, so
 * after any number of rounds it must be back at 0. */
extern long counter;                     /* for counter_update_mutex */
extern pthread_mutex_t counter_lock;
extern atomic_long atomic_counter;       /* for counter_update_atomic */
void counter_update_mutex(long amount);  /* counter += amount, with counter_lock */
void counter_update_atomic(long amount); /* atomic_counter += amount, no lock */

/* The notes' bank account: deposits and withdrawals of the same sums, so
 * the balance must end where it started. */
extern long balance;
extern pthread_mutex_t balance_lock;
void bank_deposit(long amount);
void bank_withdraw(long amount);

/* The named point between a read and the write that depends on it. It does
 * nothing unless LAB_DELAY_US is set; then it sleeps that many microseconds,
 * the way the notes' bank account sleeps, so another thread gets in. */
void race_window(void);

#endif
