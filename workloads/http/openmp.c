/*
 * http-openmp: serial.c's loop with OpenMP pragmas. A parallel region of -m
 * threads, each of which creates its own easy handle (a handle belongs to
 * one thread), then shares out the codes one at a time with
 * schedule(dynamic, 1). The count of results is shared, so flag_record
 * runs in a critical section.
 *
 * OpenMP was designed for loops of computation, not for waiting, but a
 * thread blocked in recv() is a thread blocked in recv(): with num_threads
 * equal to the number of codes every request waits at the same time.
 *
 * What to look for: the same times as the pthread pool, with far less
 * code. num_threads is a request: a runtime limit (OMP_THREAD_LIMIT) can
 * give fewer threads, and the record's "workers" then says how many.
 */
#include "kernel.h"

#include <omp.h>

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "openmp", .about = FLAG_ABOUT " OpenMP threads.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    flag_job job;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any thread */
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);
    omp_set_dynamic(0);   /* exactly -m threads, not fewer */

    long count = (long)job.count;
    int team_size = 0;
    #pragma omp parallel num_threads((int)run.workers)
    {
        CURL *handle = flag_handle_new(&job);
        #pragma omp single
        team_size = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1)
        for (long task = 0; task < count; task++) {
            flag_result result;
            flag_download(handle, &job, (size_t)task, &result);
            #pragma omp critical   /* one flag_record at a time */
            flag_record(&job, &result);
        }
        curl_easy_cleanup(handle);
    }
    if (team_size < run.workers) {
        fprintf(stderr, "http-openmp: asked for %ld threads, OpenMP started %d\n", run.workers,
                team_size);
        run.workers = team_size;
    }

    return flag_finish(&run, &job);
}
