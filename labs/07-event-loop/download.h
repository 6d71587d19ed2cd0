/*
 * download.h - one flag download over plain HTTP/1.1 on a non-blocking
 * socket, driven by tiny_loop callbacks: connect, send the request when
 * the socket is writable, read the response when it is readable.
 */
#ifndef DOWNLOAD_H
#define DOWNLOAD_H

#include "tiny_loop.h"

#include <stddef.h>

typedef enum { DOWNLOAD_RUNNING, DOWNLOAD_OK, DOWNLOAD_FAILED } download_outcome;

typedef struct download download;
struct download {
    watcher watcher;                /* the loop calls back with this */
    char code[3];                   /* "cn" */
    char request[128];
    size_t request_length, request_sent;
    char *response;                 /* headers and body as received */
    size_t response_length, response_capacity;
    size_t header_length;           /* 0 until the blank line has arrived */
    long content_length;
    int status;                     /* HTTP status, 0 until known */
    double started_at, finished_at; /* seconds on CLOCK_MONOTONIC */
    download_outcome outcome;
    const char *failure;            /* why, when DOWNLOAD_FAILED */
    void (*on_finish)(tiny_loop *loop, download *finished);   /* optional */
};

/* Connects to 127.0.0.1:port and starts fetching /flags/<code>/<code>.gif.
 * Returns 0, or -1 (outcome DOWNLOAD_FAILED, on_finish already called). */
int download_start(tiny_loop *loop, download *download, const char *code, int port);

/* Frees the response buffer. */
void download_free(download *download);

/* Body bytes received (valid once DOWNLOAD_OK). */
size_t download_body_size(const download *download);

double monotonic_seconds(void);

#endif
