/* workers.c - the create/join of the pthread variants, the fork/reap of the fork variants. */
#define _GNU_SOURCE
#include "workers.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void bench_check(int error, const char *what)
{
    if (error != 0)
        bench_fail_errno(error, what);
}

/* ---- pinning ------------------------------------------------------------ */

bool bench_pinning(void)
{
    const char *pin = getenv("BENCH_PIN");
    return pin != NULL && strcmp(pin, "1") == 0;
}

/* The CPU for worker `worker`: the (worker mod n)-th of the n CPUs this
 * process may run on (so that taskset is respected). */
static int cpu_for(long worker, cpu_set_t *one_cpu)
{
    static cpu_set_t allowed;
    static int allowed_count;
    if (allowed_count == 0) {
        if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
            bench_fail("sched_getaffinity");
        allowed_count = CPU_COUNT(&allowed);
    }
    int wanted = (int)(worker % allowed_count), cpu = 0;
    for (int seen = -1; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &allowed) && ++seen == wanted)
            break;
    CPU_ZERO(one_cpu);
    CPU_SET(cpu, one_cpu);
    return cpu;
}

void bench_pin_self(long worker)
{
    cpu_set_t one_cpu;
    cpu_for(worker, &one_cpu);
    if (sched_setaffinity(0, sizeof one_cpu, &one_cpu) != 0)
        bench_fail("sched_setaffinity");
}

static void log_started(const bench_run *run, const char *what)
{
    bench_log(run, "%ld %s started%s", run->workers, what,
              bench_pinning() ? ", pinned (worker i on CPU i mod ncpu)" : "");
}

/* "prog: what: reason; carrying on with 3 of 5 threads", or false when the
 * shortfall policy says to stop. */
static bool carry_on(bench_run *run, bench_shortfall shortfall, long started, int error,
                     const char *call, const char *what)
{
    if (shortfall != BENCH_SHORTFALL_CARRY_ON || started == 0)
        return false;
    fprintf(stderr, "%s-%s: %s: %s; carrying on with %ld of %ld %s\n", run->spec->workload,
            run->spec->model, call, strerror(error), started, run->workers, what);
    run->workers = started;
    return true;
}

/* ---- threads ------------------------------------------------------------ */

pthread_t *bench_threads_start(bench_run *run, void *(*start)(void *), size_t stack_bytes,
                               bench_shortfall shortfall)
{
    pthread_attr_t attributes;
    bench_check(pthread_attr_init(&attributes), "pthread_attr_init");
    if (stack_bytes > 0)
        bench_check(pthread_attr_setstacksize(&attributes, stack_bytes),
                    "pthread_attr_setstacksize");
    pthread_t *threads = bench_alloc((size_t)run->workers, sizeof *threads);
    for (long index = 0; index < run->workers; index++) {
        if (bench_pinning()) {
            cpu_set_t one_cpu;
            cpu_for(index, &one_cpu);
            bench_check(pthread_attr_setaffinity_np(&attributes, sizeof one_cpu, &one_cpu),
                        "pthread_attr_setaffinity_np");
        }
        int error = pthread_create(&threads[index], &attributes, start, (void *)(intptr_t)index);
        if (error == 0)
            continue;
        if (carry_on(run, shortfall, index, error, "pthread_create", "threads"))
            break;
        if (shortfall == BENCH_SHORTFALL_CANCEL) {
            for (long started = 0; started < index; started++) {
                int cancel_error = pthread_cancel(threads[started]);
                if (cancel_error != 0 && cancel_error != ESRCH)
                    fprintf(stderr, "pthread_cancel: %s\n", strerror(cancel_error));
            }
            for (long started = 0; started < index; started++)
                bench_check(pthread_join(threads[started], NULL), "pthread_join");
        }
        char what[128];
        snprintf(what, sizeof what, "pthread_create (started %ld of %ld threads%s)", index,
                 run->workers,
                 shortfall == BENCH_SHORTFALL_CANCEL ? ", cancelled and joined them" : "");
        bench_fail_errno(error, what);
    }
    bench_check(pthread_attr_destroy(&attributes), "pthread_attr_destroy");
    log_started(run, "threads");
    return threads;
}

void bench_threads_join(bench_run *run, pthread_t *threads)
{
    for (long index = 0; index < run->workers; index++)
        bench_check(pthread_join(threads[index], NULL), "pthread_join");
    free(threads);
}

/* ---- processes ------------------------------------------------------------ */

/* Watches a stop signal unless it was ignored at start (nohup, `cmd &` in a script). */
static void watch_unless_ignored(sigset_t *watched, int signal_number)
{
    struct sigaction current;
    if (sigaction(signal_number, NULL, &current) != 0)
        bench_fail("sigaction");
    if (current.sa_handler != SIG_IGN)
        sigaddset(watched, signal_number);
}

/* Blocks SIGCHLD and the stop signals, to take them with sigwaitinfo. */
static void hold_signals(bench_children *children)
{
    if (children->holding_signals)
        return;
    sigemptyset(&children->watched);
    sigaddset(&children->watched, SIGCHLD);
    watch_unless_ignored(&children->watched, SIGINT);
    watch_unless_ignored(&children->watched, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &children->watched, &children->previous_mask) != 0)
        bench_fail("sigprocmask");
    children->holding_signals = true;
}

void bench_children_start(bench_children *children, bench_run *run,
                          void (*child)(long index, int output), bool with_pipe,
                          bench_shortfall shortfall)
{
    int pipe_ends[2] = {-1, -1};
    if (with_pipe && pipe(pipe_ends) != 0)
        bench_fail("pipe");
    children->pids = bench_alloc((size_t)run->workers, sizeof *children->pids);
    children->count = 0;
    children->input = pipe_ends[0];
    children->holding_signals = false;
    children->run = run;
    if (!with_pipe)
        hold_signals(children);
    fflush(NULL);   /* nothing buffered may be written twice */
    for (long index = 0; index < run->workers; index++) {
        pid_t pid = bench_fork();
        if (pid < 0) {
            if (carry_on(run, shortfall, index, errno, "fork", "processes"))
                break;
            bench_fork_failed(children->pids, index);
        }
        if (pid == 0) {
            if (children->holding_signals &&
                sigprocmask(SIG_SETMASK, &children->previous_mask, NULL) != 0)
                bench_fail("sigprocmask");
            if (bench_pinning())
                bench_pin_self(index);
            if (with_pipe)
                close(pipe_ends[0]);
            child(index, pipe_ends[1]);
            _exit(0);
        }
        children->pids[index] = pid;
        children->count = index + 1;
    }
    /* So that read() sees end of file when every child is done. */
    if (with_pipe && close(pipe_ends[1]) != 0)
        bench_fail("close");
    log_started(run, "processes");
}

/* Marks a reaped child (its pid may be reused now: never signal it); false
 * if it is not one of ours. */
static bool forget_child(bench_children *children, pid_t pid)
{
    for (long index = 0; index < children->count; index++)
        if (children->pids[index] == pid) {
            children->pids[index] = 0;
            return true;
        }
    return false;
}

static void kill_children(bench_children *children)
{
    for (long index = 0; index < children->count; index++)
        if (children->pids[index] > 0 && kill(children->pids[index], SIGKILL) != 0 &&
            errno != ESRCH)
            perror("kill");
}

/* After SIGINT or SIGTERM: kills and reaps every child, then dies of the signal. */
static void stop_children(bench_children *children, long running, int signal_number)
{
    kill_children(children);
    while (wait(NULL) > 0 || errno == EINTR)
        continue;
    fprintf(stderr, "%s-%s: %s: killed and reaped the %ld processes still running\n",
            children->run->spec->workload, children->run->spec->model, strsignal(signal_number),
            running);
    if (sigprocmask(SIG_SETMASK, &children->previous_mask, NULL) != 0)
        bench_fail("sigprocmask");
    raise(signal_number);   /* not caught: the default action ends the process */
    _exit(128 + signal_number);
}

bool bench_children_wait(bench_children *children)
{
    if (children->input >= 0 && close(children->input) != 0)
        bench_fail("close");
    children->input = -1;
    hold_signals(children);
    long running = children->count;
    bool all_succeeded = true;
    while (running > 0) {
        int status;
        pid_t pid = 0;
        while (running > 0 && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (!forget_child(children, pid))
                continue;
            running--;
            if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) || !all_succeeded)
                continue;   /* a success, or one we stopped */
            fprintf(stderr, "%s-%s: ", children->run->spec->workload, children->run->spec->model);
            if (WIFSIGNALED(status))
                fprintf(stderr, "child %d killed by signal %d (%s)", (int)pid, WTERMSIG(status),
                        strsignal(WTERMSIG(status)));
            else
                fprintf(stderr, "child %d exited with status %d", (int)pid, WEXITSTATUS(status));
            fprintf(stderr, running > 0 ? "; stopping the others\n" : "\n");
            all_succeeded = false;
            kill_children(children);
        }
        if (running == 0)
            break;
        if (pid < 0 && errno == ECHILD)
            bench_failf("waitpid: %ld children were never reaped", running);
        if (pid < 0 && errno != EINTR)
            bench_fail("waitpid");
        int signal_number = sigwaitinfo(&children->watched, NULL);
        if (signal_number < 0 && errno != EINTR)
            bench_fail("sigwaitinfo");
        if (signal_number == SIGINT || signal_number == SIGTERM)
            stop_children(children, running, signal_number);
    }
    if (sigprocmask(SIG_SETMASK, &children->previous_mask, NULL) != 0)
        bench_fail("sigprocmask");
    children->holding_signals = false;
    free(children->pids);
    children->pids = NULL;
    return all_succeeded;
}
