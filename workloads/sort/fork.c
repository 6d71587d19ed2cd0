/*
 * sort-fork: the same stack of ranges as sort-pthread, shared by -j child
 * processes instead of threads. The array and the stack live in MAP_SHARED
 * mappings made before fork, so every child sorts the one array in place
 * and the parent sees the result; the mutex and condition variable are
 * process-shared (kernel_queue.c). Nothing goes through a pipe. Each child
 * also makes its part of the input before the sort and checks its part of
 * the output after it.
 *
 * What to look for: the same speed-up as threads. fork() copies only page
 * tables, and shared memory costs nothing extra to read or write. Unlike
 * threads, a crashed child cannot take the others down with it, but it can
 * leave them waiting for its elements forever; so the parent stops the rest
 * when one fails.
 */
#include "kernel_queue.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reaps every child, in whatever order they end. After a failure the others
 * are killed, since they could wait forever for the failed child's work. */
static bool reap_children(pid_t *children, long count)
{
    bool all_succeeded = true;
    for (long reaped = 0; reaped < count;) {
        int status;
        pid_t child = waitpid(-1, &status, 0);
        if (child < 0 && errno == EINTR)
            continue;
        if (child < 0)
            bench_fail("waitpid");
        reaped++;
        for (long index = 0; index < count; index++)
            if (children[index] == child)
                children[index] = 0;      /* reaped: never signal it again */
        if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) || !all_succeeded)
            continue;                     /* a success, or one we stopped */
        fprintf(stderr, "sort-fork: child %d %s %d; stopping the others\n", (int)child,
                WIFSIGNALED(status) ? "killed by signal" : "exited with status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        all_succeeded = false;
        for (long index = 0; index < count; index++)
            if (children[index] > 0 && kill(children[index], SIGKILL) != 0 && errno != ESRCH)
                perror("kill");
    }
    return all_succeeded;
}

/* One child's whole job. Everything it does reaches the parent through the
 * shared mappings. */
static void worker(sort_job *job, sort_queue *queue, long part)
{
    sort_make_part(job, part);          /* 1. make this child's part of the input */
    sort_queue_wait_for_input(queue);   /*    and wait for the other parts */
    sort_queue_work(queue);             /* 2. sort: take ranges until all are placed */
    sort_check_part(job, part);         /* 3. check this child's part of the output */
}

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "sort", .model = "fork",
        .about = SORT_ABOUT " Processes sharing the array and a stack of ranges.",
        .workload_options = sort_options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    sort_setup(&run, &job, run.workers, true);   /* the array and the parts' checks: shared */
    sort_queue *queue = sort_queue_new(job.elements, job.count, run.workers, true);

    pid_t *children = bench_alloc((size_t)run.workers, sizeof *children);
    for (long index = 0; index < run.workers; index++) {
        children[index] = bench_fork();
        if (children[index] < 0)
            bench_fork_failed(children, index);
        if (children[index] == 0) {
            worker(&job, queue, index);
            _exit(0);
        }
    }
    if (!reap_children(children, run.workers))
        bench_failf("a child failed: the array is not sorted");

    free(children);
    sort_queue_finish(queue, &run, "process");   /* wall_s: the sort alone, as the stack timed it */
    return sort_finish(&run, &job);
}
