/*
 * sync.c - the price of synchronising: a mutex taken and released by one
 * thread and fought over by two, a spinlock fought over, an atomic add fought
 * over, two counters on one cache line against two on lines of their own
 * (false sharing), a recursive mutex (Python's RLock), a semaphore posted and
 * taken, and a barrier that two threads meet at.
 *
 * Look for: what the lock costs when nobody else wants it (tens of
 * nanoseconds: an atomic instruction) against when two CPUs want it (the
 * cache line travels between them on every operation).
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t recursive;
static pthread_spinlock_t spinlock;
static sem_t semaphore;
static pthread_barrier_t barrier;
static long counter;                 /* under mutex or spinlock */
static atomic_long atomic_counter;
static struct { atomic_long a, b; } adjacent;   /* one cache line */
static struct { _Alignas(64) atomic_long a; _Alignas(64) atomic_long b; } padded;

static void mutex_alone(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        pthread_mutex_lock(&mutex);
        counter++;
        pthread_mutex_unlock(&mutex);
    }
}

static void recursive_alone(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        pthread_mutex_lock(&recursive);
        counter++;
        pthread_mutex_unlock(&recursive);
    }
}

static void semaphore_alone(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        sem_post(&semaphore);
        sem_wait(&semaphore);
    }
}

static void spin_loop(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++) {
        pthread_spin_lock(&spinlock);
        counter++;
        pthread_spin_unlock(&spinlock);
    }
}

static void atomic_loop(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add(&atomic_counter, 1);
}

static void adjacent_a(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add_explicit(&adjacent.a, 1, memory_order_relaxed);
}

static void adjacent_b(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add_explicit(&adjacent.b, 1, memory_order_relaxed);
}

static void padded_a(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add_explicit(&padded.a, 1, memory_order_relaxed);
}

static void padded_b(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add_explicit(&padded.b, 1, memory_order_relaxed);
}

static void barrier_loop(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        pthread_barrier_wait(&barrier);
}

/* Two threads, each running its own loop of `iterations`, started together. */
typedef struct { costs_body *first, *second; long iterations, total; } pair;

static void *run_second(void *data)
{
    pair *both = data;
    bench_pin_self(1);
    both->second(both->iterations, NULL);
    return NULL;
}

static void two_threads(long iterations, void *data)
{
    pair *both = data;
    both->iterations = iterations;
    bench_pin_self(0);
    pthread_t thread;
    bench_check(pthread_create(&thread, NULL, run_second, both), "pthread_create");
    both->first(iterations, NULL);
    bench_check(pthread_join(thread, NULL), "pthread_join");
    both->total += 2 * iterations;   /* what a shared counter must have gained */
    costs_unpin();
}

/* The reference of the two-thread figures: the second thread started and
 * joined, with no operation. */
static void no_operation(long iterations, void *data)
{
    (void)iterations;
    (void)data;
}

static void pair_only(long iterations, void *data)
{
    (void)iterations;
    pair *both = data, nothing = {no_operation, no_operation, 0, 0};
    two_threads(0, &nothing);
    (void)both;
}

void costs_sync(costs *costs)
{
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&recursive, &attributes);
    pthread_mutexattr_destroy(&attributes);
    if (pthread_spin_init(&spinlock, PTHREAD_PROCESS_PRIVATE) != 0 || sem_init(&semaphore, 0, 0) != 0)
        bench_fail("pthread_spin_init/sem_init");
    bench_check(pthread_barrier_init(&barrier, NULL, 2), "pthread_barrier_init");
    const char *two = costs->cpus > 1 ? "two CPUs" : "same CPU";

    costs_time(costs, "sync", "mutex lock + unlock, uncontended", "pthread", "none",
               mutex_alone, NULL, NULL);
    counter = 0;
    pair mutexes = {mutex_alone, mutex_alone, 0, 0};
    costs_time(costs, "sync", "mutex lock + unlock, 2 threads contend", "pthread", two,
               two_threads, pair_only, &mutexes);
    costs_check(costs, counter == mutexes.total, "the contended mutex lost an update");
    costs_time(costs, "sync", "recursive mutex lock + unlock (RLock)", "pthread", "none",
               recursive_alone, NULL, NULL);
    counter = 0;
    pair spins = {spin_loop, spin_loop, 0, 0};
    costs_time(costs, "sync", "spinlock lock + unlock, 2 threads contend", "pthread", two,
               two_threads, pair_only, &spins);
    costs_check(costs, counter == spins.total, "the contended spinlock lost an update");
    costs_time(costs, "sync", "atomic add, uncontended", "pthread", "none",
               atomic_loop, NULL, NULL);
    atomic_store(&atomic_counter, 0);
    pair atomics = {atomic_loop, atomic_loop, 0, 0};
    costs_time(costs, "sync", "atomic add, 2 threads contend", "pthread", two,
               two_threads, pair_only, &atomics);
    costs_check(costs, atomic_load(&atomic_counter) == atomics.total, "the contended atomic lost an update");
    pair shared_line = {adjacent_a, adjacent_b, 0, 0};
    costs_time(costs, "sync", "own counter, same cache line (false sharing)", "pthread", two,
               two_threads, pair_only, &shared_line);
    pair own_lines = {padded_a, padded_b, 0, 0};
    costs_time(costs, "sync", "own counter, own cache line (padded)", "pthread", two,
               two_threads, pair_only, &own_lines);
    costs_time(costs, "sync", "semaphore post + wait", "pthread", "none",
               semaphore_alone, NULL, NULL);
    pair barriers = {barrier_loop, barrier_loop, 0, 0};
    costs_time(costs, "sync", "barrier, 2 threads meet", "pthread", two,
               two_threads, pair_only, &barriers);

    pthread_barrier_destroy(&barrier);
    sem_destroy(&semaphore);
    pthread_spin_destroy(&spinlock);
    pthread_mutex_destroy(&recursive);
}
