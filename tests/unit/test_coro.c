/* Unit tests of bench/coro: order of switches and of sleeps, join-all,
 * 100,000 coroutines alive at once, fd waits, and the run stack's guard page. */
#include <criterion/criterion.h>

#include "coro.h"
#include "bench.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static char order[256];
static size_t order_length;

static void note(char letter)
{
    if (order_length + 1 < sizeof order)
        order[order_length++] = letter;
}

/* Notes its letter, yields, three times. */
static void three_turns(void *argument)
{
    char letter = (char)(intptr_t)argument;
    for (int turn = 0; turn < 3; turn++) {
        note(letter);
        coro_yield();
    }
}

Test(coro, yield_switches_round_robin_in_spawn_order)
{
    coro_spawn(three_turns, (void *)(intptr_t)'a');
    coro_spawn(three_turns, (void *)(intptr_t)'b');
    coro_spawn(three_turns, (void *)(intptr_t)'c');
    cr_assert_eq(order_length, 0, "a coroutine ran before the hub did");
    cr_assert_eq(coro_join_all(), 0);
    cr_expect_str_eq(order, "abcabcabc");
    cr_expect_eq(coro_alive(), 0);
}

/* Locals survive other coroutines running on the same (copied) run stack. */
static void sum_with_locals(void *argument)
{
    uint64_t *result = argument;
    volatile uint64_t local[64];
    for (int index = 0; index < 64; index++)
        local[index] = (uint64_t)index * (uint64_t)(uintptr_t)result;
    for (int turn = 0; turn < 5; turn++)
        coro_yield();
    uint64_t total = 0;
    for (int index = 0; index < 64; index++)
        total += local[index];
    *result = total;
}

Test(coro, locals_survive_while_others_run)
{
    uint64_t results[8];
    for (int index = 0; index < 8; index++)
        coro_spawn(sum_with_locals, &results[index]);
    cr_assert_eq(coro_join_all(), 0);
    for (int index = 0; index < 8; index++)
        cr_expect_eq(results[index], 2016 * (uint64_t)(uintptr_t)&results[index],
                     "coroutine %d's locals changed while it was parked", index);
}

static double sleep_started;
static double woke_after[3];

static void sleep_then_note(void *argument)
{
    intptr_t index = (intptr_t)argument;
    static const double seconds[] = {0.06, 0.02, 0.04};
    coro_sleep(seconds[index]);
    woke_after[index] = bench_now() - sleep_started;
    note((char)('0' + index));
}

Test(coro, sleepers_wake_in_deadline_order_and_overlap)
{
    sleep_started = bench_now();
    for (intptr_t index = 0; index < 3; index++)
        coro_spawn(sleep_then_note, (void *)index);
    cr_assert_eq(coro_join_all(), 0);
    double total = bench_now() - sleep_started;
    cr_expect_str_eq(order, "120");
    cr_expect(woke_after[0] >= 0.06 && woke_after[1] >= 0.02 && woke_after[2] >= 0.04,
              "woke early: %.4f %.4f %.4f", woke_after[0], woke_after[1], woke_after[2]);
    cr_expect(total < 0.06 + 0.05, "three sleeps did not overlap: %.4f s", total);
}

static size_t finished;

static void spawn_children(void *argument)
{
    intptr_t depth = (intptr_t)argument;
    coro_yield();
    if (depth > 0) {
        coro_spawn(spawn_children, (void *)(depth - 1));
        coro_spawn(spawn_children, (void *)(depth - 1));
    }
    coro_sleep(0.001);
    finished++;
}

Test(coro, join_all_waits_for_coroutines_spawned_by_coroutines)
{
    coro_spawn(spawn_children, (void *)(intptr_t)5);
    cr_assert_eq(coro_join_all(), 0);
    cr_expect_eq(finished, 63, "%zu of 63 coroutines finished", finished);   /* 2^6 - 1 */
    cr_expect_eq(coro_alive(), 0);
    /* and the runtime can be used again */
    coro_spawn(spawn_children, (void *)(intptr_t)0);
    cr_assert_eq(coro_join_all(), 0);
    cr_expect_eq(finished, 64);
}

static size_t alive_now, most_alive;

static void count_alive(void *unused)
{
    (void)unused;
    if (++alive_now > most_alive)
        most_alive = alive_now;
    coro_yield();   /* every one is started before the first ends */
    alive_now--;
    finished++;
}

Test(coro, one_hundred_thousand_coroutines_alive_at_once)
{
    for (int index = 0; index < 100000; index++)
        coro_spawn(count_alive, NULL);
    cr_expect_eq(coro_alive(), 100000);
    cr_assert_eq(coro_join_all(), 0);
    cr_expect_eq(finished, 100000);
    cr_expect_eq(most_alive, 100000, "at most %zu were alive at once", most_alive);
}

static int pipe_fds[2];

static void reader(void *unused)
{
    (void)unused;
    note('r');
    cr_assert_eq(coro_wait_readable(pipe_fds[0]), 0);
    char byte = 0;
    cr_assert_eq(read(pipe_fds[0], &byte, 1), 1);
    note(byte);
}

static void writer(void *unused)
{
    (void)unused;
    note('w');
    coro_sleep(0.01);
    cr_assert_eq(coro_wait_writable(pipe_fds[1]), 0);
    cr_assert_eq(write(pipe_fds[1], "x", 1), 1);
    note('W');
}

Test(coro, wait_readable_parks_until_a_byte_arrives)
{
    cr_assert_eq(pipe(pipe_fds), 0);
    coro_spawn(reader, NULL);
    coro_spawn(writer, NULL);
    cr_assert_eq(coro_join_all(), 0);
    cr_expect_str_eq(order, "rwWx");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

/* Recurses until the stack runs out: 1 KiB a frame. */
static int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    return depth > (1 << 30) ? frame[0] : recurse(depth + 1) + frame[0];
}

static void overflow(void *unused)
{
    (void)unused;
    printf("%d\n", recurse(0));
}

/* In the child: the fault must be in a PROT_NONE page ("---p" in
 * /proc/self/maps) right below the run stack (which the kernel may have
 * merged with a mapping above it). If so, dies of
 * SIGSEGV (the default action, on the access again); if not, exits 3. */
static void check_fault(int signal_number, siginfo_t *info, void *context)
{
    (void)context;
    static char maps[1 << 16];
    int fd = open("/proc/self/maps", O_RDONLY);
    size_t length = 0;
    for (ssize_t got = 1; fd >= 0 && got > 0 && length < sizeof maps - 1; length += (size_t)got)
        if ((got = read(fd, maps + length, sizeof maps - 1 - length)) < 0)
            _exit(4);
    maps[length] = 0;
    uintptr_t fault = (uintptr_t)info->si_addr, guard_end = 0;
    for (char *line = maps; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        unsigned long first, end;
        char permissions[5];
        if (sscanf(line, "%lx-%lx %4s", &first, &end, permissions) != 3)
            continue;
        if (fault >= first && fault < end && strcmp(permissions, "---p") == 0)
            guard_end = end;
        else if (guard_end != 0 && first == guard_end && end - first >= CORO_STACK_SIZE) {
            signal(signal_number, SIG_DFL);   /* the faulting access runs again, and kills */
            return;
        }
    }
    _exit(3);
}

Test(coro, stack_overflow_hits_the_guard_page)
{
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0) {
        static char alternate_stack[1 << 16];
        stack_t handler_stack = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack};
        struct sigaction action = {.sa_sigaction = check_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK};
        if (sigaltstack(&handler_stack, NULL) != 0 || sigaction(SIGSEGV, &action, NULL) != 0)
            _exit(5);
        coro_spawn(overflow, NULL);
        coro_join_all();
        _exit(0);   /* never reached if the guard page works */
    }
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
              "the child %s %d, not killed by SIGSEGV",
              WIFSIGNALED(status) ? "died of signal" : "exited with",
              WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}
