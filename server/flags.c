/* flags.c - drawing the flags, encoding them once, the manifest, --export. */
#include "flags.h"
#include "gif.h"
#include "bench.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Colours that flags like to use. */
static const unsigned char flag_colours[][3] = {
    {206, 17, 38},   /* red */
    {255, 255, 255}, /* white */
    {0, 56, 168},    /* blue */
    {0, 122, 61},    /* green */
    {252, 209, 22},  /* yellow */
    {0, 0, 0},       /* black */
    {255, 130, 0},   /* orange */
    {117, 170, 219}, /* sky blue */
    {128, 0, 32},    /* maroon */
    {0, 80, 40},     /* dark green */
};
enum { FLAG_COLOUR_COUNT = sizeof flag_colours / sizeof flag_colours[0] };

static int letter_index(char letter)
{
    return tolower((unsigned char)letter) - 'a';
}

/* Three stripes (across or down), each a different colour from its
 * neighbour, and for some codes a disc in the middle. Every choice comes
 * from bits of a hash of the code. */
void flag_draw(const char *code, unsigned char *pixels, unsigned char palette[4 * 3])
{
    char lower[2] = {(char)tolower((unsigned char)code[0]), (char)tolower((unsigned char)code[1])};
    uint64_t hash = bench_fnv1a64(BENCH_FNV1A64_OFFSET, lower, 2);
    hash ^= hash >> 29;  /* spread the two letters over every bit */
    hash *= 0xbf58476d1ce4e5b9u;
    hash ^= hash >> 32;

    int stripe_colour[3], disc_colour;
    stripe_colour[0] = (int)(hash % FLAG_COLOUR_COUNT);
    stripe_colour[1] = (stripe_colour[0] + 1 + (int)((hash >> 8) % (FLAG_COLOUR_COUNT - 1))) % FLAG_COLOUR_COUNT;
    /* The third: the skip-th colour that is neither of the first two. */
    int skip = (int)((hash >> 16) % (FLAG_COLOUR_COUNT - 2));
    for (stripe_colour[2] = 0;; stripe_colour[2]++)
        if (stripe_colour[2] != stripe_colour[0] && stripe_colour[2] != stripe_colour[1] && skip-- == 0)
            break;
    disc_colour = (stripe_colour[1] + 1 + (int)((hash >> 24) % (FLAG_COLOUR_COUNT - 1))) % FLAG_COLOUR_COUNT;
    bool vertical = (hash >> 40) & 1;
    bool has_disc = (hash >> 41) % 3 == 0;

    for (int index = 0; index < 3; index++)
        memcpy(palette + 3 * index, flag_colours[stripe_colour[index]], 3);
    memcpy(palette + 3 * 3, flag_colours[disc_colour], 3);

    int radius = FLAG_HEIGHT / 5;
    for (int y = 0; y < FLAG_HEIGHT; y++) {
        for (int x = 0; x < FLAG_WIDTH; x++) {
            int stripe = vertical ? x * 3 / FLAG_WIDTH : y * 3 / FLAG_HEIGHT;
            int dx = x - FLAG_WIDTH / 2, dy = y - FLAG_HEIGHT / 2;
            bool in_disc = has_disc && dx * dx + dy * dy <= radius * radius;
            pixels[y * FLAG_WIDTH + x] = (unsigned char)(in_disc ? 3 : stripe);
        }
    }
}

bool flags_build(flag_set *set)
{
    memset(set, 0, sizeof *set);
    set->images = calloc(country_count, sizeof *set->images);
    size_t manifest_capacity = country_count * 40;  /* "cc\t" + size + "\t" + 16 + "\n" < 40 */
    set->manifest = malloc(manifest_capacity);
    if (set->images == NULL || set->manifest == NULL) {
        flags_free(set);
        return false;
    }
    set->count = country_count;
    unsigned char pixels[FLAG_WIDTH * FLAG_HEIGHT], palette[4 * 3];
    for (size_t index = 0; index < country_count; index++) {
        flag_image *image = &set->images[index];
        image->code[0] = (char)tolower((unsigned char)countries[index].code[0]);
        image->code[1] = (char)tolower((unsigned char)countries[index].code[1]);
        flag_draw(image->code, pixels, palette);
        image->gif = gif_encode(FLAG_WIDTH, FLAG_HEIGHT, palette, 4, pixels, &image->gif_size);
        if (image->gif == NULL) {
            flags_free(set);
            return false;
        }
        image->checksum = bench_fnv1a64(BENCH_FNV1A64_OFFSET, image->gif, image->gif_size);
        set->by_code[letter_index(image->code[0]) * 26 + letter_index(image->code[1])] = image;
        set->manifest_size += (size_t)snprintf(set->manifest + set->manifest_size,
                                               manifest_capacity - set->manifest_size,
                                               "%s\t%zu\t%016" PRIx64 "\n", image->code,
                                               image->gif_size, image->checksum);
    }
    return true;
}

void flags_free(flag_set *set)
{
    if (set->images != NULL)
        for (size_t index = 0; index < set->count; index++)
            free(set->images[index].gif);
    free(set->images);
    free(set->manifest);
    memset(set, 0, sizeof *set);
}

const flag_image *flags_find(const flag_set *set, char first, char second)
{
    if (!isalpha((unsigned char)first) || !isalpha((unsigned char)second))
        return NULL;
    return set->by_code[letter_index(first) * 26 + letter_index(second)];
}

/* ---- --export ------------------------------------------------------------- */

/* mkdir -p: the missing parents first. */
static bool make_directory(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return true;
    if (errno == ENOENT) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", path);
        char *slash = strrchr(parent, '/');
        while (slash != NULL && slash > parent && slash[-1] == '/')
            slash--;
        if (slash != NULL && slash != parent) {
            *slash = '\0';
            if (!make_directory(parent))
                return false;
            if (mkdir(path, 0755) == 0 || errno == EEXIST)
                return true;
        }
    }
    fprintf(stderr, "flagserver: mkdir %s: %s\n", path, strerror(errno));
    return false;
}

static bool write_file(const char *path, const void *bytes, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "flagserver: open %s: %s\n", path, strerror(errno));
        return false;
    }
    const unsigned char *next = bytes;
    while (size > 0) {
        ssize_t written = write(fd, next, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0) {
            fprintf(stderr, "flagserver: write %s: %s\n", path, strerror(errno));
            close(fd);
            return false;
        }
        next += written;
        size -= (size_t)written;
    }
    if (close(fd) != 0) {
        fprintf(stderr, "flagserver: close %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

bool flags_export(const flag_set *set, const char *directory)
{
    char path[4096];
    if (strlen(directory) + sizeof "/manifest.tsv" > sizeof path) {
        fprintf(stderr, "flagserver: export directory name too long: %s\n", directory);
        return false;
    }
    if (!make_directory(directory))
        return false;
    for (size_t index = 0; index < set->count; index++) {
        const flag_image *image = &set->images[index];
        snprintf(path, sizeof path, "%s/%s", directory, image->code);
        if (!make_directory(path))
            return false;
        snprintf(path, sizeof path, "%s/%s/%s.gif", directory, image->code, image->code);
        if (!write_file(path, image->gif, image->gif_size))
            return false;
    }
    snprintf(path, sizeof path, "%s/manifest.tsv", directory);
    return write_file(path, set->manifest, set->manifest_size);
}
