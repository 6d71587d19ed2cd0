/*
 * core.c - the flag server's start and end, the same for every model:
 * options, flags, --export, the listening socket on loopback, the port file
 * and the stop signals.
 *
 * Stopping: SIGTERM and SIGINT close the write end of a pipe (close is
 * async-signal-safe), so its read end, core->stop_fd, becomes readable for
 * every thread and every child that polls it, wherever they are waiting.
 */
#define _GNU_SOURCE
#include "server.h"
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static const char about[] =
    "Serves generated flag images at http://127.0.0.1:PORT/flags/<cc>/<cc>.gif\n"
    "and their manifest at /flags/manifest.tsv (cc, size, FNV-1a 64 checksum).\n"
    "--mode local answers at once; delay makes every flag response wait --delay;\n"
    "error answers a seeded --error-rate of flag requests with 500 and delays\n"
    "half of them.\n"
    "\n";

static char program[64] = "flagserver";
/* Written by the signal handler, read by every thread: atomic (lock-free,
 * so async-signal-safe), not merely volatile. */
static atomic_int stopping;
static atomic_int stop_write_fd = -1;

void core_log(const core *core, const char *fmt, ...)
{
    if (core->options.verbose == 0)
        return;
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

typedef struct {
    long port;
    const char *export_directory;
} command_line;

static void parse_command_line(core *core, int argc, char **argv, long default_workers,
                               command_line *line)
{
    int mode = MODE_LOCAL;
    double delay = -1, error_rate = -1;  /* -1: not given */
    bool help = false;
    long workers = 0;
    *line = (command_line){0};
    server_options *options = &core->options;
    *options = (server_options){.seed = 1, .idle_timeout = 5, .header_timeout = 10,
                                .response_timeout = 30};
    const bench_option table[] = {
        {"mode", 0, BENCH_OPT_CHOICE, &mode, "MODE",
         "local, delay or error (default local)", "local|delay|error"},
        {"delay", 0, BENCH_OPT_SECONDS, &delay, "S",
         "seconds a delayed response waits (default 0.5 in\n"
         "                             delay and error modes)", NULL},
        {"error-rate", 0, BENCH_OPT_SECONDS, &error_rate, "R",
         "fraction 0..1 of flag requests that fail (default\n"
         "                             0.25 in error mode)", NULL},
        {"seed", 0, BENCH_OPT_U64, &options->seed, "N", "seed of the fault injection (default 1)", NULL},
        {"port", 0, BENCH_OPT_NATURAL, &line->port, "P", "TCP port on 127.0.0.1 (default 0: a free one)", NULL},
        {"port-file", 0, BENCH_OPT_STRING, &core->port_file, "F", "write the port there once listening", NULL},
        {"idle-timeout", 0, BENCH_OPT_SECONDS, &options->idle_timeout, "S",
         "close connections silent this long (default 5;\n"
         "                             0: never)", NULL},
        {"header-timeout", 0, BENCH_OPT_SECONDS, &options->header_timeout, "S",
         "a request head must be whole this long after its\n"
         "                             first byte (or the accept), else 408 and close\n"
         "                             (default 10; 0: never)", NULL},
        {"response-timeout", 0, BENCH_OPT_SECONDS, &options->response_timeout, "S",
         "what is queued must be read this long after, else\n"
         "                             reset (default 30; 0: never)", NULL},
        {"workers", 'j', BENCH_OPT_COUNT, &workers, "N",
         "threads or processes of the pool and prefork\n"
         "                             models (default 32)", NULL},
        {"export", 0, BENCH_OPT_STRING, &line->export_directory, "DIR",
         "write DIR/<cc>/<cc>.gif and DIR/manifest.tsv, exit", NULL},
        {"verbose", 'v', BENCH_OPT_FLAG, NULL, NULL, "log connections and requests on stderr", NULL},
        {"help", 'h', BENCH_OPT_FLAG, &help, NULL, "this help", NULL},
        BENCH_OPTIONS_END,
    };
    int first_operand = bench_parse_options(table, argc, argv, &options->verbose);
    if (help) {
        printf("usage: %s [options]\n\n%s", program, about);
        bench_print_options(table);
        exit(BENCH_EXIT_OK);
    }
    if (first_operand < argc)
        bench_usage_error("unexpected argument '%s'", argv[first_operand]);
    if (line->port > 65535)
        bench_usage_error("--port: '%ld' is not a port from 0 to 65535", line->port);
    if (error_rate > 1)
        bench_usage_error("--error-rate: '%g' is not a fraction from 0 to 1", error_rate);
    if (workers > 0 && default_workers == 0)
        bench_usage_error("--workers '%ld': the %s model has no workers (pool and prefork do)",
                          workers, core->model);
    if (workers > 100000)
        bench_usage_error("--workers: '%ld' is more than 100000", workers);
    core->workers = workers > 0 ? workers : default_workers;

    options->mode = (server_mode)mode;
    /* A fault the mode would not inject is a mistake worth saying (0 is fine). */
    if (delay > 0 && options->mode == MODE_LOCAL)
        bench_usage_error("--delay '%g' needs --mode delay or error", delay);
    if (error_rate > 0 && options->mode != MODE_ERROR)
        bench_usage_error("--error-rate '%g' needs --mode error", error_rate);
    options->delay = delay >= 0 ? delay : options->mode == MODE_LOCAL ? 0 : 0.5;
    options->error_rate = error_rate >= 0 ? error_rate : 0.25;
}

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

static void on_stop_signal(int signal_number)
{
    (void)signal_number;
    atomic_store(&stopping, 1);
    int fd = atomic_exchange(&stop_write_fd, -1);
    if (fd >= 0)
        close(fd);
}

bool core_stopping(void)
{
    return atomic_load(&stopping) != 0;
}

void core_after_fork(core *core)
{
    (void)core;
    int fd = atomic_exchange(&stop_write_fd, -1);
    if (fd >= 0 && close(fd) != 0)
        bench_fail("close (stop pipe)");
}

static int open_stop_pipe(void)
{
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0)
        bench_fail("pipe2 (stop pipe)");
    atomic_store(&stop_write_fd, ends[1]);
    struct sigaction action = {.sa_handler = on_stop_signal};  /* no SA_RESTART: calls see EINTR */
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0 || sigaction(SIGINT, &action, NULL) != 0)
        bench_fail("sigaction");
    return ends[0];
}

void core_start(core *core, int argc, char **argv, const char *model, long default_workers)
{
    if (strcmp(model, "eventloop") != 0)
        snprintf(program, sizeof program, "flagserver-%s", model);
    bench_set_program_name(program);
    memset(core, 0, sizeof *core);
    core->model = model;
    core->listen_fd = core->stop_fd = -1;
    command_line line;
    parse_command_line(core, argc, argv, default_workers, &line);
    if (!flags_build(&core->flags))
        bench_failf("out of memory generating the flags");
    if (line.export_directory != NULL) {
        bool exported = flags_export(&core->flags, line.export_directory);
        flags_free(&core->flags);
        exit(exported ? BENCH_EXIT_OK : BENCH_EXIT_WRONG);
    }
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)  /* a vanished client is an EPIPE, not a death */
        bench_fail("signal(SIGPIPE)");
    raise_open_file_limit();
    core->stop_fd = open_stop_pipe();
    int port;
    core->listen_fd = listen_on_loopback(line.port, &port);
    if (core->port_file != NULL)
        write_port_file(core->port_file, port);
    printf("listening on http://127.0.0.1:%d/flags\n", port);
    if (fflush(stdout) != 0)
        bench_fail("fflush(stdout)");
    const server_options *options = &core->options;
    core_log(core, "model %s, mode %s, delay %g s, error rate %g, seed %llu, idle timeout %g s",
             model, (const char *[]){"local", "delay", "error"}[options->mode], options->delay,
             options->error_rate, (unsigned long long)options->seed, options->idle_timeout);
}

int core_finish(core *core, int status)
{
    if (core->port_file != NULL && unlink(core->port_file) != 0 && errno != ENOENT)
        fprintf(stderr, "%s: unlink %s: %s\n", program, core->port_file, strerror(errno));
    if (close(core->listen_fd) != 0 || close(core->stop_fd) != 0)
        fprintf(stderr, "%s: close: %s\n", program, strerror(errno));
    core_after_fork(core);  /* the stop pipe's write end, if no signal closed it */
    flags_free(&core->flags);
    core_log(core, "stopped");
    return status;
}

int core_accept(core *core)
{
    static unsigned long pauses;
    for (;;) {
        struct pollfd ready[2] = {{.fd = core->stop_fd, .events = POLLIN},
                                  {.fd = core->listen_fd, .events = POLLIN}};
        if (core_stopping() || (poll(ready, 2, -1) < 0 && errno != EINTR))
            return -1;
        if (core_stopping() || ready[0].revents)
            return -1;
        if (!ready[1].revents)
            continue;
        int fd = accept4(core->listen_fd, NULL, NULL, SOCK_CLOEXEC);  /* blocking */
        if (fd >= 0)
            return fd;
        switch (errno) {
        case EAGAIN:       /* another worker took it */
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
            continue;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            if (pauses++ == 0 || core->options.verbose)
                fprintf(stderr, "%s: accept4: %s (see ulimit -n); pausing new connections\n",
                        program, strerror(errno));
            poll(ready, 1, 100);  /* a moment, or until stopped */
            continue;
        default:
            fprintf(stderr, "%s: accept4: %s\n", program, strerror(errno));
            continue;
        }
    }
}
