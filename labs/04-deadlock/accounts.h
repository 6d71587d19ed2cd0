/*
 * accounts.h - what the lab's program (bank.c) shares with your transfer().
 */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H

#include <pthread.h>

typedef struct {
    int id;                  /* 0, 1, ...: a fixed order you can rely on */
    long balance;            /* only touch it while holding `lock` */
    pthread_mutex_t lock;    /* an error-checking mutex: not recursive */
} account;

/* Lock and unlock one account. Use these, not pthread_mutex_lock directly:
 * they tell the deadlock watchdog who holds what and who waits for what,
 * and (with LAB_DELAY_US set) account_lock sleeps after a thread's first
 * lock, the window in which the other thread takes its first lock. Locking
 * an account the thread already holds stops the program with a message. */
void account_lock(account *which);
void account_unlock(account *which);

/* Moves `amount` from one account to the other, holding both locks.
 * Yours, in transfer.c. `from` and `to` may be the same account. */
void transfer(account *from, account *to, long amount);

#endif
