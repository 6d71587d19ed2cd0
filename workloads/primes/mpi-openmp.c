/*
 * primes-mpi-openmp: MPI between hosts, OpenMP inside each: -j N ranks,
 * each with --threads T threads (default 1). The standard shape of a
 * cluster program: one rank per host (or per socket), threads for its cores.
 *
 * The tasks are dealt out round-robin (rank k gets tasks k, k + N, ...), so
 * that every rank gets some of the big numbers; inside a rank OpenMP's
 * dynamic schedule shares them among the threads. Each rank fills its own
 * verdicts (zero elsewhere) and MPI_Reduce with MPI_BOR puts them together in
 * rank 0, which prints the record: workers = all threads of all ranks.
 *
 * What to look for: -j 1 --threads 2 and -j 2 --threads 1 cost the same on
 * one host; across hosts only the ranks talk over the network, once.
 */
#include "kernel.h"

#include <mpi.h>
#include <omp.h>
#include <string.h>

#include "mpi_launch.h"

static long threads_option = 1;   /* --threads */

int main(int argc, char **argv)
{
    static const bench_option options[] = {
        {"threads", 0, BENCH_OPT_COUNT, &threads_option, "T",
         "OpenMP threads per rank (default 1); workers in the record = ranks x T", NULL},
        MPI_HOSTFILE_OPTION, BENCH_OPTIONS_END};
    static const bench_spec spec = {
        .workload = "primes", .model = "mpi-openmp",
        .about = PRIMES_ABOUT " MPI ranks of OpenMP threads.",
        .workload_options = primes_options, .model_options = options,
    };
    bench_run run;
    primes_job job;
    bench_start(&run, &spec, argc, argv);
    primes_setup(&run, &job, false);
    mpi_launch(&run, argc, argv);   /* outside mpirun: runs -j ranks of this, never returns */

    int rank, ranks, provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int hosts = mpi_count_hosts();
    long threads = threads_option;
    long all_threads = 0;
    MPI_Allreduce(&threads, &all_threads, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    run.workers = all_threads;
    omp_set_num_threads((int)threads);
    unsigned char *mine = bench_alloc(job.count ? job.count : 1, 1);
    MPI_Barrier(MPI_COMM_WORLD);    /* every rank is up: the clock starts here */
    bench_restart_clock(&run);

    long count = (long)job.count;
    #pragma omp parallel for schedule(dynamic, 1)
    for (long task = rank; task < count; task += ranks)
        mine[task] = is_prime(job.numbers[task]);
    MPI_Reduce(mine, job.verdicts, (int)count, MPI_UNSIGNED_CHAR, MPI_BOR, 0, MPI_COMM_WORLD);
    free(mine);

    int status = BENCH_EXIT_OK;
    if (rank == 0) {
        bench_log(&run, "%ld threads per rank", threads);
        status = primes_finish(&run, &job);
        mpi_report_hosts(&run, ranks, hosts);
    } else {
        free(job.numbers);
        free(job.verdicts);
    }
    MPI_Finalize();
    return status;
}
