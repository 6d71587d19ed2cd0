/* output.c - writing a result file (--output FILE) without clobbering what is there.
 *
 * What FILE is decides how it is written:
 *   - nothing yet, or a regular file: the result goes to a temporary file in
 *     the same directory, which is flushed, synced and renamed over FILE, so
 *     FILE is either the old file or the whole new one, never half of it (an
 *     existing file keeps its permission bits);
 *   - a symbolic link: followed; what it points to is written as above (a
 *     link to nothing is refused);
 *   - a character device or a FIFO (/dev/null, /dev/stdout on a pipe, a
 *     named pipe): written to directly, as the shell's `>` would;
 *   - a directory, a block device or a socket: refused.
 * A write, sync or close that fails (ENOSPC from /dev/full, EIO) is an error
 * naming the call, never a silent success.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How `path` will be written, or why it cannot be: returns NULL and sets
 * output->path (symbolic links resolved) and output->direct, or returns the
 * reason it is refused. */
static const char *classify(bench_output *output, const char *path)
{
    struct stat status;
    static char reason[PATH_MAX + 64];
    output->direct = false;
    if (strlen(path) == 0 || strlen(path) >= sizeof output->path - 8)
        return "the path is empty or too long";
    if (lstat(path, &status) != 0) {
        if (errno != ENOENT)
            return strerror(errno);
        snprintf(output->path, sizeof output->path, "%s", path);   /* a new file */
    } else {
        snprintf(output->path, sizeof output->path, "%s", path);
        if (S_ISLNK(status.st_mode) && stat(path, &status) != 0) {
            snprintf(reason, sizeof reason, "a symbolic link to nothing (%s)", strerror(errno));
            return reason;
        }
        /* A link to a file: the temporary file goes beside the file, and the
         * rename replaces the file, not the link. (A link to a device, such
         * as /dev/stdout, is opened as it is.) */
        if (S_ISREG(status.st_mode) && realpath(path, output->path) == NULL)
            return strerror(errno);
        if (S_ISDIR(status.st_mode))
            return "is a directory";
        if (S_ISBLK(status.st_mode))
            return "is a block device: not written to (write a file, then copy it there)";
        if (S_ISSOCK(status.st_mode))
            return "is a socket";
        output->direct = !S_ISREG(status.st_mode);   /* a character device or a FIFO */
        if (access(output->path, W_OK) != 0)
            return strerror(errno);
        if (output->direct)
            return NULL;
    }
    char directory[PATH_MAX];
    snprintf(directory, sizeof directory, "%s", output->path);
    const char *parent = dirname(directory);
    if (access(parent, W_OK) != 0) {
        snprintf(reason, sizeof reason, "%s: %s", parent, strerror(errno));
        return reason;
    }
    return NULL;
}

void bench_output_check(const char *option, const char *path)
{
    bench_output output;
    const char *reason = classify(&output, path);
    if (reason)
        bench_usage_error("%s %s: %s", option, path, reason);
}

/* Removes the temporary file, if any, and exits 1 naming the call. */
__attribute__((noreturn)) static void output_failed(bench_output *output, const char *call,
                                                    int error)
{
    if (output->temporary[0])
        unlink(output->temporary);
    bench_failf("%s %s: %s: %s", output->option, output->given, call, strerror(error));
}

FILE *bench_output_open(bench_output *output, const char *option, const char *path)
{
    memset(output, 0, sizeof *output);
    output->option = option;
    output->given = path;
    const char *reason = classify(output, path);
    if (reason)
        bench_failf("%s %s: %s", option, path, reason);
    int fd;
    if (output->direct) {
        fd = open(output->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        struct stat status;
        if (fd < 0)
            output_failed(output, "open", errno);
        if (fstat(fd, &status) != 0)
            output_failed(output, "fstat", errno);
        if (S_ISREG(status.st_mode) || S_ISDIR(status.st_mode))
            bench_failf("%s %s: became a regular file or directory while running", option, path);
    } else {
        /* Signals that would end the program wait until the file is in
         * place (bench_output_close), so no temporary file is left behind. */
        sigset_t ending_signals;
        sigemptyset(&ending_signals);
        sigaddset(&ending_signals, SIGINT);
        sigaddset(&ending_signals, SIGTERM);
        sigaddset(&ending_signals, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &ending_signals, &output->previous_mask) != 0)
            bench_fail("sigprocmask");
        output->signals_blocked = true;
        snprintf(output->temporary, sizeof output->temporary, "%s.XXXXXX", output->path);
        fd = mkstemp(output->temporary);
        if (fd < 0) {
            int error = errno;
            output->temporary[0] = '\0';
            output_failed(output, "mkstemp", error);
        }
        struct stat status;
        mode_t mode;
        if (stat(output->path, &status) == 0) {
            mode = status.st_mode & 07777;   /* keep the old file's permissions */
        } else {
            mode_t mask = umask(0);
            umask(mask);
            mode = 0666 & ~mask;
        }
        if (fchmod(fd, mode) != 0)
            output_failed(output, "fchmod", errno);
    }
    output->file = fdopen(fd, "w");
    if (output->file == NULL) {
        int error = errno;
        close(fd);
        output_failed(output, "fdopen", error);
    }
    return output->file;
}

void bench_output_close(bench_output *output)
{
    FILE *file = output->file;
    output->file = NULL;
    int error = errno;   /* from the write that set the error flag, if one did */
    if (ferror(file))
        output_failed(output, "write", error ? error : EIO);
    if (fflush(file) != 0)
        output_failed(output, "write", errno);
    /* fsync of a device or a pipe means nothing (EINVAL); of a file, it is
     * where a full or failing disk shows. */
    if (!output->direct && fsync(fileno(file)) != 0)
        output_failed(output, "fsync", errno);
    if (fclose(file) != 0)
        output_failed(output, "close", errno);
    if (!output->direct) {
        if (rename(output->temporary, output->path) != 0)
            output_failed(output, "rename", errno);
        output->temporary[0] = '\0';
        char directory[PATH_MAX];
        snprintf(directory, sizeof directory, "%s", output->path);
        int directory_fd = open(dirname(directory), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (directory_fd < 0 || (fsync(directory_fd) != 0 && errno != EINVAL))
            output_failed(output, "fsync of its directory", errno);
        close(directory_fd);
    }
    if (output->signals_blocked && sigprocmask(SIG_SETMASK, &output->previous_mask, NULL) != 0)
        bench_fail("sigprocmask");
}
