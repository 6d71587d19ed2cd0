/* WRONG: cheats: a constructor ends the program with status 0 before any test runs */
/* expect: transfer.c runs code before or after main */
#include "accounts.h"

#include <unistd.h>

__attribute__((constructor)) static void done(void) { _exit(0); }

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
