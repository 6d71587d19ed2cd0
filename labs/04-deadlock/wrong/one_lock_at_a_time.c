/* WRONG: never holds both locks: takes from, lets go, then takes to; no deadlock, but money is in transit */
/* expect: money was in transit */
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
    account_lock(from);
    from->balance -= amount;
    account_unlock(from);
    account_lock(to);
    to->balance += amount;
    account_unlock(to);
}
