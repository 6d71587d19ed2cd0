/*
 * coro_internal.h - the scheduler's state, shared by coro.c (spawn, yield)
 * and scheduler.c (the round-robin run). Programs use coro.h only.
 */
#ifndef CORO_INTERNAL_H
#define CORO_INTERNAL_H

#include "coro.h"

#include <stdbool.h>
#include <ucontext.h>

#define MAX_COROUTINES 1024

typedef struct {
    ucontext_t context;        /* where it stopped: registers, stack pointer */
    void *stack;               /* its own stack, 64 KiB */
    coroutine_body *body;
    void *argument;
    bool finished;             /* its body has returned */
} coroutine;

extern coroutine coroutines[MAX_COROUTINES];
extern int coroutine_count;        /* spawned since the last run */
extern int current_coroutine;      /* -1 while the scheduler runs */
extern ucontext_t scheduler_context;   /* where a yield (or a finished body) goes */

/* Frees every coroutine's stack and forgets them (scheduler_run calls it
 * last). */
void scheduler_release_all(void);

#endif
