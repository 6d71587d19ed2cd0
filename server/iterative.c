/*
 * iterative.c - the flag server one connection at a time
 * (bin/flagserver-iterative): accept, serve to the end, accept the next.
 *
 * What to look for: nothing runs beside the one connection, so a delay or a
 * client that dawdles holds up everyone queued behind it in the listen
 * backlog. DELAY 0.5 s: about two requests a second, however many clients.
 */
#include "server.h"
#include "bench.h"

static uint64_t next_number(void *data)
{
    uint64_t *count = data;
    return (*count)++;
}

int main(int argc, char **argv)
{
    core core;
    core_start(&core, argc, argv, "iterative", 0);
    uint64_t flag_requests = 0;
    int fd;
    while ((fd = core_accept(&core)) >= 0)
        core_serve(&core, fd, next_number, &flag_requests);
    return core_finish(&core, BENCH_EXIT_OK);
}
