/*
 * sum-mpi-openmp: MPI between hosts, OpenMP inside each: -j N ranks, each
 * with --threads T threads (default 1). Rank k takes the k-th block of tasks, its threads share the block
 * (an OpenMP reduction) and MPI_Reduce adds the ranks' totals in rank 0,
 * which prints the record: workers = all threads of all ranks.
 *
 * What to look for: the two levels of the same reduction, one in shared
 * memory (threads), one by messages (ranks).
 */
#include "kernel.h"

#include <mpi.h>
#include <omp.h>

#include "mpi_launch.h"

static long threads_option = 1;   /* --threads */

int main(int argc, char **argv)
{
    static const bench_option options[] = {
        {"threads", 0, BENCH_OPT_COUNT, &threads_option, "T",
         "OpenMP threads per rank (default 1); workers in the record = ranks x T", NULL},
        MPI_HOSTFILE_OPTION, BENCH_OPTIONS_END};
    static const bench_spec spec = {
        .workload = "sum", .model = "mpi-openmp", .about = SUM_ABOUT " MPI ranks of OpenMP threads.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
        .model_options = options,
    };
    bench_run run;
    sum_job job;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
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
    MPI_Barrier(MPI_COMM_WORLD);    /* every rank is up: the clock starts here */
    bench_restart_clock(&run);

    bench_block block = bench_static_block(job.tasks, ranks, rank);
    long first = (long)block.first, end = (long)block.end;
    uint64_t my_total = 0, total = 0;
    #pragma omp parallel for reduction(+ : my_total)
    for (long task = first; task < end; task++)
        my_total += sum_task(&job);
    MPI_Reduce(&my_total, &total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);

    int status = BENCH_EXIT_OK;
    if (rank == 0) {
        bench_log(&run, "%ld threads per rank", threads);
        status = sum_finish(&run, &job, total);
        mpi_report_hosts(&run, ranks, hosts);
    }
    MPI_Finalize();
    return status;
}
