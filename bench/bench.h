/*
 * bench.h - the harness every variant links.
 *
 * A variant does three things with it:
 *
 *     bench_run run;
 *     bench_start(&run, &spec, argc, argv);   // parse options, start the clock
 *     ... the work, in the variant's own concurrency model ...
 *     return bench_finish(&run, status, result_json, summary);
 *
 * bench_finish stops the clock, reads getrusage for the process and its
 * children, and prints either a short human summary or (with --json) the
 * one-line record that the benchmark scripts collect.
 *
 * Exit statuses (the variant contract, see docs/DESIGN.md):
 */
#ifndef BENCH_H
#define BENCH_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    BENCH_EXIT_OK = 0,        /* the result checked out */
    BENCH_EXIT_WRONG = 1,     /* the result was wrong, or could not be produced */
    BENCH_EXIT_USAGE = 2,     /* bad command line or input file */
    BENCH_EXIT_IO_FAILED = 3, /* I/O work accounted for, but some of it failed */
};

/* ---- options ---------------------------------------------------------- */

typedef enum {
    BENCH_OPT_FLAG,     /* no argument; sets a bool */
    BENCH_OPT_STRING,   /* any string; sets a const char * */
    BENCH_OPT_COUNT,    /* whole number >= 1; sets a long */
    BENCH_OPT_NATURAL,  /* whole number >= 0; sets a long */
    BENCH_OPT_U64,      /* unsigned 64-bit number; sets a uint64_t */
    BENCH_OPT_SECONDS,  /* non-negative decimal number; sets a double */
    BENCH_OPT_CHOICE,   /* one of "a|b|c"; sets an int (index of the choice) */
} bench_option_type;

typedef struct {
    const char *long_name;   /* "numbers" for --numbers */
    char short_name;         /* 'j' for -j, or 0 */
    bench_option_type type;
    void *value;             /* where the parsed value goes */
    const char *arg_name;    /* "FILE" in the help text; NULL for flags */
    const char *help;        /* one line for --help; "(default ...)" included */
    const char *choices;     /* for BENCH_OPT_CHOICE: "static|dynamic" */
} bench_option;

/* Terminates an option table. */
#define BENCH_OPTIONS_END {NULL, 0, BENCH_OPT_FLAG, NULL, NULL, NULL, NULL}

/* What a variant tells bench_start about itself. */
typedef struct {
    const char *workload;              /* "primes" */
    const char *model;                 /* "pthread" */
    const char *about;                 /* one line for --help */
    long default_tasks;                /* -n when not given (0: the workload sets it) */
    bool workers_default_to_tasks;     /* -j defaults to -n (sleep), not to nproc */
    const bench_option *workload_options;  /* the kernel's own options, or NULL */
    const bench_option *model_options;     /* the variant's own options, or NULL */
    const char *operands;              /* "[CODE...]" if operands are accepted, else NULL */
} bench_spec;

/* --schedule static|dynamic, shared by the CPU-bound pool variants. */
enum { BENCH_SCHEDULE_DYNAMIC = 0, BENCH_SCHEDULE_STATIC = 1 };
extern int bench_schedule;
extern const bench_option bench_schedule_options[];

/* ---- one run ---------------------------------------------------------- */

typedef struct {
    const bench_spec *spec;
    long workers;          /* -j/--workers */
    long tasks;            /* -n/--tasks */
    bool tasks_given;      /* -n was on the command line */
    bool workers_given;    /* -j was on the command line */
    bool json;             /* --json */
    int verbose;           /* -v, repeatable */
    char **operands;       /* what followed the options */
    int operand_count;
    double started;        /* monotonic clock at bench_start */
    double stopped;        /* when bench_stop_clock stopped it, or 0 */
} bench_run;

/* Parses the options and starts the clock. Exits 0 after --help and 2 on a
 * usage error, with one line on stderr naming the bad value. */
void bench_start(bench_run *run, const bench_spec *spec, int argc, char **argv);

/* For a workload that knows its task count only after reading its input:
 * sets run->tasks (unless -n was given) and the -j default that follows.
 * (bench_start calls it when spec->default_tasks is set.) Then caps the
 * workers at the task count (said with -v) and, for models that start a
 * thread or process per worker, refuses with exit 2 what the system would
 * refuse half way: more than --max-workers (default 10000), more than
 * ulimit -u, threads-max or pid_max leave room for, or (OpenMP) more than
 * ulimit -s holds. */
void bench_set_default_tasks(bench_run *run, long tasks);

/* Restarts the clock (after set-up that should not be timed, if any). */
void bench_restart_clock(bench_run *run);
/* Stops the clock early (before a check that should not be timed, if any):
 * wall_s is then the time from the last start to here. */
void bench_stop_clock(bench_run *run);
/* Sets the clock to an interval timed elsewhere (by the workers, with
 * bench_now(), which is the same clock in every thread and process). */
void bench_set_clock(bench_run *run, double started, double stopped);

/* Stops the clock, prints the summary or the --json record, and returns the
 * exit status for main. `status` is BENCH_EXIT_OK when the result passed the
 * workload's check. `result_json` is the inside of the "result" object, like
 * "\"total\": 42"; `summary` is a short human line about the result. */
int bench_finish(bench_run *run, int status, const char *result_json,
                 const char *summary);

/* ---- small helpers ---------------------------------------------------- */

double bench_now(void);            /* monotonic seconds */
long bench_cores(void);            /* online CPUs */

/* Prints "prog: message" on stderr and exits with BENCH_EXIT_USAGE. */
__attribute__((noreturn)) void bench_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Prints "prog: what: strerror(errno)" (plus a hint, if any) on stderr and
 * exits with BENCH_EXIT_WRONG: for a system call that failed. */
__attribute__((noreturn)) void bench_fail(const char *what);
/* Same, for calls that return the error number (pthread_*). */
__attribute__((noreturn)) void bench_fail_errno(int error, const char *what);
/* Same, with a message of its own. */
__attribute__((noreturn)) void bench_failf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Copies `length` bytes of `text` into `buffer` (of `size` bytes, at least
 * 9) with every byte outside printable ASCII, and the backslash, written as
 * \xHH, and "..." where it is cut short: input from a file, shown in a
 * message, can then neither break its line nor send the terminal control
 * codes. Returns buffer. */
char *bench_printable(char *buffer, size_t size, const char *text, size_t length);

/* malloc/calloc that exit with a message instead of returning NULL. */
void *bench_alloc(size_t count, size_t size);

/* Verbose progress on stderr, printed when -v was given. */
void bench_log(const bench_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Static scheduling: worker `worker` of `workers` owns tasks [first, end). */
typedef struct { size_t first, end; } bench_block;
bench_block bench_static_block(size_t tasks, long workers, long worker);

/* ---- processes -------------------------------------------------------- */

/* fork() that also makes the child die with its parent, so an interrupted
 * benchmark leaves no orphan. Returns what fork returns. */
pid_t bench_fork(void);
/* After fork() failed for worker `started`: kills and reaps the children
 * already started, then exits with a message naming the limit. */
__attribute__((noreturn)) void bench_fork_failed(const pid_t *children, long started);
/* Waits for one child; false (with a message) unless it exited with 0. */
bool bench_wait_child(pid_t child);
/* Writes/reads all of a buffer through a pipe, retrying short transfers.
 * Return false on error or, for reads, early end of file. */
bool bench_write_all(int fd, const void *buffer, size_t size);
bool bench_read_all(int fd, void *buffer, size_t size);
/* An anonymous mapping shared with children forked after it; zero-filled. */
void *bench_shared_alloc(size_t size);
void bench_shared_free(void *memory, size_t size);

/* ---- a result file (--output FILE): see output.c ----------------------- */

/* A file that is replaced whole or not at all (through a temporary file and
 * rename), a symbolic link followed, a device or FIFO written to directly; a
 * directory, block device or socket refused. */
typedef struct {
    FILE *file;
    const char *option, *given;   /* "--output" and the path as given, for messages */
    char path[PATH_MAX];          /* what is written: links to a file resolved */
    char temporary[PATH_MAX + 8]; /* the temporary file beside it, or "" */
    bool direct;                  /* a device or FIFO: written in place */
    bool signals_blocked;         /* SIGINT, SIGTERM, SIGHUP wait for the rename */
    sigset_t previous_mask;
} bench_output;

/* Before the work: exits 2 naming `option` and `path` unless it can be
 * written (no directory, block device or socket, a link to something, the
 * permissions), so a bad path costs no run. */
void bench_output_check(const char *option, const char *path);
/* Opens the file to write the result to; exits 1 naming the call that failed. */
FILE *bench_output_open(bench_output *output, const char *option, const char *path);
/* Flushes, syncs and closes it and renames it into place; a write error
 * (ENOSPC, EIO), seen by any of these, exits 1 with a message naming it, and
 * removes the temporary file. */
void bench_output_close(bench_output *output);

/* ---- checksums -------------------------------------------------------- */

/* A 64-bit mix (one splitmix64 step: add the golden gamma, then the
 * finaliser), good for checksums; mix(0) != 0. Inline, because sort calls it
 * for every element three times (making the input, two checksums). */
static inline uint64_t bench_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;   /* so that 0 does not map to 0 */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* 64-bit FNV-1a of `size` bytes, continued from `hash` (start with
 * BENCH_FNV1A64_OFFSET): the flag server's manifest checksum, which the http
 * clients check their downloads with. */
#define BENCH_FNV1A64_OFFSET 0xcbf29ce484222325ULL
static inline uint64_t bench_fnv1a64(uint64_t hash, const void *bytes, size_t size)
{
    const unsigned char *byte = (const unsigned char *)bytes;
    for (size_t index = 0; index < size; index++) {
        hash ^= byte[index];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/* ---- programs that are not variants (the flag server) ------------------- */

/* The name that error messages start with ("flagserver: ..."). */
void bench_set_program_name(const char *name);
/* Parses argv against one option table, as bench_start does for a variant
 * (same types, same usage errors, exit 2); a BENCH_OPT_FLAG with no value
 * counts into *verbose (-v). Returns the index of the first operand. */
int bench_parse_options(const bench_option *table, int argc, char **argv, int *verbose);
/* Prints the table as bench_start's --help does. */
void bench_print_options(const bench_option *table);

/* ---- reading numbers from files ---------------------------------------- */

/* Reads unsigned numbers, one per line, each <= max. Blank lines and
 * anything else are usage errors naming the file and line. A missing file
 * is a usage error too. Returns a malloc'ed array; *count gets its length. */
uint64_t *bench_read_numbers(const char *path, uint64_t max, size_t *count);

#ifdef __cplusplus
}
#endif

#endif
