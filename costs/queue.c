/*
 * queue.c - producer/consumer: one producer hands numbers 0, 1, 2, ... to one
 * consumer, who adds them up (the check: the sum must be n(n-1)/2). The
 * figure is the time per item. Through a bounded queue of 64 slots guarded by
 * a mutex and two condition variables (the notes' Queue), the same queue
 * counted by two semaphores, a pipe, and a lock-free single-producer
 * single-consumer ring; between threads, and between processes (a pipe, and
 * the ring in shared memory).
 *
 * Look for: a queue that makes a thread sleep and wake per item pays a
 * hand-over per item; the ring lets both sides run, and touches the other
 * CPU only through the cache lines of its two indices.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

enum { SLOTS = 64 };
typedef enum { BY_CONDITIONS, BY_SEMAPHORES, BY_PIPE, BY_RING } queue_kind;

typedef struct {
    long slots[SLOTS];
    long head, tail;                    /* conditions and semaphores: under lock */
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    sem_t free_slots, used_slots;
    int pipe[2];
    _Alignas(64) atomic_long ring_head; /* the consumer's index */
    _Alignas(64) atomic_long ring_tail; /* the producer's index */
} queue;

typedef struct {
    queue_kind kind;
    queue *queue;
    long items;
    long sum;                           /* what the consumer added up */
} transfer;

static void put(transfer *job, long item)
{
    queue *q = job->queue;
    switch (job->kind) {
    case BY_CONDITIONS:
        pthread_mutex_lock(&q->lock);
        while (q->tail - q->head == SLOTS)
            pthread_cond_wait(&q->not_full, &q->lock);
        q->slots[q->tail++ % SLOTS] = item;
        pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->lock);
        break;
    case BY_SEMAPHORES:
        while (sem_wait(&q->free_slots) != 0)
            continue;
        pthread_mutex_lock(&q->lock);
        q->slots[q->tail++ % SLOTS] = item;
        pthread_mutex_unlock(&q->lock);
        sem_post(&q->used_slots);
        break;
    case BY_PIPE:
        if (!bench_write_all(q->pipe[1], &item, sizeof item))
            bench_fail("write(pipe)");
        break;
    case BY_RING: {
        long tail = atomic_load_explicit(&q->ring_tail, memory_order_relaxed);
        while (tail - atomic_load_explicit(&q->ring_head, memory_order_acquire) == SLOTS)
            continue;   /* full: the consumer is behind */
        q->slots[tail % SLOTS] = item;
        atomic_store_explicit(&q->ring_tail, tail + 1, memory_order_release);
        break;
    }
    }
}

static long get(transfer *job)
{
    queue *q = job->queue;
    long item = 0;
    switch (job->kind) {
    case BY_CONDITIONS:
        pthread_mutex_lock(&q->lock);
        while (q->tail == q->head)
            pthread_cond_wait(&q->not_empty, &q->lock);
        item = q->slots[q->head++ % SLOTS];
        pthread_cond_signal(&q->not_full);
        pthread_mutex_unlock(&q->lock);
        break;
    case BY_SEMAPHORES:
        while (sem_wait(&q->used_slots) != 0)
            continue;
        pthread_mutex_lock(&q->lock);
        item = q->slots[q->head++ % SLOTS];
        pthread_mutex_unlock(&q->lock);
        sem_post(&q->free_slots);
        break;
    case BY_PIPE:
        if (!bench_read_all(q->pipe[0], &item, sizeof item))
            bench_fail("read(pipe)");
        break;
    case BY_RING: {
        long head = atomic_load_explicit(&q->ring_head, memory_order_relaxed);
        while (atomic_load_explicit(&q->ring_tail, memory_order_acquire) == head)
            continue;   /* empty: the producer is behind */
        item = q->slots[head % SLOTS];
        atomic_store_explicit(&q->ring_head, head + 1, memory_order_release);
        break;
    }
    }
    return item;
}

static void consume(transfer *job)
{
    job->sum = 0;
    for (long i = 0; i < job->items; i++)
        job->sum += get(job);
}

static void *consumer(void *data)
{
    bench_pin_self(1);
    consume(data);
    return NULL;
}

static void reset(transfer *job, long items)
{
    queue *q = job->queue;
    job->items = items;
    q->head = q->tail = 0;
    atomic_store(&q->ring_head, 0);
    atomic_store(&q->ring_tail, 0);
}

static void between_threads(long items, void *data)
{
    transfer *job = data;
    reset(job, items);
    bench_pin_self(0);
    pthread_t thread;
    bench_check(pthread_create(&thread, NULL, consumer, job), "pthread_create");
    for (long i = 0; i < items; i++)
        put(job, i);
    bench_check(pthread_join(thread, NULL), "pthread_join");
    costs_unpin();
    if (job->sum != items * (items - 1) / 2)
        bench_failf("queue: the consumer's sum is %ld, not %ld", job->sum, items * (items - 1) / 2);
}

static void between_processes(long items, void *data)
{
    transfer *job = data;
    reset(job, items);
    bench_pin_self(0);
    pid_t child = bench_fork();
    if (child == -1)
        bench_fail("fork");
    if (child == 0) {   /* the consumer; its sum is its exit status */
        bench_pin_self(1);
        consume(job);
        _exit(job->sum == items * (items - 1) / 2 ? 0 : 1);
    }
    for (long i = 0; i < items; i++)
        put(job, i);
    if (!bench_wait_child(child))
        bench_failf("queue: the consumer process's sum was wrong");
    costs_unpin();
}

/* The references: the same set-up (the consumer started and waited for),
 * with no item. */
static void threads_only(long items, void *data)
{
    (void)items;
    between_threads(0, data);
}

static void processes_only(long items, void *data)
{
    (void)items;
    between_processes(0, data);
}

void costs_queue(costs *costs)
{
    static const char *const names[] = {
        [BY_CONDITIONS] = "bounded queue, mutex + 2 conditions",
        [BY_SEMAPHORES] = "bounded queue, 2 semaphores",
        [BY_PIPE] = "pipe, 8 bytes an item",
        [BY_RING] = "lock-free single-producer ring",
    };
    /* Shared memory, so that the process figures can use the same queue. */
    queue *q = bench_shared_alloc(sizeof *q);
    pthread_mutexattr_t lock_shared;
    pthread_condattr_t condition_shared;
    pthread_mutexattr_init(&lock_shared);
    pthread_condattr_init(&condition_shared);
    pthread_mutexattr_setpshared(&lock_shared, PTHREAD_PROCESS_SHARED);
    pthread_condattr_setpshared(&condition_shared, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&q->lock, &lock_shared);
    pthread_cond_init(&q->not_full, &condition_shared);
    pthread_cond_init(&q->not_empty, &condition_shared);
    if (sem_init(&q->free_slots, 1, SLOTS) != 0 || sem_init(&q->used_slots, 1, 0) != 0)
        bench_fail("sem_init");
    if (pipe(q->pipe) != 0)
        bench_fail("pipe");
    const char *two = costs->cpus > 1 ? "two CPUs" : "same CPU";
    for (queue_kind kind = BY_CONDITIONS; kind <= BY_RING; kind++) {
        transfer job = {.kind = kind, .queue = q};
        costs_time(costs, "queue", names[kind], "pthread", two, between_threads, threads_only, &job);
    }
    for (queue_kind kind = BY_PIPE; kind <= BY_RING; kind++) {
        transfer job = {.kind = kind, .queue = q};
        costs_time(costs, "queue", names[kind], "fork", two, between_processes, processes_only, &job);
    }
    close(q->pipe[0]);
    close(q->pipe[1]);
    sem_destroy(&q->free_slots);
    sem_destroy(&q->used_slots);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
    pthread_mutexattr_destroy(&lock_shared);
    pthread_condattr_destroy(&condition_shared);
    bench_shared_free(q, sizeof *q);
}
