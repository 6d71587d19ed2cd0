/*
 * prefork.c - the flag server as a pool of -j processes
 * (bin/flagserver-prefork), forked at start, each accepting on the one
 * listening socket it inherited and serving one connection at a time.
 *
 * What to look for: the kernel hands each connection to one of the
 * processes waiting in accept; -j is the capacity (DELAY 0.5 s: at most
 * 2 x -j requests a second). The parent only waits for a stop signal, then
 * for its children. The count of flag requests is in shared memory, atomic.
 */
#include "server.h"
#include "bench.h"

#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t next_number(void *data)
{
    return atomic_fetch_add((atomic_uint_fast64_t *)data, 1);
}

int main(int argc, char **argv)
{
    core core;
    core_start(&core, argc, argv, "prefork", 32);
    atomic_uint_fast64_t *flag_requests = bench_shared_alloc(sizeof *flag_requests);
    pid_t *children = bench_alloc((size_t)core.workers, sizeof *children);
    for (long index = 0; index < core.workers; index++) {
        children[index] = bench_fork();
        if (children[index] < 0)
            bench_fork_failed(children, index);
        if (children[index] == 0) {
            core_after_fork(&core);
            int fd;
            while ((fd = core_accept(&core)) >= 0)
                core_serve(&core, fd, next_number, flag_requests);
            _exit(BENCH_EXIT_OK);
        }
    }
    struct pollfd stop = {.fd = core.stop_fd, .events = POLLIN};
    while (!core_stopping() && poll(&stop, 1, -1) <= 0)
        continue;  /* interrupted: look again */
    bool all_well = true;
    for (long index = 0; index < core.workers; index++)
        all_well &= bench_wait_child(children[index]);
    free(children);
    bench_shared_free(flag_requests, sizeof *flag_requests);
    return core_finish(&core, all_well ? BENCH_EXIT_OK : BENCH_EXIT_WRONG);
}
