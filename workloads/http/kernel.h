/*
 * http/kernel.h - the notes' "flags2" downloads, with libcurl.
 *
 * A task is one country code. Downloading it is one HTTP GET of
 * <server>/<cc>/<cc>.gif on loopback; the answer is one of three outcomes:
 * downloaded (200, saved as <dest>/<cc>.gif), not found (404) or an error
 * (anything else: HTTP 500, connection refused, timeout, a body that does
 * not match the server's manifest). Every variant does the same downloads;
 * only the way they overlap the waiting differs.
 *
 * Everything that is not concurrency lives here: the command line (codes,
 * -a, -e, -l, -m, -s, --dest, --timeout, --manifest), the manifest, one
 * download with an easy handle, the result accounting (thread-safe), the
 * progress bar and the final check. A variant:
 *
 *     bench_start(&run, &spec, argc, argv);
 *     curl_global_init(CURL_GLOBAL_DEFAULT);     // once, before any thread or fork
 *     flags_setup(&run, &job);
 *     ... for each task, in its own model:
 *         flag_download(handle, &job, task, &result);   // or the multi interface
 *         flags_record(&job, &result);
 *     return flags_finish(&run, &job);
 */
#ifndef HTTP_KERNEL_H
#define HTTP_KERNEL_H

#include "bench.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define FLAGS_ABOUT                                                                    \
    "Downloads country flags from the flag server on loopback (the notes' flags2) " \
    "and checks them against its manifest."

#define FLAG_CODES 676                /* AA..ZZ */
#define FLAGS_DEFAULT_CONCURRENCY 30  /* -m when not given, as the notes' thread pool */

typedef enum { FLAG_PENDING = 0, FLAG_OK, FLAG_NOT_FOUND, FLAG_ERROR } flag_status;

/* The server's manifest: size and FNV-1a 64 checksum of every flag it has. */
typedef struct {
    bool loaded;
    size_t count;
    bool listed[FLAG_CODES];
    long long size[FLAG_CODES];
    uint64_t checksum[FLAG_CODES];
} flags_manifest;

typedef struct {
    char code[3];         /* "BR" */
    flag_status status;
    int reports;          /* results recorded for this task: exactly 1 at the end */
} flag_task;

/* What one download produced. Flat, so a forked child can send it through a pipe. */
typedef struct {
    uint32_t task;
    int32_t status;       /* flag_status */
    long http_status;     /* 0 when no response came */
    long long bytes;      /* body bytes received */
    char reason[160];     /* why it failed, for -v and the report */
} flag_result;

typedef struct {
    flag_task *tasks;
    size_t count;
    char base_url[512];   /* http://127.0.0.1:PORT/flags, no trailing slash */
    const char *dest;     /* where the flags are saved */
    double timeout;       /* seconds per request */
    flags_manifest manifest;
    const char *program;  /* "http-pthread", for messages */
    int verbose;
    bool progress;        /* draw a progress bar on stderr */

    pthread_mutex_t lock; /* guards what follows: flags_record runs in any thread */
    size_t recorded, ok, not_found, errors, stray;
    char first_error[200];
} flags_job;

/* One transfer in flight: the state of one easy handle between start and finish. */
typedef struct {
    const flags_job *job;
    CURL *handle;
    size_t task;
    int fd;                 /* the file being written, -1 until the first byte of a 200 */
    char temp_path[600];    /* only when O_TMPFILE is unsupported: a named temporary file */
    uint64_t checksum;
    long long bytes;
    int write_errno;        /* why writing the file failed, or 0 */
    char error_buffer[CURL_ERROR_SIZE];
} flag_transfer;

/* -a -e -l -m -s --dest --timeout --manifest: shared by every http variant. */
extern const bench_option flags_options[];

/* Parses the codes and the server, loads the manifest, creates --dest, sets
 * run->tasks (the number of codes) and run->workers (-m or -j, at most one per
 * code), then restarts the clock. Exits 2 on a usage error. */
void flags_setup(bench_run *run, flags_job *job);

/* An easy handle with the job's options: HTTP only, no redirects, no proxy,
 * the timeouts. Reuse it for the next code: the connection is kept alive. */
CURL *flag_handle_new(const flags_job *job);

/* One download, blocking: start, curl_easy_perform, finish. */
void flag_download(CURL *handle, const flags_job *job, size_t task, flag_result *result);
/* The same in two halves, for the multi interface: start sets up `handle` for
 * the task (CURLOPT_PRIVATE = transfer); finish classifies the outcome and
 * saves the file under its final name (or drops it). */
void flag_transfer_start(flag_transfer *transfer, CURL *handle, const flags_job *job, size_t task);
void flag_transfer_finish(flag_transfer *transfer, CURLcode code, flag_result *result);

/* Counts one result, prints its -v line and moves the progress bar.
 * Thread-safe. */
void flags_record(flags_job *job, const flag_result *result);

/* Checks that every code was accounted for exactly once and that every saved
 * file matches the manifest (re-read from disk), prints the report and
 * returns the exit status (0, 1 or 3). */
int flags_finish(bench_run *run, flags_job *job);

/* ---- pieces, exposed for the unit tests ---------------------------------- */

/* 64-bit FNV-1a, continued from `hash` (start with FNV1A64_OFFSET). */
#define FNV1A64_OFFSET 0xcbf29ce484222325ULL
uint64_t fnv1a64(uint64_t hash, const void *data, size_t size);

/* "BR" or "br" -> 0..675; anything else -> -1. */
int flag_code_index(const char *text);

/* Parses "cc<TAB>size<TAB>hex" lines. False with "line N: ..." in `error`. */
bool flags_manifest_parse(flags_manifest *manifest, const char *text, size_t length,
                          char *error, size_t error_size);

/* True for http://127.x.x.x, http://localhost and http://[::1], with an
 * optional :port and path: the only servers a client may contact. */
bool flags_loopback_url(const char *url);

#endif
