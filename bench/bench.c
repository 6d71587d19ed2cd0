/* bench.c - option parsing, clocks, rusage and the result record. */
#define _GNU_SOURCE
#include "bench.h"

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

/* ---- option parsing ------------------------------------------------------ */

static long common_workers, common_tasks;
static bool common_json, common_help;

static const bench_option common_options[] = {
    {"workers", 'j', BENCH_OPT_COUNT, &common_workers, "N",
     "threads, processes or tasks in flight (default: number of cores)", NULL},
    {"tasks", 'n', BENCH_OPT_COUNT, &common_tasks, "N", "number of tasks", NULL},
    {"json", 0, BENCH_OPT_FLAG, &common_json, NULL,
     "print one JSON record on stdout instead of the summary", NULL},
    {"verbose", 'v', BENCH_OPT_FLAG, NULL, NULL, "show progress on stderr (repeat for more)", NULL},
    {"help", 'h', BENCH_OPT_FLAG, &common_help, NULL, "show this help and exit", NULL},
    BENCH_OPTIONS_END,
};

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

static long parse_long(const bench_option *option, const char *text, long minimum)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < minimum)
        bench_usage_error("--%s: '%s' is not a whole number >= %ld", option->long_name, text,
                          minimum);
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
        if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
            bench_usage_error("--%s: '%s' is not an unsigned 64-bit number", option->long_name,
                              text);
        *(uint64_t *)option->value = value;
        break;
    }
    case BENCH_OPT_SECONDS: {
        char *end;
        errno = 0;
        double value = strtod(text, &end);
        if (errno != 0 || end == text || *end != '\0' || !isfinite(value) || value < 0)
            bench_usage_error("--%s: '%s' is not a number of seconds >= 0", option->long_name,
                              text);
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
        bench_usage_error("--%s: '%s' is not one of %s", option->long_name, text, option->choices);
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
    common_workers = 0;
    common_tasks = 0;
    common_json = common_help = false;
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
                bench_usage_error("unknown option '-%c'", optopt);
            bench_usage_error("unknown option '%s'", argv[optind - 1]);
        } else if (code == ':') {
            bench_usage_error("option '%s' needs a value", argv[optind - 1]);
        } else {
            for (size_t index = 0; index < count; index++)
                if (by_index[index]->short_name == code)
                    option = by_index[index];
        }
        if (option == NULL)
            bench_usage_error("unknown option '%s'", argv[optind - 1]);
        set_option(option, optarg, run);
    }
    if (common_help) {
        print_help(spec);
        exit(BENCH_EXIT_OK);
    }
    run->operands = argv + optind;
    run->operand_count = argc - optind;
    if (run->operand_count > 0 && spec->operands == NULL)
        bench_usage_error("unexpected argument '%s'", run->operands[0]);

    run->tasks_given = common_tasks != 0;
    run->workers_given = common_workers != 0;
    run->workers = common_workers ? common_workers : bench_cores();
    run->tasks = common_tasks;
    bench_set_default_tasks(run, common_tasks ? common_tasks : spec->default_tasks);
    run->json = common_json;
    run->started = bench_now();
}

void bench_set_default_tasks(bench_run *run, long tasks)
{
    if (!run->tasks_given)
        run->tasks = tasks;
    if (!run->workers_given && run->spec->workers_default_to_tasks)
        run->workers = run->tasks > 0 ? run->tasks : 1;
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
