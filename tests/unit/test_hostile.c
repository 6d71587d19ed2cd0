/* Unit tests of issue 10's helpers: bench_printable (bytes from files, shown
 * in one-line messages) and bench_output (--output, never clobbering what is
 * at the path). */
#include <criterion/criterion.h>

#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

Test(printable, escapes_control_bytes_high_bytes_nul_and_backslash)
{
    char buffer[64];
    const char text[] = "a\x1b[2J\n\xff\\z";
    cr_assert_str_eq(bench_printable(buffer, sizeof buffer, text, sizeof text),
                     "a\\x1b[2J\\x0a\\xff\\x5cz\\x00");
    cr_assert_str_eq(bench_printable(buffer, sizeof buffer, "plain text", 10), "plain text");
    cr_assert_str_eq(bench_printable(buffer, sizeof buffer, "", 0), "");
}

Test(printable, cuts_long_text_short_with_dots_and_never_overflows)
{
    char text[200];
    memset(text, '\x01', sizeof text);
    for (size_t size = 9; size < 40; size++) {
        char buffer[48];
        memset(buffer, 'X', sizeof buffer);
        bench_printable(buffer, size, text, sizeof text);
        size_t length = strlen(buffer);
        cr_assert_lt(length, size, "size %zu", size);
        cr_assert_str_eq(buffer + length - 3, "...", "size %zu: %s", size, buffer);
        cr_assert_eq(buffer[size], 'X', "wrote past %zu bytes", size);
    }
}

static char *scratch_directory(void)
{
    static char directory[] = "/tmp/test_hostile.XXXXXX";
    strcpy(directory, "/tmp/test_hostile.XXXXXX");
    cr_assert_not_null(mkdtemp(directory));
    return directory;
}

Test(output, a_regular_file_is_replaced_whole_and_keeps_its_mode)
{
    char *directory = scratch_directory(), path[256];
    snprintf(path, sizeof path, "%s/out", directory);
    FILE *old = fopen(path, "w");
    cr_assert_not_null(old);
    fputs("old\n", old);
    fclose(old);
    cr_assert_eq(chmod(path, 0640), 0);

    bench_output output;
    FILE *file = bench_output_open(&output, "--output", path);
    fputs("new\n", file);
    struct stat status;
    cr_assert_eq(stat(path, &status), 0);
    cr_assert_eq(status.st_size, 4, "the old file is untouched until the close");
    bench_output_close(&output);
    cr_assert_eq(stat(path, &status), 0);
    cr_assert_eq(status.st_mode & 07777, 0640);
    char text[16] = "";
    FILE *check = fopen(path, "r");
    cr_assert_not_null(fgets(text, sizeof text, check));
    fclose(check);
    cr_assert_str_eq(text, "new\n");
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(rmdir(directory), 0, "no temporary file left beside it");
}

Test(output, a_link_is_followed_and_stays_a_link)
{
    char *directory = scratch_directory(), target[256], link[256];
    snprintf(target, sizeof target, "%s/target", directory);
    snprintf(link, sizeof link, "%s/link", directory);
    FILE *old = fopen(target, "w");
    cr_assert_not_null(old);
    fclose(old);
    cr_assert_eq(symlink("target", link), 0);
    bench_output_check("--output", link);
    bench_output output;
    fputs("through the link\n", bench_output_open(&output, "--output", link));
    bench_output_close(&output);
    struct stat status;
    cr_assert_eq(lstat(link, &status), 0);
    cr_assert(S_ISLNK(status.st_mode));
    cr_assert_eq(stat(target, &status), 0);
    cr_assert_eq(status.st_size, 17);
    cr_assert_eq(unlink(link), 0);
    cr_assert_eq(unlink(target), 0);
    cr_assert_eq(rmdir(directory), 0, "no temporary file left beside the target");
}

Test(output, a_dangling_link_is_a_usage_error)
{
    char *directory = scratch_directory(), link[256];
    snprintf(link, sizeof link, "%s/link", directory);
    cr_assert_eq(symlink("nowhere", link), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        bench_output_check("--output", link);
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == BENCH_EXIT_USAGE, "status %#x", status);
    cr_assert_eq(unlink(link), 0);
    cr_assert_eq(rmdir(directory), 0);
}

Test(output, a_directory_is_a_usage_error, .exit_code = BENCH_EXIT_USAGE)
{
    bench_output_check("--output", "/");
}

Test(output, dev_full_is_written_to_and_its_error_is_exit_1, .exit_code = BENCH_EXIT_WRONG)
{
    struct stat status;
    if (stat("/dev/full", &status) != 0 || !S_ISCHR(status.st_mode))
        exit(BENCH_EXIT_WRONG);   /* no /dev/full here: nothing to see */
    bench_output output;
    FILE *file = bench_output_open(&output, "--output", "/dev/full");
    cr_assert(output.direct);
    fputs("more than the device takes\n", file);
    bench_output_close(&output);   /* ENOSPC: exits 1 */
    cr_assert_fail("closing /dev/full returned");
}
