/*
 * flags.h - the country list, one generated flag image per country, and
 * the manifest that clients check their downloads against.
 *
 * The list comes from data/countries.tsv, turned into a C table at build
 * time (see mk/flagserver.mk), so the server runs from any directory.
 */
#ifndef FLAGS_H
#define FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char code[3];        /* "BR": ISO 3166-1 alpha-2, uppercase */
    const char *name;    /* "Brazil" */
} country;

/* Generated from data/countries.tsv, sorted by code. */
extern const country countries[];
extern const size_t country_count;

enum { FLAG_WIDTH = 90, FLAG_HEIGHT = 60 };

typedef struct {
    char code[3];            /* lowercase: "br" */
    unsigned char *gif;      /* the whole file */
    size_t gif_size;
    uint64_t checksum;       /* FNV-1a 64 of the file (bench_fnv1a64) */
} flag_image;

typedef struct {
    flag_image *images;      /* country_count of them, sorted by code */
    size_t count;
    char *manifest;          /* "cc\tsize\tfnv1a64_hex\n" per code */
    size_t manifest_size;
    const flag_image *by_code[26 * 26];  /* indexed by letter pair; NULL: unassigned */
} flag_set;

/* Draws the flag of `code` (two letters, any case): FLAG_WIDTH x FLAG_HEIGHT
 * palette indices into `pixels`, and 4 RGB colours into `palette`. The same
 * code always gives the same picture. */
void flag_draw(const char *code, unsigned char *pixels, unsigned char palette[4 * 3]);

/* Generates every image and the manifest. Returns false if memory ran out. */
bool flags_build(flag_set *set);
void flags_free(flag_set *set);

/* The image for two letters (either case), or NULL for an unassigned code. */
const flag_image *flags_find(const flag_set *set, char first, char second);

/* Writes DIR/<cc>/<cc>.gif for every code and DIR/manifest.tsv. Returns
 * false after printing a message naming the call and path that failed. */
bool flags_export(const flag_set *set, const char *directory);

#endif
