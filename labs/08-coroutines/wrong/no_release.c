/* WRONG: never calls scheduler_release_all: the finished coroutines are never cleared for the next batch */
/* expect: scheduler_run did not return */
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
    /* (forgot scheduler_release_all) */
}
