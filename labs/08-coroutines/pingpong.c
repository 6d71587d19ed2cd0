/*
 * pingpong - two coroutines taking turns on one thread.
 *
 * "ping" prints and yields, "pong" prints and yields, five times each. No
 * thread, no lock, no condition variable: the order is fixed by where they
 * yield and by the scheduler's round robin, and it is the same on every run.
 * This is what a Python generator pair or two greenlets do.
 *
 * What to look for: the strict alternation, and that the stack of each
 * coroutine survives the switches (`round` keeps counting in each).
 */
#include "coro.h"

#include <stdio.h>

static void player(void *argument)
{
    const char *word = argument;
    for (int round = 1; round <= 5; round++) {
        printf("%s %d (coroutine %d)\n", word, round, coroutine_current());
        coroutine_yield();
    }
    printf("%s done\n", word);
}

int main(void)
{
    if (scheduler_spawn(player, "ping") < 0 || scheduler_spawn(player, "pong") < 0)
        return 1;
    scheduler_run();
    printf("scheduler_run returned: both finished\n");
    return 0;
}
