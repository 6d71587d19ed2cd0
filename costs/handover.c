/*
 * handover.c - the round trip of a token between two units: one sends, the
 * other wakes up and sends it back. Between two threads through a pipe, an
 * eventfd and a condition variable; between two processes through a pipe.
 * Each one with both units on the same CPU and on two CPUs.
 *
 * Look for: on one CPU a hand-over is a switch in the scheduler; on two, the
 * sleeping CPU must be woken first, and on a VM whose idle CPUs halt that
 * wake-up can cost ten times the switch.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum { BY_PIPE, BY_EVENTFD, BY_CONDITION } channel;

typedef struct {
    channel kind;
    int partner_cpu;           /* 0: the same CPU as the caller, 1: the other */
    long iterations;
    int to_partner[2], to_caller[2];   /* pipes, or eventfds in [0] */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    long turn;                 /* condition: odd when the partner is to answer */
} pingpong;

static void send_token(int fd, channel kind)
{
    uint64_t one = 1;
    size_t size = kind == BY_EVENTFD ? sizeof one : 1;
    if (write(fd, &one, size) != (ssize_t)size)
        bench_fail(kind == BY_EVENTFD ? "write(eventfd)" : "write(pipe)");
}

static void take_token(int fd, channel kind)
{
    uint64_t value;
    size_t size = kind == BY_EVENTFD ? sizeof value : 1;
    while (read(fd, &value, size) != (ssize_t)size)
        if (errno != EINTR)
            bench_fail(kind == BY_EVENTFD ? "read(eventfd)" : "read(pipe)");
}

static void wait_turn(pingpong *game, long parity)
{
    pthread_mutex_lock(&game->lock);
    while (game->turn % 2 != parity)
        pthread_cond_wait(&game->changed, &game->lock);
    pthread_mutex_unlock(&game->lock);
}

static void pass_turn(pingpong *game)
{
    pthread_mutex_lock(&game->lock);
    game->turn++;
    pthread_cond_signal(&game->changed);
    pthread_mutex_unlock(&game->lock);
}

/* One side: the caller sends first (`first` true), the partner answers. */
static void play(pingpong *game, bool first)
{
    int in = first ? game->to_caller[0] : game->to_partner[0];
    int out = first ? game->to_partner[1] : game->to_caller[1];
    if (game->kind == BY_EVENTFD) {
        in = first ? game->to_caller[0] : game->to_partner[0];
        out = first ? game->to_partner[0] : game->to_caller[0];
    }
    for (long i = 0; i < game->iterations; i++) {
        if (game->kind == BY_CONDITION) {
            if (first) {
                pass_turn(game);
                wait_turn(game, 0);
            } else {
                wait_turn(game, 1);
                pass_turn(game);
            }
        } else if (first) {
            send_token(out, game->kind);
            take_token(in, game->kind);
        } else {
            take_token(in, game->kind);
            send_token(out, game->kind);
        }
    }
}

static void *partner(void *data)
{
    pingpong *game = data;
    bench_pin_self(game->partner_cpu);
    play(game, false);
    return NULL;
}

static void open_channels(pingpong *game)
{
    if (game->kind == BY_EVENTFD) {
        game->to_partner[0] = eventfd(0, 0);
        game->to_caller[0] = eventfd(0, 0);
        if (game->to_partner[0] == -1 || game->to_caller[0] == -1)
            bench_fail("eventfd");
    } else if (pipe(game->to_partner) != 0 || pipe(game->to_caller) != 0) {
        bench_fail("pipe");
    }
}

static void close_channels(pingpong *game)
{
    close(game->to_partner[0]);
    close(game->to_caller[0]);
    if (game->kind != BY_EVENTFD) {
        close(game->to_partner[1]);
        close(game->to_caller[1]);
    }
}

static void between_threads(long iterations, void *data)
{
    pingpong *game = data;
    game->iterations = iterations;
    game->turn = 0;
    open_channels(game);
    bench_pin_self(0);
    pthread_t thread;
    bench_check(pthread_create(&thread, NULL, partner, game), "pthread_create");
    play(game, true);
    bench_check(pthread_join(thread, NULL), "pthread_join");
    costs_unpin();
    close_channels(game);
}

static void between_processes(long iterations, void *data)
{
    pingpong *game = data;
    game->iterations = iterations;
    open_channels(game);
    bench_pin_self(0);
    pid_t child = bench_fork();
    if (child == -1)
        bench_fail("fork");
    if (child == 0) {
        bench_pin_self(game->partner_cpu);
        play(game, false);
        _exit(0);
    }
    play(game, true);
    if (!bench_wait_child(child))
        bench_failf("the hand-over child failed");
    costs_unpin();
    close_channels(game);
}

/* The references: the same set-up (channels, the partner started and
 * waited for) with no round trip. */
static void threads_only(long iterations, void *data)
{
    (void)iterations;
    between_threads(0, data);
}

static void processes_only(long iterations, void *data)
{
    (void)iterations;
    between_processes(0, data);
}

void costs_handover(costs *costs)
{
    static const char *const names[] = {
        [BY_PIPE] = "round trip through a pipe",
        [BY_EVENTFD] = "round trip through an eventfd",
        [BY_CONDITION] = "round trip through a condition variable",
    };
    const char *pinnings[] = {"same CPU", "two CPUs"};
    for (int cpu = 0; cpu < (costs->cpus > 1 ? 2 : 1); cpu++) {
        for (channel kind = BY_PIPE; kind <= BY_CONDITION; kind++) {
            pingpong game = {.kind = kind, .partner_cpu = cpu,
                             .lock = PTHREAD_MUTEX_INITIALIZER,
                             .changed = PTHREAD_COND_INITIALIZER};
            costs_time(costs, "handover", names[kind], "pthread", pinnings[cpu],
                       between_threads, threads_only, &game);
        }
        pingpong game = {.kind = BY_PIPE, .partner_cpu = cpu};
        costs_time(costs, "handover", names[BY_PIPE], "fork", pinnings[cpu],
                   between_processes, processes_only, &game);
    }
}
