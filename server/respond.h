/*
 * respond.h - what the flag server answers, whatever its model: the response
 * to a parsed request (route, faults of the test modes, flag lookup) and
 * its header. Model-free: the one thing a model must supply is the number
 * of each flag request (faults are drawn from it), since counting across
 * threads or processes is the model's business.
 */
#ifndef RESPOND_H
#define RESPOND_H

#include "http.h"
#include "server.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int status;
    const char *content_type;
    const void *body;
    size_t body_size;
    bool head;          /* HEAD: the header only */
    bool keep_alive;
    int minor_version;
} response;

/* The answer to one request, and how long it is to wait (delay and error
 * modes). next_number() numbers the flag requests: 0, 1, 2... */
response respond(const core *core, const http_request *request,
                 uint64_t (*next_number)(void *), void *context, double *delay);
/* A short text answer (400, 404, 408, 414, 431, 500); request is NULL when
 * there was no valid one (and the connection closes after it). */
response respond_error(int status, const http_request *request);
/* The status line and fields into header[size]; returns their length. */
size_t respond_header(const response *answer, char *header, size_t size);
/* The status an unparsable head gets (400, 414 or 431). */
int respond_parse_error(http_parse_status status);

#endif
