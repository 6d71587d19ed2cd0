/*
 * server.h - what the flag server's two halves share: flagserver.c (options,
 * listening socket, signals, main) and connection.c (one client connection:
 * read requests, answer them in order, keep-alive, delays, idle timeout).
 */
#ifndef SERVER_H
#define SERVER_H

#include "flags.h"
#include "loop.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { MODE_LOCAL, MODE_DELAY, MODE_ERROR } server_mode;

typedef struct connection connection;

typedef struct {
    server_mode mode;
    double delay;            /* seconds a delayed response waits */
    double error_rate;       /* fraction of flag requests answered 500 (error mode) */
    uint64_t seed;           /* fault injection is a function of (seed, request number) */
    double idle_timeout;     /* close a connection silent this long */
    double header_timeout;   /* a whole request head must arrive within this (408) */
    double response_timeout; /* what was queued must be read within this */
    int verbose;
} server_options;

typedef struct {
    loop *loop;
    server_options options;
    flag_set flags;
    int listen_fd;
    uint64_t flag_requests;      /* numbers the requests that faults are drawn for */
    connection *connections;     /* every open one, to close them all at exit */
    unsigned long connection_count;
    unsigned long accept_pauses; /* times accept4 ran out of descriptors */
    unsigned long shed_count;    /* connections closed to make room */
} server;

/* Accepts every pending connection on the listening socket (until EAGAIN).
 * Out of descriptors, it closes a lingering, then the oldest idle, then the
 * slowest connection to make room; returns false if none could go (the
 * caller pauses accepting). */
bool connections_accept(server *server);
/* Closes every connection (at exit). */
void connections_close_all(server *server);

/* Prints on stderr when -v was given. */
void server_log(const server *server, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
