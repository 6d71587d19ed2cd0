/* Unit tests of the flag server's parts: the GIF encoder (checked by an
 * independent LZW decoder written from the GIF89a specification), the
 * HTTP request parser and router, the flags and their manifest. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "flags.h"
#include "gif.h"
#include "http.h"

/* ---- a small GIF decoder: one image, global colour table, no interlace ---- */

typedef struct {
    int width, height, colour_count;
    unsigned char palette[256 * 3];
    unsigned char *pixels;
} decoded_gif;

static unsigned read_u16(const unsigned char *bytes)
{
    return bytes[0] | (unsigned)bytes[1] << 8;
}

static void decode_gif(const unsigned char *file, size_t size, decoded_gif *out)
{
    cr_assert(size > 13 && memcmp(file, "GIF89a", 6) == 0, "no GIF89a header");
    out->width = (int)read_u16(file + 6);
    out->height = (int)read_u16(file + 8);
    cr_assert(file[10] & 0x80, "no global colour table");
    out->colour_count = 2 << (file[10] & 7);
    memcpy(out->palette, file + 13, (size_t)out->colour_count * 3);
    size_t at = 13 + (size_t)out->colour_count * 3;
    cr_assert_eq(file[at], 0x2c, "no image descriptor");
    cr_assert_eq(read_u16(file + at + 5), (unsigned)out->width);
    cr_assert_eq(read_u16(file + at + 7), (unsigned)out->height);
    cr_assert_eq(file[at + 9], 0, "local table or interlace");
    at += 10;
    int min_code_size = file[at++];

    /* Gather the sub-blocks into one stream. */
    unsigned char *stream = malloc(size);
    size_t stream_size = 0;
    while (file[at] != 0) {
        cr_assert(at + 1 + file[at] < size, "sub-block runs past the end");
        memcpy(stream + stream_size, file + at + 1, file[at]);
        stream_size += file[at];
        at += 1 + file[at];
    }
    at++;
    cr_assert_eq(at, size - 1, "trailer not right after the image data");
    cr_assert_eq(file[at], 0x3b, "no trailer");

    /* LZW: each table entry is (prefix entry, last byte, length). */
    static int prefix[4096], length[4096];
    static unsigned char suffix[4096], first[4096];
    unsigned clear = 1u << min_code_size, end = clear + 1;
    size_t pixel_count = (size_t)out->width * (size_t)out->height, produced = 0;
    out->pixels = malloc(pixel_count);
    int width = min_code_size + 1, previous = -1;
    unsigned next = end + 1;
    size_t bit = 0;
    bool ended = false;
    for (unsigned code = 0; code < clear; code++) {
        prefix[code] = -1, suffix[code] = first[code] = (unsigned char)code, length[code] = 1;
    }
    while (bit + (size_t)width <= stream_size * 8) {
        unsigned code = 0;
        for (int index = 0; index < width; index++, bit++)
            code |= (unsigned)((stream[bit / 8] >> (bit % 8)) & 1) << index;
        if (code == clear) {
            width = min_code_size + 1, next = end + 1, previous = -1;
            continue;
        }
        if (code == end) {
            ended = true;
            break;
        }
        cr_assert(code <= next, "code %u beyond the table (%u)", code, next);
        if (previous >= 0 && next < 4096) {
            /* The new entry: previous string + first byte of this one. */
            prefix[next] = previous;
            suffix[next] = code < next ? first[code] : first[previous];
            first[next] = first[previous];
            length[next] = length[previous] + 1;
            next++;
        } else {
            cr_assert(code < clear || previous >= 0, "string code %u right after a clear", code);
        }
        cr_assert(produced + (size_t)length[code] <= pixel_count, "too many pixels");
        for (int entry = (int)code, place = length[code] - 1; entry >= 0; entry = prefix[entry], place--)
            out->pixels[produced + (size_t)place] = suffix[entry];
        produced += (size_t)length[code];
        previous = (int)code;
        if (next == (1u << width) && width < 12)
            width++;
    }
    cr_assert(ended, "no end-of-information code");
    cr_assert_eq(produced, pixel_count, "%zu pixels decoded, %zu expected", produced, pixel_count);
    free(stream);
}

static void check_round_trip(int width, int height, int colour_count, const unsigned char *pixels)
{
    unsigned char palette[256 * 3];
    for (int index = 0; index < colour_count * 3; index++)
        palette[index] = (unsigned char)(index * 37);
    size_t size;
    unsigned char *file = gif_encode(width, height, palette, colour_count, pixels, &size);
    cr_assert_not_null(file);
    decoded_gif image;
    decode_gif(file, size, &image);
    cr_assert_eq(image.width, width);
    cr_assert_eq(image.height, height);
    cr_assert_eq(memcmp(image.palette, palette, (size_t)colour_count * 3), 0);
    cr_assert_eq(memcmp(image.pixels, pixels, (size_t)width * (size_t)height), 0, "pixels differ");
    free(image.pixels);
    free(file);
}

Test(gif, flag_decodes_to_the_picture_drawn)
{
    unsigned char pixels[FLAG_WIDTH * FLAG_HEIGHT], palette[12];
    flag_draw("br", pixels, palette);
    check_round_trip(FLAG_WIDTH, FLAG_HEIGHT, 4, pixels);
}

Test(gif, noise_fills_the_table_and_clears_it)
{
    /* Random 256-colour pixels: thousands of codes, widths up to 12 bits,
     * several clear codes when the table fills. */
    enum { WIDTH = 300, HEIGHT = 200 };
    static unsigned char pixels[WIDTH * HEIGHT];
    uint64_t state = 42;
    for (size_t index = 0; index < sizeof pixels; index++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        pixels[index] = (unsigned char)(state >> 56);
    }
    check_round_trip(WIDTH, HEIGHT, 256, pixels);
    /* and few colours, long runs (the KwKwK case of LZW) */
    for (size_t index = 0; index < sizeof pixels; index++)
        pixels[index] = (unsigned char)((index / 7) % 2);
    check_round_trip(WIDTH, HEIGHT, 2, pixels);
    memset(pixels, 1, sizeof pixels);
    check_round_trip(WIDTH, HEIGHT, 2, pixels);
}

Test(gif, one_pixel)
{
    unsigned char pixel = 3;
    check_round_trip(1, 1, 4, &pixel);
}

/* ---- flags and manifest ---- */

Test(flags, fnv1a64_known_values)
{
    cr_assert_eq(bench_fnv1a64(BENCH_FNV1A64_OFFSET, "", 0), 0xcbf29ce484222325u);
    cr_assert_eq(bench_fnv1a64(BENCH_FNV1A64_OFFSET, "a", 1), 0xaf63dc4c8601ec8cu);
    cr_assert_eq(bench_fnv1a64(BENCH_FNV1A64_OFFSET, "foobar", 6), 0x85944171f73967e8u);
}

Test(flags, every_code_has_an_image_and_a_manifest_line)
{
    cr_assert_eq(country_count, 249);
    flag_set set;
    cr_assert(flags_build(&set));
    cr_assert_eq(set.count, 249);
    const char *line = set.manifest;
    for (size_t index = 0; index < set.count; index++) {
        const flag_image *image = &set.images[index];
        cr_assert(image->gif_size > 100 && image->gif_size < 4096, "%s: %zu bytes", image->code, image->gif_size);
        cr_assert_eq(flags_find(&set, image->code[0], image->code[1]), image);
        cr_assert_eq(flags_find(&set, (char)(image->code[0] - 32), (char)(image->code[1] - 32)), image);
        char expected[64];
        int length = snprintf(expected, sizeof expected, "%s\t%zu\t%016llx\n", image->code,
                              image->gif_size, (unsigned long long)bench_fnv1a64(BENCH_FNV1A64_OFFSET, image->gif, image->gif_size));
        cr_assert_eq(strncmp(line, expected, (size_t)length), 0, "manifest line %zu", index);
        line += length;
        if (index > 0)
            cr_assert_lt(strcmp(set.images[index - 1].code, image->code), 0, "not sorted");
    }
    cr_assert_eq((size_t)(line - set.manifest), set.manifest_size);
    cr_assert_null(flags_find(&set, 'z', 'z'));
    cr_assert_null(flags_find(&set, 'a', 'a'));
    cr_assert_null(flags_find(&set, '.', '.'));
    cr_assert_not_null(flags_find(&set, 'b', 'r'));
    flags_free(&set);
}

Test(flags, drawing_is_deterministic_and_differs_between_codes)
{
    unsigned char first[FLAG_WIDTH * FLAG_HEIGHT], again[FLAG_WIDTH * FLAG_HEIGHT], other[FLAG_WIDTH * FLAG_HEIGHT];
    unsigned char palette[12], palette_again[12], palette_other[12];
    flag_draw("fr", first, palette);
    flag_draw("FR", again, palette_again);
    flag_draw("de", other, palette_other);
    cr_assert_eq(memcmp(first, again, sizeof first), 0);
    cr_assert_eq(memcmp(palette, palette_again, sizeof palette), 0);
    cr_assert(memcmp(first, other, sizeof first) != 0 || memcmp(palette, palette_other, sizeof palette) != 0);
}

/* ---- HTTP ---- */

static http_parse_status parse(const char *text, http_request *request)
{
    return http_parse_request(text, strlen(text), request);
}

Test(http, a_complete_request)
{
    http_request request;
    const char *text = "GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\nGET /next";
    cr_assert_eq(parse(text, &request), HTTP_PARSE_DONE);
    cr_assert_eq(request.method, HTTP_GET);
    cr_assert_eq(request.target_length, strlen("/flags/br/br.gif"));
    cr_assert_eq(memcmp(request.target, "/flags/br/br.gif", request.target_length), 0);
    cr_assert_eq(request.minor_version, 1);
    cr_assert(request.keep_alive);
    cr_assert_eq(request.length, strlen(text) - strlen("GET /next"));
}

Test(http, incomplete_until_the_blank_line)
{
    http_request request;
    const char *text = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (size_t size = 0; size < strlen(text); size++)
        cr_assert_eq(http_parse_request(text, size, &request), HTTP_PARSE_INCOMPLETE, "at %zu", size);
    cr_assert_eq(parse(text, &request), HTTP_PARSE_DONE);
    cr_assert_eq(request.method, HTTP_HEAD);
    /* bare LF line ends and a leading empty line are accepted */
    cr_assert_eq(parse("\r\nGET / HTTP/1.0\n\n", &request), HTTP_PARSE_DONE);
    cr_assert_eq(request.minor_version, 0);
    cr_assert_not(request.keep_alive);
}

Test(http, connection_field)
{
    http_request request;
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n", &request), HTTP_PARSE_DONE);
    cr_assert_not(request.keep_alive);
    cr_assert_eq(parse("GET / HTTP/1.0\r\nConnection: foo, keep-alive\r\n\r\n", &request), HTTP_PARSE_DONE);
    cr_assert(request.keep_alive);
    cr_assert_eq(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &request), HTTP_PARSE_DONE);
    cr_assert_eq(request.method, HTTP_OTHER_METHOD);
}

Test(http, malformed_requests)
{
    static const char *const bad[] = {
        "GARBAGE\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",                         /* no Host */
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.10\r\nHost: x\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: x\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\001\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX-Del: a\x7f" "b\r\n\r\n",  /* DEL (issue 10) */
    };
    http_request request;
    for (size_t index = 0; index < sizeof bad / sizeof bad[0]; index++)
        cr_assert_eq(parse(bad[index], &request), HTTP_PARSE_BAD, "accepted: %s", bad[index]);
}

Test(http, too_long_is_414_or_431_never_incomplete)
{
    static char buffer[HTTP_MAX_REQUEST + 100];
    http_request request;
    /* a request line longer than the cap */
    memset(buffer, 'a', sizeof buffer);
    memcpy(buffer, "GET /", 5);
    cr_assert_eq(http_parse_request(buffer, HTTP_MAX_REQUEST - 1, &request), HTTP_PARSE_INCOMPLETE);
    cr_assert_eq(http_parse_request(buffer, HTTP_MAX_REQUEST, &request), HTTP_PARSE_URI_TOO_LONG);
    /* a whole request line, then fields past the cap */
    const char *line = "GET / HTTP/1.1\r\nHost: x\r\nX-Filler: ";
    memcpy(buffer, line, strlen(line));
    cr_assert_eq(http_parse_request(buffer, HTTP_MAX_REQUEST, &request), HTTP_PARSE_TOO_LARGE);
}

static http_route_kind route(const char *target, char code[2])
{
    return http_route(target, strlen(target), code);
}

Test(http, routes)
{
    char code[2] = {0, 0};
    cr_assert_eq(route("/flags/br/br.gif", code), ROUTE_FLAG);
    cr_assert(code[0] == 'b' && code[1] == 'r');
    cr_assert_eq(route("/flags/BR/br.gif?x=1", code), ROUTE_FLAG);
    cr_assert(code[0] == 'b' && code[1] == 'r');
    cr_assert_eq(route("/flags/zz/zz.gif", code), ROUTE_FLAG);  /* shape only: lookup is later */
    cr_assert_eq(route("/flags/manifest.tsv", code), ROUTE_MANIFEST);
    static const char *const not_found[] = {
        "/", "/flags", "/flags/", "/flags/br/us.gif", "/flags/br/br.png", "/flags/b1/b1.gif",
        "/flags/../etc/passwd", "/flags/%2e%2e/br.gif", "/flags/br%2fbr.gif", "//flags/br/br.gif",
        "/flags//br/br.gif", "/flags/br/br.gif/", "/flags/bra/bra.gif", "/FLAGS/br/br.gif",
        "/flags/manifest.tsv/", "http://127.0.0.1/flags/br/br.gif",
    };
    for (size_t index = 0; index < sizeof not_found / sizeof not_found[0]; index++)
        cr_assert_eq(route(not_found[index], code), ROUTE_NOT_FOUND, "routed: %s", not_found[index]);
}
