/*
 * bank - the notes' bank account where a withdrawal waits for enough money.
 *
 * Three threads each withdraw 300 from an account that starts at 0; a
 * depositor adds 100 at a time, ten times. A withdrawal that finds too little
 * does not fail and does not spin: it waits on a condition variable, and
 * every deposit wakes all waiters (broadcast) so each re-checks the balance.
 *
 * What to look for: the withdrawals complete in whatever order the money
 * allows, the final balance is 1000 - 900 = 100, and `top` shows no CPU used
 * while they wait. Replace the `while` by `if` and run it a few times: a
 * woken withdrawal no longer re-checks, and the balance can go negative.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int balance;
static pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t balance_grew = PTHREAD_COND_INITIALIZER;

static void *withdraw_300(void *argument)
{
    long customer = (long)argument;
    pthread_mutex_lock(&balance_lock);
    while (balance < 300) {
        printf("customer %ld waits: balance %d < 300\n", customer, balance);
        pthread_cond_wait(&balance_grew, &balance_lock);
    }
    balance -= 300;
    printf("customer %ld withdrew 300, balance now %d\n", customer, balance);
    pthread_mutex_unlock(&balance_lock);
    return NULL;
}

int main(void)
{
    pthread_t customers[3];
    for (long customer = 0; customer < 3; customer++)
        if (pthread_create(&customers[customer], NULL, withdraw_300, (void *)customer) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    for (int deposit = 0; deposit < 10; deposit++) {
        usleep(50000);
        pthread_mutex_lock(&balance_lock);
        balance += 100;
        printf("deposit 100, balance now %d\n", balance);
        pthread_cond_broadcast(&balance_grew);
        pthread_mutex_unlock(&balance_lock);
    }
    for (int customer = 0; customer < 3; customer++)
        pthread_join(customers[customer], NULL);
    printf("final balance %d (expected 100)\n", balance);
    return balance == 100 ? 0 : 1;
}
