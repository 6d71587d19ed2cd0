/*
 * eventloop.c - the flag server on one thread and the bench/ epoll loop
 * (bin/flagserver-eventloop, and bin/flagserver).
 *
 * What to look for: everything happens in callbacks of one loop (the
 * listening socket, every connection, the delay and deadline timers, and
 * even SIGTERM, which arrives as the stop pipe becoming readable), so
 * nothing ever blocks and there is nothing to lock. A delay is a timer, not
 * a sleep: a thousand delayed clients cost a thousand heap entries. The
 * per-connection state machine is connection.c.
 */
#include "eventloop.h"
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void on_listening_socket(loop *loop, int fd, uint32_t events, void *data);

static void resume_accepting(loop *loop, void *data)
{
    server *server = data;
    if (loop_watch(loop, server->core.listen_fd, EPOLLIN, on_listening_socket, server) != 0)
        bench_fail("epoll_ctl (listening socket)");
}

static void on_listening_socket(loop *loop, int fd, uint32_t events, void *data)
{
    (void)events;
    server *server = data;
    if (!connections_accept(server)) {
        /* Out of descriptors and none to shed: the socket stays readable, so
         * stop watching it for a moment instead of spinning. */
        if (loop_unwatch(loop, fd) != 0)
            bench_fail("epoll_ctl (listening socket)");
        if (loop_timer_add(loop, 0.1, resume_accepting, server) == NULL)
            bench_failf("out of memory for a timer");
    }
}

static void on_stop(loop *loop, int fd, uint32_t events, void *data)
{
    (void)fd;
    (void)events;
    core_log(&((server *)data)->core, "stop signal: stopping");
    loop_stop(loop);
}

int main(int argc, char **argv)
{
    server server = {0};
    core_start(&server.core, argc, argv, "eventloop", 0);
    server.loop = loop_new();
    if (server.loop == NULL)
        bench_fail("loop_new (epoll_create1)");
    if (loop_watch(server.loop, server.core.listen_fd, EPOLLIN, on_listening_socket, &server) != 0 ||
        loop_watch(server.loop, server.core.stop_fd, EPOLLIN, on_stop, &server) != 0)
        bench_fail("epoll_ctl");

    int status = loop_run(server.loop);
    if (status != 0)
        fprintf(stderr, "flagserver: epoll_wait: %s\n", strerror(errno));
    connections_close_all(&server);
    loop_free(server.loop);
    return core_finish(&server.core, status == 0 ? BENCH_EXIT_OK : BENCH_EXIT_WRONG);
}
