/*
 * queue_check - the checker of lab 5: puts bounded_queue.c through four
 * tests and prints one line per test; the last line is PASS or FAIL.
 *
 *   1. put blocks when full: with nobody getting, exactly `capacity` puts
 *      return, the others wait; then the items come out in FIFO order;
 *   2. get blocks when empty, and sleeps while it waits (its thread uses
 *      almost no CPU time);
 *   3. many producers and consumers on a tiny queue: every item produced
 *      is consumed exactly once, and the queue never holds more than its
 *      capacity (a monitor thread samples it);
 *   4. a watchdog: if anything waits forever (a lost wakeup), fail in time.
 *
 * usage: queue_check [items_per_producer]   (default 20000)
 */
#include "bounded_queue.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PRODUCERS 4
#define CONSUMERS 4
#define WATCHDOG_SECONDS 20
#define AS_TEXT(value) #value
#define NUMBER_TEXT(value) AS_TEXT(value)
#define END_OF_WORK (-1)

static void fail(const char *reason)
{
    printf("FAIL: %s\n", reason);
    fflush(stdout);
    _exit(1);
}

static void on_watchdog(int signal_number)
{
    (void)signal_number;
    static const char message[] =
        "FAIL: still waiting after " NUMBER_TEXT(WATCHDOG_SECONDS) " s: a thread waits for a wakeup that never comes (lost wakeup or deadlock)\n";
    if (write(STDOUT_FILENO, message, sizeof message - 1) < 0) { /* nothing more to do */ }
    _exit(1);
}

static void sleep_ms(long milliseconds)
{
    struct timespec pause = { milliseconds / 1000, (milliseconds % 1000) * 1000000L };
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) { }
}

static void start_thread(pthread_t *thread, void *(*body)(void *), void *argument)
{
    int error = pthread_create(thread, NULL, body, argument);
    if (error != 0) {
        fprintf(stderr, "pthread_create: %s\n", strerror(error));
        fail("could not start a thread");
    }
}

static void join_thread(pthread_t thread)
{
    int error = pthread_join(thread, NULL);
    if (error != 0) {
        fprintf(stderr, "pthread_join: %s\n", strerror(error));
        fail("could not join a thread");
    }
}

/* ---- test 1: put blocks when full ------------------------------------- */

enum { SMALL_CAPACITY = 4, ITEMS_FOR_SMALL_QUEUE = 12 };
static bounded_queue small_queue;
static atomic_int puts_returned;

static void *put_twelve(void *unused)
{
    for (int item = 0; item < ITEMS_FOR_SMALL_QUEUE; item++) {
        queue_put(&small_queue, item);
        atomic_fetch_add(&puts_returned, 1);
    }
    return unused;
}

static void test_put_blocks_when_full(void)
{
    pthread_t producer;
    if (queue_init(&small_queue, SMALL_CAPACITY) != 0)
        fail("queue_init failed");
    start_thread(&producer, put_twelve, NULL);
    for (int waited_ms = 0; waited_ms < 5000 && atomic_load(&puts_returned) < SMALL_CAPACITY; waited_ms += 10)
        sleep_ms(10);                       /* a busy machine may start the producer late */
    sleep_ms(300);                          /* then give it time to put more than it may */
    int returned = atomic_load(&puts_returned);
    if (returned != SMALL_CAPACITY) {
        char reason[200];
        snprintf(reason, sizeof reason,
                 "put returned %d times into an untouched queue of capacity %d: "
                 "it must block when full, and only then", returned, SMALL_CAPACITY);
        fail(reason);
    }
    for (int expected = 0; expected < ITEMS_FOR_SMALL_QUEUE; expected++) {
        int item = queue_get(&small_queue);
        if (item != expected) {
            char reason[120];
            snprintf(reason, sizeof reason, "got item %d where %d was next (not FIFO, or items lost)",
                     item, expected);
            fail(reason);
        }
    }
    join_thread(producer);
    queue_destroy(&small_queue);
    printf("ok: put blocks when full (%d of %d puts returned with nobody getting), FIFO order\n",
           SMALL_CAPACITY, ITEMS_FOR_SMALL_QUEUE);
}

/* ---- test 2: get blocks when empty, without spinning ------------------- */

static atomic_int get_result = -2;

static void *get_one(void *unused)
{
    atomic_store(&get_result, queue_get(&small_queue));
    return unused;
}

static double thread_cpu_seconds(pthread_t thread)
{
    clockid_t clock;
    struct timespec used;
    int error = pthread_getcpuclockid(thread, &clock);
    if (error != 0) {
        fprintf(stderr, "pthread_getcpuclockid: %s\n", strerror(error));
        fail("cannot read a thread's CPU time");
    }
    if (clock_gettime(clock, &used) != 0) {
        perror("clock_gettime");
        fail("cannot read a thread's CPU time");
    }
    return used.tv_sec + used.tv_nsec / 1e9;
}

static void test_get_blocks_when_empty(void)
{
    pthread_t consumer;
    if (queue_init(&small_queue, SMALL_CAPACITY) != 0)
        fail("queue_init failed");
    start_thread(&consumer, get_one, NULL);
    sleep_ms(500);
    if (atomic_load(&get_result) != -2)
        fail("get returned from an empty queue");
    double cpu_seconds = thread_cpu_seconds(consumer);
    if (cpu_seconds > 0.03) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "a get waiting 0.5 s on an empty queue used %.0f ms of CPU: it spins instead of sleeping "
                 "on a condition variable", cpu_seconds * 1000);
        fail(reason);
    }
    queue_put(&small_queue, 42);
    join_thread(consumer);
    if (atomic_load(&get_result) != 42)
        fail("the waiting get did not return the item put after it started");
    queue_destroy(&small_queue);
    printf("ok: get blocks when empty and sleeps (%.1f ms CPU in 0.5 s of waiting)\n", cpu_seconds * 1000);
}

/* ---- test 3: many producers and consumers ------------------------------ */

static bounded_queue shared_queue;
static int items_per_producer = 20000;
static atomic_int *times_consumed;      /* indexed by item */
static atomic_bool stress_running;
static size_t most_items_seen;

static void *produce(void *argument)
{
    int first_item = (int)(long)argument * items_per_producer;
    for (int offset = 0; offset < items_per_producer; offset++)
        queue_put(&shared_queue, first_item + offset);
    return NULL;
}

static void *consume(void *unused)
{
    for (;;) {
        int item = queue_get(&shared_queue);
        if (item == END_OF_WORK)
            return unused;
        if (item < 0 || item >= PRODUCERS * items_per_producer)
            fail("got an item nobody produced");
        atomic_fetch_add(&times_consumed[item], 1);
    }
}

static void *watch_occupancy(void *unused)
{
    while (atomic_load(&stress_running)) {
        pthread_mutex_lock(&shared_queue.lock);
        if (shared_queue.count > most_items_seen)
            most_items_seen = shared_queue.count;
        pthread_mutex_unlock(&shared_queue.lock);
        sched_yield();
    }
    return unused;
}

static void test_many_producers_and_consumers(size_t capacity)
{
    pthread_t producers[PRODUCERS], consumers[CONSUMERS], monitor;
    int total_items = PRODUCERS * items_per_producer;
    times_consumed = calloc(total_items, sizeof *times_consumed);
    if (times_consumed == NULL)
        fail("calloc failed");
    if (queue_init(&shared_queue, capacity) != 0)
        fail("queue_init failed");
    most_items_seen = 0;
    atomic_store(&stress_running, true);
    start_thread(&monitor, watch_occupancy, NULL);
    for (long index = 0; index < CONSUMERS; index++)
        start_thread(&consumers[index], consume, NULL);
    for (long index = 0; index < PRODUCERS; index++)
        start_thread(&producers[index], produce, (void *)index);
    for (int index = 0; index < PRODUCERS; index++)
        join_thread(producers[index]);
    for (int index = 0; index < CONSUMERS; index++)
        queue_put(&shared_queue, END_OF_WORK);
    for (int index = 0; index < CONSUMERS; index++)
        join_thread(consumers[index]);
    atomic_store(&stress_running, false);
    join_thread(monitor);

    int lost = 0, duplicated = 0;
    for (int item = 0; item < total_items; item++) {
        int count = atomic_load(&times_consumed[item]);
        lost += count == 0;
        duplicated += count > 1;
    }
    char reason[200];
    if (lost || duplicated) {
        snprintf(reason, sizeof reason, "of %d items, %d were never consumed and %d more than once",
                 total_items, lost, duplicated);
        fail(reason);
    }
    if (most_items_seen > capacity) {
        snprintf(reason, sizeof reason, "the queue of capacity %zu held %zu items", capacity,
                 most_items_seen);
        fail(reason);
    }
    queue_destroy(&shared_queue);
    free(times_consumed);
    printf("ok: %d producers, %d consumers, capacity %zu: %d items each consumed once, "
           "at most %zu in the queue\n", PRODUCERS, CONSUMERS, capacity, total_items, most_items_seen);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && (items_per_producer = atoi(argv[1])) <= 0) {
        fprintf(stderr, "queue_check: items per producer must be a positive number, not '%s'\n", argv[1]);
        return 2;
    }
    if (signal(SIGALRM, on_watchdog) == SIG_ERR) {
        perror("signal");
        return 1;
    }
    alarm(WATCHDOG_SECONDS);
    test_put_blocks_when_full();
    test_get_blocks_when_empty();
    test_many_producers_and_consumers(1);
    test_many_producers_and_consumers(3);
    printf("PASS: bounded queue blocks when full and when empty, loses nothing, stays bounded\n");
    return 0;
}
