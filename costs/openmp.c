/*
 * openmp.c - the start family's OpenMP figure: entering and leaving a parallel
 * region of one thread per CPU. libgomp keeps its threads between regions,
 * so this is a wake-up and a barrier, not a thread creation; how dear the
 * wake-up is depends on OMP_WAIT_POLICY (spinning threads answer at once,
 * sleeping ones must be woken), which the figure's model names.
 */
#include "costs.h"

#include <omp.h>
#include <stdlib.h>

static long regions_ran;

static void enter_regions(long iterations, void *data)
{
    int threads = *(int *)data;
    for (long i = 0; i < iterations; i++) {
#pragma omp parallel num_threads(threads)
        {
#pragma omp atomic
            regions_ran++;
        }
    }
}

void costs_start_openmp(costs *costs)
{
    int threads = costs->cpus;
    const char *policy = getenv("OMP_WAIT_POLICY");
    char model[48];
    snprintf(model, sizeof model, "openmp %s", policy ? policy : "default");
    regions_ran = 0;
    costs_time(costs, "start", "parallel region enter + leave", model, "none",
               enter_regions, NULL, &threads);
    costs_check(costs, regions_ran > 0 && regions_ran % threads == 0,
                "an OpenMP region ran on fewer threads than asked");
}
