/* WRONG: orders the locks by id but forgets from == to: locks the same account twice */
/* expect: which it already holds */
#include "accounts.h"

void transfer(account *from, account *to, long amount)
{
    account *first = from->id < to->id ? from : to;
    account *second = from->id < to->id ? to : from;
    account_lock(first);
    account_lock(second);
    from->balance -= amount;
    to->balance += amount;
    account_unlock(second);
    account_unlock(first);
}
