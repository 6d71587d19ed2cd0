/* calibrate - how much parallel capacity the machine gives right now (issue 12).
 *
 * Runs a fixed spin loop on one thread, then the same loop on one thread per
 * online CPU at once, each thread pinned to its CPU, and prints
 *     {"cpus": N, "single_s": T1, "parallel_s": TN, "parallelism": P}
 * where P = N * T1 / TN: N on a quiet machine, less when something else is
 * using the CPUs (another job, a noisy neighbour, a hypervisor taking time).
 * The single-thread time is the best of --repeat tries (default 3): the
 * speed of one quiet CPU; the all-CPU time is their median, so that a CPU
 * taken away for most of the calibration shows.
 *
 * usage: calibrate [--spin SECONDS] [--repeat N]   (scripts/bench.sh runs it
 * before, between and after the workloads). Exit 0, or 2 for a bad option,
 * 1 when a system call fails (named in the message). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t spin_iterations;

static double now(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0) {
        perror("calibrate: clock_gettime");
        exit(1);
    }
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* A loop the compiler cannot remove or shorten: an xorshift chain. */
static uint64_t spin(uint64_t iterations)
{
    volatile uint64_t sink;
    uint64_t x = 88172645463325252ULL;
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    sink = x;
    return sink;
}

struct worker {
    pthread_t thread;
    int cpu;
    double seconds;
};

static void *run_worker(void *argument)
{
    struct worker *worker = argument;
    if (worker->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(worker->cpu, &set);
        int error = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
        if (error != 0)   /* a CPU we may not use (cgroup): run unpinned */
            fprintf(stderr, "calibrate: pthread_setaffinity_np(cpu %d): %s\n", worker->cpu, strerror(error));
    }
    double start = now();
    spin(spin_iterations);
    worker->seconds = now() - start;
    return NULL;
}

/* Wall time of `count` workers spinning at once, on the CPUs of `cpus`. */
static double spin_on(int count, const int *cpus)
{
    struct worker workers[count];
    double start = now();
    for (int i = 0; i < count; i++) {
        workers[i].cpu = cpus[i];
        int error = pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]);
        if (error != 0) {
            fprintf(stderr, "calibrate: pthread_create: %s\n", strerror(error));
            exit(1);
        }
    }
    for (int i = 0; i < count; i++) {
        int error = pthread_join(workers[i].thread, NULL);
        if (error != 0) {
            fprintf(stderr, "calibrate: pthread_join: %s\n", strerror(error));
            exit(1);
        }
    }
    return now() - start;
}

static double parse_number(const char *name, const char *text, double low, double high)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value >= low && value <= high)) {
        fprintf(stderr, "calibrate: %s must be a number from %g to %g, not '%s'\n", name, low, high, text);
        exit(2);
    }
    return value;
}

int main(int argc, char **argv)
{
    double target = 0.1;
    int repeat = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: calibrate [--spin SECONDS] [--repeat N]\n"
                   "Spins on 1 thread, then on one pinned thread per online CPU at once, and\n"
                   "prints the parallel capacity as JSON: parallelism = cpus x single / parallel.\n"
                   "  --spin SECONDS  length of one spin on a quiet CPU (default 0.1)\n"
                   "  --repeat N      tries: the best single time, the median all-CPU time (default 3)\n");
            return 0;
        } else if (strcmp(argv[i], "--spin") == 0 && i + 1 < argc) {
            target = parse_number("--spin", argv[++i], 0.001, 10);
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = (int)parse_number("--repeat", argv[++i], 1, 100);
        } else {
            fprintf(stderr, "calibrate: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }

    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
        perror("calibrate: sched_getaffinity");
        return 1;
    }
    int cpus[CPU_SETSIZE], count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &allowed))
            cpus[count++] = cpu;

    /* size the spin: double it until one pass takes a tenth of the target */
    spin_iterations = 1 << 16;
    for (;;) {
        double start = now();
        spin(spin_iterations);
        double seconds = now() - start;
        if (seconds >= target / 10 || spin_iterations > (UINT64_C(1) << 40)) {
            spin_iterations = (uint64_t)(spin_iterations * (target / (seconds > 0 ? seconds : 1e-9)));
            break;
        }
        spin_iterations *= 2;
    }

    double single = 1e300, all[100];
    for (int r = 0; r < repeat; r++) {
        double one = spin_on(1, cpus);
        if (one < single)
            single = one;
        all[r] = spin_on(count, cpus);
    }
    for (int i = 1; i < repeat; i++)   /* insertion sort: the median of a few */
        for (int j = i; j > 0 && all[j] < all[j - 1]; j--) {
            double swap = all[j];
            all[j] = all[j - 1];
            all[j - 1] = swap;
        }
    double parallel = all[repeat / 2];
    printf("{\"cpus\": %d, \"single_s\": %.6f, \"parallel_s\": %.6f, \"parallelism\": %.3f}\n",
           count, single, parallel, count * single / parallel);
    return 0;
}
