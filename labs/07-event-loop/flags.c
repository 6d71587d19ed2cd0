/*
 * flags - the notes' flag download, on the lab's own event loop.
 *
 * Downloads the flags of the 20 most populous countries from a flag server
 * on 127.0.0.1 (start one in DELAY mode: every response waits 0.5 s).
 * By default all downloads are in flight at once on one thread; with
 * --sequential each starts when the previous one ends; with --cpu-task S
 * the callback that completes the first download then computes for S
 * seconds, as if it decoded the image in the loop's thread.
 *
 * What to look for: concurrent, 20 downloads take about one delay (0.5 s),
 * not 20 (10 s), without a single thread; with --cpu-task 1 every other
 * download finishes about 1 s late, although its data arrived long before:
 * nothing runs while a callback computes.
 *
 * usage: flags --port P [--count N] [--sequential] [--cpu-task S]
 *              [--timeout S] [--quiet]
 * Exit 0 if every download got its flag, 1 if not, 2 on a usage error.
 */
#include "download.h"
#include "lab_report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const popular_codes[] = {      /* the notes' POP20_CC */
    "cn", "in", "us", "id", "br", "pk", "ng", "bd", "ru", "jp",
    "mx", "ph", "vn", "et", "eg", "de", "ir", "tr", "cd", "fr",
};
#define CODE_COUNT (int)(sizeof popular_codes / sizeof popular_codes[0])

static download downloads[CODE_COUNT];
static int port, count = CODE_COUNT, sequential, quiet, next_to_start, finished_count;
static double cpu_task_seconds, timeout_seconds = 30, run_started_at;

/* A CPU-bound chore run inside a callback: trial division until time is up. */
static long compute_for(double seconds)
{
    long primes_found = 0;
    double stop_at = monotonic_seconds() + seconds;
    for (long candidate = 3; monotonic_seconds() < stop_at; candidate += 2) {
        long divisor = 3;
        while (divisor * divisor <= candidate && candidate % divisor != 0)
            divisor += 2;
        primes_found += divisor * divisor > candidate;
    }
    return primes_found;
}

static void on_download_finished(tiny_loop *loop, download *finished)
{
    finished_count++;
    if (!quiet) {
        if (finished->outcome == DOWNLOAD_OK)
            printf("  %s  %5zu bytes  done at %.3f s\n", finished->code, download_body_size(finished),
                   finished->finished_at - run_started_at);
        else
            printf("  %s  FAILED (%s) at %.3f s\n", finished->code, finished->failure,
                   finished->finished_at - run_started_at);
    }
    if (finished_count == 1 && cpu_task_seconds > 0) {
        long primes = compute_for(cpu_task_seconds);
        if (!quiet)
            printf("  (a callback computed for %.2f s: %ld primes; nothing else ran meanwhile)\n",
                   cpu_task_seconds, primes);
    }
    if (sequential && next_to_start < count) {
        int index = next_to_start++;
        download_start(loop, &downloads[index], popular_codes[index], port);
    }
}

static void usage_error(const char *message)
{
    fprintf(stderr, "flags: %s\nusage: flags --port P [--count 1-%d] [--sequential] "
            "[--cpu-task S] [--timeout S] [--quiet]\n", message, CODE_COUNT);
    exit(2);
}

static void parse_options(int argc, char **argv)
{
    static const struct option options[] = {
        {"port", required_argument, NULL, 'p'}, {"count", required_argument, NULL, 'n'},
        {"sequential", no_argument, NULL, 's'}, {"cpu-task", required_argument, NULL, 'c'},
        {"timeout", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    int option;
    while ((option = getopt_long(argc, argv, "p:n:sc:t:q", options, NULL)) != -1)
        switch (option) {
        case 'p': port = atoi(optarg); break;
        case 'n': count = atoi(optarg); break;
        case 's': sequential = 1; break;
        case 'c': cpu_task_seconds = atof(optarg); break;
        case 't': timeout_seconds = atof(optarg); break;
        case 'q': quiet = 1; break;
        default: usage_error("unknown option");
        }
    if (port <= 0 || port > 65535)
        usage_error("--port must be the flag server's port (1-65535)");
    if (count < 1 || count > CODE_COUNT)
        usage_error("--count must be between 1 and 20");
    if (cpu_task_seconds < 0 || timeout_seconds <= 0)
        usage_error("--cpu-task and --timeout take a positive number of seconds");
}

int main(int argc, char **argv)
{
    lab_report_open();   /* before any of dispatch.c runs: see lab_report.h */
    parse_options(argc, argv);
    tiny_loop *loop = tiny_loop_new();
    if (loop == NULL)
        return 1;
    run_started_at = monotonic_seconds();
    for (int index = 0; index < count; index++)
        downloads[index].on_finish = on_download_finished;
    for (next_to_start = 0; next_to_start < (sequential ? 1 : count); ) {
        int index = next_to_start++;
        download_start(loop, &downloads[index], popular_codes[index], port);
    }
    int run_result = tiny_loop_run(loop, timeout_seconds);
    double elapsed = monotonic_seconds() - run_started_at;

    int downloaded = 0;
    for (int index = 0; index < count; index++) {
        downloaded += downloads[index].outcome == DOWNLOAD_OK;
        if (downloads[index].outcome == DOWNLOAD_RUNNING && downloads[index].watcher.fd >= 0)
            close(downloads[index].watcher.fd);      /* timed out: do not leak it */
        download_free(&downloads[index]);
    }
    tiny_loop_free(loop);
    printf("%d of %d flags downloaded in %.3f s (%s%s)%s\n", downloaded, count, elapsed,
           sequential ? "one at a time" : "all at once",
           cpu_task_seconds > 0 ? ", with a CPU task in a callback" : "",
           run_result == 1 ? ": the loop gave up at its timeout" : "");
    lab_report("downloaded=%d count=%d elapsed=%.3f", downloaded, count, elapsed);
    return downloaded == count ? 0 : 1;
}
