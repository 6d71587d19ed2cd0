/*
 * http-fork: -m child processes, each with its own libcurl easy handle,
 * taking the next code from a counter in shared memory; each result comes
 * back to the parent through one pipe, as a fixed-size record (smaller than
 * PIPE_BUF, so the children's writes never interleave). The parent counts
 * the results and draws the progress bar.
 *
 * curl_global_init runs once in the parent, before fork: every child
 * inherits an initialised libcurl and creates only its own handle.
 *
 * What to look for: against DELAY, the same overlap of waits as threads.
 * With -e -m 676 the cost of 676 processes shows: fork, page-table copies
 * and exits add up (compare sys_s and children_maxrss_kib with pthread).
 * If the system refuses a process, the run carries on with those it got.
 */
#include "kernel.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static flags_job job;
static atomic_size_t *next_task;   /* in a MAP_SHARED page, seen by every child */

static void child(int output)
{
    CURL *handle = flag_handle_new(&job);
    size_t task;
    while ((task = atomic_fetch_add(next_task, 1)) < job.count) {
        flag_result result;
        flag_download(handle, &job, task, &result);
        if (!bench_write_all(output, &result, sizeof result))
            bench_fail("write to pipe");
    }
    curl_easy_cleanup(handle);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "fork", .about = FLAGS_ABOUT " A pool of processes.",
        .workload_options = flags_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any fork */
        bench_failf("curl_global_init failed");
    flags_setup(&run, &job);
    next_task = bench_shared_alloc(sizeof *next_task);

    int pipe_ends[2];
    if (pipe(pipe_ends) != 0)
        bench_fail("pipe");
    fflush(NULL);   /* nothing buffered may be written twice */
    pid_t *children = bench_alloc((size_t)run.workers, sizeof *children);
    long started = 0;
    for (; started < run.workers; started++) {
        children[started] = bench_fork();
        if (children[started] < 0)
            break;
        if (children[started] == 0) {
            close(pipe_ends[0]);
            child(pipe_ends[1]);
            _exit(0);
        }
    }
    if (started == 0)
        bench_fork_failed(children, 0);
    if (started < run.workers) {   /* the started children take every code between them */
        fprintf(stderr, "http-fork: fork: %s; carrying on with %ld of %ld processes\n",
                strerror(errno), started, run.workers);
        run.workers = started;
    }
    close(pipe_ends[1]);   /* so read() sees end of file when every child is done */

    flag_result result;
    while (bench_read_all(pipe_ends[0], &result, sizeof result))
        flags_record(&job, &result);
    close(pipe_ends[0]);
    bool children_ok = true;
    for (long index = 0; index < started; index++)
        children_ok &= bench_wait_child(children[index]);
    if (!children_ok)
        fprintf(stderr, "http-fork: a child failed; its codes are missing from the count\n");

    free(children);
    bench_shared_free(next_task, sizeof *next_task);
    return flags_finish(&run, &job);
}
