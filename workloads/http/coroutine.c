/*
 * http-coroutine: one thread, -m coroutines (one per code when -m is at
 * least the code count: the default -m 30 covers the 20 codes), each
 * downloading in straight-line code like serial.c's loop: start a transfer,
 * perform it, record the result. gevent's monkey.patch_all(), in C: the
 * perform looks blocking, but it parks the coroutine on bench/coro's hub, and
 * the hub's loop drives every transfer at once.
 *
 * Underneath is libcurl's multi socket interface on the hub's epoll loop,
 * wired as in http-eventloop.c (a socket callback to watch fds, a timer
 * callback, curl_multi_socket_action when either fires). The one new piece is
 * perform(): add the handle, coro_park(); when the transfer ends, the hub
 * wakes the coroutine that waits for it, which carries on after its call.
 *
 * The rule of bench/coro's copied stack shows here: libcurl writes into the
 * transfer while its coroutine is parked, so the transfer lives in a static
 * array, never on the coroutine's stack.
 *
 * What to look for: the same wall time as http-eventloop (the same loop and
 * the same libcurl underneath), with the control flow of http-serial.
 */
#include "kernel.h"
#include "coro.h"

#include <errno.h>

typedef struct {
    flag_transfer transfer;   /* first: CURLOPT_PRIVATE points at it */
    coro *waiter;             /* the coroutine parked in perform() */
    CURLcode outcome;
} download;

static flag_job job;
static CURLM *multi;
static loop_timer *curl_timer;     /* the one timeout libcurl asked for, or NULL */
static size_t next_task;           /* one thread: no lock, no atomic */

#define CHECK_MULTI(call)                                                            \
    do {                                                                             \
        CURLMcode multi_result = (call);                                             \
        if (multi_result != CURLM_OK)                                                \
            bench_failf("%s: %s", #call, curl_multi_strerror(multi_result));         \
    } while (0)

/* ---- the coroutines: serial.c's loop, with a perform that parks ---------------- */

static CURLcode perform(CURL *handle, download *mine)
{
    mine->waiter = coro_current();
    CHECK_MULTI(curl_multi_add_handle(multi, handle));
    coro_park();                            /* the hub runs everyone else meanwhile */
    return mine->outcome;
}

static void worker(void *argument)
{
    download *mine = argument;              /* static memory, not this (copied) stack */
    CURL *handle = flag_handle_new(&job);   /* one per coroutine, reused: keep-alive */
    for (size_t task; (task = next_task++) < job.count;) {
        flag_transfer_start(&mine->transfer, handle, &job, task);
        CURLcode outcome = perform(handle, mine);
        flag_result result;
        flag_transfer_finish(&mine->transfer, outcome, &result);
        flag_record(&job, &result);
    }
    curl_easy_cleanup(handle);
}

/* ---- the hub's side: libcurl on the loop, as in http-eventloop.c ---------------- */

/* After libcurl has moved: wake the coroutines whose transfers ended. */
static void collect_finished(void)
{
    CURLMsg *message;
    int messages_left;
    while ((message = curl_multi_info_read(multi, &messages_left)) != NULL) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *handle = message->easy_handle;
        CURLcode outcome = message->data.result;   /* message is invalid once removed */
        download *finished = NULL;
        curl_easy_getinfo(handle, CURLINFO_PRIVATE, (char **)&finished);
        CHECK_MULTI(curl_multi_remove_handle(multi, handle));
        finished->outcome = outcome;
        coro_wake(finished->waiter);
    }
}

static void tell_curl(curl_socket_t fd, int what)
{
    int running;
    CHECK_MULTI(curl_multi_socket_action(multi, fd, what, &running));
    collect_finished();
}

static void on_socket_ready(loop *unused_loop, int fd, uint32_t events, void *unused)
{
    (void)unused_loop, (void)unused;
    tell_curl(fd, (events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                      (events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                      (events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0));
}

static void on_timeout(loop *unused_loop, void *unused)
{
    (void)unused_loop, (void)unused;
    curl_timer = NULL;   /* the loop has freed it */
    tell_curl(CURL_SOCKET_TIMEOUT, 0);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *unused, void *socket_data)
{
    (void)easy, (void)unused, (void)socket_data;
    if (what == CURL_POLL_REMOVE) {
        /* ENOENT/EBADF: the socket was already closed, and so left epoll by itself */
        if (loop_unwatch(coro_loop(), fd) != 0 && errno != ENOENT && errno != EBADF)
            bench_fail("loop_unwatch (epoll_ctl EPOLL_CTL_DEL)");
        return 0;
    }
    uint32_t events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (loop_watch(coro_loop(), fd, events, on_socket_ready, NULL) != 0)
        bench_fail("loop_watch (epoll_ctl)");
    return 0;
}

static int on_curl_timer(CURLM *unused_multi, long timeout_ms, void *unused)
{
    (void)unused_multi, (void)unused;
    if (curl_timer != NULL)
        loop_timer_cancel(coro_loop(), curl_timer);
    curl_timer = NULL;
    if (timeout_ms >= 0 &&
        (curl_timer = loop_timer_add(coro_loop(), timeout_ms / 1000.0, on_timeout, NULL)) == NULL)
        bench_failf("loop_timer_add: out of memory");
    return 0;
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "http", .model = "coroutine",
        .about = FLAG_ABOUT " One thread: coroutines over libcurl's multi interface.",
        .workload_options = flag_options, .operands = "[CODE...]",
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        bench_failf("curl_global_init failed");
    flag_setup(&run, &job);

    if ((multi = curl_multi_init()) == NULL)
        bench_failf("curl_multi_init failed");
    CHECK_MULTI(curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket));
    CHECK_MULTI(curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_curl_timer));

    download *downloads = bench_alloc((size_t)run.workers, sizeof *downloads);
    for (long started = 0; started < run.workers; started++)
        coro_spawn(worker, &downloads[started]);
    if (coro_join_all() != 0)
        bench_fail("coro_join_all (epoll_wait)");

    CHECK_MULTI(curl_multi_cleanup(multi));   /* closes the kept-alive connections */
    free(downloads);
    return flag_finish(&run, &job);
}
