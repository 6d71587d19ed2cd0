/* procs.c - the plumbing of the fork variants: fork, reap, pipes, shared memory. */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t bench_fork(void)
{
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        /* Die with the parent, so an interrupted run leaves no orphan. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
            bench_fail("prctl(PR_SET_PDEATHSIG)");
        if (getppid() != parent)   /* the parent died before prctl */
            _exit(BENCH_EXIT_WRONG);
    }
    return child;
}

void bench_fork_failed(const pid_t *children, long started)
{
    int error = errno;
    for (long index = 0; index < started; index++)
        if (kill(children[index], SIGKILL) != 0 && errno != ESRCH)
            perror("kill");
    for (long index = 0; index < started; index++)
        while (waitpid(children[index], NULL, 0) == -1 && errno == EINTR)
            continue;
    char what[96];
    snprintf(what, sizeof what, "fork (started %ld processes, stopped and reaped them)", started);
    bench_fail_errno(error, what);
}

bool bench_wait_child(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) == -1) {
        if (errno != EINTR) {
            perror("waitpid");
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFSIGNALED(status))
        fprintf(stderr, "child %d killed by signal %d (%s)\n", (int)child, WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    else
        fprintf(stderr, "child %d exited with status %d\n", (int)child, WEXITSTATUS(status));
    return false;
}

bool bench_write_all(int fd, const void *buffer, size_t size)
{
    const char *next = buffer;
    while (size > 0) {
        ssize_t written = write(fd, next, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        next += written;
        size -= (size_t)written;
    }
    return true;
}

bool bench_read_all(int fd, void *buffer, size_t size)
{
    char *next = buffer;
    while (size > 0) {
        ssize_t got = read(fd, next, size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        next += got;
        size -= (size_t)got;
    }
    return true;
}

void *bench_shared_alloc(size_t size)
{
    void *memory = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                        -1, 0);
    if (memory == MAP_FAILED)
        bench_fail("mmap(MAP_SHARED)");
    return memory;
}

void bench_shared_free(void *memory, size_t size)
{
    if (munmap(memory, size ? size : 1) != 0)
        bench_fail("munmap");
}
