/*
 * http-pthread: -m (or -j) POSIX threads, each with its own libcurl easy
 * handle (a handle must never be used by two threads at once), taking the
 * next code from a shared atomic counter: the notes' flags2_threadpool.
 * The count of results is shared too, so flag_record runs under a mutex.
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
#include "workers.h"

#include <stdatomic.h>

#define THREAD_STACK_BYTES (256 * 1024)

static flag_job job;
static atomic_size_t next_task;   /* the next code nobody has taken yet */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;   /* one flag_record at a time */

static void *worker(void *unused)
{
    (void)unused;
    CURL *handle = flag_handle_new(&job);   /* one per thread, reused: keep-alive */
    size_t task;
    while ((task = atomic_fetch_add(&next_task, 1)) < job.count) {
        flag_result result;
        flag_download(handle, &job, task, &result);
        bench_check(pthread_mutex_lock(&record_lock), "pthread_mutex_lock");
        flag_record(&job, &result);
        bench_check(pthread_mutex_unlock(&record_lock), "pthread_mutex_unlock");
    }
    curl_easy_cleanup(handle);
    return NULL;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "pthread", .about = FLAG_ABOUT " A pool of threads.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any thread */
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);

    /* If a thread is refused, those started take every code between them. */
    pthread_t *threads = bench_threads_start(&run, worker, THREAD_STACK_BYTES,
                                             BENCH_SHORTFALL_CARRY_ON);
    bench_threads_join(&run, threads);

    return flag_finish(&run, &job);
}
