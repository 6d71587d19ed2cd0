/* Unit tests of the sleep kernel: the wait lasts its time, also when signals interrupt it. */
#include <criterion/criterion.h>

#include "../../workloads/sleep/kernel.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t alarms;

static void count_alarm(int signal_number)
{
    (void)signal_number;
    alarms++;
}

Test(sleep, waits_at_least_its_time)
{
    double seconds[] = {0, 0.001, 0.02, 0.25};
    for (size_t index = 0; index < sizeof seconds / sizeof seconds[0]; index++) {
        double started = bench_now();
        sleep_wait(seconds[index]);
        double waited = bench_now() - started;
        cr_expect(waited >= seconds[index], "asked %g s, waited %.6f s", seconds[index], waited);
        cr_expect(waited < seconds[index] + 0.5, "asked %g s, waited %.6f s", seconds[index],
                  waited);
    }
}

Test(sleep, interrupted_wait_goes_back_to_sleep_for_the_rest)
{
    /* A handler without SA_RESTART: each alarm makes clock_nanosleep fail with EINTR. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = count_alarm;
    cr_assert_eq(sigaction(SIGALRM, &action, NULL), 0);
    struct itimerval every_10_ms = {{0, 10000}, {0, 10000}};
    cr_assert_eq(setitimer(ITIMER_REAL, &every_10_ms, NULL), 0);

    double started = bench_now();
    sleep_wait(0.2);
    double waited = bench_now() - started;

    struct itimerval off = {{0, 0}, {0, 0}};
    cr_assert_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
    cr_expect(alarms >= 5, "only %d alarms interrupted the wait", (int)alarms);
    cr_expect(waited >= 0.2, "woke after %.6f s, before 0.2 s", waited);
    cr_expect(waited < 0.3, "the interruptions added time: %.6f s for 0.2 s", waited);
}

Test(sleep, completed_counts_the_finished_flags)
{
    unsigned char finished[6] = {1, 0, 1, 1, 0, 1};
    sleep_job job = {.seconds = 0, .count = 6, .finished = finished, .shared = false};
    cr_expect_eq(sleep_completed(&job), 4);
    finished[1] = finished[4] = 1;
    cr_expect_eq(sleep_completed(&job), 6);
    job.count = 0;
    cr_expect_eq(sleep_completed(&job), 0);
}
