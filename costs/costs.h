/*
 * costs.h - what one unit of each concurrency model costs (issue 15).
 *
 * bin/costs measures, family by family, the price of the building blocks the
 * workloads are made of: starting a unit and waiting for it, the memory a live
 * unit holds, handing over between two units, synchronising, moving items from
 * a producer to a consumer, and a pool against one unit per task.
 *
 * The method is the one of lmbench and the EPCC OpenMP microbenchmarks: a
 * figure is a loop of `iterations` operations, long enough to time (10 ms or
 * more, 2 ms with --quick), repeated -n times (11 by default); the same loop
 * without the operation (the reference) is timed as often and its median is
 * subtracted. The figure is the median per operation, with a 95 % interval
 * from the order statistics of the repetitions. A figure whose reference
 * subtracts to zero or below is "below resolution", never a negative cost.
 *
 * Each family's file defines one function that calls costs_time or
 * costs_sample for each of its figures; the locks, atomics and shared memory
 * of a figure live in its family's file, where a student reads them.
 */
#ifndef COSTS_H
#define COSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "bench.h"

typedef struct {
    const bench_run *run;
    long repetitions;      /* -n: timed repetitions of every figure */
    double loop_seconds;   /* the shortest loop that is timed */
    long units;            /* live units for the memory figures */
    long pool_tasks;       /* tasks for the pool figures */
    long pool_workers;     /* -j: workers of a pool */
    int cpus;              /* online CPUs */
    bool failed;           /* a figure's own check failed */
} costs;

/* Runs `iterations` operations (the figure's loop). */
typedef void costs_body(long iterations, void *data);

/* Times `body` per operation, minus `reference` (NULL: an empty loop). A
 * figure with set-up of its own (start a partner thread, fork a consumer)
 * passes a reference that does the set-up and no operation, so that only the
 * operations are counted (EPCC's test loop minus reference loop).
 * `pinning` says where the units ran: "none", "same CPU", "two CPUs". */
void costs_time(costs *costs, const char *family, const char *name, const char *model,
                const char *pinning, costs_body *body, costs_body *reference, void *data);

/* Records a figure measured otherwise (memory, pools): one value per
 * repetition, each from `units` units. */
void costs_sample(costs *costs, const char *family, const char *name, const char *model,
                  const char *unit, const double *samples, long count, long units);

/* A figure's own check: false marks the run as failed (exit 1), with a message. */
bool costs_check(costs *costs, bool ok, const char *what);

/* Undoes bench_pin_self (workers.h): the calling thread may run on every CPU again. */
void costs_unpin(void);

/* The families, one file each. */
void costs_start(costs *costs);
void costs_start_openmp(costs *costs);
void costs_memory(costs *costs);
void costs_handover(costs *costs);
void costs_sync(costs *costs);
void costs_queue(costs *costs);
void costs_pool(costs *costs);
void costs_coroutine_start(costs *costs);     /* coroutine.c: the coroutine's */
void costs_coroutine_handover(costs *costs);  /* figures in those families */
double costs_coroutine_kib(costs *costs);     /* KiB per 1000 parked coroutines */

#endif
