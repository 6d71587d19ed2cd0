/* WRONG: one global mutex instead of the accounts' locks: no deadlock, but the balances are touched without their own locks */
/* expect: while an auditor held that account's lock */
/* expect: ThreadSanitizer: WARNING: ThreadSanitizer: data race */
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
    static pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&bank_lock);
    from->balance -= amount;
    to->balance += amount;
    pthread_mutex_unlock(&bank_lock);
}
