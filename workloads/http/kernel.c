/*
 * http/kernel_transfer.c - one download with an easy handle, the accounting,
 * the progress bar and the final check.
 *
 * A flag is written to an unnamed file (open with O_TMPFILE in --dest) and
 * linked under its name only once it is complete and matches the manifest:
 * an interrupted run, or a code that failed, leaves no file at all. Where
 * the file system has no O_TMPFILE, a named ".cc.gif.XXXXXX" file is used
 * and renamed instead.
 */
#define _GNU_SOURCE
#include "kernel.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define SET(handle, option, value)                                                        \
    do {                                                                                  \
        CURLcode set_result = curl_easy_setopt(handle, option, value);                    \
        if (set_result != CURLE_OK)                                                       \
            bench_failf("curl_easy_setopt(%s): %s", #option, curl_easy_strerror(set_result)); \
    } while (0)

CURL *flag_handle_new(const flags_job *job)
{
    CURL *handle = curl_easy_init();
    if (handle == NULL)
        bench_failf("curl_easy_init failed (out of memory?)");
    long timeout_ms = (long)(job->timeout * 1000 + 0.5);
    SET(handle, CURLOPT_PROTOCOLS_STR, "http");   /* loopback HTTP, nothing else */
    SET(handle, CURLOPT_FOLLOWLOCATION, 0L);
    SET(handle, CURLOPT_PROXY, "");                /* ignore http_proxy in the environment */
    SET(handle, CURLOPT_NOSIGNAL, 1L);             /* required with threads */
    SET(handle, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
    SET(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
    SET(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);      /* a stalled server is an error ... */
    SET(handle, CURLOPT_LOW_SPEED_TIME, (long)job->timeout + 1);   /* ... not a hang */
    SET(handle, CURLOPT_USERAGENT, "bench-http-flags");
    return handle;
}

/* ---- the file ---------------------------------------------------------------------- */

static void final_path(const flag_transfer *transfer, char *path, size_t size)
{
    const char *code = transfer->job->tasks[transfer->task].code;
    snprintf(path, size, "%s/%c%c.gif", transfer->job->dest, code[0] | 0x20, code[1] | 0x20);
}

static bool open_file(flag_transfer *transfer)
{
    transfer->fd = open(transfer->job->dest, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (transfer->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        const char *code = transfer->job->tasks[transfer->task].code;
        snprintf(transfer->temp_path, sizeof transfer->temp_path, "%s/.%c%c.gif.XXXXXX",
                 transfer->job->dest, code[0] | 0x20, code[1] | 0x20);
        transfer->fd = mkostemp(transfer->temp_path, O_CLOEXEC);
        if (transfer->fd < 0)
            transfer->temp_path[0] = '\0';
    }
    if (transfer->fd < 0)
        transfer->write_errno = errno;
    return transfer->fd >= 0;
}

static void drop_file(flag_transfer *transfer)
{
    if (transfer->fd >= 0 && close(transfer->fd) != 0 && transfer->write_errno == 0)
        transfer->write_errno = errno;
    transfer->fd = -1;
    if (transfer->temp_path[0] != '\0' && unlink(transfer->temp_path) != 0 && errno != ENOENT)
        perror("unlink");
    transfer->temp_path[0] = '\0';
}

/* Gives the complete file its name. False (errno set) if that failed. */
static bool keep_file(flag_transfer *transfer)
{
    char path[600];
    final_path(transfer, path, sizeof path);
    bool kept;
    if (transfer->temp_path[0] != '\0') {
        kept = rename(transfer->temp_path, path) == 0;
        if (kept)
            transfer->temp_path[0] = '\0';
    } else {
        char link_from[64];
        snprintf(link_from, sizeof link_from, "/proc/self/fd/%d", transfer->fd);
        kept = linkat(AT_FDCWD, link_from, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
        if (!kept && errno == EEXIST)   /* a flag from an earlier run: replace it */
            kept = unlink(path) == 0 &&
                   linkat(AT_FDCWD, link_from, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
    }
    int error = errno;
    int fd = transfer->fd;
    transfer->fd = -1;
    if (close(fd) != 0 && kept) {
        error = errno;
        unlink(path);
        kept = false;
    }
    errno = error;
    return kept;
}

/* CURLOPT_WRITEFUNCTION: the body of a 200 goes to the file; any other body
 * (an error page) is read and dropped. Returning less than given aborts. */
static size_t write_body(char *data, size_t size, size_t count, void *userdata)
{
    flag_transfer *transfer = userdata;
    size_t length = size * count;
    long status = 0;
    curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
        return length;
    if (transfer->fd < 0 && !open_file(transfer))
        return 0;
    if (!bench_write_all(transfer->fd, data, length)) {
        transfer->write_errno = errno;
        return 0;
    }
    transfer->checksum = fnv1a64(transfer->checksum, data, length);
    transfer->bytes += (long long)length;
    return length;
}

/* ---- one transfer -------------------------------------------------------------------- */

void flag_transfer_start(flag_transfer *transfer, CURL *handle, const flags_job *job, size_t task)
{
    memset(transfer, 0, sizeof *transfer);
    transfer->job = job;
    transfer->handle = handle;
    transfer->task = task;
    transfer->fd = -1;
    transfer->checksum = FNV1A64_OFFSET;
    const char *code = job->tasks[task].code;
    char url[600];
    snprintf(url, sizeof url, "%s/%c%c/%c%c.gif", job->base_url, code[0] | 0x20,
             code[1] | 0x20, code[0] | 0x20, code[1] | 0x20);
    SET(handle, CURLOPT_URL, url);
    SET(handle, CURLOPT_WRITEFUNCTION, write_body);
    SET(handle, CURLOPT_WRITEDATA, transfer);
    SET(handle, CURLOPT_ERRORBUFFER, transfer->error_buffer);
    SET(handle, CURLOPT_PRIVATE, transfer);
}

void flag_transfer_finish(flag_transfer *transfer, CURLcode code, flag_result *result)
{
    const flags_job *job = transfer->job;
    const flags_manifest *manifest = &job->manifest;
    int index = flag_code_index(job->tasks[transfer->task].code);
    memset(result, 0, sizeof *result);
    result->task = (uint32_t)transfer->task;
    result->bytes = transfer->bytes;
    curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &result->http_status);
    result->status = FLAG_ERROR;

    if (transfer->write_errno != 0)
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(transfer->write_errno));
    else if (code != CURLE_OK)
        snprintf(result->reason, sizeof result->reason, "%.150s",
                 transfer->error_buffer[0] ? transfer->error_buffer : curl_easy_strerror(code));
    else if (result->http_status == 404)
        result->status = FLAG_NOT_FOUND;
    else if (result->http_status != 200)
        snprintf(result->reason, sizeof result->reason, "HTTP %ld", result->http_status);
    else if (!manifest->loaded)
        snprintf(result->reason, sizeof result->reason, "no manifest to check it against");
    else if (!manifest->listed[index])
        snprintf(result->reason, sizeof result->reason, "not in the manifest");
    else if (manifest->size[index] != transfer->bytes ||
             manifest->checksum[index] != transfer->checksum)
        snprintf(result->reason, sizeof result->reason,
                 "%lld bytes that do not match the manifest", transfer->bytes);
    else if (transfer->fd < 0 && !open_file(transfer))   /* an empty flag: never written to */
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(transfer->write_errno));
    else if (!keep_file(transfer))
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(errno));
    else
        result->status = FLAG_OK;
    drop_file(transfer);   /* anything not kept */
    SET(transfer->handle, CURLOPT_ERRORBUFFER, NULL);
    SET(transfer->handle, CURLOPT_WRITEDATA, NULL);
}

void flag_download(CURL *handle, const flags_job *job, size_t task, flag_result *result)
{
    flag_transfer transfer;
    flag_transfer_start(&transfer, handle, job, task);
    flag_transfer_finish(&transfer, curl_easy_perform(handle), result);
}

/* ---- accounting ------------------------------------------------------------------------- */

static void draw_progress(const flags_job *job)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    size_t filled = job->count ? job->recorded * WIDTH / job->count : WIDTH;
    for (size_t index = 0; index < WIDTH; index++)
        bar[index] = index < filled ? '#' : ' ';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu", bar, job->recorded, job->count);
}

void flags_record(flags_job *job, const flag_result *result)
{
    int error = pthread_mutex_lock(&job->lock);
    if (error != 0)
        bench_fail_errno(error, "pthread_mutex_lock");
    if (result->task >= job->count || result->status < FLAG_OK || result->status > FLAG_ERROR) {
        job->stray++;
    } else {
        flag_task *task = &job->tasks[result->task];
        if (task->reports++ == 0)
            task->status = (flag_status)result->status;
        job->recorded++;
        if (result->status == FLAG_ERROR && job->first_error[0] == '\0')
            snprintf(job->first_error, sizeof job->first_error, "%s: %s", task->code,
                     result->reason);
        if (job->verbose)
            fprintf(stderr, "%s  %-9s  HTTP %3ld  %6lld bytes%s%s\n", task->code,
                    result->status == FLAG_OK          ? "ok"
                    : result->status == FLAG_NOT_FOUND ? "not found"
                                                       : "error",
                    result->http_status, result->bytes, result->reason[0] ? "  " : "",
                    result->reason);
        if (job->progress)
            draw_progress(job);
    }
    error = pthread_mutex_unlock(&job->lock);
    if (error != 0)
        bench_fail_errno(error, "pthread_mutex_unlock");
}

/* ---- the check ------------------------------------------------------------------------------ */

/* Re-reads a saved flag and compares it with the manifest. */
static bool saved_file_matches(const flags_job *job, const char *code)
{
    int index = flag_code_index(code);
    char path[600];
    snprintf(path, sizeof path, "%s/%c%c.gif", job->dest, code[0] | 0x20, code[1] | 0x20);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "%s: %s: %s\n", job->program, path, strerror(errno));
        return false;
    }
    uint64_t checksum = FNV1A64_OFFSET;
    long long size = 0;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
        checksum = fnv1a64(checksum, chunk, got);
        size += (long long)got;
    }
    bool read_failed = ferror(file);
    fclose(file);
    bool matches = !read_failed && job->manifest.loaded && job->manifest.listed[index] &&
                   job->manifest.size[index] == size && job->manifest.checksum[index] == checksum;
    if (!matches)
        fprintf(stderr, "%s: %s (%lld bytes) does not match the manifest\n", job->program, path,
                size);
    return matches;
}

/* Temporary files of the fallback (".cc.gif.XXXXXX") must all be gone. */
static size_t leftover_temporary_files(const flags_job *job)
{
    DIR *directory = opendir(job->dest);
    if (directory == NULL)
        bench_failf("opendir %s: %s", job->dest, strerror(errno));
    size_t leftovers = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL)
        if (entry->d_name[0] == '.' && strlen(entry->d_name) == 14 &&
            strncmp(entry->d_name + 3, ".gif.", 5) == 0) {
            fprintf(stderr, "%s: temporary file left in %s: %s\n", job->program, job->dest,
                    entry->d_name);
            leftovers++;
        }
    closedir(directory);
    return leftovers;
}

int flags_finish(bench_run *run, flags_job *job)
{
    double elapsed = bench_now() - run->started;
    if (job->progress && job->recorded > 0)
        fputc('\n', stderr);
    size_t ok = 0, not_found = 0, errors = 0, wrong = job->stray;
    for (size_t index = 0; index < job->count; index++) {
        const flag_task *task = &job->tasks[index];
        if (task->reports != 1) {
            fprintf(stderr, "%s: %s was accounted for %d times\n", job->program, task->code,
                    task->reports);
            wrong++;
            continue;
        }
        ok += task->status == FLAG_OK;
        not_found += task->status == FLAG_NOT_FOUND;
        errors += task->status == FLAG_ERROR;
        if (task->status == FLAG_OK && !saved_file_matches(job, task->code))
            wrong++;
        if (task->status == FLAG_NOT_FOUND && job->manifest.loaded &&
            job->manifest.listed[flag_code_index(task->code)]) {
            fprintf(stderr, "%s: %s: HTTP 404, but the manifest lists it\n", job->program,
                    task->code);
            wrong++;
        }
    }
    wrong += leftover_temporary_files(job);
    if (ok + not_found + errors != job->count)
        wrong++;
    if (errors > 0 && job->verbose == 0)
        fprintf(stderr, "%s: %zu error%s; the first: %s\n", job->program, errors,
                errors == 1 ? "" : "s", job->first_error);

    char result[128], summary[192];
    snprintf(result, sizeof result, "\"ok\": %zu, \"not_found\": %zu, \"errors\": %zu", ok,
             not_found, errors);
    snprintf(summary, sizeof summary,
             "%zu flag%s downloaded, %zu not found, %zu error%s (of %zu codes); elapsed %.2f s",
             ok, ok == 1 ? "" : "s", not_found, errors, errors == 1 ? "" : "s", job->count,
             elapsed);
    int status = wrong ? BENCH_EXIT_WRONG : errors ? BENCH_EXIT_IO_FAILED : BENCH_EXIT_OK;

    pthread_mutex_destroy(&job->lock);
    free(job->tasks);
    curl_global_cleanup();
    return bench_finish(run, status, result, summary);
}
