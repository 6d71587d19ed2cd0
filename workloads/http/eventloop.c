/*
 * http-eventloop: one thread, the bench/ epoll loop, and libcurl's multi
 * socket interface: the notes' flags2_asyncio, written out by hand.
 *
 * libcurl does the HTTP; the loop does the waiting. The two meet through two
 * callbacks that libcurl calls:
 *   - CURLMOPT_SOCKETFUNCTION: "watch this socket for reading/writing" or
 *     "forget it" -> loop_watch / loop_unwatch;
 *   - CURLMOPT_TIMERFUNCTION: "call me back in N ms" -> one loop timer.
 * When the loop sees a socket ready (or the timer expire) it tells libcurl
 * with curl_multi_socket_action, which moves every transfer on that socket
 * as far as it can without blocking. Finished transfers are collected with
 * curl_multi_info_read; each frees its easy handle for the next code, so at
 * most -m transfers are in flight (like an asyncio.Semaphore).
 *
 * What to look for: against DELAY, -e -m 676 takes about one delay, like 676
 * threads, but with one thread, one stack and almost no context switches
 * (vol_ctx). A callback that blocks stalls every transfer at once, and one
 * blocking call is left on purpose: saving a flag to disk happens in the
 * loop's thread (the notes' asyncio version hands save_flag to a thread with
 * run_in_executor). Where creating a file is slow, the 249 flags of -e,
 * which all arrive together after one delay, are saved one after another.
 */
#include "kernel.h"
#include "loop.h"

#include <errno.h>

static flag_job job;
static loop *event_loop;
static CURLM *multi;
static loop_timer *curl_timer;     /* the one timeout libcurl asked for, or NULL */
static size_t next_task, tasks_done;

#define CHECK_MULTI(call)                                                            \
    do {                                                                             \
        CURLMcode multi_result = (call);                                             \
        if (multi_result != CURLM_OK)                                                \
            bench_failf("%s: %s", #call, curl_multi_strerror(multi_result));         \
    } while (0)

/* Puts an idle easy handle to work on the next code, if any is left. */
static void start_next_task(CURL *handle, flag_transfer *transfer)
{
    if (next_task >= job.count)
        return;
    flag_transfer_start(transfer, handle, &job, next_task++);
    CHECK_MULTI(curl_multi_add_handle(multi, handle));
}

/* After libcurl has moved: count the transfers that finished, reuse their handles. */
static void collect_finished(void)
{
    CURLMsg *message;
    int messages_left;
    while ((message = curl_multi_info_read(multi, &messages_left)) != NULL) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *handle = message->easy_handle;
        CURLcode outcome = message->data.result;   /* message is invalid once removed */
        flag_transfer *transfer = NULL;
        curl_easy_getinfo(handle, CURLINFO_PRIVATE, (char **)&transfer);
        CHECK_MULTI(curl_multi_remove_handle(multi, handle));
        flag_result result;
        flag_transfer_finish(transfer, outcome, &result);
        flag_record(&job, &result);
        if (++tasks_done == job.count)
            loop_stop(event_loop);   /* kept-alive sockets would keep the loop running */
        else
            start_next_task(handle, transfer);
    }
}

static void tell_curl(curl_socket_t fd, int what)
{
    int running;
    CHECK_MULTI(curl_multi_socket_action(multi, fd, what, &running));
    collect_finished();
}

/* The loop saw a socket ready. */
static void on_socket_ready(loop *unused_loop, int fd, uint32_t events, void *unused)
{
    (void)unused_loop, (void)unused;
    tell_curl(fd, (events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                      (events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                      (events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0));
}

/* The loop's timer for libcurl expired. */
static void on_timeout(loop *unused_loop, void *unused)
{
    (void)unused_loop, (void)unused;
    curl_timer = NULL;   /* the loop has freed it */
    tell_curl(CURL_SOCKET_TIMEOUT, 0);
}

/* CURLMOPT_SOCKETFUNCTION: libcurl says what to wait for on one socket. */
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *unused, void *socket_data)
{
    (void)easy, (void)unused, (void)socket_data;
    if (what == CURL_POLL_REMOVE) {
        /* ENOENT/EBADF: the socket was already closed, and so left epoll by itself */
        if (loop_unwatch(event_loop, fd) != 0 && errno != ENOENT && errno != EBADF)
            bench_fail("loop_unwatch (epoll_ctl EPOLL_CTL_DEL)");
        return 0;
    }
    uint32_t events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (loop_watch(event_loop, fd, events, on_socket_ready, NULL) != 0)
        bench_fail("loop_watch (epoll_ctl)");
    return 0;
}

/* CURLMOPT_TIMERFUNCTION: libcurl wants to be called in timeout_ms (-1: never). */
static int on_curl_timer(CURLM *unused_multi, long timeout_ms, void *unused)
{
    (void)unused_multi, (void)unused;
    if (curl_timer != NULL)
        loop_timer_cancel(event_loop, curl_timer);
    curl_timer = NULL;
    if (timeout_ms >= 0 &&
        (curl_timer = loop_timer_add(event_loop, timeout_ms / 1000.0, on_timeout, NULL)) == NULL)
        bench_failf("loop_timer_add: out of memory");
    return 0;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "eventloop",
        .about = FLAG_ABOUT " One thread: libcurl's multi interface on an epoll loop.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);

    if ((event_loop = loop_new()) == NULL)
        bench_fail("loop_new (epoll_create1)");
    if ((multi = curl_multi_init()) == NULL)
        bench_failf("curl_multi_init failed");
    CHECK_MULTI(curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket));
    CHECK_MULTI(curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_curl_timer));

    /* -m easy handles, each with the state of the transfer it is running. */
    size_t handle_count = (size_t)run.workers;
    CURL **handles = bench_alloc(handle_count, sizeof *handles);
    flag_transfer *transfers = bench_alloc(handle_count, sizeof *transfers);
    for (size_t index = 0; index < handle_count; index++) {
        handles[index] = flag_handle_new(&job);
        start_next_task(handles[index], &transfers[index]);
    }
    if (job.count > 0 && loop_run(event_loop) != 0)
        bench_fail("loop_run (epoll_wait)");

    for (size_t index = 0; index < handle_count; index++)
        CHECK_MULTI(curl_multi_remove_handle(multi, handles[index]));  /* none left running */
    CHECK_MULTI(curl_multi_cleanup(multi));   /* closes the kept-alive connections */
    for (size_t index = 0; index < handle_count; index++)
        curl_easy_cleanup(handles[index]);
    loop_free(event_loop);
    free(handles);
    free(transfers);
    return flag_finish(&run, &job);
}
