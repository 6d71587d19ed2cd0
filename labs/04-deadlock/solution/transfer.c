/*
 * transfer.c - reference solution: lock ordering.
 *
 * Every thread takes the lower-numbered account's lock first. A cycle of
 * "holds one, waits for the other" would need some thread to hold the
 * higher lock while waiting for the lower one, and no thread ever does:
 * so no deadlock is possible, however the threads interleave. A transfer
 * to the same account takes its one lock once (and changes nothing).
 */
#include "accounts.h"

void transfer(account *from, account *to, long amount)
{
    if (from == to) {
        account_lock(from);
        from->balance -= amount;
        from->balance += amount;
        account_unlock(from);
        return;
    }
    account *first = from->id < to->id ? from : to;
    account *second = from->id < to->id ? to : from;
    account_lock(first);
    account_lock(second);
    from->balance -= amount;
    to->balance += amount;
    account_unlock(second);
    account_unlock(first);
}
