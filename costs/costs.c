/*
 * costs.c - bin/costs: the options, the timing method of costs.h, the record.
 *
 *   bin/costs [--family F] [--quick] [-n REPETITIONS] [-j POOL_WORKERS] [--json]
 *
 * Prints a table (or, with --json, the one record, whose "result" holds every
 * figure). Exits 0 when every figure's own check held (each thread ran, each
 * item arrived, each child exited 0), 1 when one did not, 2 on a usage error.
 */
#define _GNU_SOURCE
#include "costs.h"
#include "workers.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *figures;          /* the "figures" array of the record, as it grows */
static char *figures_text;
static size_t figures_size;
static long figure_count;

static int compare_doubles(const void *left, const void *right)
{
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

/* The k-th smallest of n repetitions and its mirror bound the median with at
 * least 95 % confidence when P(Binomial(n, 1/2) < k) <= 2.5 %. */
static long order_rank(long n)
{
    double probability = 1.0 / (double)(1L << (n < 62 ? n : 62)), cumulative = 0;
    long rank = 0;
    for (long i = 0; i <= n; i++) {
        cumulative += probability;
        if (cumulative > 0.025)
            break;
        rank = i + 1;
        probability *= (double)(n - i) / (double)(i + 1);
    }
    return rank > 0 ? rank : 1;   /* fewer than 6 repetitions: the range */
}

static void record(costs *costs, const char *family, const char *name, const char *model,
                   const char *pinning, const char *unit, double *values, long count,
                   long iterations, double reference)
{
    qsort(values, (size_t)count, sizeof values[0], compare_doubles);
    long rank = order_rank(count);
    double median = count % 2 ? values[count / 2]
                              : (values[count / 2 - 1] + values[count / 2]) / 2;
    double low = values[rank - 1], high = values[count - rank];
    bool below = median <= 0;   /* the reference took as long: below resolution */
    if (low < 0)
        low = 0;                /* the interval reaches down to the resolution */
    fprintf(figures, "%s{\"family\": \"%s\", \"name\": \"%s\", \"model\": \"%s\", "
            "\"pinning\": \"%s\", \"unit\": \"%s\", \"median\": %.6g, \"low\": %.6g, "
            "\"high\": %.6g, \"repetitions\": %ld, \"iterations\": %ld, "
            "\"reference\": %.6g, \"below_resolution\": %s}",
            figure_count++ ? ", " : "", family, name, model, pinning, unit,
            below ? 0 : median, below ? 0 : low, below ? 0 : high, count, iterations,
            reference, below ? "true" : "false");
    bool seconds = strcmp(unit, "s") == 0;
    double scale = seconds ? 1e6 : 1;
    const char *shown = seconds ? "us" : unit;
    FILE *out = costs->run->json ? stderr : stdout;
    if (!costs->run->json || costs->run->verbose) {
        if (below)
            fprintf(out, "%-9s %-40s %-10s %-9s below resolution\n", family, name, model, pinning);
        else
            fprintf(out, "%-9s %-40s %-10s %-9s %10.3f %s  [%.3f, %.3f]\n", family, name,
                    model, pinning, median * scale, shown, low * scale, high * scale);
    }
}

static void empty_loop(long iterations, void *data)
{
    (void)data;
    for (long i = 0; i < iterations; i++)
        __asm__ volatile("" ::: "memory");   /* the loop itself, not optimised away */
}

void costs_time(costs *costs, const char *family, const char *name, const char *model,
                const char *pinning, costs_body *body, costs_body *reference, void *data)
{
    if (!reference)
        reference = empty_loop;
    long iterations = 1;
    for (;;) {   /* the shortest loop whose own time (reference subtracted) lasts loop_seconds */
        double started = bench_now();
        reference(iterations, data);
        double middle = bench_now();
        body(iterations, data);
        double took = (bench_now() - middle) - (middle - started);
        if (took >= costs->loop_seconds || iterations > (1L << 40))
            break;
        long factor = took > 0 ? (long)(costs->loop_seconds / took * 1.2) + 1 : 16;
        iterations *= factor < 2 ? 2 : factor > 16 ? 16 : factor;
    }
    long count = costs->repetitions;
    double *values = bench_alloc((size_t)count, sizeof *values);
    double *references = bench_alloc((size_t)count, sizeof *references);
    for (long rep = 0; rep < count; rep++) {   /* alternate, so that drift hits both */
        double started = bench_now();
        reference(iterations, data);
        double middle = bench_now();
        body(iterations, data);
        double ended = bench_now();
        references[rep] = (middle - started) / (double)iterations;
        values[rep] = (ended - middle) / (double)iterations;
    }
    qsort(references, (size_t)count, sizeof references[0], compare_doubles);
    double reference_median = references[count / 2];
    for (long rep = 0; rep < count; rep++)
        values[rep] -= reference_median;
    record(costs, family, name, model, pinning, "s", values, count, iterations, reference_median);
    free(values);
    free(references);
}

void costs_sample(costs *costs, const char *family, const char *name, const char *model,
                  const char *unit, const double *samples, long count, long units)
{
    double *values = bench_alloc((size_t)count, sizeof *values);
    memcpy(values, samples, (size_t)count * sizeof *values);
    record(costs, family, name, model, "none", unit, values, count, units, 0);
    free(values);
}

bool costs_check(costs *costs, bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "costs: check failed: %s\n", what);
        costs->failed = true;
    }
    return ok;
}

void costs_unpin(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu = 0; cpu < (int)bench_cores() && cpu < CPU_SETSIZE; cpu++)
        CPU_SET(cpu, &set);
    bench_check(pthread_setaffinity_np(pthread_self(), sizeof set, &set), "pthread_setaffinity_np");
}

static int family = 0;
static bool quick = false;
static long units = 0, pool_tasks = 0;
static const bench_option options[] = {
    {"family", 0, BENCH_OPT_CHOICE, &family, "F",
     "all|start|memory|handover|sync|queue|pool: which figures (default all)",
     "all|start|memory|handover|sync|queue|pool"},
    {"quick", 0, BENCH_OPT_FLAG, &quick, NULL,
     "2 ms loops and fewer units, for a quick run and the tests", NULL},
    {"units", 0, BENCH_OPT_COUNT, &units, "N",
     "live units in the memory figures (default 1000, 100 with --quick)", NULL},
    {"pool-tasks", 0, BENCH_OPT_COUNT, &pool_tasks, "N",
     "short tasks in the pool figures (default 10000, 1000 with --quick)", NULL},
    BENCH_OPTIONS_END,
};

int main(int argc, char **argv)
{
    static const bench_spec spec = {
        .workload = "costs",
        .model = "c",
        .about = "what a thread, a process, an OpenMP region, a loop timer, a coroutine and their "
                 "locks, queues and pools cost (-n: repetitions of each figure; "
                 "-j: workers of a pool)",
        .default_tasks = 11,
        .workload_options = options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);   /* each figure as it is measured */
    figures = open_memstream(&figures_text, &figures_size);
    if (!figures)
        bench_fail("open_memstream");
    costs measured = {
        .run = &run,
        .repetitions = run.tasks,
        .loop_seconds = quick ? 0.002 : 0.010,
        .units = units ? units : quick ? 100 : 1000,
        .pool_tasks = pool_tasks ? pool_tasks : quick ? 1000 : 10000,
        .pool_workers = run.workers,
        .cpus = (int)bench_cores(),
    };
    void (*const families[])(costs *) = {costs_start, costs_start_openmp, costs_coroutine_start,
                                         costs_memory, costs_handover, costs_coroutine_handover,
                                         costs_sync, costs_queue, costs_pool};
    const int family_of[] = {1, 1, 1, 2, 3, 3, 4, 5, 6};   /* the --family index of each */
    for (size_t index = 0; index < sizeof families / sizeof families[0]; index++)
        if (family == 0 || family == family_of[index])
            families[index](&measured);
    if (fclose(figures) != 0)
        bench_fail("fclose(figures)");
    char *result = bench_alloc(figures_size + 64, 1);
    snprintf(result, figures_size + 64, "\"figures\": [%s]", figures_text);
    char summary[96];
    snprintf(summary, sizeof summary, "%ld figures, %ld repetitions each%s", figure_count,
             measured.repetitions, measured.failed ? ", a check FAILED" : "");
    int status = bench_finish(&run, measured.failed ? BENCH_EXIT_WRONG : BENCH_EXIT_OK,
                              result, summary);
    free(result);
    free(figures_text);
    return status;
}
