/*
 * http/kernel_support.c - the flag clients' command line, server, manifest,
 * code list, temporary files, progress bar and re-check. A reader may skip
 * it (see kernel_support.h).
 */
#define _GNU_SOURCE
#include "kernel.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* The notes' POP20_CC: the 20 most populous countries. */
static const char *const popular_codes[] = {
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP",
    "MX", "PH", "VN", "ET", "EG", "DE", "IR", "TR", "CD", "FR",
};

static bool all_codes, every_code;
static long code_limit, max_requests;
static const char *server = "LOCAL", *dest_dir = "downloads", *manifest_path;
static double request_timeout = 10;

const bench_option flag_options[] = {
    {"all", 'a', BENCH_OPT_FLAG, &all_codes, NULL, "every code in the server's manifest", NULL},
    {"every", 'e', BENCH_OPT_FLAG, &every_code, NULL,
     "every code from AA to ZZ (676, most of them 404)", NULL},
    {"limit", 'l', BENCH_OPT_COUNT, &code_limit, "N",
     "only the first N codes after sorting (-n N does the same)", NULL},
    {"max-req", 'm', BENCH_OPT_COUNT, &max_requests, "N",
     "requests in flight, the same as -j (default 30, at most one per code)", NULL},
    {"server", 's', BENCH_OPT_STRING, &server, "WHERE",
     "LOCAL, DELAY, ERROR (port files in $FLAGS_SERVERS_DIR, default build/servers) "
     "or a base URL such as http://127.0.0.1:8001/flags (default LOCAL)", NULL},
    {"dest", 0, BENCH_OPT_STRING, &dest_dir, "DIR",
     "save the flags as DIR/<cc>.gif, DIR created if missing (default downloads)", NULL},
    {"timeout", 0, BENCH_OPT_SECONDS, &request_timeout, "S",
     "give up on one request after S seconds (default 10)", NULL},
    {"manifest", 0, BENCH_OPT_STRING, &manifest_path, "FILE",
     "sizes and checksums from FILE instead of <server>/manifest.tsv", NULL},
    BENCH_OPTIONS_END,
};

int flag_code_index(const char *text)
{
    if (strlen(text) != 2 || !isalpha((unsigned char)text[0]) || !isalpha((unsigned char)text[1]))
        return -1;
    return (toupper((unsigned char)text[0]) - 'A') * 26 + (toupper((unsigned char)text[1]) - 'A');
}

/* ---- the server: a label's port file, or a URL on loopback ---------------------- */

bool flag_loopback_url(const char *url)
{
    if (strncasecmp(url, "http://", 7) != 0)
        return false;
    const char *host = url + 7, *after;
    if (strncmp(host, "[::1]", 5) == 0) {
        after = host + 5;
    } else {
        size_t length = strcspn(host, ":/");
        char name[64];
        if (length == 0 || length >= sizeof name)
            return false;
        memcpy(name, host, length);
        name[length] = '\0';
        struct in_addr address;
        bool loopback_ip = inet_pton(AF_INET, name, &address) == 1 &&
                           (ntohl(address.s_addr) >> 24) == 127;
        if (!loopback_ip && strcasecmp(name, "localhost") != 0)
            return false;
        after = host + length;
    }
    if (*after == ':') {
        const char *digits = ++after;
        long port = 0;
        while (isdigit((unsigned char)*after) && port <= 65535)
            port = port * 10 + (*after++ - '0');
        if (after == digits || port < 1 || port > 65535)
            return false;
    }
    return *after == '\0' || *after == '/';
}

static void resolve_server(flag_job *job)
{
    static const char *const labels[] = {"local", "delay", "error"};
    for (size_t index = 0; index < 3; index++) {
        if (strcasecmp(server, labels[index]) != 0)
            continue;
        const char *directory = getenv("FLAGS_SERVERS_DIR");
        if (directory == NULL || *directory == '\0')
            directory = "build/servers";
        char path[512];
        snprintf(path, sizeof path, "%s/%s.port", directory, labels[index]);
        FILE *file = fopen(path, "r");
        if (file == NULL)
            bench_usage_error("--server %s: cannot read %s: %s (start the servers: make serve)",
                              server, path, strerror(errno));
        int port = 0;
        char extra;
        int fields = fscanf(file, "%d %c", &port, &extra);
        fclose(file);
        if (fields != 1 || port < 1 || port > 65535)
            bench_usage_error("--server %s: %s does not hold a port number", server, path);
        snprintf(job->base_url, sizeof job->base_url, "http://127.0.0.1:%d/flags", port);
        return;
    }
    if (!flag_loopback_url(server) || strlen(server) >= sizeof job->base_url)
        bench_usage_error("--server: '%s' is not LOCAL, DELAY, ERROR or an http:// URL on "
                          "loopback (127.x.x.x, localhost, [::1])", server);
    snprintf(job->base_url, sizeof job->base_url, "%s", server);
    size_t length = strlen(job->base_url);
    while (length > 7 && job->base_url[length - 1] == '/')
        job->base_url[--length] = '\0';
}

/* ---- the manifest ------------------------------------------------------------------ */

bool flag_manifest_parse(flag_manifest *manifest, const char *text, size_t length,
                          char *error, size_t error_size)
{
    memset(manifest, 0, sizeof *manifest);
    const char *line = text, *end = text + length;
    for (int number = 1; line < end; number++) {
        const char *newline = memchr(line, '\n', (size_t)(end - line));
        size_t line_length = newline ? (size_t)(newline - line) : (size_t)(end - line);
        char copy[128], code[8], hex[32], extra;
        long long size;
        if (line_length >= sizeof copy) {
            snprintf(error, error_size, "line %d: too long", number);
            return false;
        }
        memcpy(copy, line, line_length);
        copy[line_length] = '\0';
        line = newline ? newline + 1 : end;
        int index = -1;
        if (sscanf(copy, "%7[^\t]\t%lld\t%31[^\t] %c", code, &size, hex, &extra) != 3 ||
            (index = flag_code_index(code)) < 0 || size < 0 || strlen(hex) != 16 ||
            strspn(hex, "0123456789abcdef") != 16) {
            snprintf(error, error_size, "line %d: not 'cc<TAB>size<TAB>16 hex digits'", number);
            return false;
        }
        if (manifest->listed[index]) {
            snprintf(error, error_size, "line %d: code %s listed twice", number, code);
            return false;
        }
        manifest->listed[index] = true;
        manifest->size[index] = size;
        manifest->checksum[index] = strtoull(hex, NULL, 16);
        manifest->count++;
    }
    manifest->loaded = true;
    return true;
}

typedef struct {
    char *data;
    size_t length;
} memory_buffer;

static size_t collect_body(char *data, size_t size, size_t count, void *userdata)
{
    memory_buffer *buffer = userdata;
    size_t length = size * count;
    if (buffer->length + length > (1u << 20))
        return 0;   /* a manifest of more than 1 MiB is not one */
    char *grown = realloc(buffer->data, buffer->length + length + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + buffer->length, data, length);
    buffer->data = grown;
    buffer->length += length;
    return length;
}

static void load_manifest(flag_job *job)
{
    char error[160];
    memory_buffer buffer = {NULL, 0};
    if (manifest_path) {
        FILE *file = fopen(manifest_path, "r");
        if (file == NULL)
            bench_usage_error("--manifest: cannot open %s: %s", manifest_path, strerror(errno));
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
            if (collect_body(chunk, 1, got, &buffer) != got)
                bench_usage_error("--manifest: %s is too large", manifest_path);
        bool failed = ferror(file);
        fclose(file);
        if (failed)
            bench_usage_error("--manifest: reading %s failed", manifest_path);
        if (!flag_manifest_parse(&job->manifest, buffer.data ? buffer.data : "", buffer.length,
                                  error, sizeof error))
            bench_usage_error("--manifest: %s: %s", manifest_path, error);
        free(buffer.data);
        return;
    }
    char url[600];
    snprintf(url, sizeof url, "%s/manifest.tsv", job->base_url);
    CURL *handle = flag_handle_new(job);
    char curl_error[CURL_ERROR_SIZE] = "";
    long status = 0;
    if (curl_easy_setopt(handle, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect_body) != CURLE_OK ||
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, &buffer) != CURLE_OK ||
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, curl_error) != CURLE_OK)
        bench_failf("curl_easy_setopt for %s failed", url);
    CURLcode code = curl_easy_perform(handle);
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(handle);
    if (code != CURLE_OK || status != 200) {
        char reason[CURL_ERROR_SIZE + 32];
        if (code != CURLE_OK)
            snprintf(reason, sizeof reason, "%s", *curl_error ? curl_error : curl_easy_strerror(code));
        else
            snprintf(reason, sizeof reason, "HTTP %ld", status);
        fprintf(stderr, "%s: GET %s: %s; every download counts as an error "
                "(nothing to verify it against)\n", job->program, url, reason);
    } else if (!flag_manifest_parse(&job->manifest, buffer.data ? buffer.data : "",
                                     buffer.length, error, sizeof error)) {   /* as if missing */
        fprintf(stderr, "%s: the manifest from %s is malformed (%s); every download counts as "
                "an error (nothing to verify it against)\n", job->program, url, error);
    }
    free(buffer.data);
}

/* ---- the codes ------------------------------------------------------------------------ */

static void choose_codes(bench_run *run, flag_job *job, bool wanted[FLAG_CODES])
{
    if (every_code) {
        for (int index = 0; index < FLAG_CODES; index++)
            wanted[index] = true;
    } else if (all_codes) {
        if (!job->manifest.loaded)
            bench_failf("-a/--all needs the server's manifest, which could not be read");
        memcpy(wanted, job->manifest.listed, FLAG_CODES * sizeof *wanted);
    }
    long limit = code_limit;
    if (run->tasks_given && (limit == 0 || run->tasks < limit))
        limit = run->tasks;
    job->tasks = bench_alloc(FLAG_CODES, sizeof *job->tasks);
    job->count = 0;
    for (int index = 0; index < FLAG_CODES && (limit == 0 || (long)job->count < limit); index++) {
        if (!wanted[index])
            continue;
        flag_task *task = &job->tasks[job->count++];
        task->code[0] = (char)('A' + index / 26);
        task->code[1] = (char)('A' + index % 26);
    }
}

static void parse_operands(bench_run *run, bool wanted[FLAG_CODES])
{
    if (run->operand_count > 0 && (all_codes || every_code))
        bench_usage_error("'%s': codes cannot be combined with -a/--all or -e/--every",
                          run->operands[0]);
    if (run->operand_count == 0 && !all_codes && !every_code)
        for (size_t index = 0; index < sizeof popular_codes / sizeof popular_codes[0]; index++)
            wanted[flag_code_index(popular_codes[index])] = true;
    for (int operand = 0; operand < run->operand_count; operand++) {
        const char *text = run->operands[operand];
        if (strlen(text) == 1 && isalpha((unsigned char)text[0])) {
            int row = toupper((unsigned char)text[0]) - 'A';
            for (int column = 0; column < 26; column++)
                wanted[row * 26 + column] = true;
        } else if (flag_code_index(text) >= 0) {
            wanted[flag_code_index(text)] = true;
        } else {
            bench_usage_error("'%s' is not a country code (a letter A to Z, or AA to ZZ)", text);
        }
    }
}

/* mkdir -p */
static void make_directory(const char *path)
{
    char partial[512];
    if (strlen(path) == 0 || strlen(path) >= 400)
        bench_usage_error("--dest: '%s' is empty or too long", path);
    for (size_t length = 1; ; length++) {
        if (path[length] != '/' && path[length] != '\0')
            continue;
        memcpy(partial, path, length);
        partial[length] = '\0';
        if (mkdir(partial, 0755) != 0 && errno != EEXIST)
            bench_failf("mkdir %s: %s", partial, strerror(errno));
        if (path[length] == '\0')
            break;
    }
    struct stat status;
    if (stat(path, &status) != 0 || !S_ISDIR(status.st_mode))
        bench_usage_error("--dest: '%s' is not a directory", path);
}

/* Each transfer in flight holds a socket and a file: make room under ulimit -n. */
static void raise_file_limit(long transfers)
{
    struct rlimit limit;
    rlim_t needed = (rlim_t)transfers * 2 + 64;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        bench_fail("getrlimit(RLIMIT_NOFILE)");
    if (limit.rlim_cur >= needed)
        return;
    limit.rlim_cur = limit.rlim_max < needed ? limit.rlim_max : needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
        bench_fail("setrlimit(RLIMIT_NOFILE)");
}

void flag_setup(bench_run *run, flag_job *job)
{
    static char program[64];
    snprintf(program, sizeof program, "http-%s", run->spec->model);
    memset(job, 0, sizeof *job);
    job->program = program;
    job->dest = dest_dir;
    job->verbose = run->verbose;
    if (request_timeout <= 0)
        bench_usage_error("--timeout: '%g' must be more than 0 seconds", request_timeout);
    job->timeout = request_timeout;
    if (max_requests && run->workers_given && max_requests != run->workers)
        bench_usage_error("-m %ld and -j %ld disagree (they are the same option)", max_requests,
                          run->workers);

    bool wanted[FLAG_CODES] = {false};
    parse_operands(run, wanted);
    resolve_server(job);
    make_directory(job->dest);
    load_manifest(job);
    choose_codes(run, job, wanted);

    long workers = max_requests        ? max_requests
                   : run->workers_given ? run->workers
                                        : FLAG_DEFAULT_CONCURRENCY;
    if ((size_t)workers > job->count)
        workers = job->count > 0 ? (long)job->count : 1;
    run->workers = workers;
    run->tasks = (long)job->count;
    raise_file_limit(workers);
    job->progress = run->verbose == 0 && isatty(STDERR_FILENO);
    bench_restart_clock(run);
}

/* ---- the file of one download ------------------------------------------------------- */

void flag_file_init(flag_file *file)
{
    file->fd = -1;
    file->temp_path[0] = '\0';
    file->write_errno = 0;
}

bool flag_file_open(flag_file *file, const flag_job *job, const char *code)
{
    file->fd = open(job->dest, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (file->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        snprintf(file->temp_path, sizeof file->temp_path, "%s/.%c%c.gif.XXXXXX", job->dest,
                 code[0] | 0x20, code[1] | 0x20);
        file->fd = mkostemp(file->temp_path, O_CLOEXEC);
        if (file->fd < 0)
            file->temp_path[0] = '\0';
    }
    if (file->fd < 0)
        file->write_errno = errno;
    return file->fd >= 0;
}

bool flag_file_write(flag_file *file, const void *data, size_t length)
{
    if (bench_write_all(file->fd, data, length))
        return true;
    file->write_errno = errno;
    return false;
}

void flag_file_drop(flag_file *file)
{
    if (file->fd >= 0 && close(file->fd) != 0 && file->write_errno == 0)
        file->write_errno = errno;
    file->fd = -1;
    if (file->temp_path[0] != '\0' && unlink(file->temp_path) != 0 && errno != ENOENT)
        perror("unlink");
    file->temp_path[0] = '\0';
}

bool flag_file_keep(flag_file *file, const flag_job *job, const char *code)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%c%c.gif", job->dest, code[0] | 0x20, code[1] | 0x20);
    bool kept;
    if (file->temp_path[0] != '\0') {
        kept = rename(file->temp_path, path) == 0;
        if (kept)
            file->temp_path[0] = '\0';
    } else {
        char link_from[64];
        snprintf(link_from, sizeof link_from, "/proc/self/fd/%d", file->fd);
        kept = linkat(AT_FDCWD, link_from, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
        if (!kept && errno == EEXIST)   /* a flag from an earlier run: replace it */
            kept = unlink(path) == 0 &&
                   linkat(AT_FDCWD, link_from, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
    }
    int error = errno;
    int fd = file->fd;
    file->fd = -1;
    if (close(fd) != 0 && kept) {
        error = errno;
        unlink(path);
        kept = false;
    }
    errno = error;
    return kept;
}

/* ---- the end ------------------------------------------------------------------------- */

void flag_draw_progress(const flag_job *job)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    size_t filled = job->count ? job->recorded * WIDTH / job->count : WIDTH;
    for (size_t index = 0; index < WIDTH; index++)
        bar[index] = index < filled ? '#' : ' ';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu", bar, job->recorded, job->count);
}

bool flag_saved_file_matches(const flag_job *job, const char *code)
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

size_t flag_leftover_temporary_files(const flag_job *job)
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
