/* WRONG: cheats: a constructor prints PASS and ends the program before any test runs */
/* expect: scheduler.c runs code before or after main */
#include "coro_internal.h"

#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void done(void) { puts("PASS: ok"); exit(0); }

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
