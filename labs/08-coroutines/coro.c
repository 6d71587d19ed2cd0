/*
 * coro.c - creating coroutines and yielding; the scheduler's loop that
 * switches between them is in scheduler.c.
 *
 * makecontext() prepares a context that, when switched to, starts running
 * a function on its own stack. swapcontext(&save, &load) saves the current
 * registers in `save` and loads `load`: the CPU continues wherever `load`
 * stopped. A coroutine's context has uc_link = &scheduler_context, so when
 * its body returns, the CPU goes back to the scheduler by itself.
 */
#include "coro_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_BYTES (64 * 1024)

coroutine coroutines[MAX_COROUTINES];
int coroutine_count;
int current_coroutine = -1;
ucontext_t scheduler_context;

/* Every coroutine starts here: run the body, then mark it finished.
 * Returning switches to uc_link, the scheduler. */
static void start_coroutine(void)
{
    coroutine *self = &coroutines[current_coroutine];
    self->body(self->argument);
    self->finished = true;
}

int scheduler_spawn(coroutine_body *body, void *argument)
{
    if (coroutine_count == MAX_COROUTINES) {
        fprintf(stderr, "scheduler_spawn: at most %d coroutines\n", MAX_COROUTINES);
        return -1;
    }
    coroutine *created = &coroutines[coroutine_count];
    memset(created, 0, sizeof *created);
    created->stack = malloc(STACK_BYTES);
    if (created->stack == NULL) {
        perror("scheduler_spawn: malloc");
        return -1;
    }
    if (getcontext(&created->context) != 0) {
        perror("scheduler_spawn: getcontext");
        free(created->stack);
        return -1;
    }
    created->context.uc_stack.ss_sp = created->stack;
    created->context.uc_stack.ss_size = STACK_BYTES;
    created->context.uc_link = &scheduler_context;
    makecontext(&created->context, start_coroutine, 0);
    created->body = body;
    created->argument = argument;
    return coroutine_count++;
}

void coroutine_yield(void)
{
    if (current_coroutine < 0) {
        fprintf(stderr, "coroutine_yield: called outside a coroutine\n");
        abort();
    }
    if (swapcontext(&coroutines[current_coroutine].context, &scheduler_context) != 0) {
        perror("coroutine_yield: swapcontext");
        abort();
    }
}

int coroutine_current(void)
{
    return current_coroutine;
}

void scheduler_release_all(void)
{
    for (int index = 0; index < coroutine_count; index++)
        free(coroutines[index].stack);
    coroutine_count = 0;
    current_coroutine = -1;
}
