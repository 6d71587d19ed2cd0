/*
 * demos/switching: the notes' greenlet demonstration in C. Two loops of
 * --steps steps (10,000,000 by default) each,
 *   1. one after the other, as plain code;
 *   2. as two coroutines (bench/coro) that switch after every step;
 *   3. as two threads that hand over to each other after every step through
 *      a mutex and a condition variable (--thread-steps, 100,000 by default:
 *      at some microseconds a hand-over, 10M would take minutes).
 * Every version computes the same two checksums, which are compared; 1 and 2
 * are timed three times each, and the best time kept. Prints
 * one JSON record: the times, the cost of one coroutine switch (a yield to
 * the other coroutine, through the hub) and of one thread hand-over.
 *
 * What to look for: switching without I/O only slows the work down: the
 * steps are the same, the switches are pure cost. A coroutine switch costs
 * tens of nanoseconds; a thread hand-over, a futex wake, a sleep and a trip
 * through the scheduler, costs two orders of magnitude more.
 */
#include "bench.h"
#include "coro.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

typedef struct {
    uint64_t state;   /* the loop's checksum so far */
    long steps;
} walker;

/* One step of work: the compiler cannot fold or skip it. */
static inline void step(walker *self)
{
    self->state = bench_mix64(self->state);
}

static walker make_walker(uint64_t seed, long steps)
{
    return (walker){.state = seed, .steps = steps};
}

/* ---- 2. coroutines: yield after every step ---------------------------------------- */

static void coroutine_loop(void *argument)
{
    walker *self = argument;   /* static memory in main's frame: safe, main is the hub */
    for (long index = 0; index < self->steps; index++) {
        step(self);
        coro_yield();
    }
}

/* ---- 3. threads: hand over after every step ---------------------------------------- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn;   /* whose step is next: 0 or 1 */

typedef struct {
    walker walker;
    int me;
} thread_walker;

static void *thread_loop(void *argument)
{
    thread_walker *self = argument;
    for (long index = 0; index < self->walker.steps; index++) {
        int error = pthread_mutex_lock(&lock);
        while (error == 0 && turn != self->me)
            error = pthread_cond_wait(&turn_changed, &lock);
        if (error != 0)
            bench_fail_errno(error, "pthread_cond_wait");
        step(&self->walker);
        turn = 1 - self->me;   /* hand over */
        pthread_cond_signal(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static long parse_count(const char *option, const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *end != 0 || end == text || value < 1) {
        fprintf(stderr, "demos/switching: %s: '%s' is not a whole number >= 1\n", option, text);
        exit(BENCH_EXIT_USAGE);
    }
    return value;
}

int main(int argc, char **argv)
{
    long steps = 10000000, thread_steps = 100000;
    for (int index = 1; index < argc; index++) {
        if (strcmp(argv[index], "--help") == 0 || strcmp(argv[index], "-h") == 0) {
            printf("usage: switching [--steps N] [--thread-steps N]\n"
                   "Two loops of N steps, one after the other, then as two coroutines and as two\n"
                   "threads switching after every step (threads: --thread-steps, default 100000).\n"
                   "Prints one JSON record.\n");
            return 0;
        }
        if (index + 1 < argc && strcmp(argv[index], "--steps") == 0)
            steps = parse_count("--steps", argv[++index]);
        else if (index + 1 < argc && strcmp(argv[index], "--thread-steps") == 0)
            thread_steps = parse_count("--thread-steps", argv[++index]);
        else {
            fprintf(stderr, "demos/switching: unknown argument '%s' (try --help)\n", argv[index]);
            return BENCH_EXIT_USAGE;
        }
    }

    /* 1. one after the other, and 2. two coroutines switching after every step:
     * the best of three runs of each, so that a moment of a busy machine does
     * not decide the ratio */
    walker first, second, coroutines[2];
    double sequential_s = 1e9, coroutine_s = 1e9;
    for (int round = 0; round < 3; round++) {
        first = make_walker(1, steps), second = make_walker(2, steps);
        double started = bench_now();
        for (long index = 0; index < steps; index++)
            step(&first);
        for (long index = 0; index < steps; index++)
            step(&second);
        double took = bench_now() - started;
        sequential_s = took < sequential_s ? took : sequential_s;

        coroutines[0] = make_walker(1, steps), coroutines[1] = make_walker(2, steps);
        started = bench_now();
        coro_spawn(coroutine_loop, &coroutines[0]);
        coro_spawn(coroutine_loop, &coroutines[1]);
        if (coro_join_all() != 0)
            bench_fail("coro_join_all (epoll_wait)");
        took = bench_now() - started;
        coroutine_s = took < coroutine_s ? took : coroutine_s;
    }

    /* 3. two threads, handing over after every step (fewer steps), and the same
     * steps run straight, to subtract the work from the hand-overs */
    walker straight[2] = {make_walker(1, thread_steps), make_walker(2, thread_steps)};
    double started = bench_now();
    for (int which = 0; which < 2; which++)
        for (long index = 0; index < thread_steps; index++)
            step(&straight[which]);
    double thread_work_s = bench_now() - started;
    thread_walker threads[2] = {{make_walker(1, thread_steps), 0}, {make_walker(2, thread_steps), 1}};
    pthread_t ids[2];
    started = bench_now();
    for (int which = 0; which < 2; which++) {
        int error = pthread_create(&ids[which], NULL, thread_loop, &threads[which]);
        if (error != 0)
            bench_fail_errno(error, "pthread_create");
    }
    for (int which = 0; which < 2; which++) {
        int error = pthread_join(ids[which], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }
    double threads_s = bench_now() - started;

    bool verified = coroutines[0].state == first.state && coroutines[1].state == second.state &&
                    threads[0].walker.state == straight[0].state &&
                    threads[1].walker.state == straight[1].state;
    double switch_ns = (coroutine_s - sequential_s) / (2.0 * steps) * 1e9;
    double handover_ns = (threads_s - thread_work_s) / (2.0 * thread_steps) * 1e9;
    printf("{\"demo\": \"switching\", \"language\": \"c\", \"steps\": %ld, \"sequential_s\": %.6f, "
           "\"switching_s\": %.6f, \"slowdown\": %.2f, \"coroutine_switch_ns\": %.1f, "
           "\"thread_steps\": %ld, \"threads_s\": %.6f, \"thread_handover_ns\": %.1f, "
           "\"handover_over_switch\": %.1f, \"verified\": %s}\n",
           steps, sequential_s, coroutine_s, coroutine_s / sequential_s, switch_ns, thread_steps,
           threads_s, handover_ns, handover_ns / switch_ns, verified ? "true" : "false");
    return verified ? BENCH_EXIT_OK : BENCH_EXIT_WRONG;
}
