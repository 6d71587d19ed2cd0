/*
 * http-pthread: -m (or -j) POSIX threads, each with its own libcurl easy
 * handle (a handle must never be used by two threads at once), taking the
 * next code from a shared atomic counter: the notes' flags2_threadpool.
 *
 * A thread that waits for the network costs little: a small stack (256 KiB
 * here instead of the default 8 MiB of address space) and a blocked
 * system call. So -m 676 is 676 threads, one per code, and every request
 * waits at the same time.
 *
 * What to look for: against DELAY, 20 flags take about one delay (0.5 s)
 * instead of 20; with -e -m 676, still about one delay. Compare vol_ctx:
 * every wait is a voluntary context switch. If the system refuses a thread,
 * the run carries on with the threads it got, and says so.
 */
#include "kernel.h"

#include <stdatomic.h>
#include <string.h>

#define THREAD_STACK_BYTES (256 * 1024)

static flags_job job;
static atomic_size_t next_task;   /* the next code nobody has taken yet */

static void *worker(void *unused)
{
    (void)unused;
    CURL *handle = flag_handle_new(&job);   /* one per thread, reused: keep-alive */
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) < job.count) {
        flag_result result;
        flag_download(handle, &job, task, &result);
        flags_record(&job, &result);
    }
    curl_easy_cleanup(handle);
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "pthread", .about = FLAGS_ABOUT " A pool of threads.",
        .workload_options = flags_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any thread */
        bench_failf("curl_global_init failed");
    flags_setup(&run, &job);

    pthread_attr_t attributes;
    int error = pthread_attr_init(&attributes);
    if (error == 0)
        error = pthread_attr_setstacksize(&attributes, THREAD_STACK_BYTES);
    if (error != 0)
        bench_fail_errno(error, "pthread_attr_setstacksize");

    pthread_t *threads = bench_alloc((size_t)run.workers, sizeof *threads);
    long started = 0;
    for (; started < run.workers; started++) {
        error = pthread_create(&threads[started], &attributes, worker, NULL);
        if (error != 0)
            break;
    }
    if (started == 0)
        bench_fail_errno(error, "pthread_create");
    if (started < run.workers) {   /* the started threads take every code between them */
        fprintf(stderr, "http-pthread: pthread_create: %s; carrying on with %ld of %ld threads\n",
                strerror(error), started, run.workers);
        run.workers = started;
    }
    for (long index = 0; index < started; index++) {
        error = pthread_join(threads[index], NULL);
        if (error != 0)
            bench_fail_errno(error, "pthread_join");
    }

    pthread_attr_destroy(&attributes);
    free(threads);
    return flags_finish(&run, &job);
}
