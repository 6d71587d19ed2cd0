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
#include "workers.h"

#include <stdatomic.h>

static flag_job job;
static atomic_size_t *next_task;   /* in a MAP_SHARED page, seen by every child */

static void child(long worker_index, int output)
{
    (void)worker_index;
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
        .workload = "http", .model = "fork", .about = FLAG_ABOUT " A pool of processes.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any fork */
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);
    next_task = bench_shared_alloc(sizeof *next_task);

    /* If a process is refused, those started take every code between them. */
    bench_children children;
    bench_children_start(&children, &run, child, true, BENCH_SHORTFALL_CARRY_ON);

    flag_result result;
    while (bench_read_all(children.input, &result, sizeof result))
        flag_record(&job, &result);
    if (!bench_children_wait(&children))
        fprintf(stderr, "http-fork: a child failed; its codes are missing from the count\n");

    bench_shared_free(next_task, sizeof *next_task);
    return flag_finish(&run, &job);
}
