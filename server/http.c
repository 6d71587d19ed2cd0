/* http.c - request-head parser and router of the flag server. */
#include "http.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 token characters: method and field names. */
static bool is_token_char(unsigned char c)
{
    return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_token(const char *text, size_t length)
{
    if (length == 0)
        return false;
    for (size_t index = 0; index < length; index++)
        if (!is_token_char((unsigned char)text[index]))
            return false;
    return true;
}

/* Returns the length of the line starting at `line` (without its CR LF or
 * LF), and sets *next to the start of the following line; -1 if no LF yet. */
static long line_length(const char *line, const char *end, const char **next)
{
    const char *newline = memchr(line, '\n', (size_t)(end - line));
    if (newline == NULL)
        return -1;
    *next = newline + 1;
    if (newline > line && newline[-1] == '\r')
        newline--;
    return newline - line;
}

static bool equals_ignoring_case(const char *text, size_t length, const char *word)
{
    return strlen(word) == length && strncasecmp(text, word, length) == 0;
}

/* Connection: a comma-separated list of tokens; close and keep-alive matter. */
static void read_connection_field(const char *value, size_t length, http_request *request)
{
    size_t start = 0;
    while (start < length) {
        size_t end = start;
        while (end < length && value[end] != ',')
            end++;
        size_t first = start, last = end;
        while (first < last && (value[first] == ' ' || value[first] == '\t'))
            first++;
        while (last > first && (value[last - 1] == ' ' || value[last - 1] == '\t'))
            last--;
        if (equals_ignoring_case(value + first, last - first, "close"))
            request->keep_alive = false;
        else if (equals_ignoring_case(value + first, last - first, "keep-alive"))
            request->keep_alive = true;
        start = end + 1;
    }
}

static http_parse_status parse_request_line(const char *line, size_t length, http_request *request)
{
    const char *end = line + length;
    const char *space = memchr(line, ' ', length);
    if (space == NULL || !is_token(line, (size_t)(space - line)))
        return HTTP_PARSE_BAD;
    size_t method_length = (size_t)(space - line);
    if (method_length == 3 && memcmp(line, "GET", 3) == 0)
        request->method = HTTP_GET;
    else if (method_length == 4 && memcmp(line, "HEAD", 4) == 0)
        request->method = HTTP_HEAD;
    else
        request->method = HTTP_OTHER_METHOD;

    request->target = space + 1;
    const char *target_end = request->target;
    while (target_end < end && *target_end != ' ') {
        unsigned char c = (unsigned char)*target_end;
        if (c <= 0x20 || c >= 0x7f)  /* controls, spaces, non-ASCII */
            return HTTP_PARSE_BAD;
        target_end++;
    }
    request->target_length = (size_t)(target_end - request->target);
    if (request->target_length == 0 || target_end == end)
        return HTTP_PARSE_BAD;

    const char *version = target_end + 1;
    if (end - version != 8 || memcmp(version, "HTTP/1.", 7) != 0 ||
        (version[7] != '0' && version[7] != '1'))
        return HTTP_PARSE_BAD;
    request->minor_version = version[7] - '0';
    request->keep_alive = request->minor_version == 1;
    return HTTP_PARSE_DONE;
}

static http_parse_status parse_field(const char *line, size_t length, http_request *request,
                                     int *host_count)
{
    const char *colon = memchr(line, ':', length);
    /* No name, a space before the colon, or a folded line: all refused. */
    if (colon == NULL || !is_token(line, (size_t)(colon - line)))
        return HTTP_PARSE_BAD;
    size_t name_length = (size_t)(colon - line);
    const char *value = colon + 1, *value_end = line + length;
    while (value < value_end && (*value == ' ' || *value == '\t'))
        value++;
    while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
        value_end--;
    /* Controls but tab, and DEL, are not field content (RFC 9110, 5.5). */
    for (const char *c = value; c < value_end; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return HTTP_PARSE_BAD;
    size_t value_length = (size_t)(value_end - value);

    if (equals_ignoring_case(line, name_length, "host"))
        (*host_count)++;
    else if (equals_ignoring_case(line, name_length, "connection"))
        read_connection_field(value, value_length, request);
    else if (equals_ignoring_case(line, name_length, "transfer-encoding"))
        return HTTP_PARSE_BAD;  /* no request bodies here */
    else if (equals_ignoring_case(line, name_length, "content-length")) {
        if (value_length == 0)
            return HTTP_PARSE_BAD;
        for (size_t index = 0; index < value_length; index++)
            if (value[index] != '0')
                return HTTP_PARSE_BAD;  /* not a number, or a body we do not take */
    }
    return HTTP_PARSE_DONE;
}

http_parse_status http_parse_request(const char *buffer, size_t size, http_request *request)
{
    const char *line = buffer, *end = buffer + size, *next;
    long length;
    /* Empty lines before a request line are allowed (RFC 9112, 2.2). */
    while ((length = line_length(line, end, &next)) == 0)
        line = next;
    if (length < 0)
        return size >= HTTP_MAX_REQUEST ? HTTP_PARSE_URI_TOO_LONG : HTTP_PARSE_INCOMPLETE;

    /* Parse nothing until the whole head (up to the empty line) is here. */
    const char *scan = next;
    long scan_length;
    const char *after;
    while ((scan_length = line_length(scan, end, &after)) > 0)
        scan = after;
    if (scan_length < 0)
        return size >= HTTP_MAX_REQUEST ? HTTP_PARSE_TOO_LARGE : HTTP_PARSE_INCOMPLETE;

    memset(request, 0, sizeof *request);
    if (parse_request_line(line, (size_t)length, request) != HTTP_PARSE_DONE)
        return HTTP_PARSE_BAD;
    int host_count = 0;
    for (line = next; (length = line_length(line, end, &next)) > 0; line = next)
        if (parse_field(line, (size_t)length, request, &host_count) != HTTP_PARSE_DONE)
            return HTTP_PARSE_BAD;
    /* HTTP/1.1 requires exactly one Host field (RFC 9112, 3.2). */
    if (host_count > 1 || (request->minor_version == 1 && host_count == 0))
        return HTTP_PARSE_BAD;
    request->length = (size_t)(next - buffer);
    return HTTP_PARSE_DONE;
}

http_route_kind http_route(const char *target, size_t length, char code[2])
{
    const char *query = memchr(target, '?', length);
    if (query != NULL)
        length = (size_t)(query - target);

    static const char manifest[] = "/flags/manifest.tsv";
    if (length == sizeof manifest - 1 && memcmp(target, manifest, length) == 0)
        return ROUTE_MANIFEST;

    /* /flags/xx/xx.gif: 16 characters exactly. */
    static const char shape[] = "/flags/xx/xx.gif";
    if (length != sizeof shape - 1 || memcmp(target, "/flags/", 7) != 0 || target[9] != '/' ||
        memcmp(target + 12, ".gif", 4) != 0)
        return ROUTE_NOT_FOUND;
    for (int index = 0; index < 2; index++) {
        unsigned char in_folder = (unsigned char)target[7 + index];
        unsigned char in_name = (unsigned char)target[10 + index];
        if (!isalpha(in_folder) || tolower(in_folder) != tolower(in_name))
            return ROUTE_NOT_FOUND;
        code[index] = (char)tolower(in_folder);
    }
    return ROUTE_FLAG;
}

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}
