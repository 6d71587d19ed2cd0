/* WRONG: cheats: a constructor ends the program with status 0 before any test runs */
/* expect: buy_ticket.c runs code before or after main */
#include "tickets.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

__attribute__((constructor)) static void done(void) { _exit(0); }

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
