/* bench.c - option parsing, clocks, rusage and the result record. */
#define _GNU_SOURCE
#include "bench.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *program_name = "bench";

int bench_schedule = BENCH_SCHEDULE_DYNAMIC;
const bench_option bench_schedule_options[] = {
    {"schedule", 0, BENCH_OPT_CHOICE, &bench_schedule, "static|dynamic",
     "how tasks go to workers: fixed blocks, or taken one at a time (default dynamic)",
     "dynamic|static"},
    BENCH_OPTIONS_END,
};

/* ---- clocks and errors --------------------------------------------------- */

double bench_now(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        bench_fail("clock_gettime");
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

long bench_cores(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? cores : 1;
}

void bench_usage_error(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, fmt, args);
    fprintf(stderr, " (try --help)\n");
    va_end(args);
    exit(BENCH_EXIT_USAGE);
}

void bench_failf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(BENCH_EXIT_WRONG);
}

static const char *limit_hint(int error)
{
    switch (error) {
    case EAGAIN: return " (the process or thread limit: see ulimit -u and /proc/sys/kernel/threads-max)";
    case EMFILE: return " (the open file limit: see ulimit -n)";
    case ENOMEM: return " (out of memory, or the map count / pid_max limit)";
    default: return "";
    }
}

void bench_fail_errno(int error, const char *what)
{
    bench_failf("%s: %s%s", what, strerror(error), limit_hint(error));
}

void bench_fail(const char *what)
{
    bench_fail_errno(errno, what);
}

void *bench_alloc(size_t count, size_t size)
{
    void *memory = calloc(count ? count : 1, size ? size : 1);
    if (memory == NULL)
        bench_failf("out of memory allocating %zu x %zu bytes", count, size);
    return memory;
}

void bench_log(const bench_run *run, const char *fmt, ...)
{
    if (run->verbose == 0)
        return;
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "[%8.3f s] ", bench_now() - run->started);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

bench_block bench_static_block(size_t tasks, long workers, long worker)
{
    size_t base = tasks / (size_t)workers, extra = tasks % (size_t)workers;
    size_t w = (size_t)worker;
    bench_block block;
    block.first = w * base + (w < extra ? w : extra);
    block.end = block.first + base + (w < extra ? 1 : 0);
    return block;
}

char *bench_printable(char *buffer, size_t size, const char *text, size_t length)
{
    static const char hex[] = "0123456789abcdef";
    size_t used = 0;
    for (size_t index = 0; index < length && size > 8; index++) {
        unsigned char byte = (unsigned char)text[index];
        if (used + 8 > size) {   /* room for \xHH, "..." and the NUL */
            memcpy(buffer + used, "...", 3);
            used += 3;
            break;
        }
        if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
            buffer[used++] = (char)byte;
        } else {
            buffer[used++] = '\\';
            buffer[used++] = 'x';
            buffer[used++] = hex[byte >> 4];
            buffer[used++] = hex[byte & 15];
        }
    }
    if (size > 0)
        buffer[used < size ? used : size - 1] = '\0';
    return buffer;
}

/* ---- option parsing ------------------------------------------------------ */

/* No more threads or processes than this without --max-workers: a typo in -j
 * must not fork thousands of processes, and 10,000 is the largest run the
 * benchmark makes (sleep: one thread per task). */
#define BENCH_DEFAULT_MAX_WORKERS 10000

static long common_workers, common_tasks, common_max_workers;
static bool common_json, common_help, common_no_limit_check;

static const bench_option common_options[] = {
    {"workers", 'j', BENCH_OPT_COUNT, &common_workers, "N",
     "threads, processes or tasks in flight (default: number of cores; at most one per task)", NULL},
    {"tasks", 'n', BENCH_OPT_COUNT, &common_tasks, "N", "number of tasks", NULL},
    {"max-workers", 0, BENCH_OPT_COUNT, &common_max_workers, "N",
     "refuse more than N workers (default 10000): a typo in -j is no fork bomb",
     NULL},
    {"no-limit-check", 0, BENCH_OPT_FLAG, &common_no_limit_check, NULL,
     "start threads or processes even if ulimit -u, ulimit -s, threads-max or pid_max will refuse some",
     NULL},
    {"json", 0, BENCH_OPT_FLAG, &common_json, NULL,
     "print one JSON record on stdout instead of the summary", NULL},
    {"verbose", 'v', BENCH_OPT_FLAG, NULL, NULL, "show progress on stderr (repeat for more)", NULL},
    {"help", 'h', BENCH_OPT_FLAG, &common_help, NULL, "show this help and exit", NULL},
    BENCH_OPTIONS_END,
};

static long max_workers = BENCH_DEFAULT_MAX_WORKERS;   /* --max-workers */

/* The common options, then the workload's, then the model's. */
static const bench_option *option_tables[3];

static void print_table(const bench_option *table)
{
    for (; table && table->long_name; table++) {
        char left[64];
        if (table->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", table->short_name, table->long_name,
                     table->arg_name ? " " : "", table->arg_name ? table->arg_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", table->long_name,
                     table->arg_name ? " " : "", table->arg_name ? table->arg_name : "");
        printf("  %-26s %s\n", left, table->help);
    }
}

static void print_help(const bench_spec *spec)
{
    printf("usage: %s [options]%s%s\n\n%s\n\ncommon options:\n", program_name,
           spec->operands ? " " : "", spec->operands ? spec->operands : "", spec->about);
    print_table(common_options);
    if (spec->workload_options) {
        printf("\n%s options:\n", spec->workload);
        print_table(spec->workload_options);
    }
    if (spec->model_options) {
        printf("\n%s options:\n", spec->model);
        print_table(spec->model_options);
    }
    printf("\nexit status: 0 result verified, 1 result wrong or not produced, "
           "2 usage error, 3 some I/O failed (accounted for)\n");
}

/* A value as it may appear in a one-line message: control bytes escaped. */
static const char *shown(const char *text)
{
    static char buffer[160];
    return bench_printable(buffer, sizeof buffer, text, strlen(text));
}

static long parse_long(const bench_option *option, const char *text, long minimum)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    /* strtol would skip leading blanks and take a sign: " 5" and "+5" are typos. */
    if (!isdigit((unsigned char)text[0]) || errno != 0 || *end != '\0' || value < minimum)
        bench_usage_error("--%s: '%s' is not a whole number >= %ld", option->long_name,
                          shown(text), minimum);
    return value;
}

static void set_option(const bench_option *option, const char *text, bench_run *run)
{
    switch (option->type) {
    case BENCH_OPT_FLAG:
        if (option->value == NULL)
            run->verbose++;
        else
            *(bool *)option->value = true;
        break;
    case BENCH_OPT_STRING:
        *(const char **)option->value = text;
        break;
    case BENCH_OPT_COUNT:
        *(long *)option->value = parse_long(option, text, 1);
        break;
    case BENCH_OPT_NATURAL:
        *(long *)option->value = parse_long(option, text, 0);
        break;
    case BENCH_OPT_U64: {
        char *end;
        errno = 0;
        unsigned long long value = strtoull(text, &end, 10);
        if (!isdigit((unsigned char)text[0]) || errno != 0 || *end != '\0')
            bench_usage_error("--%s: '%s' is not an unsigned 64-bit number", option->long_name,
                              shown(text));
        *(uint64_t *)option->value = value;
        break;
    }
    case BENCH_OPT_SECONDS: {
        char *end;
        errno = 0;
        double value = strtod(text, &end);
        if (!(isdigit((unsigned char)text[0]) || text[0] == '.') || errno != 0 || end == text ||
            *end != '\0' || !isfinite(value) || value < 0)
            bench_usage_error("--%s: '%s' is not a number of seconds >= 0", option->long_name,
                              shown(text));
        *(double *)option->value = value;
        break;
    }
    case BENCH_OPT_CHOICE: {
        const char *choice = option->choices;
        size_t length = strlen(text);
        for (int index = 0; choice && *choice; index++) {
            size_t choice_length = strcspn(choice, "|");
            if (choice_length == length && strncmp(choice, text, length) == 0) {
                *(int *)option->value = index;
                return;
            }
            choice += choice_length + (choice[choice_length] == '|');
        }
        bench_usage_error("--%s: '%s' is not one of %s", option->long_name, shown(text),
                          option->choices);
    }
    }
}

void bench_start(bench_run *run, const bench_spec *spec, int argc, char **argv)
{
    static char name[128];
    snprintf(name, sizeof name, "%s-%s", spec->workload, spec->model);
    program_name = name;

    memset(run, 0, sizeof *run);
    run->spec = spec;
    run->started = bench_now();   /* for -v lines before the clock starts */
    common_workers = 0;
    common_tasks = 0;
    common_max_workers = 0;
    common_json = common_help = common_no_limit_check = false;
    option_tables[0] = common_options;
    option_tables[1] = spec->workload_options;
    option_tables[2] = spec->model_options;

    /* Build getopt_long's tables from ours. */
    struct option long_options[64];
    const bench_option *by_index[64];
    char short_options[64] = ":";
    size_t count = 0, short_length = 1;
    for (int table = 0; table < 3; table++) {
        for (const bench_option *option = option_tables[table]; option && option->long_name;
             option++) {
            if (count + 1 >= sizeof long_options / sizeof long_options[0])
                bench_failf("too many options");
            bool takes_argument = option->type != BENCH_OPT_FLAG;
            long_options[count] = (struct option){option->long_name,
                                                  takes_argument ? required_argument : no_argument,
                                                  NULL, 256 + (int)count};
            by_index[count] = option;
            if (option->short_name && short_length + 3 < sizeof short_options) {
                short_options[short_length++] = option->short_name;
                if (takes_argument)
                    short_options[short_length++] = ':';
            }
            count++;
        }
    }
    long_options[count] = (struct option){NULL, 0, NULL, 0};

    opterr = 0;
    optind = 1;
    int code;
    while ((code = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        const bench_option *option = NULL;
        if (code >= 256) {
            option = by_index[code - 256];
        } else if (code == '?') {
            if (optopt >= 256)
                bench_usage_error("option '--%s' takes no value", by_index[optopt - 256]->long_name);
            if (optopt)
                bench_usage_error("unknown option '-%s'", shown((char[]){(char)optopt, 0}));
            bench_usage_error("unknown option '%s'", shown(argv[optind - 1]));
        } else if (code == ':') {
            bench_usage_error("option '%s' needs a value", shown(argv[optind - 1]));
        } else {
            for (size_t index = 0; index < count; index++)
                if (by_index[index]->short_name == code)
                    option = by_index[index];
        }
        if (option == NULL)
            bench_usage_error("unknown option '%s'", shown(argv[optind - 1]));
        set_option(option, optarg, run);
    }
    if (common_help) {
        print_help(spec);
        exit(BENCH_EXIT_OK);
    }
    run->operands = argv + optind;
    run->operand_count = argc - optind;
    if (run->operand_count > 0 && spec->operands == NULL)
        bench_usage_error("unexpected argument '%s'", shown(run->operands[0]));

    max_workers = common_max_workers ? common_max_workers : BENCH_DEFAULT_MAX_WORKERS;
    if (common_workers > max_workers)
        bench_usage_error("-j %ld: more than the limit of %ld workers (raise it with "
                          "--max-workers N)", common_workers, max_workers);
    run->tasks_given = common_tasks != 0;
    run->workers_given = common_workers != 0;
    run->workers = common_workers ? common_workers : bench_cores();
    run->tasks = common_tasks;
    run->json = common_json;
    if (spec->default_tasks > 0)
        bench_set_default_tasks(run, common_tasks ? common_tasks : spec->default_tasks);
    /* else the workload counts its tasks (its input) and calls bench_set_default_tasks,
     * or (http) chooses its workers itself */
    run->started = bench_now();
}

/* ---- how many workers ------------------------------------------------------ */

/* Models whose every worker is a thread or a process of its own. */
static bool workers_are_threads(const char *model)
{
    static const char *const models[] = {"pthread", "fork", "openmp", "gnu-parallel"};
    for (size_t index = 0; index < sizeof models / sizeof models[0]; index++)
        if (strcmp(model, models[index]) == 0)
            return true;
    return false;
}

/* The number that `format` (sscanf, one %lld) finds in a /proc file, or -1. */
static long long read_proc_number(const char *path, const char *format)
{
    long long number = -1;
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return -1;
    if (fscanf(file, format, &number) != 1)
        number = -1;
    fclose(file);
    return number;
}

/* Threads (kernel tasks) whose real user is this process's: what
 * RLIMIT_NPROC counts. Reads /proc/<pid>/status for every process. */
static long long tasks_of_this_user(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return -1;
    long long count = 0;
    struct dirent *entry;
    uid_t me = getuid();
    while ((entry = readdir(proc)) != NULL) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        char path[300], line[128];
        snprintf(path, sizeof path, "/proc/%s/status", entry->d_name);
        FILE *status = fopen(path, "r");
        if (status == NULL)
            continue;   /* ended meanwhile */
        long long uid = -1, threads = 0;
        while (fgets(line, sizeof line, status)) {
            sscanf(line, "Uid: %lld", &uid);
            sscanf(line, "Threads: %lld", &threads);
        }
        fclose(status);
        if (uid == (long long)me)
            count += threads;
    }
    closedir(proc);
    return count;
}

/* RLIMIT_NPROC does not bind root, nor a process with CAP_SYS_ADMIN or
 * CAP_SYS_RESOURCE (bits 21 and 24 of CapEff). */
static bool bound_by_process_limit(void)
{
    if (getuid() == 0)
        return false;
    long long capabilities = -1;
    FILE *status = fopen("/proc/self/status", "r");
    char line[128];
    while (status && fgets(line, sizeof line, status))
        if (sscanf(line, "CapEff: %llx", &capabilities) == 1)
            break;
    if (status)
        fclose(status);
    return capabilities < 0 || (capabilities & ((1LL << 21) | (1LL << 24))) == 0;
}

/* Refuses (exit 2) a number of workers that the system would refuse half
 * way: better one clear line before starting than a pool that breaks at
 * thread 147 with libgomp's "Thread creation failed". */
static void check_worker_limits(const bench_run *run)
{
    const char *model = run->spec->model;
    if (!workers_are_threads(model))
        return;
    const char *kind = strcmp(model, "fork") == 0 ? "processes" : "threads";
    long wanted = run->workers;
    char asked[64];
    if (run->workers_given && common_workers != wanted)
        snprintf(asked, sizeof asked, "-j %ld (capped at %ld tasks)", common_workers, wanted);
    else if (run->workers_given)
        snprintf(asked, sizeof asked, "-j %ld", wanted);
    else if (run->spec->workers_default_to_tasks)
        snprintf(asked, sizeof asked, "-n %ld (one worker per task)", wanted);
    else
        snprintf(asked, sizeof asked, "%ld workers (one per core)", wanted);

    if (wanted > max_workers)
        bench_usage_error("%s: %ld %s is more than the limit of %ld (give a smaller -j, or "
                          "raise the limit with --max-workers N)", asked, wanted, kind, max_workers);
    if (common_no_limit_check)
        return;
    struct rlimit limit;
    /* libgomp puts about 128 bytes per thread on the starting thread's stack
     * (alloca): beyond the stack limit it dies of SIGSEGV. Keep 2x room. */
    if (strcmp(model, "openmp") == 0 || strcmp(model, "gnu-parallel") == 0) {
        if (getrlimit(RLIMIT_STACK, &limit) != 0)
            bench_fail("getrlimit(RLIMIT_STACK)");
        if (limit.rlim_cur != RLIM_INFINITY && (rlim_t)wanted * 256 > limit.rlim_cur)
            bench_usage_error("%s: OpenMP needs about 256 bytes of stack per thread, more than "
                              "ulimit -s (%llu KiB) holds (raise ulimit -s or lower -j)", asked,
                              (unsigned long long)limit.rlim_cur / 1024);
    }
    /* The fourth field of /proc/loadavg, "running/total", counts every thread. */
    long long running = read_proc_number("/proc/loadavg", "%*s %*s %*s %*d/%lld");
    if (running < 0)
        return;   /* no /proc: the limits are found the hard way */
    static const char *const system_limits[] = {"/proc/sys/kernel/threads-max",
                                                "/proc/sys/kernel/pid_max"};
    for (int index = 0; index < 2; index++) {
        long long maximum = read_proc_number(system_limits[index], "%lld");
        if (maximum > 0 && running + wanted > maximum)
            bench_usage_error("%s: %ld more %s would pass %s (%lld, with %lld threads running "
                              "now); lower -j", asked, wanted, kind, system_limits[index], maximum,
                              running);
    }
    if (getrlimit(RLIMIT_NPROC, &limit) != 0)
        bench_fail("getrlimit(RLIMIT_NPROC)");
    if (limit.rlim_cur == RLIM_INFINITY || (rlim_t)(running + wanted) <= limit.rlim_cur ||
        !bound_by_process_limit())
        return;   /* every thread on the machine would fit: no need to count ours */
    long long ours = tasks_of_this_user();
    if (ours >= 0 && (rlim_t)(ours + wanted) > limit.rlim_cur)
        bench_usage_error("%s: %ld more %s would pass this user's limit of %llu threads and "
                          "processes (ulimit -u; %lld running now); lower -j or raise ulimit -u",
                          asked, wanted, kind, (unsigned long long)limit.rlim_cur, ours);
}

void bench_set_default_tasks(bench_run *run, long tasks)
{
    if (!run->tasks_given)
        run->tasks = tasks;
    if (!run->workers_given && run->spec->workers_default_to_tasks)
        run->workers = run->tasks > 0 ? run->tasks : 1;
    long most = run->tasks > 0 ? run->tasks : 1;
    if (run->workers > most) {   /* a worker with no task would only cost its start */
        bench_log(run, "%ld workers for %ld tasks: capped at %ld", run->workers, run->tasks, most);
        run->workers = most;
    }
    check_worker_limits(run);
}

void bench_restart_clock(bench_run *run)
{
    run->started = bench_now();
    run->stopped = 0;
}

void bench_stop_clock(bench_run *run)
{
    run->stopped = bench_now();
}

void bench_set_clock(bench_run *run, double started, double stopped)
{
    run->started = started;
    run->stopped = stopped;
}

/* ---- the record ------------------------------------------------------------ */

static double seconds(struct timeval time)
{
    return (double)time.tv_sec + (double)time.tv_usec / 1e6;
}

int bench_finish(bench_run *run, int status, const char *result_json, const char *summary)
{
    double wall = (run->stopped > 0 ? run->stopped : bench_now()) - run->started;
    struct rusage self, children;
    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &children) != 0)
        bench_fail("getrusage");
    double user = seconds(self.ru_utime) + seconds(children.ru_utime);
    double sys = seconds(self.ru_stime) + seconds(children.ru_stime);
    long voluntary = self.ru_nvcsw + children.ru_nvcsw;
    long involuntary = self.ru_nivcsw + children.ru_nivcsw;
    bool verified = status == BENCH_EXIT_OK || status == BENCH_EXIT_IO_FAILED;

    if (run->json) {
        printf("{\"workload\": \"%s\", \"model\": \"%s\", \"workers\": %ld, \"tasks\": %ld, "
               "\"wall_s\": %.6f, \"user_s\": %.6f, \"sys_s\": %.6f, \"maxrss_kib\": %ld, "
               "\"children_maxrss_kib\": %ld, \"vol_ctx\": %ld, \"invol_ctx\": %ld, "
               "\"result\": {%s}, \"verified\": %s}\n",
               run->spec->workload, run->spec->model, run->workers, run->tasks, wall, user, sys,
               self.ru_maxrss, children.ru_maxrss, voluntary, involuntary, result_json,
               verified ? "true" : "false");
    } else {
        printf("%s: %ld tasks, %ld workers: %.3f s wall, %.3f s CPU, %ld KiB peak\n"
               "  %s: %s\n",
               program_name, run->tasks, run->workers, wall, user + sys,
               self.ru_maxrss > children.ru_maxrss ? self.ru_maxrss : children.ru_maxrss,
               status == BENCH_EXIT_OK         ? "verified"
               : status == BENCH_EXIT_IO_FAILED ? "accounted for, some failed"
                                               : "WRONG",
               summary);
    }
    if (fflush(stdout) != 0)
        bench_fail("writing to stdout");
    if (status == BENCH_EXIT_WRONG)
        fprintf(stderr, "%s: the result did not pass the check: %s\n", program_name, summary);
    return status;
}

/* ---- programs that are not variants ------------------------------------- */

void bench_set_program_name(const char *name)
{
    program_name = name;
}

void bench_print_options(const bench_option *table)
{
    print_table(table);
}

int bench_parse_options(const bench_option *table, int argc, char **argv, int *verbose)
{
    struct option long_options[64];
    char short_options[64] = ":";
    size_t count = 0, short_length = 1;
    for (const bench_option *option = table; option && option->long_name; option++) {
        if (count + 1 >= sizeof long_options / sizeof long_options[0])
            bench_failf("too many options");
        bool takes_argument = option->type != BENCH_OPT_FLAG;
        long_options[count] = (struct option){option->long_name,
                                              takes_argument ? required_argument : no_argument,
                                              NULL, 256 + (int)count};
        if (option->short_name && short_length + 3 < sizeof short_options) {
            short_options[short_length++] = option->short_name;
            if (takes_argument)
                short_options[short_length++] = ':';
        }
        count++;
    }
    long_options[count] = (struct option){NULL, 0, NULL, 0};

    bench_run run = {.verbose = 0};
    opterr = 0;
    optind = 1;
    int code;
    while ((code = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        const bench_option *option = NULL;
        if (code >= 256) {
            option = &table[code - 256];
        } else if (code == '?') {
            if (optopt >= 256)
                bench_usage_error("option '--%s' takes no value", table[optopt - 256].long_name);
            if (optopt)
                bench_usage_error("unknown option '-%c'", optopt);
            bench_usage_error("unknown option '%s'", argv[optind - 1]);
        } else if (code == ':') {
            bench_usage_error("option '%s' needs a value", argv[optind - 1]);
        } else {
            for (size_t index = 0; index < count; index++)
                if (table[index].short_name == code)
                    option = &table[index];
        }
        if (option == NULL)
            bench_usage_error("unknown option '%s'", argv[optind - 1]);
        set_option(option, optarg, &run);
    }
    if (verbose)
        *verbose = run.verbose;
    return optind;
}
