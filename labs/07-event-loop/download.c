/*
 * download.c - the HTTP client side of lab 7, as callbacks of tiny_loop.
 *
 * A download is a small state machine: connect() returns at once with
 * EINPROGRESS; the loop reports the socket writable when the connection is
 * up (or failed: SO_ERROR says which), and we send the request; then we
 * watch for readable and append whatever arrived, until the headers and
 * Content-Length bytes of body are in. Nothing here ever waits.
 */
#define _GNU_SOURCE                     /* memmem */
#include "download.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

size_t download_body_size(const download *download)
{
    return download->response_length - download->header_length;
}

static void finish(tiny_loop *loop, download *download, const char *failure)
{
    if (download->watcher.fd >= 0) {
        tiny_loop_unwatch(loop, &download->watcher);
        if (close(download->watcher.fd) != 0)
            perror("download: close");
        download->watcher.fd = -1;
    }
    download->finished_at = monotonic_seconds();
    download->outcome = failure ? DOWNLOAD_FAILED : DOWNLOAD_OK;
    download->failure = failure;
    if (download->on_finish)
        download->on_finish(loop, download);
}

/* Once the blank line is in: the status and Content-Length. */
static const char *parse_headers(download *download)
{
    char *end = memmem(download->response, download->response_length, "\r\n\r\n", 4);
    if (end == NULL)
        return NULL;                            /* not yet */
    *end = '\0';                                /* headers become a C string */
    download->header_length = end + 4 - download->response;
    if (sscanf(download->response, "HTTP/1.%*d %d", &download->status) != 1)
        return "no HTTP status line";
    download->content_length = -1;
    for (char *line = strstr(download->response, "\r\n"); line; line = strstr(line + 2, "\r\n"))
        if (strncasecmp(line + 2, "Content-Length:", 15) == 0)
            download->content_length = atol(line + 2 + 15);
    return download->content_length < 0 ? "no Content-Length" : NULL;
}

static void receive(tiny_loop *loop, download *download)
{
    for (;;) {
        if (download->response_capacity - download->response_length < 4096) {
            size_t capacity = download->response_capacity * 2 + 4096;
            char *grown = realloc(download->response, capacity + 1);
            if (grown == NULL)
                return finish(loop, download, "out of memory");
            download->response = grown;
            download->response_capacity = capacity;
        }
        ssize_t received = recv(download->watcher.fd, download->response + download->response_length,
                                download->response_capacity - download->response_length, 0);
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;                             /* the rest comes in a later turn */
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0)
            return finish(loop, download, strerror(errno));
        download->response_length += received;
        if (download->header_length == 0) {
            const char *problem = parse_headers(download);
            if (problem)
                return finish(loop, download, problem);
        }
        if (download->header_length > 0 &&
            download_body_size(download) >= (size_t)download->content_length) {
            if (download->status != 200)
                return finish(loop, download, "HTTP status not 200");
            if (download->content_length < 6 ||
                memcmp(download->response + download->header_length, "GIF8", 4) != 0)
                return finish(loop, download, "the body is not a GIF image");
            return finish(loop, download, NULL);
        }
        if (received == 0)
            return finish(loop, download, "connection closed before the whole response");
    }
}

static void send_request(tiny_loop *loop, download *download)
{
    if (download->request_sent == 0) {          /* first writable: did connect() work? */
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(download->watcher.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
        if (error != 0)
            return finish(loop, download, strerror(error));
    }
    ssize_t sent = send(download->watcher.fd, download->request + download->request_sent,
                        download->request_length - download->request_sent, MSG_NOSIGNAL);
    if (sent < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (sent < 0)
        return finish(loop, download, strerror(errno));
    download->request_sent += sent;
    if (download->request_sent == download->request_length &&
        tiny_loop_change(loop, &download->watcher, EPOLLIN) != 0)
        finish(loop, download, "epoll_ctl failed");
}

static void on_socket_event(tiny_loop *loop, watcher *ready_watcher, uint32_t events)
{
    download *download = ready_watcher->data;
    if (download->request_sent < download->request_length)
        send_request(loop, download);
    else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        receive(loop, download);
}

/* A failure before the loop watches the socket: close it here, not in finish. */
static int fail_unwatched(tiny_loop *loop, download *download, const char *failure)
{
    if (download->watcher.fd >= 0 && close(download->watcher.fd) != 0)
        perror("download: close");
    download->watcher.fd = -1;
    finish(loop, download, failure);
    return -1;
}

int download_start(tiny_loop *loop, download *download, const char *code, int port)
{
    void (*on_finish)(tiny_loop *, struct download *) = download->on_finish;
    memset(download, 0, sizeof *download);
    download->on_finish = on_finish;
    snprintf(download->code, sizeof download->code, "%s", code);
    download->request_length = snprintf(download->request, sizeof download->request,
        "GET /flags/%s/%s.gif HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", code, code);
    download->watcher = (watcher){ .fd = -1, .callback = on_socket_event, .data = download };
    download->started_at = monotonic_seconds();

    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);        /* 127.0.0.1 only */
    download->watcher.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (download->watcher.fd < 0) {
        perror("socket");
        return fail_unwatched(loop, download, "socket failed");
    }
    if (connect(download->watcher.fd, (struct sockaddr *)&address, sizeof address) != 0 &&
        errno != EINPROGRESS) {
        fprintf(stderr, "connect 127.0.0.1:%d: %s\n", port, strerror(errno));
        return fail_unwatched(loop, download, "connect failed");
    }
    if (tiny_loop_watch(loop, &download->watcher, EPOLLOUT) != 0)
        return fail_unwatched(loop, download, "epoll_ctl failed");
    return 0;
}

void download_free(download *download)
{
    free(download->response);
    download->response = NULL;
}
