/*
 * scheduler.c - reference solution of lab 8: a round-robin scheduler over
 * ucontext coroutines.
 *
 * What to look for: the scheduler is itself just a context. Each
 * swapcontext here saves the scheduler's registers in scheduler_context and
 * jumps into a coroutine; the coroutine's yield (or the end of its body,
 * through uc_link) jumps back, and swapcontext returns. Nothing is
 * preempted: a coroutine runs until it yields.
 */
#include "coro_internal.h"

#include <stdio.h>
#include <stdlib.h>

void scheduler_run(void)
{
    int unfinished = coroutine_count;
    while (unfinished > 0) {
        for (int index = 0; index < coroutine_count; index++) {
            if (coroutines[index].finished)
                continue;
            current_coroutine = index;
            if (swapcontext(&scheduler_context, &coroutines[index].context) != 0) {
                perror("scheduler_run: swapcontext");
                abort();
            }
            if (coroutines[index].finished)
                unfinished--;
        }
    }
    current_coroutine = -1;
    scheduler_release_all();
}
