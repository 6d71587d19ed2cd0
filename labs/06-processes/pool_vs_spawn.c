/*
 * pool_vs_spawn - one process per task against a pool of nproc processes.
 *
 * The same 1000 tiny tasks (a sum of 2000 squares each, a few microseconds)
 * run twice: first with a fork per task (the child computes one result,
 * writes it to a pipe, exits; the parent reaps it), then with a pool of
 * nproc workers that read task numbers from one pipe and write results to
 * another until the task pipe is empty. Both totals must match the serial one.
 *
 * What to look for: the fork-per-task run pays for a fork, an exit and a
 * waitpid per task (tens to hundreds of microseconds each), which dwarfs a
 * task this small; the pool pays for that nproc times in all. Pools are
 * how multiprocessing.Pool and ProcessPoolExecutor beat Process-per-task.
 *
 * usage: pool_vs_spawn [tasks]   (1000)   pool_vs_spawn --grade
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static long tiny_task(int task)
{
    volatile long sum = 0;                      /* volatile: the work really happens */
    for (long step = 1; step <= 2000; step++)
        sum += (step * step + task) % 1000;
    return sum;
}

static void check_call(int result, const char *call)
{
    if (result < 0) {
        fprintf(stderr, "%s: %s\n", call, strerror(errno));
        exit(1);
    }
}

static pid_t start_child(void)
{
    pid_t child = fork();
    check_call(child, "fork");
    return child;
}

static long one_process_per_task(int tasks)
{
    int results[2];
    check_call(pipe(results), "pipe");
    long total = 0, result;
    for (int task = 0; task < tasks; task++) {
        if (start_child() == 0) {
            result = tiny_task(task);
            _exit(write(results[1], &result, sizeof result) == sizeof result ? 0 : 1);
        }
        if (task % 64 == 63)                      /* keep the pipe from filling up */
            while (waitpid(-1, NULL, WNOHANG) > 0) { }
    }
    close(results[1]);
    while (read(results[0], &result, sizeof result) == sizeof result)
        total += result;
    close(results[0]);
    while (wait(NULL) > 0) { }
    return total;
}

static long pool_of_workers(int tasks, int workers)
{
    int task_pipe[2], result_pipe[2];
    check_call(pipe(task_pipe), "pipe");
    check_call(pipe(result_pipe), "pipe");
    for (int worker = 0; worker < workers; worker++)
        if (start_child() == 0) {
            close(task_pipe[1]);
            close(result_pipe[0]);
            int task;
            while (read(task_pipe[0], &task, sizeof task) == sizeof task) {   /* 4 bytes: atomic */
                long result = tiny_task(task);
                if (write(result_pipe[1], &result, sizeof result) != sizeof result)
                    _exit(1);
            }
            _exit(0);
        }
    close(task_pipe[0]);
    close(result_pipe[1]);
    for (int task = 0; task < tasks; task++)        /* 4 KiB for 1000 tasks: fits the pipe */
        check_call(write(task_pipe[1], &task, sizeof task) == sizeof task ? 0 : -1, "write task");
    close(task_pipe[1]);
    long total = 0, result;
    while (read(result_pipe[0], &result, sizeof result) == sizeof result)
        total += result;
    close(result_pipe[0]);
    while (wait(NULL) > 0) { }
    return total;
}

int main(int argc, char **argv)
{
    int grading = argc > 1 && strcmp(argv[1], "--grade") == 0;
    int tasks = argc > 1 && !grading ? atoi(argv[1]) : 1000;
    long workers = sysconf(_SC_NPROCESSORS_ONLN);
    if (tasks <= 0 || tasks > 10000) {
        fprintf(stderr, "pool_vs_spawn: tasks must be 1..10000, not '%s'\n", argv[1]);
        return 2;
    }
    long expected = 0;
    for (int task = 0; task < tasks; task++)
        expected += tiny_task(task);

    double start = now_seconds();
    long spawn_total = one_process_per_task(tasks);
    double spawn_seconds = now_seconds() - start;
    start = now_seconds();
    long pool_total = pool_of_workers(tasks, (int)workers);
    double pool_seconds = now_seconds() - start;

    printf("%d tasks, one process each: %.3f s (%.0f us per task)\n", tasks, spawn_seconds,
           spawn_seconds / tasks * 1e6);
    printf("%d tasks, pool of %ld:        %.3f s (%.0f us per task)\n", tasks, workers, pool_seconds,
           pool_seconds / tasks * 1e6);
    printf("the pool is %.1f times faster\n", spawn_seconds / pool_seconds);
    if (spawn_total != expected || pool_total != expected) {
        printf("FAIL: wrong totals (spawn %ld, pool %ld, expected %ld)\n", spawn_total, pool_total, expected);
        return 1;
    }
    if (grading) {
        if (spawn_seconds < 2 * pool_seconds) {
            printf("FAIL: the pool of %ld is only %.1f times faster (need 2)\n", workers,
                   spawn_seconds / pool_seconds);
            return 1;
        }
        printf("PASS: a pool of %ld beats a process per task %.1f to 1\n", workers,
               spawn_seconds / pool_seconds);
    }
    return 0;
}
