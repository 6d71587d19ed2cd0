/*
 * zombies - what a child becomes when nobody waits for it.
 *
 * The parent forks five children that exit at once, then sleeps without
 * calling waitpid. A child that has exited keeps its process-table entry
 * (its pid and exit status) until the parent collects it: it is a zombie,
 * shown by ps as <defunct>. waitpid collects it and the entry goes away.
 * (If the parent dies first, init adopts and reaps the orphans.)
 *
 * What to look for: five zombies before the waitpid loop, none after. Run
 * `ps --ppid <pid>` in another terminal during the pause to see them.
 */
#include "children.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 5

int main(void)
{
    for (int child = 0; child < CHILDREN; child++) {
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "fork: %s\n", strerror(errno));
            break;
        }
        if (pid == 0)
            _exit(child);                       /* exit status = child number */
    }
    printf("parent %d: children exited, not waited for yet; pausing 2 s\n", (int)getpid());
    fflush(stdout);
    sleep(2);
    printf("zombies before waitpid: %d\n", count_zombie_children(1));
    int status;
    pid_t reaped;
    while ((reaped = waitpid(-1, &status, 0)) > 0)
        printf("reaped %d, exit status %d\n", (int)reaped, WEXITSTATUS(status));
    if (errno != ECHILD)
        fprintf(stderr, "waitpid: %s\n", strerror(errno));
    printf("zombies after waitpid: %d\n", count_zombie_children(1));
    return 0;
}
