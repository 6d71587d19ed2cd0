/*
 * eventloop.h - what the event-loop server's two halves share: eventloop.c
 * (the loop: listening socket, stop pipe, main) and connection.c (one client
 * connection as a state machine: requests in order, keep-alive, delays on
 * timers, deadlines, descriptor shedding).
 */
#ifndef EVENTLOOP_H
#define EVENTLOOP_H

#include "server.h"
#include "loop.h"

typedef struct connection connection;

typedef struct {
    core core;
    loop *loop;
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

#endif
