/*
 * pipe_demo - two processes talk through two pipes.
 *
 * The parent sends the numbers 1..1000 down one pipe; the child adds them up
 * and sends the sum back up the other. A pipe is a one-way byte stream in
 * the kernel: read() blocks until there are bytes, and returns 0 (EOF) once
 * every write end is closed. That is why each process closes the ends it
 * does not use: a forgotten write end means the reader waits forever.
 *
 * What to look for: the sum is 500500; remove the child's close(to_child[1])
 * and the program hangs (the child waits for an EOF that cannot come).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int make_pipe(int ends[2])
{
    if (pipe(ends) != 0) {
        fprintf(stderr, "pipe: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

int main(void)
{
    int to_child[2], to_parent[2];
    if (make_pipe(to_child) != 0 || make_pipe(to_parent) != 0)
        return 1;
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        long sum = 0;
        int number;
        while (read(to_child[0], &number, sizeof number) == sizeof number)
            sum += number;
        if (write(to_parent[1], &sum, sizeof sum) != sizeof sum)
            fprintf(stderr, "child: write: %s\n", strerror(errno));
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    for (int number = 1; number <= 1000; number++)
        if (write(to_child[1], &number, sizeof number) != sizeof number) {
            fprintf(stderr, "parent: write: %s\n", strerror(errno));
            break;
        }
    close(to_child[1]);                         /* the child's read now returns 0 */
    long sum = 0;
    if (read(to_parent[0], &sum, sizeof sum) != sizeof sum)
        fprintf(stderr, "parent: read: no answer from the child\n");
    close(to_parent[0]);
    if (waitpid(child, NULL, 0) < 0)
        fprintf(stderr, "waitpid: %s\n", strerror(errno));
    printf("child %d says 1 + ... + 1000 = %ld\n", (int)child, sum);
    return sum == 500500 ? 0 : 1;
}
