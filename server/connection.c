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
 *   idle       -> a timer closes a connection silent for --idle-timeout.
 *
 * What to look for: the interest set (EPOLLIN / EPOLLOUT) changes with the
 * state, in update(); a client that resets costs its own connection only.
 */
#define _GNU_SOURCE
#include "server.h"
#include "http.h"
#include "bench.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Stop reading requests while this much output is still unsent. */
enum { OUTPUT_HIGH_WATER = 256 * 1024 };
/* How long a closing connection reads and drops what the client still sends. */
static const double LINGER_SECONDS = 2.0;

typedef struct {
    int status;
    const char *content_type;
    const void *body;
    size_t body_size;
    bool head;          /* HEAD: the header only */
    bool keep_alive;
    int minor_version;
} response;

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
    loop_timer *idle_timer;
    loop_timer *delay_timer;          /* set while a response waits */
    response delayed_response;        /* ... and this is the response */
    bool close_after_output;          /* the last response said Connection: close */
    bool peer_closed;                 /* read returned 0 */
    bool lingering;                   /* our FIN is sent; draining the client's data */
};

static void connection_close(connection *self, const char *why)
{
    server *server = self->server;
    server_log(server, "connection %d closed: %s", self->fd, why);
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

static bool append_output(connection *self, const void *bytes, size_t size)
{
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
    return true;
}

static bool append_response(connection *self, const response *answer)
{
    char header[512];
    const char *connection_field = !answer->keep_alive ? "Connection: close\r\n"
                                   : answer->minor_version == 0 ? "Connection: keep-alive\r\n"
                                   : "";
    int header_size = snprintf(header, sizeof header,
                               "HTTP/1.1 %d %s\r\nServer: flagserver\r\n"
                               "Content-Type: %s\r\nContent-Length: %zu\r\n%s%s\r\n",
                               answer->status, http_reason(answer->status),
                               answer->content_type, answer->body_size, connection_field,
                               answer->status == 405 ? "Allow: GET, HEAD\r\n" : "");
    if (!answer->keep_alive)
        self->close_after_output = true;
    return append_output(self, header, (size_t)header_size) &&
           (answer->head || append_output(self, answer->body, answer->body_size));
}

static const char *error_body(int status)
{
    switch (status) {
    case 400: return "400 Bad Request\n";
    case 404: return "404 Not Found\n";
    case 405: return "405 Method Not Allowed\n";
    case 431: return "431 Request Header Fields Too Large\n";
    default: return "500 Internal Server Error\n";
    }
}

/* A short text answer; request is NULL when there was no valid one. */
static response error_response(int status, const http_request *request)
{
    const char *body = error_body(status);
    return (response){
        .status = status, .content_type = "text/plain", .body = body, .body_size = strlen(body),
        .head = request && request->method == HTTP_HEAD,
        .keep_alive = request && request->keep_alive,
        .minor_version = request ? request->minor_version : 1,
    };
}

/* A number in [0, 1) that depends only on the seed, the request's number
 * and which draw it is: the same run of requests meets the same faults. */
static double fault_draw(const server *server, uint64_t request_number, int which)
{
    uint64_t bits = bench_mix64(server->options.seed ^ bench_mix64(2 * request_number + (uint64_t)which));
    return (double)(bits >> 11) * 0x1p-53;
}

/* The answer to one request, and how long it waits (fault injection). */
static response answer_request(connection *self, const http_request *request, double *delay)
{
    server *server = self->server;
    *delay = 0;
    if (request->method == HTTP_OTHER_METHOD)
        return error_response(405, request);
    char code[2];
    http_route_kind route = http_route(request->target, request->target_length, code);
    if (route == ROUTE_MANIFEST)  /* never delayed nor failed */
        return (response){200, "text/tab-separated-values", server->flags.manifest,
                          server->flags.manifest_size, request->method == HTTP_HEAD,
                          request->keep_alive, request->minor_version};
    if (route == ROUTE_NOT_FOUND)
        return error_response(404, request);

    /* A flag request: faults first, then the lookup. */
    uint64_t number = server->flag_requests++;
    const server_options *options = &server->options;
    if (options->mode == MODE_DELAY)
        *delay = options->delay;
    if (options->mode == MODE_ERROR) {
        if (fault_draw(server, number, 1) < 0.5)
            *delay = options->delay;
        if (fault_draw(server, number, 0) < options->error_rate)
            return error_response(500, request);
    }
    const flag_image *image = flags_find(&server->flags, code[0], code[1]);
    if (image == NULL)
        return error_response(404, request);
    return (response){200, "image/gif", image->gif, image->gif_size,
                      request->method == HTTP_HEAD, request->keep_alive, request->minor_version};
}

/* ---- the state machine ------------------------------------------------------------ */

static void on_event(loop *loop, int fd, uint32_t events, void *data);
static void on_delay_done(loop *loop, void *data);

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
        server_log(self->server, "shutdown fd %d: %s", self->fd, strerror(errno));
        return false;
    }
    self->lingering = true;
    if (self->idle_timer)
        loop_timer_cancel(self->server->loop, self->idle_timer);
    self->idle_timer = loop_timer_add(self->server->loop, LINGER_SECONDS, on_linger_done, self);
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
            self->last_activity = loop_now(self->server->loop);
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        } else {
            server_log(self->server, "send fd %d: %s", self->fd, strerror(errno));
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
            if (self->input_size < sizeof self->input)
                break;
            answer = error_response(431, NULL);  /* the head does not fit: close */
            self->input_size = 0;
        } else if (status == HTTP_PARSE_BAD) {
            answer = error_response(400, NULL);  /* malformed: close */
            self->input_size = 0;
        } else {
            answer = answer_request(self, &request, &delay);
            server_log(self->server, "fd %d: %s %.*s -> %d%s", self->fd,
                       request.method == HTTP_GET ? "GET" : request.method == HTTP_HEAD ? "HEAD" : "other",
                       (int)request.target_length, request.target, answer.status,
                       delay > 0 ? " (delayed)" : "");
            self->input_size -= request.length;
            memmove(self->input, self->input + request.length, self->input_size);
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
        } else if (received == 0) {
            self->peer_closed = true;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            server_log(self->server, "recv fd %d: %s", fd, strerror(errno));
            connection_close(self, "recv failed");
            return;
        }
        answer_requests(self);
        return;
    }
    answer_requests(self);  /* EPOLLOUT: write the rest, then answer what waited for it */
}

static void on_idle_check(loop *loop, void *data)
{
    connection *self = data;
    self->idle_timer = NULL;
    double timeout = self->server->options.idle_timeout;
    double remaining = self->last_activity + timeout - loop_now(loop);
    if (self->delay_timer != NULL)  /* waiting on us is not idling */
        remaining = timeout;
    if (remaining > 0.001) {
        self->idle_timer = loop_timer_add(loop, remaining, on_idle_check, self);
        if (self->idle_timer == NULL)
            connection_close(self, "out of memory for a timer");
        return;
    }
    connection_close(self, "idle timeout");
}

static void connection_open(server *server, int fd)
{
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
        server_log(server, "setsockopt(TCP_NODELAY) fd %d: %s", fd, strerror(errno));
    connection *self = calloc(1, sizeof *self);
    if (self == NULL) {
        fprintf(stderr, "flagserver: out of memory for connection %d\n", fd);
        close(fd);
        return;
    }
    self->server = server;
    self->fd = fd;
    self->last_activity = loop_now(server->loop);
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
    if (server->options.idle_timeout > 0) {
        self->idle_timer = loop_timer_add(server->loop, server->options.idle_timeout,
                                          on_idle_check, self);
        if (self->idle_timer == NULL)
            connection_close(self, "out of memory for a timer");
    }
    server_log(server, "connection %d opened (%lu open)", fd, server->connection_count);
}

bool connections_accept(server *server)
{
    for (;;) {
        int fd = accept4(server->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
            /* Said once; again only with -v, as it repeats while it lasts. */
            if (server->accept_pauses++ == 0 || server->options.verbose)
                fprintf(stderr, "flagserver: accept4: %s (%lu connections open; see ulimit -n);"
                        " pausing new connections\n", strerror(errno), server->connection_count);
            return false;
        default:
            fprintf(stderr, "flagserver: accept4: %s\n", strerror(errno));
            return true;
        }
    }
}
