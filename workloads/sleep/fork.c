/*
 * sleep-fork: -j child processes (default: one per task). They take tasks
 * from a counter in a shared anonymous mapping and mark them finished in a
 * shared array of flags, so nothing needs to travel back through a pipe.
 *
 * The parent waits for its children with the signals it cares about blocked
 * (SIGCHLD, SIGINT, SIGTERM) and takes them one at a time with sigwaitinfo:
 * a child's exit means "reap", Ctrl-C or kill means "kill every child, reap
 * them, then die of the same signal". If fork is refused (EAGAIN: ulimit -u,
 * pid_max), the children already started are killed and reaped.
 *
 * What to look for: like threads, processes wait in parallel, and a C
 * process is cheap to fork: 1000 x 2 s takes a little over 2 s (the notes'
 * Python processes took 25 s, mostly starting interpreters). sys_s and
 * children_maxrss_kib show what each process costs.
 */
#include "kernel.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static sleep_job job;
static atomic_size_t *next_task;   /* in a MAP_SHARED page, seen by every child */
static pid_t *children;            /* 0 once reaped */
static long child_count;

static void child(void)
{
    size_t task;
    while ((task = atomic_fetch_add(next_task, 1)) < job.count) {
        sleep_wait(job.seconds);
        job.finished[task] = 1;
    }
}

/* Forgets a reaped child: its pid may be reused now, so never signal it.
 * (Children end about in the order they started: search from the last one.) */
static void forget_child(pid_t pid)
{
    static long cursor;
    for (long step = 0; step < child_count; step++) {
        long index = (cursor + step) % child_count;
        if (children[index] == pid) {
            children[index] = 0;
            cursor = index;
            return;
        }
    }
}

/* Reaps every child that has ended by now; returns how many. */
static long reap_ended(bool *children_ok)
{
    long reaped = 0;
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        forget_child(pid);
        reaped++;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "sleep-fork: child %d ended with wait status %#x\n", (int)pid, status);
            *children_ok = false;
        }
    }
    if (pid < 0 && errno != ECHILD)
        bench_fail("waitpid");
    return reaped;
}

/* Watches a stop signal unless it was ignored at start (nohup, `cmd &` in a script). */
static void watch_unless_ignored(sigset_t *watched, int signal_number)
{
    struct sigaction current;
    if (sigaction(signal_number, NULL, &current) != 0)
        bench_fail("sigaction");
    if (current.sa_handler != SIG_IGN)
        sigaddset(watched, signal_number);
}

/* After SIGINT or SIGTERM: kills and reaps every child, then dies of the signal. */
static void stop_children(long running, int signal_number, const sigset_t *previous_mask)
{
    for (long index = 0; index < child_count; index++)
        if (children[index] > 0 && kill(children[index], SIGKILL) != 0 && errno != ESRCH)
            perror("sleep-fork: kill");
    while (wait(NULL) > 0 || errno == EINTR)
        continue;
    fprintf(stderr, "sleep-fork: %s: killed and reaped the %ld processes still running\n",
            strsignal(signal_number), running);
    if (sigprocmask(SIG_SETMASK, previous_mask, NULL) != 0)
        bench_fail("sigprocmask");
    raise(signal_number);   /* not caught: the default action ends the process */
    _exit(128 + signal_number);
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sleep", .model = "fork", .about = SLEEP_ABOUT " A process per task (or a pool).",
        .default_tasks = SLEEP_DEFAULT_TASKS, .workers_default_to_tasks = true,
        .workload_options = sleep_options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    sleep_setup(&run, &job, true);
    next_task = bench_shared_alloc(sizeof *next_task);

    sigset_t watched, previous_mask;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    watch_unless_ignored(&watched, SIGINT);
    watch_unless_ignored(&watched, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &watched, &previous_mask) != 0)
        bench_fail("sigprocmask");

    children = bench_alloc((size_t)run.workers, sizeof *children);
    child_count = run.workers;
    for (long index = 0; index < run.workers; index++) {
        children[index] = bench_fork();
        if (children[index] < 0)
            bench_fork_failed(children, index);
        if (children[index] == 0) {
            if (sigprocmask(SIG_SETMASK, &previous_mask, NULL) != 0)
                bench_fail("sigprocmask");
            child();
            _exit(0);
        }
    }
    bench_log(&run, "%ld processes started", run.workers);

    long running = run.workers;
    bool children_ok = true;
    while (running > 0) {
        int signal_number = sigwaitinfo(&watched, NULL);
        if (signal_number < 0 && errno != EINTR)
            bench_fail("sigwaitinfo");
        if (signal_number == SIGINT || signal_number == SIGTERM)
            stop_children(running, signal_number, &previous_mask);
        running -= reap_ended(&children_ok);
    }
    if (sigprocmask(SIG_SETMASK, &previous_mask, NULL) != 0)
        bench_fail("sigprocmask");
    if (!children_ok)
        bench_failf("a child process failed (see above)");

    free(children);
    bench_shared_free(next_task, sizeof *next_task);
    return sleep_finish(&run, &job);
}
