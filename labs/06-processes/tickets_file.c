/*
 * tickets_file.c - reading and writing the ticket count; no locking here:
 * that is the caller's job (buy_ticket.c).
 */
#include "tickets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int negative_count_seen;

long read_ticket_count(int tickets_fd)
{
    char text[32];
    ssize_t length = pread(tickets_fd, text, sizeof text - 1, 0);
    if (length < 0) {
        fprintf(stderr, "read_ticket_count: pread: %s\n", strerror(errno));
        return -1;
    }
    text[length] = '\0';
    char *end;
    long count = strtol(text, &end, 10);
    if (end == text) {
        fprintf(stderr, "read_ticket_count: the file holds no number ('%s')\n", text);
        return -1;
    }
    if (count < 0) {
        negative_count_seen = 1;
        fprintf(stderr, "read_ticket_count: the file says %ld tickets: oversold!\n", count);
    }
    return count;
}

static void delay_between_read_and_write(void)
{
    const char *setting = getenv("LAB_DELAY_US");
    long microseconds = setting ? atol(setting) : 0;
    if (microseconds <= 0)
        return;
    struct timespec pause = { microseconds / 1000000, (microseconds % 1000000) * 1000 };
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) { }
}

int write_ticket_count(int tickets_fd, long count)
{
    delay_between_read_and_write();
    char text[32];
    int length = snprintf(text, sizeof text, "%ld\n", count);
    if (ftruncate(tickets_fd, 0) != 0) {
        fprintf(stderr, "write_ticket_count: ftruncate: %s\n", strerror(errno));
        return -1;
    }
    if (pwrite(tickets_fd, text, length, 0) != length) {
        fprintf(stderr, "write_ticket_count: pwrite: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}
