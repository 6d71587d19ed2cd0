/*
 * dispatch_check - lab 7's checker of dispatch.c on its own, before the
 * flag download: it calls tiny_loop_dispatch with batches of several ready
 * events whose watchers and event flags it knows, and then runs the real
 * loop over pipes that are all ready at once. Every watcher reported must be
 * called exactly once, with exactly the events epoll reported (not made-up
 * ones), and nothing past ready_count may be touched.
 *
 * usage: dispatch_check [seed]     one line per test; last line PASS or FAIL
 * Under labs/lib/lab.sh, the result goes through the checker's token.
 */
#include "tiny_loop.h"
#include "lab_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MOST 16

static int calls[MOST + 1];
static uint32_t events_seen[MOST + 1];
static watcher watchers[MOST + 1];        /* [MOST]: the poisoned one past ready_count */
static tiny_loop *wrong_loop_seen;

static void fail(const char *reason)
{
    printf("FAIL: %s\n", reason);
    fflush(stdout);
    lab_report("fail");
    _exit(1);
}

static void record(tiny_loop *loop, watcher *called, uint32_t events)
{
    long slot = called - watchers;
    if (slot < 0 || slot > MOST)
        fail("a callback was called with a watcher that was never registered: pass ready[i].data.ptr");
    if (loop != (tiny_loop *)&watchers)   /* the fake loop of the batch test */
        wrong_loop_seen = loop;
    calls[slot]++;
    events_seen[slot] = events;
}

static const char *flag_names(uint32_t events, char *text, size_t size)
{
    snprintf(text, size, "%s%s%s%s%s(0x%x)", events & EPOLLIN ? "EPOLLIN " : "",
             events & EPOLLOUT ? "EPOLLOUT " : "", events & EPOLLERR ? "EPOLLERR " : "",
             events & EPOLLHUP ? "EPOLLHUP " : "", events & EPOLLRDHUP ? "EPOLLRDHUP " : "", events);
    return text;
}

/* One batch of `count` ready events, with made-up but distinct flags. */
static void test_batch(int count, unsigned seed)
{
    static const uint32_t kinds[] = { EPOLLIN, EPOLLOUT, EPOLLIN | EPOLLHUP, EPOLLERR | EPOLLHUP,
                                      EPOLLIN | EPOLLOUT, EPOLLIN | EPOLLRDHUP, EPOLLOUT | EPOLLERR };
    struct epoll_event ready[MOST + 1];
    int order[MOST];
    memset(calls, 0, sizeof calls);
    memset(events_seen, 0, sizeof events_seen);
    for (int index = 0; index < count; index++)
        order[index] = index;
    for (int index = count - 1; index > 0; index--) {   /* the watchers in a shuffled order */
        int other = (int)(rand_r(&seed) % (unsigned)(index + 1)), keep = order[index];
        order[index] = order[other];
        order[other] = keep;
    }
    uint32_t wanted[MOST];
    for (int index = 0; index < count; index++) {
        int slot = order[index];
        watchers[slot] = (watcher){ .fd = 100 + slot, .callback = record };
        wanted[slot] = kinds[(unsigned)(slot + seed) % (sizeof kinds / sizeof kinds[0])];
        ready[index] = (struct epoll_event){ .events = wanted[slot], .data.ptr = &watchers[slot] };
    }
    watchers[MOST] = (watcher){ .fd = 999, .callback = record };
    ready[count] = (struct epoll_event){ .events = EPOLLIN, .data.ptr = &watchers[MOST] };
    wrong_loop_seen = NULL;
    tiny_loop_dispatch((tiny_loop *)&watchers, ready, count);

    char reason[300], got[80], want[80];
    int called = 0;
    for (int slot = 0; slot < count; slot++)
        called += calls[slot] > 0;
    if (calls[MOST] > 0) {
        snprintf(reason, sizeof reason, "with ready_count %d, the callback of ready[%d] was called too: "
                 "only ready[0 .. ready_count-1] are this turn's events", count, count);
        fail(reason);
    }
    if (called < count) {
        snprintf(reason, sizeof reason, "tiny_loop_dispatch was given %d ready event%s at once and called "
                 "%d watcher%s: call the callback of every entry of ready[0 .. ready_count-1]", count,
                 count == 1 ? "" : "s",
                 called, called == 1 ? "" : "s");
        fail(reason);
    }
    for (int index = 0; index < count; index++) {
        int slot = order[index];
        if (calls[slot] != 1) {
            snprintf(reason, sizeof reason, "the watcher of ready[%d] was called %d times in one turn "
                     "(once per ready event)", index, calls[slot]);
            fail(reason);
        }
        if (events_seen[slot] != wanted[slot]) {
            snprintf(reason, sizeof reason, "the watcher of ready[%d] got events %s where epoll reported "
                     "%s: pass ready[i].events as they are", index,
                     flag_names(events_seen[slot], got, sizeof got), flag_names(wanted[slot], want, sizeof want));
            fail(reason);
        }
    }
    if (wrong_loop_seen != NULL)
        fail("a callback got another loop than the one tiny_loop_dispatch was given");
}

/* ---- the real loop: pipes that are all ready at once ------------------- */

static int real_calls[MOST];
static uint32_t real_events[MOST];

static void on_pipe(tiny_loop *loop, watcher *ready_watcher, uint32_t events)
{
    long slot = (long)(intptr_t)ready_watcher->data;
    real_calls[slot]++;
    real_events[slot] |= events;
    char buffer[64];
    if (events & EPOLLIN)
        while (read(ready_watcher->fd, buffer, sizeof buffer) > 0) { }
    if (tiny_loop_unwatch(loop, ready_watcher) != 0)
        fail("tiny_loop_unwatch failed");
}

static void test_real_loop(int pipes)
{
    int ends[MOST][2];
    watcher real[MOST];
    tiny_loop *loop = tiny_loop_new();
    if (loop == NULL)
        fail("tiny_loop_new failed");
    memset(real_calls, 0, sizeof real_calls);
    memset(real_events, 0, sizeof real_events);
    for (int slot = 0; slot < pipes; slot++) {
        if (pipe(ends[slot]) != 0) {
            perror("pipe");
            fail("pipe failed");
        }
        /* even: read end with data and the writer closed (EPOLLIN|EPOLLHUP); odd: a write end (EPOLLOUT) */
        int watched = slot % 2 == 0 ? ends[slot][0] : ends[slot][1];
        if (slot % 2 == 0) {
            if (write(ends[slot][1], "flag", 4) != 4)
                fail("write to a pipe failed");
            close(ends[slot][1]);
        }
        real[slot] = (watcher){ .fd = watched, .callback = on_pipe, .data = (void *)(intptr_t)slot };
        if (tiny_loop_watch(loop, &real[slot], slot % 2 == 0 ? EPOLLIN : EPOLLOUT) != 0)
            fail("tiny_loop_watch failed");
    }
    int result = tiny_loop_run(loop, 3.0);
    char reason[300], got[80], want[80];
    for (int slot = 0; slot < pipes; slot++) {
        uint32_t expected = slot % 2 == 0 ? EPOLLIN | EPOLLHUP : EPOLLOUT;
        if (real_calls[slot] == 0) {
            snprintf(reason, sizeof reason, "the real loop with %d descriptors ready at once never called "
                     "the callback of one of them (%s)", pipes, result == 1 ? "the loop timed out" : "");
            fail(reason);
        }
        if (real_events[slot] != expected) {
            snprintf(reason, sizeof reason, "a %s end of a pipe got events %s where epoll reports %s: pass "
                     "ready[i].events as they are", slot % 2 == 0 ? "read" : "write",
                     flag_names(real_events[slot], got, sizeof got), flag_names(expected, want, sizeof want));
            fail(reason);
        }
        close(ends[slot][0]);
        if (slot % 2 == 1)
            close(ends[slot][1]);
    }
    tiny_loop_free(loop);
}

int main(int argc, char **argv)
{
    lab_report_open();   /* before any of dispatch.c runs: see lab_report.h */
    setvbuf(stdout, NULL, _IOLBF, 0);
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1;
    test_batch(0, seed);
    printf("ok: an empty batch calls nothing\n");
    for (int count = 1; count <= 8; count++)
        test_batch(count, seed + (unsigned)count);
    printf("ok: batches of 1 to 8 ready events: each watcher called once, with its own events, nothing past ready_count\n");
    test_real_loop(6);
    printf("ok: the real loop, 6 pipes ready at once: every callback called with epoll's events\n");
    printf("PASS: dispatch calls every ready watcher once, with the events epoll reported\n");
    lab_report("pass");
    return 0;
}
