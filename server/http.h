/*
 * http.h - just enough HTTP/1.1 for the flag server: parsing one request
 * head (request line + header fields) out of a buffer, and the routes.
 *
 * The parser never copies: the request's target points into the buffer.
 * It is strict where sloppiness would be a security hole (line folding,
 * spaces before the colon, bodies, bad versions are rejected: 400) and
 * lenient where RFC 9112 allows it (bare LF line ends, empty lines before
 * the request line).
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* The largest request head accepted (request line + fields). */
enum { HTTP_MAX_REQUEST = 8192 };

typedef enum { HTTP_GET, HTTP_HEAD, HTTP_OTHER_METHOD } http_method;

typedef enum {
    HTTP_PARSE_INCOMPLETE,   /* need more bytes */
    HTTP_PARSE_DONE,         /* *request is filled in */
    HTTP_PARSE_BAD,          /* malformed: answer 400 and close */
    HTTP_PARSE_URI_TOO_LONG, /* HTTP_MAX_REQUEST bytes and no whole request line: 414 */
    HTTP_PARSE_TOO_LARGE,    /* HTTP_MAX_REQUEST bytes and no whole head: 431 */
} http_parse_status;

typedef struct {
    http_method method;
    const char *target;      /* points into the buffer; not NUL-terminated */
    size_t target_length;
    int minor_version;       /* HTTP/1.0 or HTTP/1.1 */
    bool keep_alive;         /* after version default and Connection: */
    size_t length;           /* bytes the request took, blank line included */
} http_request;

/* Parses the head at the start of buffer. A buffer of HTTP_MAX_REQUEST
 * bytes or more that holds no whole head is too long (414 or 431), never
 * incomplete. */
http_parse_status http_parse_request(const char *buffer, size_t size, http_request *request);

typedef enum {
    ROUTE_NOT_FOUND,         /* anything else: 404 */
    ROUTE_FLAG,              /* /flags/<cc>/<cc>.gif; code[] is set */
    ROUTE_MANIFEST,          /* /flags/manifest.tsv */
} http_route_kind;

/* Routes a target. Only these exact shapes are served, so "..", "%2e%2e",
 * "%2f" and "//" can never name anything: they are simply not found. A
 * query string ("?...") is ignored. For ROUTE_FLAG, code gets the two
 * letters in lowercase. */
http_route_kind http_route(const char *target, size_t length, char code[2]);

/* "OK", "Not Found"...: the reason phrase of a status code we send. */
const char *http_reason(int status);

#endif
