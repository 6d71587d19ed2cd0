/*
 * server.h - the flag server's model-free core, shared by every model
 * (server/<model>.c -> bin/flagserver-<model>; bin/flagserver is eventloop):
 *
 *   core.c      options, flags, --export, the listening socket, the port
 *               file, the stop signals, the end;
 *   respond.c   the answer to a request (respond.h);
 *   session.c   one connection served start to end with blocking calls: the
 *               unit of work of the iterative, thread and process models;
 *   http.c, flags.c, gif.c: the parser and router, the images, the manifest.
 *
 * A model's file holds only its concurrency: who accepts, who serves, and
 * how they share the count of flag requests. The event loop's connection
 * state machine is connection.c (eventloop.c's half).
 */
#ifndef SERVER_H
#define SERVER_H

#include "flags.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { MODE_LOCAL, MODE_DELAY, MODE_ERROR } server_mode;

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
    const char *model;       /* "pool": in messages */
    server_options options;
    flag_set flags;
    long workers;            /* -j: threads or processes of the pool models */
    int listen_fd;           /* non-blocking, on 127.0.0.1 */
    int stop_fd;             /* becomes readable (end of file) on SIGTERM or SIGINT */
    const char *port_file;
} core;

/* Everything before serving: parses the options (exit 2 on a usage error,
 * 0 after --help or --export), builds the flags, listens, installs the stop
 * signals, writes the port file. default_workers is -j's default; 0: the
 * model takes no -j. */
void core_start(core *core, int argc, char **argv, const char *model, long default_workers);
/* Everything after: removes the port file, closes, frees. Returns main's status. */
int core_finish(core *core, int status);

/* True once SIGTERM or SIGINT came (in this process). */
bool core_stopping(void);
/* In a child process of a fork model, right after fork: closes what only
 * the parent may hold (the stop pipe's write end). */
void core_after_fork(core *core);
/* Waits until a connection can be accepted and accepts it (blocking
 * models): its descriptor (blocking), or -1 once the server is stopping. */
int core_accept(core *core);

/* Serves one connection to its end, then closes it (session.c). */
void core_serve(core *core, int fd, uint64_t (*next_number)(void *), void *context);

/* Prints "flagserver-MODEL: ..." on stderr when -v was given. */
void core_log(const core *core, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
