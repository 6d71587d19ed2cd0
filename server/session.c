/*
 * session.c - one connection served from accept to close with blocking
 * calls: the unit of work of the iterative, fork, pthread, prefork and pool
 * servers. Read a request head, answer it (sleeping out a delay right here,
 * which is what holds a thread or process busy in those models), again
 * while keep-alive, then close lingering.
 *
 * Every wait is a poll() on the socket and the stop pipe, with the nearest
 * deadline as its timeout: --idle-timeout between requests, --header-timeout
 * for a head (408), --response-timeout for an answer to go out.
 */
#define _GNU_SOURCE
#include "respond.h"
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const double LINGER_SECONDS = 2.0;

/* Waits for `events` on fd until `deadline` (bench_now() seconds; INFINITY:
 * none). 1: ready, 0: deadline passed, -1: stopping or poll failed. */
static int wait_for(const core *core, int fd, short events, double deadline)
{
    for (;;) {
        struct pollfd ready[2] = {{.fd = core->stop_fd, .events = POLLIN},
                                  {.fd = fd, .events = events}};
        double left = deadline - bench_now();
        if (left <= 0)
            return 0;
        int timeout = deadline == INFINITY ? -1 : left > 1e6 ? 1000000000 : (int)ceil(left * 1000);
        int count = poll(ready, fd >= 0 ? 2 : 1, timeout);
        if (core_stopping() || (count < 0 && errno != EINTR) || (count > 0 && ready[0].revents))
            return -1;
        if (count > 0)
            return 1;
    }
}

/* Sends all of it by `deadline`. False if the client went or was too slow. */
static bool send_all(const core *core, int fd, const char *bytes, size_t size, double deadline)
{
    while (size > 0) {
        ssize_t sent = send(fd, bytes, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0) {
            bytes += sent;
            size -= (size_t)sent;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (wait_for(core, fd, POLLOUT, deadline) != 1)
                return false;
        } else {
            core_log(core, "send fd %d: %s", fd, strerror(errno));
            return false;
        }
    }
    return true;
}

static bool send_response(const core *core, int fd, const response *answer)
{
    char header[512];
    size_t header_size = respond_header(answer, header, sizeof header);
    double deadline = core->options.response_timeout > 0
                      ? bench_now() + core->options.response_timeout : INFINITY;
    return send_all(core, fd, header, header_size, deadline) &&
           (answer->head || send_all(core, fd, answer->body, answer->body_size, deadline));
}

/* Our FIN, then read and drop what the client still sends until its FIN:
 * closing with unread data would reset the answer in flight. */
static void close_lingering(const core *core, int fd)
{
    if (shutdown(fd, SHUT_WR) == 0) {
        double deadline = bench_now() + LINGER_SECONDS;
        char sink[4096];
        while (wait_for(core, fd, POLLIN, deadline) == 1 && recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0)
            ;
    }
    close(fd);
}

void core_serve(core *core, int fd, uint64_t (*next_number)(void *), void *context)
{
    const server_options *options = &core->options;
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
        core_log(core, "setsockopt(TCP_NODELAY) fd %d: %s", fd, strerror(errno));
    char input[HTTP_MAX_REQUEST];
    size_t input_size = 0;
    double now = bench_now(), last_activity = now, head_started = now;
    core_log(core, "connection %d opened", fd);
    for (;;) {
        http_request request;
        http_parse_status status = http_parse_request(input, input_size, &request);
        if (status == HTTP_PARSE_INCOMPLETE) {
            double deadline = options->idle_timeout > 0 ? last_activity + options->idle_timeout : INFINITY;
            bool head_due = options->header_timeout > 0 && head_started > 0 &&
                            head_started + options->header_timeout < deadline;
            if (head_due)
                deadline = head_started + options->header_timeout;
            int ready = wait_for(core, fd, POLLIN, deadline);
            if (ready == 0 && head_due) {
                core_log(core, "fd %d: no whole request head in %g s -> 408", fd, options->header_timeout);
                response answer = respond_error(408, NULL);
                send_response(core, fd, &answer);
                close_lingering(core, fd);
                return;
            }
            if (ready != 1)
                break;  /* idle, or stopping */
            ssize_t received = recv(fd, input + input_size, sizeof input - input_size, MSG_DONTWAIT);
            if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                continue;
            if (received <= 0)
                break;  /* the client closed, or reset */
            input_size += (size_t)received;
            last_activity = bench_now();
            if (head_started == 0)
                head_started = last_activity;
            continue;
        }
        if (status != HTTP_PARSE_DONE) {  /* malformed or too long: answer, close */
            response answer = respond_error(respond_parse_error(status), NULL);
            send_response(core, fd, &answer);
            close_lingering(core, fd);
            return;
        }
        double delay;
        response answer = respond(core, &request, next_number, context, &delay);
        core_log(core, "fd %d: %.*s -> %d%s", fd, (int)request.target_length, request.target,
                 answer.status, delay > 0 ? " (delayed)" : "");
        if (delay > 0 && wait_for(core, -1, 0, bench_now() + delay) < 0)
            break;  /* the delay: this thread or process sleeps, and serves no one else */
        if (!send_response(core, fd, &answer)) {
            struct linger abort_on_close = {.l_onoff = 1, .l_linger = 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
            break;
        }
        if (!answer.keep_alive) {
            close_lingering(core, fd);
            return;
        }
        input_size -= request.length;
        memmove(input, input + request.length, input_size);
        last_activity = bench_now();
        head_started = input_size > 0 ? last_activity : 0;
    }
    core_log(core, "connection %d closed", fd);
    close(fd);
}
