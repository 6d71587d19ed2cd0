/*
 * scheduler.c - YOUR PART of lab 8: the scheduler's switch.
 *
 * scheduler_run() must resume the unfinished coroutines in turn - 0, 1, 2,
 * ..., then 0, 1, 2 again, skipping those that have finished - until every
 * one has finished. To resume coroutine i: set current_coroutine = i, then
 * swapcontext(&scheduler_context, &coroutines[i].context). That call
 * "returns" when coroutine i yields or its body ends (coroutines[i].finished
 * tells which). Check swapcontext's result. When all are done, set
 * current_coroutine = -1 and call scheduler_release_all().
 *
 * What this starter does wrong: it gives every coroutine one turn and
 * stops, leaving the rest of their work undone.
 */
#include "coro_internal.h"

#include <stdio.h>
#include <stdlib.h>

void scheduler_run(void)
{
    /* TODO(student): keep going round until every coroutine has finished. */
    for (int index = 0; index < coroutine_count; index++) {
        current_coroutine = index;
        if (swapcontext(&scheduler_context, &coroutines[index].context) != 0) {
            perror("scheduler_run: swapcontext");
            abort();
        }
    }
    current_coroutine = -1;
    scheduler_release_all();
}
