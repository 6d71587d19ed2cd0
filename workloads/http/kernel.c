/*
 * http/kernel.c - fetch one flag, record it, check the count: what every http
 * variant does, whatever its model.
 *
 * A download is one libcurl easy transfer. Its body goes to a file (see
 * kernel_support.c) and into a running checksum; at the end the outcome is
 * classified: ok only if the status was 200 and the size and checksum match
 * the server's manifest, and the file could be saved under its name.
 */
#define _GNU_SOURCE
#include "kernel.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define SET(handle, option, value)                                                        \
    do {                                                                                  \
        CURLcode set_result = curl_easy_setopt(handle, option, value);                    \
        if (set_result != CURLE_OK)                                                       \
            bench_failf("curl_easy_setopt(%s): %s", #option, curl_easy_strerror(set_result)); \
    } while (0)

CURL *flag_handle_new(const flag_job *job)
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
    const char *code = transfer->job->tasks[transfer->task].code;
    if (transfer->file.fd < 0 && !flag_file_open(&transfer->file, transfer->job, code))
        return 0;
    if (!flag_file_write(&transfer->file, data, length))
        return 0;
    transfer->checksum = fnv1a64(transfer->checksum, data, length);
    transfer->bytes += (long long)length;
    return length;
}

void flag_transfer_start(flag_transfer *transfer, CURL *handle, const flag_job *job, size_t task)
{
    memset(transfer, 0, sizeof *transfer);
    transfer->job = job;
    transfer->handle = handle;
    transfer->task = task;
    flag_file_init(&transfer->file);
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
    const flag_job *job = transfer->job;
    const flag_manifest *manifest = &job->manifest;
    const char *country = job->tasks[transfer->task].code;
    int index = flag_code_index(country);
    flag_file *file = &transfer->file;
    memset(result, 0, sizeof *result);
    result->task = (uint32_t)transfer->task;
    result->bytes = transfer->bytes;
    curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &result->http_status);
    result->status = FLAG_ERROR;

    if (file->write_errno != 0)
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(file->write_errno));
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
    else if (file->fd < 0 && !flag_file_open(file, job, country))   /* an empty flag */
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(file->write_errno));
    else if (!flag_file_keep(file, job, country))
        snprintf(result->reason, sizeof result->reason, "saving in %s: %s", job->dest,
                 strerror(errno));
    else
        result->status = FLAG_OK;
    flag_file_drop(file);   /* anything not kept */
    SET(transfer->handle, CURLOPT_ERRORBUFFER, NULL);
    SET(transfer->handle, CURLOPT_WRITEDATA, NULL);
}

void flag_download(CURL *handle, const flag_job *job, size_t task, flag_result *result)
{
    flag_transfer transfer;
    flag_transfer_start(&transfer, handle, job, task);
    flag_transfer_finish(&transfer, curl_easy_perform(handle), result);
}

void flag_record(flag_job *job, const flag_result *result)
{
    if (result->task >= job->count || result->status < FLAG_OK || result->status > FLAG_ERROR) {
        job->stray++;
        return;
    }
    flag_task *task = &job->tasks[result->task];
    if (task->reports++ == 0)
        task->status = (flag_status)result->status;
    job->recorded++;
    if (result->status == FLAG_ERROR && job->first_error[0] == '\0')
        snprintf(job->first_error, sizeof job->first_error, "%s: %s", task->code, result->reason);
    if (job->verbose)
        fprintf(stderr, "%s  %-9s  HTTP %3ld  %6lld bytes%s%s\n", task->code,
                result->status == FLAG_OK          ? "ok"
                : result->status == FLAG_NOT_FOUND ? "not found"
                                                   : "error",
                result->http_status, result->bytes, result->reason[0] ? "  " : "", result->reason);
    if (job->progress)
        flag_draw_progress(job);
}

int flag_finish(bench_run *run, flag_job *job)
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
        if (task->status == FLAG_OK && !flag_saved_file_matches(job, task->code))
            wrong++;
        if (task->status == FLAG_NOT_FOUND && job->manifest.loaded &&
            job->manifest.listed[flag_code_index(task->code)]) {
            fprintf(stderr, "%s: %s: HTTP 404, but the manifest lists it\n", job->program,
                    task->code);
            wrong++;
        }
    }
    wrong += flag_leftover_temporary_files(job);
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

    free(job->tasks);
    curl_global_cleanup();
    return bench_finish(run, status, result, summary);
}
