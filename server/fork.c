/*
 * fork.c - the flag server with a process per connection
 * (bin/flagserver-fork): the parent accepts and forks; the child serves the
 * one connection and exits; the parent reaps.
 *
 * What to look for: the child has a copy of everything, so the parent closes
 * its copy of the connection and the child its copy of the listening socket.
 * Nothing is shared but the count of flag requests (for the error mode's
 * faults), which lives in shared memory and is atomic. Ended children are
 * reaped by the kernel (SA_NOCLDWAIT), and at the end waitpid waits for all.
 */
#include "server.h"
#include "bench.h"

#include <errno.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t next_number(void *data)
{
    return atomic_fetch_add((atomic_uint_fast64_t *)data, 1);
}

int main(int argc, char **argv)
{
    core core;
    core_start(&core, argc, argv, "fork", 0);
    atomic_uint_fast64_t *flag_requests = bench_shared_alloc(sizeof *flag_requests);
    struct sigaction no_zombies = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
    sigemptyset(&no_zombies.sa_mask);
    if (sigaction(SIGCHLD, &no_zombies, NULL) != 0)
        bench_fail("sigaction(SIGCHLD)");
    int fd;
    while ((fd = core_accept(&core)) >= 0) {
        pid_t child = bench_fork();
        if (child == 0) {
            core_after_fork(&core);
            close(core.listen_fd);
            core_serve(&core, fd, next_number, flag_requests);
            _exit(BENCH_EXIT_OK);
        }
        if (child < 0)   /* out of processes: this client only */
            perror("flagserver-fork: fork");
        close(fd);
    }
    /* Stopping: every child sees the stop pipe and ends; waitpid returns
     * (ECHILD) once the last has. */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        continue;
    bench_shared_free(flag_requests, sizeof *flag_requests);
    return core_finish(&core, BENCH_EXIT_OK);
}
