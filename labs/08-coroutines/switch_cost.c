/*
 * switch_cost - what it costs to go from one piece of code to another:
 * a function call, a coroutine switch (ucontext, through your scheduler),
 * and a thread switch (two threads handing a turn back and forth with a
 * mutex and condition variables).
 *
 * What to look for: a call is about a nanosecond; a coroutine switch is a
 * hundred or a few hundred (swapcontext saves registers and also makes a
 * system call for the signal mask: faster hand-written switches, like
 * greenlet's, skip that); a thread switch goes through the kernel's
 * scheduler (futex wait and wake, maybe another core) and costs several
 * microseconds. Switching pays when it replaces waiting (a network reply
 * takes milliseconds); for work that only computes it is pure overhead.
 *
 * usage: switch_cost [--grade]   (--grade: PASS if coroutine < thread switch)
 */
#include "coro.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CALLS 50000000L
#define COROUTINE_YIELDS 300000L
#define THREAD_HANDOFFS 20000L

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

__attribute__((noinline)) static long add_one(long value)
{
    __asm__ volatile("" ::: "memory");          /* a real call, not folded away */
    return value + 1;
}

static double nanoseconds_per_call(void)
{
    long total = 0;
    double start = now_seconds();
    for (long call = 0; call < CALLS; call++)
        total = add_one(total);
    double elapsed = now_seconds() - start;
    return total == CALLS ? elapsed / CALLS * 1e9 : -1;
}

static long yields_done;

static void yield_many(void *unused)
{
    (void)unused;
    for (long yield = 0; yield < COROUTINE_YIELDS; yield++) {
        coroutine_yield();
        yields_done++;
    }
}

static double nanoseconds_per_coroutine_switch(void)
{
    if (scheduler_spawn(yield_many, NULL) < 0 || scheduler_spawn(yield_many, NULL) < 0)
        return -1;
    double start = now_seconds();
    scheduler_run();
    double elapsed = now_seconds() - start;
    if (yields_done != 2 * COROUTINE_YIELDS) {
        fprintf(stderr, "switch_cost: the coroutines yielded %ld times of %ld: the scheduler "
                "stopped early\n", yields_done, 2 * COROUTINE_YIELDS);
        return -1;
    }
    /* Each yield is two switches: into the scheduler and out to the next one. */
    return elapsed / (2 * 2 * COROUTINE_YIELDS) * 1e9;
}

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int whose_turn;

static void *take_turns(void *argument)
{
    int me = (int)(long)argument;
    for (long handoff = 0; handoff < THREAD_HANDOFFS; handoff++) {
        pthread_mutex_lock(&turn_lock);
        while (whose_turn != me)
            pthread_cond_wait(&turn_changed, &turn_lock);
        whose_turn = 1 - me;                    /* pass the ball */
        pthread_cond_signal(&turn_changed);
        pthread_mutex_unlock(&turn_lock);
    }
    return NULL;
}

static double nanoseconds_per_thread_switch(void)
{
    pthread_t players[2];
    double start = now_seconds();
    for (long player = 0; player < 2; player++)
        if (pthread_create(&players[player], NULL, take_turns, (void *)player) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return -1;
        }
    for (int player = 0; player < 2; player++)
        pthread_join(players[player], NULL);
    double elapsed = now_seconds() - start;
    return elapsed / (2 * THREAD_HANDOFFS) * 1e9;
}

int main(int argc, char **argv)
{
    int grading = argc > 1 && strcmp(argv[1], "--grade") == 0;
    double call_ns = nanoseconds_per_call();
    double coroutine_ns = nanoseconds_per_coroutine_switch();
    double thread_ns = nanoseconds_per_thread_switch();
    printf("function call:     %8.1f ns\n", call_ns);
    printf("coroutine switch:  %8.1f ns  (%.0f calls)\n", coroutine_ns, coroutine_ns / call_ns);
    printf("thread switch:     %8.1f ns  (%.0f coroutine switches)\n", thread_ns, thread_ns / coroutine_ns);
    if (call_ns <= 0 || coroutine_ns <= 0 || thread_ns <= 0) {
        printf("FAIL: a measurement did not run\n");
        return 1;
    }
    if (!grading)
        return 0;
    if (coroutine_ns >= thread_ns) {
        printf("FAIL: a coroutine switch (%.0f ns) is not cheaper than a thread switch (%.0f ns)\n",
               coroutine_ns, thread_ns);
        return 1;
    }
    printf("PASS: coroutine switch %.0f ns < thread switch %.0f ns (%.0fx)\n", coroutine_ns, thread_ns,
           thread_ns / coroutine_ns);
    return 0;
}
