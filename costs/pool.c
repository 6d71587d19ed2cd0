/*
 * pool.c - many short tasks (about 10 us of arithmetic each) on a pool of -j
 * threads that take the next task from a shared counter, against one thread
 * per task and one process per task (all started, then all waited for: the
 * notes' "one process per task"). The figure is the wall time per task, work
 * included; each task's answer is checked.
 *
 * Look for: when a task is as short as starting its unit, one unit per task
 * spends most of its time starting units; the pool starts -j once.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

static long steps_per_task = 1000;   /* set so that a task takes about 10 us */

static uint64_t task(long index)
{
    uint64_t value = (uint64_t)index;
    for (long step = 0; step < steps_per_task; step++)
        value = bench_mix64(value);
    return value;
}

typedef struct {
    long tasks;
    uint64_t *answers;          /* shared with the children in the process figure */
    atomic_long next_task;
} batch;

static void *pool_worker(void *data)
{
    batch *work = data;
    for (long index; (index = atomic_fetch_add(&work->next_task, 1)) < work->tasks;)
        work->answers[index] = task(index);
    return NULL;
}

typedef struct { batch *work; long index; } one_task;

static void *task_thread(void *data)
{
    one_task *mine = data;
    mine->work->answers[mine->index] = task(mine->index);
    return NULL;
}

static void on_pool(batch *work, long workers)
{
    pthread_t *threads = bench_alloc((size_t)workers, sizeof *threads);
    atomic_store(&work->next_task, 0);
    for (long i = 0; i < workers; i++) {
        bench_check(pthread_create(&threads[i], NULL, pool_worker, work), "pthread_create");
    }
    for (long i = 0; i < workers; i++)
        pthread_join(threads[i], NULL);
    free(threads);
}

static void thread_per_task(batch *work)
{
    pthread_t *threads = bench_alloc((size_t)work->tasks, sizeof *threads);
    one_task *mine = bench_alloc((size_t)work->tasks, sizeof *mine);
    for (long i = 0; i < work->tasks; i++) {
        mine[i] = (one_task){work, i};
        bench_check(pthread_create(&threads[i], NULL, task_thread, &mine[i]), "pthread_create (one thread per task)");
    }
    for (long i = 0; i < work->tasks; i++)
        pthread_join(threads[i], NULL);
    free(mine);
    free(threads);
}

static void process_per_task(batch *work)
{
    pid_t *children = bench_alloc((size_t)work->tasks, sizeof *children);
    for (long i = 0; i < work->tasks; i++) {
        children[i] = bench_fork();
        if (children[i] == -1)
            bench_fork_failed(children, i);
        if (children[i] == 0) {
            work->answers[i] = task(i);
            _exit(0);
        }
    }
    long failed = 0;
    for (long i = 0; i < work->tasks; i++)
        failed += !bench_wait_child(children[i]);
    free(children);
    if (failed)
        bench_failf("pool: %ld of the task processes failed", failed);
}

static bool answers_right(const batch *work)
{
    for (long i = 0; i < work->tasks; i += 97)   /* a sample; every task wrote one */
        if (work->answers[i] != task(i))
            return false;
    return work->answers[work->tasks - 1] == task(work->tasks - 1);
}

void costs_pool(costs *costs)
{
    double started = bench_now();   /* about 10 us a task, measured here */
    volatile uint64_t sink = 0;
    for (int i = 0; i < 100; i++)
        sink += task(i);   /* used, so that the compiler keeps the calls */
    (void)sink;
    double one = (bench_now() - started) / 100;
    steps_per_task = one > 0 ? (long)(steps_per_task * 10e-6 / one) + 1 : 1000;

    batch *work = bench_shared_alloc(sizeof *work);
    work->tasks = costs->pool_tasks;
    work->answers = bench_shared_alloc((size_t)work->tasks * sizeof *work->answers);
    long count = costs->repetitions;
    double *samples = bench_alloc((size_t)count, sizeof *samples);
    static const char *const names[] = {"short tasks on a pool of -j threads",
                                        "short tasks, one thread per task",
                                        "short tasks, one process per task"};
    for (int model = 0; model < 3; model++) {
        for (long rep = 0; rep < count; rep++) {
            for (long i = 0; i < work->tasks; i++)
                work->answers[i] = 0;
            double began = bench_now();
            if (model == 0)
                on_pool(work, costs->pool_workers);
            else if (model == 1)
                thread_per_task(work);
            else
                process_per_task(work);
            samples[rep] = (bench_now() - began) / (double)work->tasks;
            costs_check(costs, answers_right(work), "a pool task's answer was wrong");
        }
        costs_sample(costs, "pool", names[model], model == 2 ? "fork" : "pthread", "s",
                     samples, count, work->tasks);
    }
    free(samples);
    bench_shared_free(work->answers, (size_t)work->tasks * sizeof *work->answers);
    bench_shared_free(work, sizeof *work);
}
