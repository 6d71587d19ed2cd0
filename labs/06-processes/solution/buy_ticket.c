/*
 * buy_ticket.c - reference solution of lab 6: the read, the test and the
 * write happen under an exclusive flock, so they are one step as far as the
 * other buyers can tell.
 *
 * What to look for: flock locks belong to the *open file description*, not
 * to the process. Each buyer opens the file itself (ticket_sale.c does so in
 * the child, after fork); had the parent opened it once before forking, all
 * children would share one description and one lock, and exclude nobody.
 * Every exit path releases the lock (closing the last descriptor would too).
 */
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
    while (flock(tickets_fd, LOCK_EX) != 0) {
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
