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

/* ---- stopped by a signal: kill and reap the children first ----------------- *
 *
 * A child dies with its parent (PR_SET_PDEATHSIG), but then it is a zombie
 * for PID 1 to reap, and in a container PID 1 may never do it. So the first
 * bench_fork makes SIGINT, SIGTERM and SIGHUP (those not ignored or caught)
 * kill every child forked so far, reap them, and only then end the process
 * by the same signal. The handler sticks to async-signal-safe calls. */

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const char *const stop_signal_names[] = {"Interrupt", "Terminated", "Hangup"};
static pid_t handler_owner;                 /* the process that installed the handler */
static struct sigaction previous_actions[3];
static bool handler_installed[3];
static pid_t *forked;                       /* every child forked, reaped or not */
static volatile sig_atomic_t forked_count;
static long forked_capacity;

static void write_text(const char *text)
{
    ssize_t ignored = write(STDERR_FILENO, text, strlen(text));
    (void)ignored;
}

static void stop_children(int signal_number)
{
    int saved_errno = errno;
    long reaped = 0;
    for (long index = 0; index < forked_count && getpid() == handler_owner; index++) {
        int status;
        /* Still our child (0: running; itself: a zombie), so its pid is not reused. */
        pid_t state = waitpid(forked[index], &status, WNOHANG);
        if (state == 0 && kill(forked[index], SIGKILL) == 0)
            while (waitpid(forked[index], &status, 0) < 0 && errno == EINTR)
                continue;
        reaped += state >= 0;
    }
    char count[24], *digit = count + sizeof count;
    *--digit = '\0';
    do
        *--digit = (char)('0' + reaped % 10);
    while ((reaped /= 10) > 0);
    for (int index = 0; index < 3; index++) {   /* then die of the signal, as without us */
        if (handler_installed[index])
            sigaction(stop_signals[index], &previous_actions[index], NULL);
        if (stop_signals[index] == signal_number && *digit != '0') {
            write_text(program_invocation_short_name);
            write_text(": ");
            write_text(stop_signal_names[index]);
            write_text(": killed and reaped its child processes (");
            write_text(digit);
            write_text(")\n");
        }
    }
    errno = saved_errno;
    raise(signal_number);
}

static void set_stop_signals_blocked(bool blocked, sigset_t *previous)
{
    sigset_t signals;
    sigemptyset(&signals);
    for (int index = 0; index < 3; index++)
        sigaddset(&signals, stop_signals[index]);
    int saved_errno = errno;   /* bench_fork_failed reads fork's */
    if (sigprocmask(blocked ? SIG_BLOCK : SIG_SETMASK, blocked ? &signals : previous,
                    blocked ? previous : NULL) != 0)
        bench_fail("sigprocmask");
    errno = saved_errno;
}

/* Remembers a child (the stop signals are blocked) and, the first time,
 * installs the handler. */
static void remember_child(pid_t child)
{
    if (forked_count == forked_capacity) {
        long capacity = forked_capacity ? 2 * forked_capacity : 64;
        pid_t *grown = realloc(forked, (size_t)capacity * sizeof *grown);
        if (grown == NULL) {
            kill(child, SIGKILL);
            bench_failf("out of memory remembering %ld child processes", capacity);
        }
        forked = grown;
        forked_capacity = capacity;
    }
    forked[forked_count] = child;
    forked_count = forked_count + 1;
    handler_owner = getpid();
    for (int index = 0; index < 3 && forked_count == 1; index++) {
        struct sigaction action = {.sa_handler = stop_children};
        sigemptyset(&action.sa_mask);
        if (sigaction(stop_signals[index], NULL, &previous_actions[index]) != 0)
            bench_fail("sigaction");
        if (previous_actions[index].sa_handler != SIG_DFL)
            continue;   /* ignored (nohup) or the program's own: left alone */
        if (sigaction(stop_signals[index], &action, NULL) != 0)
            bench_fail("sigaction");
        handler_installed[index] = true;
    }
}

pid_t bench_fork(void)
{
    pid_t parent = getpid();
    sigset_t previous_mask;
    set_stop_signals_blocked(true, &previous_mask);   /* no stop before the child is known */
    pid_t child = fork();
    if (child == 0) {
        /* Die with the parent, so an interrupted run leaves no orphan. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
            bench_fail("prctl(PR_SET_PDEATHSIG)");
        if (getppid() != parent)   /* the parent died before prctl */
            _exit(BENCH_EXIT_WRONG);
        for (int index = 0; index < 3; index++)   /* the parent's handler is not the child's */
            if (handler_installed[index] &&
                sigaction(stop_signals[index], &previous_actions[index], NULL) != 0)
                bench_fail("sigaction");
        forked_count = 0;
    } else if (child > 0) {
        remember_child(child);
    }
    set_stop_signals_blocked(false, &previous_mask);
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
