/* WRONG: LOCK_SH instead of LOCK_EX: every buyer holds the shared lock at once, so nobody is excluded */
/* expect: sold */
#include "tickets.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

static int unlock_and_return(int tickets_fd, int result)
{
    if (flock(tickets_fd, LOCK_UN) != 0) {
        fprintf(stderr, "buy_one_ticket: flock(LOCK_UN): %s\n", strerror(errno));
        return -1;
    }
    return result;
}

int buy_one_ticket(int tickets_fd)
{
    while (flock(tickets_fd, LOCK_SH) != 0) {
        if (errno != EINTR) {
            fprintf(stderr, "buy_one_ticket: flock(LOCK_EX): %s\n", strerror(errno));
            return -1;
        }
    }
    long tickets_left = read_ticket_count(tickets_fd);
    if (tickets_left < 0)
        return unlock_and_return(tickets_fd, -1);
    if (tickets_left == 0)
        return unlock_and_return(tickets_fd, 0);
    if (write_ticket_count(tickets_fd, tickets_left - 1) != 0)
        return unlock_and_return(tickets_fd, -1);
    return unlock_and_return(tickets_fd, 1);
}
