/* respond.c - the answer to a request, shared by every server model. */
#include "respond.h"
#include "bench.h"

#include <stdio.h>
#include <string.h>

static const char *error_body(int status)
{
    switch (status) {
    case 400: return "400 Bad Request\n";
    case 404: return "404 Not Found\n";
    case 405: return "405 Method Not Allowed\n";
    case 408: return "408 Request Timeout\n";
    case 414: return "414 URI Too Long\n";
    case 431: return "431 Request Header Fields Too Large\n";
    default: return "500 Internal Server Error\n";
    }
}

response respond_error(int status, const http_request *request)
{
    const char *body = error_body(status);
    return (response){
        .status = status, .content_type = "text/plain", .body = body, .body_size = strlen(body),
        .head = request && request->method == HTTP_HEAD,
        .keep_alive = request && request->keep_alive,
        .minor_version = request ? request->minor_version : 1,
    };
}

int respond_parse_error(http_parse_status status)
{
    return status == HTTP_PARSE_URI_TOO_LONG ? 414 : status == HTTP_PARSE_TOO_LARGE ? 431 : 400;
}

/* A number in [0, 1) that depends only on the seed, the request's number
 * and which draw it is: the same run of requests meets the same faults. */
static double fault_draw(const core *core, uint64_t request_number, int which)
{
    uint64_t bits = bench_mix64(core->options.seed ^ bench_mix64(2 * request_number + (uint64_t)which));
    return (double)(bits >> 11) * 0x1p-53;
}

response respond(const core *core, const http_request *request,
                 uint64_t (*next_number)(void *), void *context, double *delay)
{
    *delay = 0;
    if (request->method == HTTP_OTHER_METHOD)
        return respond_error(405, request);
    char code[2];
    http_route_kind route = http_route(request->target, request->target_length, code);
    if (route == ROUTE_MANIFEST)  /* never delayed nor failed */
        return (response){200, "text/tab-separated-values", core->flags.manifest,
                          core->flags.manifest_size, request->method == HTTP_HEAD,
                          request->keep_alive, request->minor_version};
    if (route == ROUTE_NOT_FOUND)
        return respond_error(404, request);

    /* A flag request: faults first, then the lookup. */
    uint64_t number = next_number(context);
    const server_options *options = &core->options;
    if (options->mode == MODE_DELAY)
        *delay = options->delay;
    if (options->mode == MODE_ERROR) {
        if (fault_draw(core, number, 1) < 0.5)
            *delay = options->delay;
        if (fault_draw(core, number, 0) < options->error_rate)
            return respond_error(500, request);
    }
    const flag_image *image = flags_find(&core->flags, code[0], code[1]);
    if (image == NULL)
        return respond_error(404, request);
    return (response){200, "image/gif", image->gif, image->gif_size,
                      request->method == HTTP_HEAD, request->keep_alive, request->minor_version};
}

size_t respond_header(const response *answer, char *header, size_t size)
{
    const char *connection_field = !answer->keep_alive ? "Connection: close\r\n"
                                   : answer->minor_version == 0 ? "Connection: keep-alive\r\n"
                                   : "";
    int length = snprintf(header, size,
                          "HTTP/1.1 %d %s\r\nServer: flagserver\r\n"
                          "Content-Type: %s\r\nContent-Length: %zu\r\n%s%s\r\n",
                          answer->status, http_reason(answer->status), answer->content_type,
                          answer->body_size, connection_field,
                          answer->status == 405 ? "Allow: GET, HEAD\r\n" : "");
    return length < 0 ? 0 : (size_t)length < size ? (size_t)length : size - 1;
}
