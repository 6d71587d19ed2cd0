/*
 * http/kernel_support.h - the hardening behind the flag clients. A reader
 * may skip this file: nothing in it differs between the models.
 *
 * The command line and the server (only loopback may be contacted), the
 * manifest of sizes and checksums, the file limit, the files a download is
 * written to (an unnamed O_TMPFILE file, linked under its name only once it
 * is complete and matches: an interrupted run leaves nothing behind), the
 * progress bar and the re-check of the saved files at the end.
 */
#ifndef HTTP_KERNEL_SUPPORT_H
#define HTTP_KERNEL_SUPPORT_H

#include "bench.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLAG_CODES 676                /* AA..ZZ */

typedef struct flag_job flag_job;     /* kernel.h */

/* The server's manifest: size and FNV-1a 64 checksum of every flag it has. */
typedef struct {
    bool loaded;
    size_t count;
    bool listed[FLAG_CODES];
    long long size[FLAG_CODES];
    uint64_t checksum[FLAG_CODES];
} flag_manifest;

/* The file one download is written to. */
typedef struct {
    int fd;                 /* -1 until the first byte of a 200 */
    char temp_path[600];    /* only when O_TMPFILE is unsupported: a named temporary file */
    int write_errno;        /* why writing the file failed, or 0 */
} flag_file;

/* ---- the file of one download ------------------------------------------------ */

void flag_file_init(flag_file *file);
/* Opens the unnamed file in job->dest. False (file->write_errno set) if it failed. */
bool flag_file_open(flag_file *file, const flag_job *job, const char *code);
/* Appends to the file. False (file->write_errno set) if it failed. */
bool flag_file_write(flag_file *file, const void *data, size_t length);
/* Gives the complete file its name, <dest>/<cc>.gif. False (errno set) if that failed. */
bool flag_file_keep(flag_file *file, const flag_job *job, const char *code);
/* Closes and removes whatever was not kept. */
void flag_file_drop(flag_file *file);

/* ---- the end (flag_finish) ---------------------------------------------------- */

void flag_draw_progress(const flag_job *job);
/* Re-reads a saved flag and compares it with the manifest. */
bool flag_saved_file_matches(const flag_job *job, const char *code);
/* Temporary files of the fallback (".cc.gif.XXXXXX") left in --dest: must be 0. */
size_t flag_leftover_temporary_files(const flag_job *job);

/* ---- pieces, exposed for the unit tests ---------------------------------- */

/* 64-bit FNV-1a, continued from `hash`: bench's, the server's manifest's. */
#define FNV1A64_OFFSET BENCH_FNV1A64_OFFSET
#define fnv1a64 bench_fnv1a64

/* "BR" or "br" -> 0..675; anything else -> -1. */
int flag_code_index(const char *text);

/* Parses "cc<TAB>size<TAB>hex" lines. False with "line N: ..." in `error`. */
bool flag_manifest_parse(flag_manifest *manifest, const char *text, size_t length,
                         char *error, size_t error_size);

/* True for http://127.x.x.x, http://localhost and http://[::1], with an
 * optional :port and path: the only servers a client may contact. */
bool flag_loopback_url(const char *url);

#endif
