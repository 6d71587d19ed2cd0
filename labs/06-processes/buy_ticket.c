/*
 * buy_ticket.c - YOUR PART of lab 6: buy one ticket so that, however many
 * processes buy at once, no ticket is sold twice.
 *
 * The purchase is read-modify-write on a file: read the count, and if it is
 * above zero, write back one less. Between the read and the write another
 * process can read the same count: both sell "the last ticket". Make the
 * three steps one critical section with flock(tickets_fd, LOCK_EX) ...
 * flock(tickets_fd, LOCK_UN), and check both calls' results.
 *
 * What this starter does wrong: no lock at all. Run
 *   LAB_DELAY_US=1000 ./ticket_sale
 * and count the tickets sold.
 */
#include "tickets.h"

int buy_one_ticket(int tickets_fd)
{
    /* TODO(student): take an exclusive flock on tickets_fd before reading,
     * release it after writing (and on every early return). */
    long tickets_left = read_ticket_count(tickets_fd);
    if (tickets_left < 0)
        return -1;
    if (tickets_left == 0)
        return 0;
    if (write_ticket_count(tickets_fd, tickets_left - 1) != 0)
        return -1;
    return 1;
}
