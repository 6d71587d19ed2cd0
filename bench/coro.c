/* coro.c - coroutines on one copied run stack, with the event loop as the hub (see coro.h). */
#define _GNU_SOURCE
#include "coro.h"

#include "bench.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#error "bench/coro.c switches stacks with x86-64 assembly"
#endif

/* ---- the switch ---------------------------------------------------------------
 * coro_switch(&save, load): pushes the callee-saved registers on the current
 * stack, stores the stack pointer in save, loads load, pops that stack's
 * registers and returns to where it called coro_switch (or, the first time,
 * to the address spawn left there). The caller-saved registers need no
 * saving: the compiler assumes a call destroys them. It returns with pop and
 * an indirect jump, not ret: the CPU predicts that a ret goes back to the
 * caller of this very call, which a switch never does, and the misprediction
 * made each switch two to three times slower here. */
void coro_switch(char **save, char *load);
__asm__(".text\n"
        ".globl coro_switch\n"
        ".hidden coro_switch\n"
        ".type coro_switch, @function\n"
        "coro_switch:\n"
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    popq %rcx\n"          /* not ret: see above */
        "    jmpq *%rcx\n"
        ".size coro_switch, .-coro_switch\n");

/* What coro_switch pops, lowest address first: a new coroutine's stack holds
 * zeros for the registers, then coro_entry as the return address, then a
 * null return address for coro_entry itself (the end of any backtrace). */
typedef struct {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    void (*return_address)(void);
    uint64_t caller_return_address;
} initial_frame;

struct coro {
    coro_function *function;
    void *argument;
    char *stack_pointer;     /* on the run stack, while not running */
    char *saved;             /* its frames [stack_pointer, top), while another owns the run stack */
    size_t saved_capacity;
    bool finished;
#ifdef CORO_ASAN
    void *fake_stack;
#endif
};

static struct {
    loop *loop;
    char *stack_bottom, *stack_top;   /* the run stack (above its guard page) */
    char *hub_stack_pointer;          /* main's, while a coroutine runs */
    coro *running;                    /* NULL in the hub */
    coro *owner;                      /* whose frames are on the run stack */
    size_t alive;
#ifdef CORO_ASAN
    void *hub_fake_stack;
    const void *hub_bottom;
    size_t hub_size;
#endif
} hub;

static void start_hub(void)
{
    if ((hub.loop = loop_new()) == NULL)
        bench_fail("coro: loop_new (epoll_create1)");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *mapping = mmap(NULL, page + CORO_STACK_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED)
        bench_fail("coro: mmap (the run stack)");
    if (mprotect(mapping, page, PROT_NONE) != 0)   /* the guard page: stacks grow down */
        bench_fail("coro: mprotect (the guard page)");
    hub.stack_bottom = mapping + page;
    hub.stack_top = hub.stack_bottom + CORO_STACK_SIZE;
}

/* ---- moving frames on and off the run stack (done in the hub) ---------------- */

static size_t frames_size(const coro *self)
{
    return (size_t)(hub.stack_top - self->stack_pointer);
}

/* A coroutine parked in coro_sleep a call or two deep has about 100 bytes of
 * frames: a first buffer of this size spares most coroutines a realloc. */
#define FIRST_SAVE_BYTES 128

static void keep_frames(coro *self, const void *frames, size_t size)
{
    if (size > self->saved_capacity) {
        size_t capacity = size > FIRST_SAVE_BYTES ? size : FIRST_SAVE_BYTES;
        char *grown = realloc(self->saved, capacity);
        if (grown == NULL)
            bench_failf("coro: out of memory saving a stack of %zu bytes", size);
        self->saved = grown;
        self->saved_capacity = capacity;
    }
    memcpy(self->saved, frames, size);
}

static void take_run_stack(coro *self)
{
    if (hub.owner == self)
        return;                       /* its frames are still there */
    if (hub.owner != NULL) {
#ifdef CORO_ASAN
        /* the owner's frames carry its redzones' poison; the copy must read them */
        ASAN_UNPOISON_MEMORY_REGION(hub.owner->stack_pointer, frames_size(hub.owner));
#endif
        keep_frames(hub.owner, hub.owner->stack_pointer, frames_size(hub.owner));
    }
#ifdef CORO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(self->stack_pointer, frames_size(self));
#endif
    memcpy(self->stack_pointer, self->saved, frames_size(self));
    hub.owner = self;
}

/* ---- running a coroutine ------------------------------------------------------- */

/* The hub switches to `self` and is back when it waits or finishes. */
static void resume(coro *self)
{
    take_run_stack(self);
    hub.running = self;
#ifdef CORO_ASAN
    __sanitizer_start_switch_fiber(&hub.hub_fake_stack, hub.stack_bottom, CORO_STACK_SIZE);
#endif
    coro_switch(&hub.hub_stack_pointer, self->stack_pointer);
#ifdef CORO_ASAN
    __sanitizer_finish_switch_fiber(hub.hub_fake_stack, NULL, NULL);
#endif
    hub.running = NULL;
    if (self->finished) {
        hub.owner = NULL;             /* nothing on the run stack worth keeping */
#ifdef CORO_ASAN
        ASAN_UNPOISON_MEMORY_REGION(self->stack_pointer, frames_size(self));
#endif
        free(self->saved);
        free(self);
        if (--hub.alive == 0)
            loop_stop(hub.loop);      /* fds or timers of glue code may be left */
    }
}

/* A coroutine switches to the hub (and is back when the hub resumes it). */
static void switch_to_hub(coro *self)
{
#ifdef CORO_ASAN
    __sanitizer_start_switch_fiber(self->finished ? NULL : &self->fake_stack, hub.hub_bottom,
                                   hub.hub_size);
#endif
    coro_switch(&self->stack_pointer, hub.hub_stack_pointer);
#ifdef CORO_ASAN
    __sanitizer_finish_switch_fiber(self->fake_stack, &hub.hub_bottom, &hub.hub_size);
#endif
}

/* Where every coroutine starts, on the run stack. */
static void coro_entry(void)
{
#ifdef CORO_ASAN
    __sanitizer_finish_switch_fiber(NULL, &hub.hub_bottom, &hub.hub_size);
#endif
    coro *self = hub.running;
    self->function(self->argument);
    self->finished = true;
    switch_to_hub(self);              /* the hub frees it: it never comes back */
    __builtin_unreachable();
}

void coro_spawn(coro_function *function, void *argument)
{
    if (hub.loop == NULL)
        start_hub();
    coro *created = bench_alloc(1, sizeof *created);
    created->function = function;
    created->argument = argument;
    /* Its first frames, as coro_switch will pop them; 16-byte aligned top,
     * so that coro_entry starts with the stack aligned as after a call. */
    initial_frame frame = {.return_address = coro_entry};
    created->stack_pointer = hub.stack_top - sizeof frame;
    keep_frames(created, &frame, sizeof frame);
    hub.alive++;
    coro_wake(created);
}

static void resume_callback(loop *unused_loop, void *data)
{
    (void)unused_loop;
    resume(data);
}

static void resume_on_fd(loop *event_loop, int fd, uint32_t events, void *data)
{
    (void)events;
    if (loop_unwatch(event_loop, fd) != 0)
        bench_fail("coro: loop_unwatch (epoll_ctl EPOLL_CTL_DEL)");
    resume(data);
}

int coro_join_all(void)
{
    if (hub.running != NULL)
        bench_failf("coro_join_all: called from a coroutine (only main may join)");
    while (hub.alive > 0) {
        if (loop_run(hub.loop) != 0)
            return -1;
        if (hub.alive > 0)            /* the loop ran out of things to wait for */
            bench_failf("coro_join_all: %zu coroutines parked with nothing to wake them",
                        hub.alive);
    }
    return 0;
}

/* ---- waiting ---------------------------------------------------------------------- */

coro *coro_current(void)
{
    return hub.running;
}

loop *coro_loop(void)
{
    if (hub.loop == NULL)
        start_hub();
    return hub.loop;
}

size_t coro_alive(void)
{
    return hub.alive;
}

static coro *running_coroutine(const char *call)
{
    if (hub.running == NULL)
        bench_failf("%s: called outside a coroutine (main is the hub: spawn and join)", call);
    return hub.running;
}

void coro_park(void)
{
    switch_to_hub(running_coroutine("coro_park"));
}

void coro_wake(coro *parked)
{
    if (loop_defer(hub.loop, resume_callback, parked) != 0)
        bench_failf("coro: out of memory (loop_defer)");
}

void coro_yield(void)
{
    coro *self = running_coroutine("coro_yield");
    coro_wake(self);
    switch_to_hub(self);
}

void coro_sleep(double seconds)
{
    coro *self = running_coroutine("coro_sleep");
    if (loop_timer_add(hub.loop, seconds, resume_callback, self) == NULL)
        bench_failf("coro: out of memory (loop_timer_add)");
    switch_to_hub(self);
}

static int wait_fd(const char *call, int fd, uint32_t events)
{
    coro *self = running_coroutine(call);
    if (loop_watch(hub.loop, fd, events, resume_on_fd, self) != 0)
        return -1;
    switch_to_hub(self);
    return 0;
}

int coro_wait_readable(int fd)
{
    return wait_fd("coro_wait_readable", fd, EPOLLIN);
}

int coro_wait_writable(int fd)
{
    return wait_fd("coro_wait_writable", fd, EPOLLOUT);
}
