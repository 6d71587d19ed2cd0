/*
 * http/kernel.h - the notes' "flags2" downloads, with libcurl.
 *
 * A task is one country code. Downloading it is one HTTP GET of
 * <server>/<cc>/<cc>.gif on loopback; the answer is one of three outcomes:
 * downloaded (200, saved as <dest>/<cc>.gif), not found (404) or an error
 * (anything else: HTTP 500, connection refused, timeout, a body that does
 * not match the server's manifest). Every variant does the same downloads;
 * only the way they overlap the waiting differs. A variant:
 *
 *     bench_start(&run, &spec, argc, argv);
 *     curl_global_init(CURL_GLOBAL_DEFAULT);     // once, before any thread or fork
 *     flag_setup(&run, &job);
 *     ... for each task, in its own model:
 *         flag_download(handle, &job, task, &result);   // or the multi interface
 *         flag_record(&job, &result);                   // one at a time: the model's lock
 *     return flag_finish(&run, &job);
 *
 * kernel.c is the part to read: one download, its outcome, the count.
 * kernel_support.[ch] hold the command line, the manifest, the temporary
 * files, the progress bar and the re-check of the saved files.
 */
#ifndef HTTP_KERNEL_H
#define HTTP_KERNEL_H

#include "bench.h"
#include "kernel_support.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#define FLAG_ABOUT                                                                     \
    "Downloads country flags from the flag server on loopback (the notes' flags2) " \
    "and checks them against its manifest."

#define FLAG_DEFAULT_CONCURRENCY 30  /* -m when not given, as the notes' thread pool */

typedef enum { FLAG_PENDING = 0, FLAG_OK, FLAG_NOT_FOUND, FLAG_ERROR } flag_status;

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

struct flag_job {
    flag_task *tasks;
    size_t count;
    char base_url[512];   /* http://127.0.0.1:PORT/flags, no trailing slash */
    const char *dest;     /* where the flags are saved */
    double timeout;       /* seconds per request */
    flag_manifest manifest;
    const char *program;  /* "http-pthread", for messages */
    int verbose;
    bool progress;        /* draw a progress bar on stderr */
    /* Written by flag_record: one call at a time (the model's lock, if any). */
    size_t recorded, stray;
    char first_error[200];
};

/* One transfer in flight: the state of one easy handle between start and finish. */
typedef struct {
    const flag_job *job;
    CURL *handle;
    size_t task;
    flag_file file;         /* where the body of a 200 goes */
    uint64_t checksum;
    long long bytes;
    char error_buffer[CURL_ERROR_SIZE];
} flag_transfer;

/* -a -e -l -m -s --dest --timeout --manifest: shared by every http variant. */
extern const bench_option flag_options[];

/* Parses the codes and the server, loads the manifest, creates --dest, sets
 * run->tasks (the number of codes) and run->workers (-m or -j, at most one per
 * code), then restarts the clock. Exits 2 on a usage error. */
void flag_setup(bench_run *run, flag_job *job);

/* An easy handle with the job's options: HTTP only, no redirects, no proxy,
 * the timeouts. Reuse it for the next code: the connection is kept alive. */
CURL *flag_handle_new(const flag_job *job);

/* One download, blocking: start, curl_easy_perform, finish. */
void flag_download(CURL *handle, const flag_job *job, size_t task, flag_result *result);
/* The same in two halves, for the multi interface: start sets up `handle` for
 * the task (CURLOPT_PRIVATE = transfer); finish classifies the outcome and
 * saves the file under its final name (or drops it). */
void flag_transfer_start(flag_transfer *transfer, CURL *handle, const flag_job *job, size_t task);
void flag_transfer_finish(flag_transfer *transfer, CURLcode code, flag_result *result);

/* Counts one result, prints its -v line and moves the progress bar. Not
 * thread-safe: a model with several threads calls it under its own lock. */
void flag_record(flag_job *job, const flag_result *result);

/* Checks that every code was accounted for exactly once and that every saved
 * file matches the manifest (re-read from disk), prints the report and
 * returns the exit status (0, 1 or 3). */
int flag_finish(bench_run *run, flag_job *job);

#endif
