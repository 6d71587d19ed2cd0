/* WRONG: goes round until all are done, but resumes coroutines that have already finished */
/* expect: was a finished coroutine resumed */
/* expect: segmentation fault */
#include "coro_internal.h"

#include <stdio.h>
#include <stdlib.h>

void scheduler_run(void)
{
    int unfinished = coroutine_count;
    while (unfinished > 0) {
        for (int index = 0; index < coroutine_count; index++) {
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
