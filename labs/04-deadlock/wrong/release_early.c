/* WRONG: orders the locks, but lets go of the first before changing the balances it guards */
/* expect: while an auditor held that account's lock */
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
    account_unlock(first);
    from->balance -= amount;
    to->balance += amount;
    account_unlock(second);
}
