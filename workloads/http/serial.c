/*
 * http-serial: the baseline. One thread downloads the flags one after
 * another with one libcurl easy handle, reused so that the connection to
 * the server is kept alive between requests (the notes' flags2_sequential).
 *
 * What to look for: against the DELAY server (every response 0.5 s late) the
 * wall time is the sum of the delays, 20 x 0.5 s = 10 s, while the CPU time
 * stays near zero: the program spends its life waiting. -m/-j are accepted
 * but there is only ever one request in flight.
 */
#include "kernel.h"

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "serial", .about = FLAG_ABOUT " One request at a time.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    flag_job job;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);
    run.workers = 1;

    CURL *handle = flag_handle_new(&job);
    for (size_t task = 0; task < job.count; task++) {
        flag_result result;
        flag_download(handle, &job, task, &result);
        flag_record(&job, &result);
    }
    curl_easy_cleanup(handle);

    return flag_finish(&run, &job);
}
