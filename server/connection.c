/*
 * connection.c - one client connection of the flag server, as a small state
 * machine driven by the event loop (never blocking):
 *
 *   readable   -> read what has arrived into `input`, then answer every
 *                 complete request in it, in order (pipelining);
 *   a response -> appended to `output` (header and body in one buffer) and
 *                 written at once; what the socket does not take now is
 *                 written when it says EPOLLOUT (partial writes);
 *   a delay    -> the response waits on a loop timer: no thread sleeps, so
 *                 a thousand delayed clients cost a thousand heap entries;
 *   deadlines  -> one timer per connection, at the earliest of: silent for
 *                 --idle-timeout (closed), a request head begun
 *                 --header-timeout ago and still not whole (408, closed),
 *                 output queued --response-timeout ago and still unread
 *                 (closed). A byte a second keeps a connection from being
 *                 idle, never from its deadlines (slowloris);
 *   shedding   -> out of descriptors, accept closes a lingering connection,
 *                 else the oldest idle one, else the slowest head, so that a
 *                 normal client still gets in.
 *
 * What to look for: the interest set (EPOLLIN / EPOLLOUT) changes with the
 * state, in update(); a client that resets costs its own connection only.
 */
#define _GNU_SOURCE
#include "eventloop.h"
#include "respond.h"
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Stop reading requests while this much output is still unsent. */
enum { OUTPUT_HIGH_WATER = 256 * 1024 };
/* How long a closing connection reads and drops what the client still sends. */
static const double LINGER_SECONDS = 2.0;
/* Out of descriptors, only a connection idle or on its head this long may be
 * closed for a newcomer: a client that has just connected is not slow yet. */
static const double SHED_MIN_AGE = 0.5;

struct connection {
    server *server;
    int fd;
    connection *previous, *next;      /* server->connections list */
    char input[HTTP_MAX_REQUEST];
    size_t input_size;
    char *output;
    size_t output_size, output_sent, output_capacity;
    uint32_t watched_events;
    double last_activity;
    double head_started;              /* first byte (or accept) of the head; 0: none begun */
    uint64_t queued_total, sent_total; /* bytes of output ever queued, ever sent */
    double output_started;            /* the response clock: what was queued then ... */
    uint64_t output_mark;             /* ... (queued_total then) must be read in time */
    bool output_pending;              /* the clock runs: queued output not known read */
    loop_timer *idle_timer;           /* the deadlines (or the lingering close) */
    double timer_at;                  /* when it fires */
    loop_timer *delay_timer;          /* set while a response waits */
    response delayed_response;        /* ... and this is the response */
    bool close_after_output;          /* the last response said Connection: close */
    bool peer_closed;                 /* read returned 0 */
    bool lingering;                   /* our FIN is sent; draining the client's data */
};

static void connection_close(connection *self, const char *why)
{
    server *server = self->server;
    core_log(&server->core, "connection %d closed: %s", self->fd, why);
    if (self->idle_timer)
        loop_timer_cancel(server->loop, self->idle_timer);
    if (self->delay_timer)
        loop_timer_cancel(server->loop, self->delay_timer);
    if (loop_unwatch(server->loop, self->fd) != 0)
        fprintf(stderr, "flagserver: epoll_ctl(DEL) fd %d: %s\n", self->fd, strerror(errno));
    if (close(self->fd) != 0)
        fprintf(stderr, "flagserver: close fd %d: %s\n", self->fd, strerror(errno));
    if (self->previous)
        self->previous->next = self->next;
    else
        server->connections = self->next;
    if (self->next)
        self->next->previous = self->previous;
    server->connection_count--;
    free(self->output);
    free(self);
}

void connections_close_all(server *server)
{
    while (server->connections)
        connection_close(server->connections, "server stopping");
}

/* ---- responses --------------------------------------------------------------- */

/* The response clock: what is queued when it starts must be read by the
 * client (sent, and out of the kernel's send queue) within
 * --response-timeout; then it restarts for what was queued meanwhile. So a
 * fast reader of a long pipeline never meets it, a slow one always does. */
static void start_output_clock(connection *self)
{
    self->output_started = loop_now(self->server->loop);
    self->output_mark = self->queued_total;
    self->output_pending = true;
}

/* At the response deadline: false if the client is too slow; else restarts
 * the clock (or stops it, everything having been read). */
static bool output_read_in_time(connection *self)
{
    int in_kernel = 0;
    if (ioctl(self->fd, SIOCOUTQ, &in_kernel) != 0)
        in_kernel = 0;  /* cannot tell: judge by what we still hold */
    uint64_t read_total = self->sent_total - (uint64_t)in_kernel;
    if (read_total < self->output_mark)
        return false;
    if (read_total < self->queued_total)
        start_output_clock(self);
    else
        self->output_pending = false;
    return true;
}

static bool append_output(connection *self, const void *bytes, size_t size)
{
    if (self->output_sent > 0) {  /* drop what was sent, so the buffer stays small */
        self->output_size -= self->output_sent;
        memmove(self->output, self->output + self->output_sent, self->output_size);
        self->output_sent = 0;
    }
    if (self->output_size + size > self->output_capacity) {
        size_t capacity = self->output_capacity ? self->output_capacity : 4096;
        while (capacity < self->output_size + size)
            capacity *= 2;
        char *grown = realloc(self->output, capacity);
        if (grown == NULL)
            return false;
        self->output = grown;
        self->output_capacity = capacity;
    }
    memcpy(self->output + self->output_size, bytes, size);
    self->output_size += size;
    self->queued_total += size;
    if (!self->output_pending)
        start_output_clock(self);
    return true;
}

static bool append_response(connection *self, const response *answer)
{
    char header[512];
    size_t header_size = respond_header(answer, header, sizeof header);
    if (!answer->keep_alive)
        self->close_after_output = true;
    return append_output(self, header, header_size) &&
           (answer->head || append_output(self, answer->body, answer->body_size));
}

static uint64_t next_number(void *data)
{
    server *server = data;
    return server->flag_requests++;  /* one thread: nothing to lock */
}

/* ---- the state machine ------------------------------------------------------------ */

static void on_event(loop *loop, int fd, uint32_t events, void *data);
static void on_delay_done(loop *loop, void *data);
static void schedule_deadline(connection *self);

static void on_linger_done(loop *loop, void *data)
{
    (void)loop;
    connection *self = data;
    self->idle_timer = NULL;
    connection_close(self, "lingering close timed out");
}

/* A lingering close: send our FIN, then read and drop what the client
 * still sends until its FIN (or LINGER_SECONDS). Closing at once with
 * unread data would send a reset, which can destroy the answer in flight. */
static bool start_lingering(connection *self)
{
    if (shutdown(self->fd, SHUT_WR) != 0) {
        core_log(&self->server->core, "shutdown fd %d: %s", self->fd, strerror(errno));
        return false;
    }
    self->lingering = true;
    if (self->idle_timer)
        loop_timer_cancel(self->server->loop, self->idle_timer);
    self->idle_timer = loop_timer_add(self->server->loop, LINGER_SECONDS, on_linger_done, self);
    self->timer_at = loop_now(self->server->loop) + LINGER_SECONDS;
    return self->idle_timer != NULL;
}

/* Writes what the socket takes. False if the connection failed. */
static bool flush_output(connection *self)
{
    while (self->output_sent < self->output_size) {
        ssize_t sent = send(self->fd, self->output + self->output_sent,
                            self->output_size - self->output_sent, MSG_NOSIGNAL);
        if (sent > 0) {
            self->output_sent += (size_t)sent;
            self->sent_total += (uint64_t)sent;
            self->last_activity = loop_now(self->server->loop);
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        } else {
            core_log(&self->server->core, "send fd %d: %s", self->fd, strerror(errno));
            return false;
        }
    }
    self->output_sent = self->output_size = 0;
    return true;
}

/* Writes, then closes the connection or sets what to wait for. */
static void update(connection *self)
{
    if (!flush_output(self)) {
        connection_close(self, "send failed");
        return;
    }
    size_t unsent = self->output_size - self->output_sent;
    bool waiting = self->delay_timer != NULL;
    if (unsent == 0 && !waiting && self->peer_closed) {
        connection_close(self, "client closed");
        return;
    }
    if (unsent == 0 && !waiting && self->close_after_output) {
        if (!self->lingering && !start_lingering(self)) {
            connection_close(self, "Connection: close");
            return;
        }
        self->input_size = 0;  /* dropped */
    }
    uint32_t events = 0;
    if (self->lingering || (!waiting && !self->close_after_output && !self->peer_closed &&
                            self->input_size < sizeof self->input && unsent < OUTPUT_HIGH_WATER))
        events |= EPOLLIN;
    if (unsent > 0)
        events |= EPOLLOUT;
    if (events != self->watched_events) {
        if (loop_watch(self->server->loop, self->fd, events, on_event, self) != 0) {
            fprintf(stderr, "flagserver: epoll_ctl fd %d: %s\n", self->fd, strerror(errno));
            connection_close(self, "epoll_ctl failed");
            return;
        }
        self->watched_events = events;
    }
    schedule_deadline(self);
}

/* Answers the complete requests in `input`, in order, until one has to
 * wait (a delay), the connection is to close, or the client is not reading
 * fast enough (OUTPUT_HIGH_WATER unsent even after a write). */
static void answer_requests(connection *self)
{
    while (self->delay_timer == NULL && !self->close_after_output && self->input_size > 0) {
        if (self->output_size - self->output_sent >= OUTPUT_HIGH_WATER) {
            if (!flush_output(self)) {
                connection_close(self, "send failed");
                return;
            }
            if (self->output_size - self->output_sent >= OUTPUT_HIGH_WATER)
                break;  /* the socket is full: EPOLLOUT will bring us back */
        }
        http_request request;
        http_parse_status status = http_parse_request(self->input, self->input_size, &request);
        response answer;
        double delay = 0;
        if (status == HTTP_PARSE_INCOMPLETE) {
            break;
        } else if (status != HTTP_PARSE_DONE) {  /* malformed or too long: close */
            answer = respond_error(respond_parse_error(status), NULL);
            self->input_size = 0;
            self->head_started = 0;
        } else {
            answer = respond(&self->server->core, &request, next_number, self->server, &delay);
            core_log(&self->server->core, "fd %d: %s %.*s -> %d%s", self->fd,
                       request.method == HTTP_GET ? "GET" : request.method == HTTP_HEAD ? "HEAD" : "other",
                       (int)request.target_length, request.target, answer.status,
                       delay > 0 ? " (delayed)" : "");
            self->input_size -= request.length;
            memmove(self->input, self->input + request.length, self->input_size);
            self->head_started = self->input_size > 0 ? loop_now(self->server->loop) : 0;
        }
        if (delay > 0) {
            self->delayed_response = answer;
            self->delay_timer = loop_timer_add(self->server->loop, delay, on_delay_done, self);
            if (self->delay_timer == NULL) {
                connection_close(self, "out of memory for a timer");
                return;
            }
        } else if (!append_response(self, &answer)) {
            connection_close(self, "out of memory for output");
            return;
        }
    }
    update(self);
}

static void on_delay_done(loop *loop, void *data)
{
    connection *self = data;
    self->delay_timer = NULL;  /* the loop frees a timer once it fired */
    self->last_activity = loop_now(loop);
    if (!append_response(self, &self->delayed_response)) {
        connection_close(self, "out of memory for output");
        return;
    }
    answer_requests(self);
}

static void on_event(loop *loop, int fd, uint32_t events, void *data)
{
    (void)loop;
    connection *self = data;
    if (events & (EPOLLERR | EPOLLHUP)) {
        connection_close(self, events & EPOLLERR ? "socket error" : "hang-up");
        return;
    }
    if (events & EPOLLIN) {
        ssize_t received = recv(fd, self->input + self->input_size,
                                sizeof self->input - self->input_size, 0);
        if (received > 0) {
            self->input_size += (size_t)received;
            self->last_activity = loop_now(self->server->loop);
            if (self->head_started == 0 && !self->lingering)
                self->head_started = self->last_activity;
        } else if (received == 0) {
            self->peer_closed = true;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            core_log(&self->server->core, "recv fd %d: %s", fd, strerror(errno));
            connection_close(self, "recv failed");
            return;
        }
        answer_requests(self);
        return;
    }
    answer_requests(self);  /* EPOLLOUT: write the rest, then answer what waited for it */
}

/* The earliest deadline that applies now, and what it closes for; INFINITY
 * if none does. */
static double next_deadline(const connection *self, const char **why)
{
    const server_options *options = &self->server->core.options;
    bool waiting_on_us = self->delay_timer != NULL;  /* waiting on us is not idling */
    bool unsent = self->output_sent < self->output_size;
    double deadline = INFINITY;
    *why = NULL;
    if (options->idle_timeout > 0 && !waiting_on_us &&
        self->last_activity + options->idle_timeout < deadline) {
        deadline = self->last_activity + options->idle_timeout;
        *why = "idle timeout";
    }
    if (options->header_timeout > 0 && self->head_started > 0 && !waiting_on_us && !unsent &&
        self->head_started + options->header_timeout < deadline) {
        deadline = self->head_started + options->header_timeout;
        *why = "header timeout";
    }
    if (options->response_timeout > 0 && self->output_pending &&
        self->output_started + options->response_timeout < deadline) {
        deadline = self->output_started + options->response_timeout;
        *why = "response timeout";
    }
    return deadline;
}

static void on_deadline(loop *loop, void *data)
{
    connection *self = data;
    self->idle_timer = NULL;
    self->timer_at = INFINITY;
    const char *why;
    double deadline = next_deadline(self, &why);
    if (deadline > loop_now(loop) + 0.001 ||
        (strcmp(why, "response timeout") == 0 && output_read_in_time(self))) {
        schedule_deadline(self);
        return;
    }
    if (strcmp(why, "response timeout") == 0) {
        /* Reset, not FIN: closing would leave the kernel sending the queued
         * bytes to the slow reader for as long as it pleases. */
        struct linger abort_on_close = {.l_onoff = 1, .l_linger = 0};
        if (setsockopt(self->fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) != 0)
            core_log(&self->server->core, "setsockopt(SO_LINGER) fd %d: %s", self->fd, strerror(errno));
    }
    if (strcmp(why, "header timeout") != 0) {
        connection_close(self, why);
        return;
    }
    core_log(&self->server->core, "fd %d: no whole request head in %g s -> 408", self->fd,
               self->server->core.options.header_timeout);
    response answer = respond_error(408, NULL);
    self->input_size = 0;
    self->head_started = 0;
    if (!append_response(self, &answer)) {
        connection_close(self, "out of memory for output");
        return;
    }
    update(self);
}

/* Makes the timer fire no later than the earliest deadline. */
static void schedule_deadline(connection *self)
{
    if (self->lingering)
        return;  /* the lingering close has a timer of its own */
    const char *why;
    double deadline = next_deadline(self, &why);
    if (self->idle_timer != NULL && self->timer_at <= deadline + 0.001)
        return;  /* it fires early enough, and on_deadline looks again */
    if (self->idle_timer != NULL)
        loop_timer_cancel(self->server->loop, self->idle_timer);
    self->idle_timer = NULL;
    self->timer_at = INFINITY;
    if (deadline == INFINITY)
        return;
    double now = loop_now(self->server->loop);
    self->idle_timer = loop_timer_add(self->server->loop, deadline > now ? deadline - now : 0,
                                      on_deadline, self);
    if (self->idle_timer == NULL) {
        fprintf(stderr, "flagserver: out of memory for a timer (fd %d)\n", self->fd);
        return;  /* the next event tries again */
    }
    self->timer_at = deadline;
}

static void connection_open(server *server, int fd)
{
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
        core_log(&server->core, "setsockopt(TCP_NODELAY) fd %d: %s", fd, strerror(errno));
    connection *self = calloc(1, sizeof *self);
    if (self == NULL) {
        fprintf(stderr, "flagserver: out of memory for connection %d\n", fd);
        close(fd);
        return;
    }
    self->server = server;
    self->fd = fd;
    self->last_activity = self->head_started = loop_now(server->loop);
    self->timer_at = INFINITY;
    if (loop_watch(server->loop, fd, EPOLLIN, on_event, self) != 0) {
        fprintf(stderr, "flagserver: epoll_ctl(ADD) fd %d: %s\n", fd, strerror(errno));
        close(fd);
        free(self);
        return;
    }
    self->watched_events = EPOLLIN;
    self->next = server->connections;
    if (self->next)
        self->next->previous = self;
    server->connections = self;
    server->connection_count++;
    schedule_deadline(self);
    core_log(&server->core, "connection %d opened (%lu open)", fd, server->connection_count);
}

/* Out of descriptors: closes one connection to make room for a newcomer. In
 * order: a lingering one (its answer is sent), the one idle longest between
 * requests, the one whose request head has taken longest so far. One being
 * answered (a delay, unsent output) is never chosen. False if none may go. */
static bool shed_one(server *server)
{
    double now = loop_now(server->loop);
    connection *chosen = NULL;
    int chosen_rank = 0;
    double chosen_since = 0;
    for (connection *each = server->connections; each; each = each->next) {
        int rank;
        double since;
        if (each->lingering) {
            rank = 3, since = 0;
        } else if (each->delay_timer != NULL || each->output_sent < each->output_size) {
            continue;
        } else if (each->head_started == 0 && each->input_size == 0) {
            rank = 2, since = each->last_activity;   /* idle between requests */
        } else {
            rank = 1, since = each->head_started;    /* on its head (or silent since accept) */
        }
        if (rank < 3 && now - since < SHED_MIN_AGE)
            continue;
        if (rank > chosen_rank || (rank == chosen_rank && since < chosen_since))
            chosen = each, chosen_rank = rank, chosen_since = since;
    }
    if (chosen == NULL)
        return false;
    if (server->shed_count++ == 0)
        fprintf(stderr, "flagserver: out of descriptors (see ulimit -n): closing lingering,"
                " idle, then slowest connections to make room\n");
    if (chosen->lingering) {  /* read what is left, so that closing sends no reset */
        char sink[4096];
        for (int reads = 0; reads < 16 && recv(chosen->fd, sink, sizeof sink, 0) > 0; reads++)
            ;
    }
    connection_close(chosen, chosen_rank == 3 ? "shed (lingering)"
                             : chosen_rank == 2 ? "shed (idle)" : "shed (slowest head)");
    return true;
}

bool connections_accept(server *server)
{
    for (;;) {
        int fd = accept4(server->core.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            connection_open(server, fd);
            continue;
        }
        switch (errno) {
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            return true;
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
            continue;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            if (shed_one(server))
                continue;
            /* Said once; again only with -v, as it repeats while it lasts. */
            if (server->accept_pauses++ == 0 || server->core.options.verbose)
                fprintf(stderr, "flagserver: accept4: %s (%lu connections open; see ulimit -n);"
                        " pausing new connections\n", strerror(errno), server->connection_count);
            return false;
        default:
            fprintf(stderr, "flagserver: accept4: %s\n", strerror(errno));
            return true;
        }
    }
}
