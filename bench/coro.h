/*
 * coro.h - coroutines (green threads) on the bench/ event loop, as gevent
 * runs greenlets on its hub.
 *
 *     coro_spawn(download, &task);   // a coroutine: a function that can wait
 *     ...
 *     coro_join_all();               // main runs the hub until all have finished
 *
 * and inside a coroutine, calls that look blocking but only park it:
 *
 *     coro_sleep(0.5);               // a timer on the loop, then the hub runs others
 *     coro_wait_readable(fd);        // an epoll watch, then the hub runs others
 *     coro_yield();                  // to the back of the queue (CPU-bound slices)
 *
 * THE HUB. main's own stack runs the loop (loop.h) inside coro_join_all. A
 * coroutine that waits tells the loop what should wake it (a timer, an fd,
 * a deferred callback) and switches to the hub; the loop's callback for that
 * event switches back to the coroutine, which carries on after its call.
 * Coroutines never switch to each other directly: every switch goes through
 * the hub, so one yield is two stack switches and one turn of the loop.
 *
 * THE SWITCH is a few lines of x86-64 assembly (coro.c): push the six
 * callee-saved registers, store the stack pointer, load the other one, pop,
 * jump. Measured here by a ping-pong of 10M switches between two stacks
 * (2-core VM, load average 15 from other jobs: every figure is inflated),
 * per switch: this one 7-13 ns; Boost.Context's fcontext (libboost-context-dev,
 * the same idea in a C++ library, a build dependency for a few lines) 16-25
 * ns; swapcontext 3-5 us, because it also makes an rt_sigprocmask system
 * call each time to save the signal mask (on a quiet machine of this kind:
 * about 270 ns, against 6.5 ns for fcontext). Nothing in this project
 * changes the floating-point control words, so they are not saved.
 *
 * THE STACK: one stack, copied, as greenlet does. Every coroutine runs on
 * the same 256 KiB run stack (mmap'ed, with a PROT_NONE guard page below it:
 * an overflow is a SIGSEGV, never a silent overwrite). When the hub resumes
 * a coroutine other than the one whose frames are on the run stack, it first
 * copies those frames (from the stack pointer to the top: a few hundred
 * bytes for a parked coroutine) into the owner's heap buffer, then copies the
 * resumed coroutine's frames back in. Why not a stack of its own for each
 * (say 64 KiB, with a guard page)? Because 100,000 of them do not fit here:
 * a guard page splits each into two mappings, and vm.max_map_count is 65530
 * (mmap fails near 32,000 coroutines); and every stack has at least one page
 * touched, so 100,000 would be at least 390 MiB resident. With one copied
 * stack, a sleeping coroutine costs a few hundred bytes.
 *
 * THE PRICE of copying, and the rule it brings: a parked coroutine's locals
 * are not at their addresses while another coroutine runs. Never hand a
 * pointer to a local to the hub, to another coroutine or to a library
 * callback that runs while you wait (libcurl's write callback, say): put
 * such data in static or heap memory. Between two waits, a coroutine is an
 * ordinary function.
 *
 * One thread only: coroutines never run at the same time, so they share
 * memory without locks, and a coroutine that computes without waiting or
 * yielding stops every other one.
 *
 * Sanitizers: under ASan, every switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber, and the
 * run stack is unpoisoned when its owner changes (the copied frames' redzones
 * are lost: ASan still checks everything else). Under TSan the coroutine
 * model is not tested (tests/coroutine.bats says why): one thread, no race.
 * The switches are not announced to TSan: __tsan_create_fiber costs about
 * 50 ms a coroutine here (1000 sleepers took 55 s instead of 0.5 s).
 */
#ifndef CORO_H
#define CORO_H

#include "loop.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CORO_STACK_SIZE (256 * 1024)   /* the one run stack, bytes */

typedef struct coro coro;
typedef void coro_function(void *argument);

/* Makes `function(argument)` a coroutine. It first runs on the next turn of
 * the hub (in coro_join_all, or when the spawning coroutine next waits).
 * Exits with a message if memory or mmap fails. */
void coro_spawn(coro_function *function, void *argument);

/* Called by main (never by a coroutine): runs the hub until every coroutine
 * has finished. Returns 0, or -1 (errno set) if epoll_wait failed. Exits
 * with a message if coroutines are parked with nothing left to wake them. */
int coro_join_all(void);

/* In a coroutine: lets every other ready coroutine run once, then returns. */
void coro_yield(void);
/* In a coroutine: returns after `seconds` (never earlier). */
void coro_sleep(double seconds);
/* In a coroutine: returns when `fd` is readable (writable), or has an error
 * or hang-up to report. One coroutine at a time may wait on a given fd.
 * Returns 0, or -1 with errno if epoll_ctl refused the fd. */
int coro_wait_readable(int fd);
int coro_wait_writable(int fd);

/* ---- for glue code that wakes coroutines itself (http's libcurl bridge) ---- */

/* The running coroutine, or NULL in main (the hub). */
coro *coro_current(void);
/* In a coroutine: switches to the hub and stays parked until coro_wake. */
void coro_park(void);
/* Makes a parked coroutine run again on the hub's next turn. */
void coro_wake(coro *parked);
/* The hub's loop, to watch fds or set timers whose callbacks wake
 * coroutines. Do not loop_stop() it: coro_join_all does. */
loop *coro_loop(void);

/* Coroutines spawned and not yet finished. */
size_t coro_alive(void);

#ifdef __cplusplus
}
#endif

#endif
