/*
 * flagserver.c - the flag server: HTTP/1.1 on one thread and the bench/
 * epoll loop, serving generated GIF flags at /flags/<cc>/<cc>.gif, with the
 * notes' three test modes (LOCAL, DELAY, ERROR).
 *
 *   bin/flagserver [--mode local|delay|error] [--delay S] [--error-rate R]
 *                  [--seed N] [--port P] [--port-file F] [--idle-timeout S]
 *   bin/flagserver --export DIR    (write the files and the manifest, exit)
 *
 * What to look for: everything happens in callbacks of one loop (the
 * listening socket, every connection, the delay and idle timers, and even
 * SIGTERM, which arrives as a readable signalfd), so nothing ever blocks
 * and there is nothing to lock. The per-connection work is in connection.c.
 */
#define _GNU_SOURCE
#include "server.h"
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

static const char about[] =
    "usage: flagserver [options]\n"
    "\n"
    "Serves generated flag images at http://127.0.0.1:PORT/flags/<cc>/<cc>.gif\n"
    "and their manifest at /flags/manifest.tsv (cc, size, FNV-1a 64 checksum).\n"
    "--mode local answers at once; delay makes every flag response wait --delay;\n"
    "error answers a seeded --error-rate of flag requests with 500 and delays\n"
    "half of them.\n"
    "\n";

void server_log(const server *server, const char *fmt, ...)
{
    if (server->options.verbose == 0)
        return;
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "flagserver: ");
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

typedef struct {
    server_options server;
    long port;
    const char *port_file;
    const char *export_directory;
} command_line;

static void parse_command_line(int argc, char **argv, command_line *line)
{
    int mode = MODE_LOCAL;
    double delay = -1, error_rate = -1;  /* -1: not given */
    bool help = false;
    *line = (command_line){.server = {.seed = 1, .idle_timeout = 5, .header_timeout = 10,
                                      .response_timeout = 30}};
    const bench_option options[] = {
        {"mode", 0, BENCH_OPT_CHOICE, &mode, "MODE",
         "local, delay or error (default local)", "local|delay|error"},
        {"delay", 0, BENCH_OPT_SECONDS, &delay, "S",
         "seconds a delayed response waits (default 0.5 in\n"
         "                             delay and error modes)", NULL},
        {"error-rate", 0, BENCH_OPT_SECONDS, &error_rate, "R",
         "fraction 0..1 of flag requests that fail (default\n"
         "                             0.25 in error mode)", NULL},
        {"seed", 0, BENCH_OPT_U64, &line->server.seed, "N", "seed of the fault injection (default 1)", NULL},
        {"port", 0, BENCH_OPT_NATURAL, &line->port, "P", "TCP port on 127.0.0.1 (default 0: a free one)", NULL},
        {"port-file", 0, BENCH_OPT_STRING, &line->port_file, "F", "write the port there once listening", NULL},
        {"idle-timeout", 0, BENCH_OPT_SECONDS, &line->server.idle_timeout, "S",
         "close connections silent this long (default 5;\n"
         "                             0: never)", NULL},
        {"header-timeout", 0, BENCH_OPT_SECONDS, &line->server.header_timeout, "S",
         "a request head must be whole this long after its\n"
         "                             first byte (or the accept), else 408 and close\n"
         "                             (default 10; 0: never)", NULL},
        {"response-timeout", 0, BENCH_OPT_SECONDS, &line->server.response_timeout, "S",
         "what is queued must be read this long after, else\n"
         "                             reset (default 30; 0: never)", NULL},
        {"export", 0, BENCH_OPT_STRING, &line->export_directory, "DIR",
         "write DIR/<cc>/<cc>.gif and DIR/manifest.tsv, exit", NULL},
        {"verbose", 'v', BENCH_OPT_FLAG, NULL, NULL, "log connections and requests on stderr", NULL},
        {"help", 'h', BENCH_OPT_FLAG, &help, NULL, "this help", NULL},
        BENCH_OPTIONS_END,
    };
    int first_operand = bench_parse_options(options, argc, argv, &line->server.verbose);
    if (help) {
        fputs(about, stdout);
        bench_print_options(options);
        exit(BENCH_EXIT_OK);
    }
    if (first_operand < argc)
        bench_usage_error("unexpected argument '%s'", argv[first_operand]);
    if (line->port > 65535)
        bench_usage_error("--port: '%ld' is not a port from 0 to 65535", line->port);
    if (error_rate > 1)
        bench_usage_error("--error-rate: '%g' is not a fraction from 0 to 1", error_rate);

    server_options *server = &line->server;
    server->mode = (server_mode)mode;
    /* A fault the mode would not inject is a mistake worth saying (0 is fine). */
    if (delay > 0 && server->mode == MODE_LOCAL)
        bench_usage_error("--delay '%g' needs --mode delay or error", delay);
    if (error_rate > 0 && server->mode != MODE_ERROR)
        bench_usage_error("--error-rate '%g' needs --mode error", error_rate);
    server->delay = delay >= 0 ? delay : server->mode == MODE_LOCAL ? 0 : 0.5;
    server->error_rate = error_rate >= 0 ? error_rate : 0.25;
}

/* ---- start-up --------------------------------------------------------------- */

/* Each connection is a descriptor: take every one the hard limit allows. */
static void raise_open_file_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        bench_fail("getrlimit(RLIMIT_NOFILE)");
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            bench_fail("setrlimit(RLIMIT_NOFILE)");
    }
}

static int listen_on_loopback(long port, int *bound_port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        bench_fail("socket");
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
        bench_fail("setsockopt(SO_REUSEADDR)");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0)
        bench_failf("bind 127.0.0.1:%ld: %s", port, strerror(errno));
    if (listen(fd, SOMAXCONN) != 0)
        bench_fail("listen");
    socklen_t size = sizeof address;
    if (getsockname(fd, (struct sockaddr *)&address, &size) != 0)
        bench_fail("getsockname");
    *bound_port = ntohs(address.sin_port);
    return fd;
}

/* Written to a temporary name and renamed, so a reader sees all or nothing. */
static void write_port_file(const char *path, int port)
{
    char temporary[4096];
    if (snprintf(temporary, sizeof temporary, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof temporary)
        bench_failf("--port-file: name too long: %s", path);
    FILE *file = fopen(temporary, "w");
    if (file == NULL)
        bench_failf("fopen %s: %s", temporary, strerror(errno));
    fprintf(file, "%d\n", port);
    if (fclose(file) != 0) {
        unlink(temporary);
        bench_failf("write %s: %s", temporary, strerror(errno));
    }
    if (rename(temporary, path) != 0) {
        unlink(temporary);
        bench_failf("rename %s to %s: %s", temporary, path, strerror(errno));
    }
}

/* SIGTERM and SIGINT become readable bytes on a descriptor the loop watches. */
static int open_signal_fd(void)
{
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    /* A shell may start us with SIGINT ignored; blocked, it still queues. */
    if (signal(SIGINT, SIG_DFL) == SIG_ERR || signal(SIGTERM, SIG_DFL) == SIG_ERR)
        bench_fail("signal");
    if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) != 0)
        bench_fail("sigprocmask");
    int fd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        bench_fail("signalfd");
    return fd;
}

/* ---- the loop's callbacks ------------------------------------------------------ */

static void on_listening_socket(loop *loop, int fd, uint32_t events, void *data);

static void resume_accepting(loop *loop, void *data)
{
    server *server = data;
    if (loop_watch(loop, server->listen_fd, EPOLLIN, on_listening_socket, server) != 0)
        bench_fail("epoll_ctl (listening socket)");
}

static void on_listening_socket(loop *loop, int fd, uint32_t events, void *data)
{
    (void)fd;
    (void)events;
    server *server = data;
    if (!connections_accept(server)) {
        /* Out of descriptors: the socket stays readable, so stop watching it
         * for a moment instead of spinning; closing connections frees some. */
        if (loop_unwatch(loop, server->listen_fd) != 0)
            bench_fail("epoll_ctl (listening socket)");
        if (loop_timer_add(loop, 0.1, resume_accepting, server) == NULL)
            bench_failf("out of memory for a timer");
    }
}

static void on_signal(loop *loop, int fd, uint32_t events, void *data)
{
    (void)events;
    server *server = data;
    struct signalfd_siginfo info;
    ssize_t size = read(fd, &info, sizeof info);
    if (size != (ssize_t)sizeof info) {
        if (size < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        bench_fail("read (signalfd)");
    }
    server_log(server, "%s: stopping", strsignal((int)info.ssi_signo));
    loop_stop(loop);
}

int main(int argc, char **argv)
{
    bench_set_program_name("flagserver");
    command_line line;
    parse_command_line(argc, argv, &line);

    server server = {.options = line.server, .listen_fd = -1};
    if (!flags_build(&server.flags))
        bench_failf("out of memory generating the flags");
    if (line.export_directory != NULL) {
        bool exported = flags_export(&server.flags, line.export_directory);
        flags_free(&server.flags);
        return exported ? BENCH_EXIT_OK : BENCH_EXIT_WRONG;
    }

    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)  /* a vanished client is an EPIPE, not a death */
        bench_fail("signal(SIGPIPE)");
    raise_open_file_limit();
    int signal_fd = open_signal_fd();
    int port;
    server.listen_fd = listen_on_loopback(line.port, &port);
    server.loop = loop_new();
    if (server.loop == NULL)
        bench_fail("loop_new (epoll_create1)");
    if (loop_watch(server.loop, server.listen_fd, EPOLLIN, on_listening_socket, &server) != 0 ||
        loop_watch(server.loop, signal_fd, EPOLLIN, on_signal, &server) != 0)
        bench_fail("epoll_ctl");

    if (line.port_file != NULL)
        write_port_file(line.port_file, port);
    printf("listening on http://127.0.0.1:%d/flags\n", port);
    if (fflush(stdout) != 0)
        bench_fail("fflush(stdout)");
    server_log(&server, "mode %s, delay %g s, error rate %g, seed %llu, idle timeout %g s",
               (const char *[]){"local", "delay", "error"}[server.options.mode],
               server.options.delay, server.options.error_rate,
               (unsigned long long)server.options.seed, server.options.idle_timeout);

    int status = loop_run(server.loop);
    if (status != 0)
        fprintf(stderr, "flagserver: epoll_wait: %s\n", strerror(errno));

    connections_close_all(&server);
    if (line.port_file != NULL && unlink(line.port_file) != 0 && errno != ENOENT)
        fprintf(stderr, "flagserver: unlink %s: %s\n", line.port_file, strerror(errno));
    if (close(server.listen_fd) != 0 || close(signal_fd) != 0)
        fprintf(stderr, "flagserver: close: %s\n", strerror(errno));
    loop_free(server.loop);
    flags_free(&server.flags);
    server_log(&server, "stopped");
    return status == 0 ? BENCH_EXIT_OK : BENCH_EXIT_WRONG;
}
