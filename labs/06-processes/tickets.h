/*
 * tickets.h - the ticket office of lab 6: a text file holds the number of
 * tickets left; several processes buy from it at once.
 */
#ifndef TICKETS_H
#define TICKETS_H

/* Reads the number in the file (from offset 0). Returns it, or -1 with a
 * message on stderr. Notes in `negative_count_seen` if the file ever held a
 * negative number. */
long read_ticket_count(int tickets_fd);

/* Replaces the file's content by `count`. Before writing, it sleeps
 * LAB_DELAY_US microseconds if that variable is set: the checker uses it to
 * widen the window between reading the count and writing it back.
 * Returns 0, or -1 with a message on stderr. */
int write_ticket_count(int tickets_fd, long count);

/* Set by read_ticket_count when it reads a number below zero. */
extern int negative_count_seen;

/* YOUR PART (buy_ticket.c): buys one ticket through `tickets_fd`, a
 * descriptor this process opened itself. Returns 1 if a ticket was bought,
 * 0 if none was left, -1 on an error (after a message on stderr). */
int buy_one_ticket(int tickets_fd);

#endif
