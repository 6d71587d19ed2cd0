/*
 * queue_check - the checker of lab 5: puts bounded_queue.c through its
 * tests and prints one line per test; the last line is PASS or FAIL.
 *
 *   put-blocks: with nobody getting, exactly `capacity` puts return, the
 *      next one waits, and sleeps while it waits (its thread uses almost no
 *      CPU time and wakes up almost never); then the items come out FIFO;
 *   get-blocks: a get on an empty queue waits, and sleeps, the same way;
 *   stress: many producers and consumers on a tiny queue (capacity 1, then
 *      3): every item produced is consumed exactly once, and the queue never
 *      holds more than its capacity (a monitor thread samples it);
 *   and a watchdog that tells a lost wakeup (nothing moves, every thread
 *   asleep) from a deadlock (the lock held for good), from spinning (nothing
 *   moves, threads running), from a queue that is only slow (items move).
 *
 * usage: queue_check [TEST] [items_per_producer] [producers consumers]
 *        TEST: all (default), put-blocks, get-blocks, stress-1, stress-3
 * Under labs/lib/lab.sh, the result goes through the checker's token.
 */
#include "bounded_queue.h"
#include "lab_report.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MOST_THREADS 16
static int producer_count = 4, consumer_count = 4;
#define WATCHDOG_SECONDS 120       /* the last resort; the progress watchdog comes first */
#define STUCK_SECONDS 3            /* no item moved for this long: stuck */
static int slow_seconds = 60;      /* items still moving after this long: too slow (LAB_slow_seconds) */
#define WAIT_CPU_MS 30             /* a waiting thread may use this much CPU in 0.5 s */
#define WAIT_WAKEUPS 20            /* and wake up this often */
#define AS_TEXT(value) #value
#define NUMBER_TEXT(value) AS_TEXT(value)
#define END_OF_WORK (-1)

static void fail(const char *reason)
{
    printf("FAIL: %s\n", reason);
    fflush(stdout);
    lab_report("fail");
    _exit(1);
}

static const char *watchdog_message =
    "FAIL: no verdict after " NUMBER_TEXT(WATCHDOG_SECONDS) " s (the progress watchdog did not decide)\n";

static void on_watchdog(int signal_number)
{
    (void)signal_number;
    if (write(STDOUT_FILENO, watchdog_message, strlen(watchdog_message)) < 0) { /* nothing more to do */ }
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

/* ---- how a waiting thread waits ---------------------------------------- */

typedef struct { double cpu_seconds; long wakeups; } thread_use;

/* A thread's CPU time, or -1 if it has ended. */
static double thread_cpu_seconds(pthread_t thread)
{
    clockid_t clock;
    struct timespec used;
    int error = pthread_getcpuclockid(thread, &clock);
    if (error == ESRCH)
        return -1;
    if (error != 0) {
        fprintf(stderr, "pthread_getcpuclockid: %s\n", strerror(error));
        fail("cannot read a thread's CPU time");
    }
    if (clock_gettime(clock, &used) != 0)
        return -1;                      /* it ended just now */
    return used.tv_sec + used.tv_nsec / 1e9;
}

/* Context switches of thread `tid`, from /proc: a thread that sleeps on a
 * condition variable has none while it waits; one that polls (usleep,
 * sched_yield) has one per turn, however little CPU each turn takes.
 * -1 if it has ended. */
static long thread_switches(pid_t tid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
    FILE *status = fopen(path, "r");
    if (status == NULL)
        return -1;                      /* it has ended */
    long total = 0, count;
    while (fgets(line, sizeof line, status) != NULL)
        if (sscanf(line, "voluntary_ctxt_switches: %ld", &count) == 1
            || sscanf(line, "nonvoluntary_ctxt_switches: %ld", &count) == 1)
            total += count;
    fclose(status);
    return total;
}

static thread_use use_of(pthread_t thread, pid_t tid)
{
    return (thread_use){ thread_cpu_seconds(thread), thread_switches(tid) };
}

/* Fails unless a thread that waited `seconds` between `before` and `after`
 * slept: little CPU, few wakeups. */
static void check_it_slept(const char *who, thread_use before, thread_use after, double seconds)
{
    if (before.cpu_seconds < 0 || after.cpu_seconds < 0 || before.wakeups < 0 || after.wakeups < 0)
        fail("the waiting thread ended while it should have been waiting");
    double cpu_ms = (after.cpu_seconds - before.cpu_seconds) * 1000;
    long wakeups = after.wakeups - before.wakeups;
    if (cpu_ms > WAIT_CPU_MS || wakeups > WAIT_WAKEUPS) {
        char reason[300];
        snprintf(reason, sizeof reason, "%s waiting %.1f s used %.0f ms of CPU (limit %d) and woke up "
                 "%ld times (limit %d): it busy-waits or polls (wakes up to look again) instead of "
                 "sleeping on a condition variable until it is signalled", who, seconds, cpu_ms,
                 WAIT_CPU_MS, wakeups, WAIT_WAKEUPS);
        fail(reason);
    }
}

static pid_t my_tid(void) { return (pid_t)syscall(SYS_gettid); }

/* ---- test 1: put blocks when full ------------------------------------- */

enum { SMALL_CAPACITY = 4, ITEMS_FOR_SMALL_QUEUE = 12 };
static bounded_queue small_queue;
static atomic_int puts_returned, producer_tid;

static void *put_twelve(void *unused)
{
    atomic_store(&producer_tid, my_tid());
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
    thread_use before = use_of(producer, atomic_load(&producer_tid));
    sleep_ms(500);                          /* then give it time to put more than it may */
    thread_use after = use_of(producer, atomic_load(&producer_tid));
    int returned = atomic_load(&puts_returned);
    if (returned != SMALL_CAPACITY) {
        char reason[200];
        snprintf(reason, sizeof reason,
                 "put returned %d times into an untouched queue of capacity %d: "
                 "it must block when full, and only then", returned, SMALL_CAPACITY);
        fail(reason);
    }
    check_it_slept("a put", before, after, 0.5);
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
    printf("ok: put blocks when full (%d of %d puts returned with nobody getting) and sleeps "
           "(%.1f ms CPU, %ld wakeups in 0.5 s), FIFO order\n", SMALL_CAPACITY, ITEMS_FOR_SMALL_QUEUE,
           (after.cpu_seconds - before.cpu_seconds) * 1000, after.wakeups - before.wakeups);
}

/* ---- test 2: get blocks when empty, without spinning ------------------- */

static atomic_int get_result = -2, consumer_tid;

static void *get_one(void *unused)
{
    atomic_store(&consumer_tid, my_tid());
    atomic_store(&get_result, queue_get(&small_queue));
    return unused;
}

static void test_get_blocks_when_empty(void)
{
    pthread_t consumer;
    if (queue_init(&small_queue, SMALL_CAPACITY) != 0)
        fail("queue_init failed");
    start_thread(&consumer, get_one, NULL);
    for (int waited_ms = 0; waited_ms < 5000 && atomic_load(&consumer_tid) == 0; waited_ms += 10)
        sleep_ms(10);
    sleep_ms(100);                          /* let it reach its wait */
    thread_use before = use_of(consumer, atomic_load(&consumer_tid));
    sleep_ms(500);
    thread_use after = use_of(consumer, atomic_load(&consumer_tid));
    if (atomic_load(&get_result) != -2)
        fail("get returned from an empty queue");
    check_it_slept("a get", before, after, 0.5);
    queue_put(&small_queue, 42);
    join_thread(consumer);
    if (atomic_load(&get_result) != 42)
        fail("the waiting get did not return the item put after it started");
    queue_destroy(&small_queue);
    printf("ok: get blocks when empty and sleeps (%.1f ms CPU, %ld wakeups in 0.5 s of waiting)\n",
           (after.cpu_seconds - before.cpu_seconds) * 1000, after.wakeups - before.wakeups);
}

/* ---- test 3: many producers and consumers ------------------------------ */

static bounded_queue shared_queue;
static int items_per_producer = 20000;
static atomic_int *times_consumed;      /* indexed by item */
static atomic_bool stress_running;
static size_t most_items_seen;
static atomic_long items_moved;         /* puts and gets that returned: the watchdog's progress */
static size_t stress_capacity;
static atomic_int worker_tids[2 * MOST_THREADS];   /* producers, then consumers */

static void *produce(void *argument)
{
    int first_item = (int)(long)argument * items_per_producer;
    atomic_store(&worker_tids[(long)argument], my_tid());
    for (int offset = 0; offset < items_per_producer; offset++) {
        queue_put(&shared_queue, first_item + offset);
        atomic_fetch_add(&items_moved, 1);
    }
    return NULL;
}

static void *consume(void *argument)
{
    atomic_store(&worker_tids[MOST_THREADS + (long)argument], my_tid());
    for (;;) {
        int item = queue_get(&shared_queue);
        atomic_fetch_add(&items_moved, 1);
        if (item == END_OF_WORK)
            return NULL;
        if (item < 0 || item >= producer_count * items_per_producer)
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

/* Counts the producers and consumers that are running (state R) now. */
static int workers_running(void)
{
    int running = 0;
    for (int slot = 0; slot < 2 * MOST_THREADS; slot++) {
        int tid = atomic_load(&worker_tids[slot]);
        char path[64], text[512];
        if (tid == 0)
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
        FILE *stat = fopen(path, "r");
        if (stat == NULL)
            continue;                   /* it has ended */
        size_t length = fread(text, 1, sizeof text - 1, stat);
        fclose(stat);
        text[length] = '\0';
        char *after_name = strrchr(text, ')');
        running += after_name != NULL && after_name[1] == ' ' && after_name[2] == 'R';
    }
    return running;
}

/* The stress test's watchdog: tells stuck (a lost wakeup, a deadlock, a
 * spin) from slow, by whether items still move. */
static void *watch_progress(void *unused)
{
    long last = -1;
    double still_since = 0, started = 0;
    struct timespec now;
    for (int tick = 0; atomic_load(&stress_running); tick++) {
        sleep_ms(100);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double seconds = now.tv_sec + now.tv_nsec / 1e9;
        if (tick == 0)
            started = seconds;
        long moved = atomic_load(&items_moved);
        if (moved != last) {
            last = moved;
            still_since = seconds;
        }
        long needed = 2L * producer_count * items_per_producer + 2L * consumer_count;
        char reason[400];
        if (seconds - still_since >= STUCK_SECONDS) {
            int running = 0;
            for (int look = 0; look < 5; look++) {   /* a spinning thread is running most looks */
                running += workers_running() > 0;
                sleep_ms(20);
            }
            if (pthread_mutex_trylock(&shared_queue.lock) != 0) {
                snprintf(reason, sizeof reason, "deadlock: no item moved for %d s and the queue's lock "
                         "is held all that time (a path that returns without unlocking?)", STUCK_SECONDS);
                fail(reason);
            }
            size_t count = shared_queue.count;
            pthread_mutex_unlock(&shared_queue.lock);
            if (running >= 3)
                snprintf(reason, sizeof reason, "stuck and spinning: no item moved for %d s (%ld of %ld "
                         "puts and gets done), yet producers or consumers keep running", STUCK_SECONDS,
                         moved, needed);
            else
                snprintf(reason, sizeof reason, "lost wakeup: no item moved for %d s (%ld of %ld puts and "
                         "gets done); the queue holds %zu of %zu items and every thread sleeps, waiting "
                         "for a signal that never comes", STUCK_SECONDS, moved, needed, count, stress_capacity);
            fail(reason);
        }
        if (seconds - started >= slow_seconds) {
            snprintf(reason, sizeof reason, "too slow, not stuck: after %d s, %ld of %ld puts and gets "
                     "are done and items still move (a busy machine, or a queue that wakes everyone "
                     "for every item?)", slow_seconds, moved, needed);
            fail(reason);
        }
    }
    return unused;
}

static void test_many_producers_and_consumers(size_t capacity)
{
    pthread_t producers[MOST_THREADS], consumers[MOST_THREADS], monitor, watchdog;
    int total_items = producer_count * items_per_producer;
    times_consumed = calloc(total_items, sizeof *times_consumed);
    if (times_consumed == NULL)
        fail("calloc failed");
    if (queue_init(&shared_queue, capacity) != 0)
        fail("queue_init failed");
    most_items_seen = 0;
    stress_capacity = capacity;
    atomic_store(&items_moved, 0);
    atomic_store(&stress_running, true);
    start_thread(&monitor, watch_occupancy, NULL);
    start_thread(&watchdog, watch_progress, NULL);
    for (int slot = 0; slot < 2 * MOST_THREADS; slot++)
        atomic_store(&worker_tids[slot], 0);
    for (long index = 0; index < consumer_count; index++)
        start_thread(&consumers[index], consume, (void *)index);
    for (long index = 0; index < producer_count; index++)
        start_thread(&producers[index], produce, (void *)index);
    for (int index = 0; index < producer_count; index++)
        join_thread(producers[index]);
    for (int index = 0; index < consumer_count; index++)
        queue_put(&shared_queue, END_OF_WORK);
    for (int index = 0; index < consumer_count; index++)
        join_thread(consumers[index]);
    atomic_store(&stress_running, false);
    join_thread(monitor);
    join_thread(watchdog);

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
           "at most %zu in the queue\n", producer_count, consumer_count, capacity, total_items,
           most_items_seen);
}

static int whole_number(const char *text, int low, int high, const char *what)
{
    char *end;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "queue_check: %s must be a whole number from %d to %d, not '%s'\n", what, low,
                high, text);
        exit(2);
    }
    return (int)value;
}

int main(int argc, char **argv)
{
    lab_report_open();   /* before any of bounded_queue.c runs: see lab_report.h */
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *test = argc > 1 ? argv[1] : "all";
    if (argc > 2)
        items_per_producer = whole_number(argv[2], 1, 10000000, "items per producer");
    if (argc > 3)
        producer_count = whole_number(argv[3], 1, MOST_THREADS, "producers");
    if (argc > 4)
        consumer_count = whole_number(argv[4], 1, MOST_THREADS, "consumers");
    if (getenv("LAB_SLOW_SECONDS") != NULL)
        slow_seconds = whole_number(getenv("LAB_SLOW_SECONDS"), 1, 3600, "LAB_SLOW_SECONDS");
    bool all = strcmp(test, "all") == 0;
    if (!all && strcmp(test, "put-blocks") != 0 && strcmp(test, "get-blocks") != 0
        && strcmp(test, "stress-1") != 0 && strcmp(test, "stress-3") != 0) {
        fprintf(stderr, "queue_check: no test '%s' (all, put-blocks, get-blocks, stress-1, stress-3)\n", test);
        return 2;
    }
    if (signal(SIGALRM, on_watchdog) == SIG_ERR) {
        perror("signal");
        return 1;
    }
    alarm(WATCHDOG_SECONDS);
    if (!all && strncmp(test, "stress", 6) != 0) {
        watchdog_message = "FAIL: still waiting after 10 s with one producer and the checker's gets "
                           "(or one consumer and its put): a thread that waits is never woken (does each "
                           "side signal the condition the other side waits on?)\n";
        alarm(10);
    }
    if (all || strcmp(test, "put-blocks") == 0)
        test_put_blocks_when_full();
    if (all || strcmp(test, "get-blocks") == 0)
        test_get_blocks_when_empty();
    if (all || strcmp(test, "stress-1") == 0)
        test_many_producers_and_consumers(1);
    if (all || strcmp(test, "stress-3") == 0)
        test_many_producers_and_consumers(3);
    printf("PASS: bounded queue: %s\n", test);
    lab_report("pass %s", test);
    return 0;
}
