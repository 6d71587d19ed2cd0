/* Unit tests of the http kernel: FNV-1a, codes, the manifest parser, the loopback rule. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../workloads/http/kernel.h"

Test(http, fnv1a64_known_values)
{
    cr_expect_eq(fnv1a64(FNV1A64_OFFSET, "", 0), 0xcbf29ce484222325ULL);
    cr_expect_eq(fnv1a64(FNV1A64_OFFSET, "a", 1), 0xaf63dc4c8601ec8cULL);
    cr_expect_eq(fnv1a64(FNV1A64_OFFSET, "foobar", 6), 0x85944171f73967e8ULL);
    /* in pieces, as the write callback sees a body */
    uint64_t hash = fnv1a64(FNV1A64_OFFSET, "foo", 3);
    cr_expect_eq(fnv1a64(hash, "bar", 3), 0x85944171f73967e8ULL);
}

Test(http, code_index)
{
    cr_expect_eq(flag_code_index("AA"), 0);
    cr_expect_eq(flag_code_index("ZZ"), 675);
    cr_expect_eq(flag_code_index("br"), flag_code_index("BR"));
    cr_expect_eq(flag_code_index("Br"), 1 * 26 + 17);
    cr_expect_eq(flag_code_index("B"), -1);
    cr_expect_eq(flag_code_index("B1"), -1);
    cr_expect_eq(flag_code_index("BRA"), -1);
    cr_expect_eq(flag_code_index(""), -1);
}

Test(http, manifest_parses_good_lines)
{
    static flag_manifest manifest;
    char error[128] = "";
    const char *text = "br\t822\t0123456789abcdef\ncn\t10\tfedcba9876543210\n";
    cr_assert(flag_manifest_parse(&manifest, text, strlen(text), error, sizeof error), "%s",
              error);
    cr_expect(manifest.loaded);
    cr_expect_eq(manifest.count, 2);
    int br = flag_code_index("BR");
    cr_expect(manifest.listed[br]);
    cr_expect_eq(manifest.size[br], 822);
    cr_expect_eq(manifest.checksum[br], 0x0123456789abcdefULL);
    cr_expect(!manifest.listed[flag_code_index("US")]);
    /* no final newline is fine too */
    cr_expect(flag_manifest_parse(&manifest, "us\t1\t0000000000000001", 21, error, sizeof error));
    cr_expect_eq(manifest.count, 1);
}

Test(http, manifest_rejects_bad_lines_naming_them)
{
    static flag_manifest manifest;
    static const char *const bad[] = {
        "br\t822\n",                               /* no checksum */
        "br\t822\t0123456789abcde\n",              /* 15 hex digits */
        "br\t822\t0123456789ABCDEF\n",             /* uppercase hex */
        "b1\t822\t0123456789abcdef\n",             /* not a code */
        "br\t-1\t0123456789abcdef\n",              /* negative size */
        "br\t822\t0123456789abcdef\textra\n",      /* a fourth field */
        "br\t1\t0123456789abcdef\nbr\t1\t0123456789abcdef\n",   /* twice */
        "br\t1\t0123456789abcdef\n\n",             /* a blank line */
    };
    for (size_t index = 0; index < sizeof bad / sizeof bad[0]; index++) {
        char error[128] = "";
        cr_expect(!flag_manifest_parse(&manifest, bad[index], strlen(bad[index]), error,
                                        sizeof error),
                  "accepted: %s", bad[index]);
        cr_expect(strncmp(error, "line ", 5) == 0, "message '%s' names no line", error);
    }
}

Test(http, only_loopback_servers)
{
    static const char *const accepted[] = {
        "http://127.0.0.1:8001/flags", "http://127.1.2.3/", "http://localhost:80",
        "http://LOCALHOST/flags", "http://[::1]:8080/flags", "HTTP://127.0.0.1",
    };
    static const char *const refused[] = {
        "ftp://127.0.0.1/", "https://127.0.0.1/", "http://example.com/",
        "http://128.0.0.1/", "http://127.0.0.1.example.com/", "http://127.0.0.1@example.com/",
        "http://127.0.0.1:80@example.com/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
        "http://[::2]/", "http://localhost.example.com/", "http://", "127.0.0.1:80",
        "http://10.0.0.1/", "http://0.0.0.0/",
    };
    for (size_t index = 0; index < sizeof accepted / sizeof accepted[0]; index++)
        cr_expect(flag_loopback_url(accepted[index]), "refused %s", accepted[index]);
    for (size_t index = 0; index < sizeof refused / sizeof refused[0]; index++)
        cr_expect(!flag_loopback_url(refused[index]), "accepted %s", refused[index]);
}
