/*
 * coro_check - the checker of lab 8: runs batches of coroutines through
 * scheduler_run and compares what they did with round-robin order.
 *
 *   1. three coroutines of 3, 5 and 2 steps, yielding after every step: the
 *      steps must come out as a0 b0 c0 a1 b1 c1 a2 b2 b3 b4 (worked out from
 *      the step counts), every body must end, and scheduler_run must return;
 *   2. a second batch after the first (the scheduler is reusable), with a
 *      coroutine that never yields;
 *   3. 200 coroutines of 50 steps: each step checks it is exactly its turn.
 * Prints one line per test; the last line is PASS or FAIL.
 */
#include "coro.h"
#include "lab_report.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LOG 64
#define LOG_ENTRY 16            /* "a0": a letter and a step number */

typedef struct {
    char name;
    int steps;
    bool ended;
    bool saw_wrong_id;
    int id;
} task;

static char step_log[MAX_LOG][LOG_ENTRY];
static int steps_logged;

static void fail(const char *reason)
{
    printf("FAIL: %s\n", reason);
    fflush(stdout);
    _exit(1);
}

/* A context whose uc_link is NULL ends the program with exit(0) when it
 * returns: that is what resuming a finished coroutine can lead to. */
static bool all_tests_done;

static void on_unexpected_exit(void)
{
    if (!all_tests_done) {
        printf("FAIL: the program exited in the middle of the tests (was a finished coroutine resumed?)\n");
        fflush(stdout);
        _exit(1);
    }
}

static void on_watchdog(int signal_number)
{
    (void)signal_number;
    static const char message[] = "FAIL: scheduler_run did not return within 10 s\n";
    if (write(STDOUT_FILENO, message, sizeof message - 1) < 0) { }
    _exit(1);
}

static void logged_steps(void *argument)
{
    task *self = argument;
    for (int step = 0; step < self->steps; step++) {
        if (coroutine_current() != self->id)
            self->saw_wrong_id = true;
        if (steps_logged < MAX_LOG)
            snprintf(step_log[steps_logged], sizeof step_log[0], "%c%d", self->name, step);
        steps_logged++;
        coroutine_yield();
    }
    self->ended = true;
}

static void join_log(char *text, size_t size, char log[][LOG_ENTRY], int count)
{
    text[0] = '\0';
    for (int index = 0; index < count && index < MAX_LOG; index++) {
        strncat(text, log[index], size - strlen(text) - 1);
        strncat(text, " ", size - strlen(text) - 1);
    }
}

static void run_and_compare(task *tasks, int task_count, const char *label)
{
    char expected_log[MAX_LOG][LOG_ENTRY];
    int expected_count = 0, most_steps = 0;
    for (int index = 0; index < task_count; index++)
        if (tasks[index].steps > most_steps)
            most_steps = tasks[index].steps;
    for (int round = 0; round < most_steps; round++)          /* round robin, by hand */
        for (int index = 0; index < task_count; index++)
            if (round < tasks[index].steps)
                snprintf(expected_log[expected_count++], LOG_ENTRY, "%c%d", tasks[index].name, round);

    steps_logged = 0;
    for (int index = 0; index < task_count; index++)
        if ((tasks[index].id = scheduler_spawn(logged_steps, &tasks[index])) < 0)
            fail("scheduler_spawn failed");
    scheduler_run();

    char got[MAX_LOG * LOG_ENTRY], want[MAX_LOG * LOG_ENTRY], reason[3 * MAX_LOG * LOG_ENTRY];
    join_log(got, sizeof got, step_log, steps_logged);
    join_log(want, sizeof want, expected_log, expected_count);
    if (steps_logged != expected_count || strcmp(got, want) != 0) {
        snprintf(reason, sizeof reason, "%s: steps ran as [%s], round robin is [%s]", label, got, want);
        fail(reason);
    }
    for (int index = 0; index < task_count; index++) {
        if (!tasks[index].ended) {
            snprintf(reason, sizeof reason, "%s: coroutine %c did not run to its end", label,
                     tasks[index].name);
            fail(reason);
        }
        if (tasks[index].saw_wrong_id)
            fail("coroutine_current() was not the running coroutine's number");
    }
    if (coroutine_current() != -1)
        fail("after scheduler_run, coroutine_current() is not -1");
    printf("ok: %s: %s\n", label, got);
}

/* Test 3: strict turns among many equal coroutines. */
enum { MANY = 200, MANY_STEPS = 50 };
static long turn;
static int out_of_turn, many_ended;

static void take_turns(void *argument)
{
    long id = (long)argument;
    for (long step = 0; step < MANY_STEPS; step++) {
        if (turn != step * MANY + id)
            out_of_turn++;
        turn++;
        coroutine_yield();
    }
    many_ended++;
}

int main(void)
{
    lab_report_open();   /* before any of scheduler.c runs: see lab_report.h */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (signal(SIGALRM, on_watchdog) == SIG_ERR) {
        perror("signal");
        return 1;
    }
    alarm(10);
    if (atexit(on_unexpected_exit) != 0) {
        fprintf(stderr, "atexit failed\n");
        return 1;
    }
    task three[] = { { .name = 'a', .steps = 3 }, { .name = 'b', .steps = 5 }, { .name = 'c', .steps = 2 } };
    run_and_compare(three, 3, "3 coroutines of 3, 5, 2 steps");
    task second_batch[] = { { .name = 'x', .steps = 0 }, { .name = 'y', .steps = 2 }, { .name = 'z', .steps = 1 } };
    run_and_compare(second_batch, 3, "a second batch, one that never yields");

    for (long id = 0; id < MANY; id++)
        if (scheduler_spawn(take_turns, (void *)id) < 0)
            fail("scheduler_spawn failed");
    scheduler_run();
    if (many_ended != MANY || out_of_turn != 0 || turn != (long)MANY * MANY_STEPS) {
        char reason[200];
        snprintf(reason, sizeof reason, "%d coroutines of %d steps: %d ended, %ld steps ran, %d out of turn",
                 MANY, MANY_STEPS, many_ended, turn, out_of_turn);
        fail(reason);
    }
    printf("ok: %d coroutines x %d steps, every step in its turn\n", MANY, MANY_STEPS);
    all_tests_done = true;
    printf("PASS: round-robin scheduler: exact interleaving, every coroutine runs to its end\n");
    lab_report("pass");
    return 0;
}
