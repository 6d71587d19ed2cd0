/*
 * ticket_sale - the notes' ticket sale: several processes buy from one file.
 *
 * The parent writes the number of tickets into tickets.txt, forks the
 * buyers, and waits. Each buyer opens the file itself, calls
 * buy_one_ticket() until it has its share or the tickets are gone, and
 * reports how many it bought through a pipe. The parent adds up the
 * reports, reaps every child with waitpid, and checks: tickets sold equals
 * tickets there were, the file ends at 0, no zombie child is left. After
 * every call of buy_one_ticket, whatever it returned, the buyer looks in
 * /proc/locks: if its process still holds a lock on the file, that return
 * path forgot LOCK_UN (exiting would hide it: the lock goes with the last
 * descriptor, but a buyer that goes on doing other work would block all the
 * others for as long).
 *
 * usage: ticket_sale [buyers [tickets_per_buyer [tickets]]]   (8 100 500)
 *        LAB_DELAY_US=1000 ticket_sale    widens the race window
 * Last line: "ok: ..." (exit 0) or "FAIL: ..." (exit 1).
 */
#include "children.h"
#include "tickets.h"
#include "lab_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define TICKETS_FILE "tickets.txt"

typedef struct { int buyer; long bought; int failed; int kept_lock; } purchase_report;

/* 1 if this process holds a flock on the file open as `fd` (from
 * /proc/locks: "1: FLOCK  ADVISORY  WRITE <pid> <major>:<minor>:<inode> ..."),
 * 0 if not, -1 if /proc/locks cannot be read. */
static int holds_flock(int fd)
{
    struct stat file;
    if (fstat(fd, &file) != 0)
        return -1;
    FILE *locks = fopen("/proc/locks", "r");
    if (locks == NULL)
        return -1;
    char line[256], kind[16], mode[16], access[16];
    unsigned major_number, minor_number;
    unsigned long inode;
    int pid, held = 0;
    while (fgets(line, sizeof line, locks) != NULL)
        if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%lu", kind, mode, access, &pid, &major_number,
                   &minor_number, &inode) == 7
            && strcmp(kind, "FLOCK") == 0 && pid == (int)getpid() && inode == (unsigned long)file.st_ino
            && major_number == major(file.st_dev) && minor_number == minor(file.st_dev))
            held = 1;
    fclose(locks);
    return held;
}

static void buy_and_report(int buyer, long wanted, int report_fd)
{
    purchase_report report = { buyer, 0, 0, 0 };
    int tickets_fd = open(TICKETS_FILE, O_RDWR);     /* our own open file description */
    if (tickets_fd < 0) {
        fprintf(stderr, "buyer %d: open %s: %s\n", buyer, TICKETS_FILE, strerror(errno));
        report.failed = 1;
    }
    while (!report.failed && report.bought < wanted) {
        int result = buy_one_ticket(tickets_fd);
        if (holds_flock(tickets_fd) == 1 && report.kept_lock == 0)
            report.kept_lock = result == 0 ? 2 : 1 + 2 * (result < 0);   /* 1: after 1, 2: after 0, 3: after -1 */
        if (result < 0)
            report.failed = 1;
        if (result <= 0)
            break;
        report.bought++;
    }
    report.failed |= negative_count_seen;
    if (report.kept_lock)
        report.failed = 1;
    if (write(report_fd, &report, sizeof report) != sizeof report)   /* < PIPE_BUF: atomic */
        fprintf(stderr, "buyer %d: write to pipe: %s\n", buyer, strerror(errno));
    _exit(report.failed ? 1 : 0);
}

int main(int argc, char **argv)
{
    lab_report_open();   /* before any of buy_ticket.c runs: see lab_report.h */
    int buyers = argc > 1 ? atoi(argv[1]) : 8;
    long tickets_per_buyer = argc > 2 ? atol(argv[2]) : 100;
    long tickets = argc > 3 ? atol(argv[3]) : 500;
    if (buyers <= 0 || buyers > 1000 || tickets_per_buyer <= 0 || tickets < 0) {
        fprintf(stderr, "usage: ticket_sale [buyers (1-1000) [tickets_per_buyer [tickets]]]\n");
        return 2;
    }
    int tickets_fd = open(TICKETS_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (tickets_fd < 0 || write_ticket_count(tickets_fd, tickets) != 0 || close(tickets_fd) != 0) {
        fprintf(stderr, "ticket_sale: cannot set up %s: %s\n", TICKETS_FILE, strerror(errno));
        return 1;
    }
    int report_pipe[2];
    if (pipe(report_pipe) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t *buyer_pids = calloc(buyers, sizeof *buyer_pids);
    if (buyer_pids == NULL) {
        perror("calloc");
        return 1;
    }
    int started = 0;
    for (; started < buyers; started++) {
        buyer_pids[started] = fork();
        if (buyer_pids[started] < 0) {
            fprintf(stderr, "fork: %s (after %d buyers)\n", strerror(errno), started);
            break;
        }
        if (buyer_pids[started] == 0) {
            close(report_pipe[0]);
            buy_and_report(started, tickets_per_buyer, report_pipe[1]);
        }
    }
    close(report_pipe[1]);                /* now EOF comes when every buyer is done */

    long sold = 0;
    int failed_buyers = 0, kept_lock = 0;
    purchase_report report;
    while (read(report_pipe[0], &report, sizeof report) == sizeof report) {
        sold += report.bought;
        failed_buyers += report.failed;
        if (report.kept_lock && !kept_lock)
            kept_lock = report.kept_lock;
    }
    close(report_pipe[0]);
    int unclean_exits = 0;
    for (int buyer = 0; buyer < started; buyer++) {
        int status = 0;
        pid_t reaped;
        while ((reaped = waitpid(buyer_pids[buyer], &status, 0)) < 0 && errno == EINTR) { }
        if (reaped < 0)
            fprintf(stderr, "waitpid %d: %s\n", (int)buyer_pids[buyer], strerror(errno));
        if (reaped < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            unclean_exits++;
    }
    free(buyer_pids);
    int zombies = count_zombie_children(1);

    tickets_fd = open(TICKETS_FILE, O_RDONLY);
    long tickets_left = tickets_fd < 0 ? -1 : read_ticket_count(tickets_fd);
    if (tickets_fd >= 0)
        close(tickets_fd);
    if (unlink(TICKETS_FILE) != 0)
        perror("unlink " TICKETS_FILE);

    long expected_sold = (long)started * tickets_per_buyer < tickets ? (long)started * tickets_per_buyer : tickets;
    printf("%d buyers wanted %ld each; %ld tickets: sold %ld, file says %ld left\n",
           started, tickets_per_buyer, tickets, sold, tickets_left);
    lab_report("started=%d sold=%ld left=%ld failed=%d unclean=%d zombies=%d kept_lock=%d", started, sold,
               tickets_left, failed_buyers, unclean_exits, zombies, kept_lock);
    if (kept_lock)
        printf("FAIL: buy_one_ticket returned %d and still held the flock: that return path has no "
               "LOCK_UN (every other buyer waits until this one closes the file)\n",
               kept_lock == 2 ? 0 : kept_lock == 1 ? 1 : -1);
    int count_wrong = sold != expected_sold || tickets_left != tickets - expected_sold;
    int buyers_wrong = started < buyers || failed_buyers > 0 || unclean_exits > 0 || zombies != 0;
    if (!count_wrong && !buyers_wrong) {
        printf("ok: exactly %ld sold, file ends at %ld, no zombie\n", sold, tickets_left);
        return 0;
    }
    printf("FAIL:");
    if (count_wrong)
        printf(" sold %ld tickets of %ld (expected %ld), file ends at %ld (expected %ld);", sold, tickets,
               expected_sold, tickets_left, tickets - expected_sold);
    if (buyers_wrong)
        printf(" %d of %d buyers started, %d saw an unreadable or negative count or an error, "
               "%d exited uncleanly, %d zombies left", started, buyers, failed_buyers, unclean_exits, zombies);
    printf("\n");
    return 1;
}
