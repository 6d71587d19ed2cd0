/*
 * transfer.c - the part you write: take two locks without deadlock.
 *
 * The program runs threads that move money between accounts, both ways at
 * once, as in the notes: one thread transfers from A to B while another
 * transfers from B to A. As given, each thread locks `from` first and `to`
 * second. So thread 1 can hold A and wait for B while thread 2 holds B and
 * waits for A: neither can ever go on. That is a deadlock.
 *
 * `make check` widens the window between the two locks (LAB_DELAY_US), so
 * the starter hangs within a second; the watchdog then prints who holds and
 * who waits for which account. Use account_lock/account_unlock only.
 */
#include "accounts.h"

void transfer(account *from, account *to, long amount)
{
    /* TODO(student): take the two locks in ONE order that every thread
     * agrees on, whatever the direction of the transfer (the accounts have
     * ids). And when from == to, there is only one lock to take: taking it
     * twice stops the program (the mutex is not recursive). */
    account_lock(from);
    account_lock(to);
    from->balance -= amount;
    to->balance += amount;
    account_unlock(to);
    account_unlock(from);
}
