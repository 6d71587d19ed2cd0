/*
 * fuzz/http_request.c - a fuzz target for the flag server's request parser
 * (server/http.c): http_parse_request on the input as the connection feeds
 * it (one pipelined request after the other, as connection.c consumes them),
 * then http_route on each target. Built two ways by mk/fuzz.mk:
 *
 *   build/fuzz/http_request   libFuzzer + ASan + UBSan (make fuzz)
 *   bin/fuzz-http-replay      this file + fuzz/replay.c: runs files through
 *                             the same checks, for the seed corpus test
 *
 * Besides the sanitizers' findings, it aborts when a parse breaks its
 * contract: a request longer than the input, a target outside the buffer,
 * a whole request that parses differently when it is all there is, a
 * too-long answer below the cap, a route that is not one of the three.
 */
#include "http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(condition)                                                              \
    do {                                                                              \
        if (!(condition)) {                                                           \
            fprintf(stderr, "fuzz/http_request.c:%d: broken: %s\n", __LINE__, #condition); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static void check_one(const char *buffer, size_t size, const http_request *request)
{
    CHECK(request->length > 0 && request->length <= size);
    CHECK(request->target >= buffer && request->target_length > 0 &&
          request->target + request->target_length <= buffer + request->length);
    CHECK(request->minor_version == 0 || request->minor_version == 1);
    for (size_t index = 0; index < request->target_length; index++)
        CHECK((unsigned char)request->target[index] > 0x20 && (unsigned char)request->target[index] < 0x7f);
    char code[2];
    http_route_kind route = http_route(request->target, request->target_length, code);
    CHECK(route == ROUTE_NOT_FOUND || route == ROUTE_FLAG || route == ROUTE_MANIFEST);
    if (route == ROUTE_FLAG)
        CHECK(code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z');
    /* The same request alone (just its bytes) parses the same. */
    http_request alone;
    CHECK(http_parse_request(buffer, request->length, &alone) == HTTP_PARSE_DONE);
    CHECK(alone.length == request->length && alone.method == request->method &&
          alone.target == request->target && alone.target_length == request->target_length &&
          alone.keep_alive == request->keep_alive);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so that reading past it is caught. */
    char *buffer = malloc(size ? size : 1);
    if (buffer == NULL)
        return 0;
    memcpy(buffer, data, size);
    size_t offset = 0;
    for (int requests = 0; offset < size && requests < 1000; requests++) {
        /* The connection never holds more than its buffer. */
        size_t window = size - offset < HTTP_MAX_REQUEST ? size - offset : HTTP_MAX_REQUEST;
        http_request request;
        http_parse_status status = http_parse_request(buffer + offset, window, &request);
        if (status == HTTP_PARSE_DONE) {
            check_one(buffer + offset, window, &request);
            (void)http_reason(200);
            offset += request.length;
            continue;
        }
        CHECK(status == HTTP_PARSE_INCOMPLETE || status == HTTP_PARSE_BAD ||
              ((status == HTTP_PARSE_URI_TOO_LONG || status == HTTP_PARSE_TOO_LARGE) &&
               window >= HTTP_MAX_REQUEST));
        if (status == HTTP_PARSE_INCOMPLETE)
            CHECK(window < HTTP_MAX_REQUEST);
        break;
    }
    free(buffer);
    return 0;
}
