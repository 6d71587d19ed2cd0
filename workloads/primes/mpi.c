/*
 * primes-mpi: -j N ranks (processes that share nothing, on one host or many)
 * test the numbers; rank 0 gathers the verdicts and prints the record.
 *
 * Dynamic scheduling (the default) is the MPI form of the shared counter:
 * rank 0 is the manager, which hands out task numbers in messages. Each
 * worker rank holds two tasks at a time (so it never waits for the manager's
 * answer), sends back {task, verdict} when one is done and gets the next, or
 * "stop" once nothing is left. The manager tests numbers too, between
 * answering. Static scheduling (--schedule static): rank k tests the k-th
 * block and MPI_Gatherv brings the blocks to rank 0.
 *
 * `bin/primes-mpi -j 4` starts itself under mpirun (see bench/mpi_launch.h);
 * `mpirun -np 4 --hostfile F bin/primes-mpi` works too.
 *
 * What to look for: the same speed-up as primes-pthread on one host, with
 * messages instead of a shared counter; the launch cost, which wall_s leaves
 * out; static vs dynamic as in the other models.
 */
#include "kernel.h"

#include <mpi.h>

#include "mpi_launch.h"

enum { TAG_TASK = 1, TAG_REPORT = 2 };
#define STOP (-1L)

static primes_job job;

/* Worker ranks: test what the manager sends until it says stop. */
static void worker(void)
{
    long task, report[2];
    for (;;) {
        MPI_Recv(&task, 1, MPI_LONG, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (task == STOP)
            return;
        report[0] = task;
        report[1] = is_prime(job.numbers[task]);
        MPI_Send(report, 2, MPI_LONG, 0, TAG_REPORT, MPI_COMM_WORLD);
    }
}

/* Rank 0: hands out tasks, takes in verdicts and tests numbers itself. */
static void manager(int ranks)
{
    size_t next_task = 0;
    long *in_flight = bench_alloc((size_t)ranks, sizeof *in_flight);   /* tasks a worker holds */
    int stopped = 0;
    for (int rank = 1; rank < ranks; rank++) {   /* two tasks each to start with */
        for (int first = 0; first < 2 && next_task < job.count; first++, in_flight[rank]++) {
            long task = (long)next_task++;
            MPI_Send(&task, 1, MPI_LONG, rank, TAG_TASK, MPI_COMM_WORLD);
        }
        if (in_flight[rank] == 0) {
            long stop = STOP;
            MPI_Send(&stop, 1, MPI_LONG, rank, TAG_TASK, MPI_COMM_WORLD);
            stopped++;
        }
    }
    while (stopped < ranks - 1 || next_task < job.count) {
        int waiting = 0;
        if (stopped < ranks - 1)
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_REPORT, MPI_COMM_WORLD, &waiting, MPI_STATUS_IGNORE);
        if (!waiting && next_task < job.count) {   /* nobody asks: test one number here */
            size_t task = next_task++;
            job.verdicts[task] = is_prime(job.numbers[task]);
            continue;
        }
        long report[2];
        MPI_Status status;
        MPI_Recv(report, 2, MPI_LONG, MPI_ANY_SOURCE, TAG_REPORT, MPI_COMM_WORLD, &status);
        int rank = status.MPI_SOURCE;
        job.verdicts[report[0]] = (unsigned char)report[1];
        in_flight[rank]--;
        long answer = STOP;
        if (next_task < job.count) {
            answer = (long)next_task++;
            in_flight[rank]++;
        } else if (in_flight[rank] > 0) {
            continue;   /* it still holds a task: stop it after that one */
        } else {
            stopped++;
        }
        MPI_Send(&answer, 1, MPI_LONG, rank, TAG_TASK, MPI_COMM_WORLD);
    }
    free(in_flight);
}

/* Static: each rank tests its block; rank 0 gathers the blocks in order. */
static void blocks(int rank, int ranks)
{
    int *counts = bench_alloc((size_t)ranks, sizeof *counts);
    int *offsets = bench_alloc((size_t)ranks, sizeof *offsets);
    for (int each = 0; each < ranks; each++) {
        bench_block block = bench_static_block(job.count, ranks, each);
        counts[each] = (int)(block.end - block.first);
        offsets[each] = (int)block.first;
    }
    unsigned char *mine = job.verdicts + offsets[rank];
    for (int index = 0; index < counts[rank]; index++)
        mine[index] = is_prime(job.numbers[offsets[rank] + index]);
    MPI_Gatherv(rank == 0 ? MPI_IN_PLACE : mine, counts[rank], MPI_UNSIGNED_CHAR, job.verdicts,
                counts, offsets, MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
    free(counts);
    free(offsets);
}

int main(int argc, char **argv)
{
    static const bench_option options[] = {
        {"schedule", 0, BENCH_OPT_CHOICE, &bench_schedule, "HOW",
         "dynamic (rank 0 hands out tasks) or static (blocks; default dynamic)", "dynamic|static"},
        MPI_HOSTFILE_OPTION, BENCH_OPTIONS_END};
    static const bench_spec spec = {
        .workload = "primes", .model = "mpi", .about = PRIMES_ABOUT " Ranks under MPI.",
        .workload_options = primes_options, .model_options = options,
    };
    bench_run run;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    mpi_launch(&run, argc, argv);   /* outside mpirun: runs -j ranks of this, never returns */

    int rank, ranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int hosts = mpi_count_hosts();
    run.workers = ranks;
    MPI_Barrier(MPI_COMM_WORLD);    /* every rank is up: the clock starts here */
    bench_restart_clock(&run);

    if (bench_schedule == BENCH_SCHEDULE_STATIC)
        blocks(rank, ranks);
    else if (rank == 0)
        manager(ranks);
    else
        worker();

    int status = BENCH_EXIT_OK;
    if (rank == 0) {
        status = primes_finish(&run, &job);
        mpi_report_hosts(&run, ranks, hosts);
    } else {
        free(job.numbers);
        free(job.verdicts);
    }
    MPI_Finalize();
    return status;
}
