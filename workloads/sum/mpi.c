/*
 * sum-mpi: -j N ranks (processes that share nothing, on one host or many)
 * each add up their own block of the tasks; MPI_Reduce adds the ranks'
 * totals into rank 0, which prints the record.
 *
 * `bin/sum-mpi -j 4` starts itself under mpirun with 4 ranks (see
 * bench/mpi_launch.h); `mpirun -np 4 --hostfile F bin/sum-mpi` works too.
 * Every rank runs the whole of main: the rank number is what tells them apart.
 *
 * What to look for: the same speed-up as the fork model on one host (these
 * are processes too), and the launch cost (mpirun starting its daemons and
 * ranks), which the record's wall_s leaves out and hyperfine's time includes:
 * compare `sum-mpi -n 1 --count 0` with `sum-fork -n 1 --count 0`.
 */
#include "kernel.h"

#include <mpi.h>

#include "mpi_launch.h"

int main(int argc, char **argv)
{
    static const bench_option options[] = {MPI_HOSTFILE_OPTION, BENCH_OPTIONS_END};
    static const bench_spec spec = {
        .workload = "sum", .model = "mpi", .about = SUM_ABOUT " Ranks under MPI, MPI_Reduce.",
        .default_tasks = SUM_DEFAULT_TASKS, .workload_options = sum_options,
        .model_options = options,
    };
    bench_run run;
    sum_job job;
    bench_start(&run, &spec, argc, argv);
    sum_setup(&run, &job);
    mpi_launch(&run, argc, argv);   /* outside mpirun: runs -j ranks of this, never returns */

    int rank, ranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int hosts = mpi_count_hosts();
    run.workers = ranks;
    MPI_Barrier(MPI_COMM_WORLD);    /* every rank is up: the clock starts here */
    bench_restart_clock(&run);

    bench_block block = bench_static_block(job.tasks, ranks, rank);
    uint64_t my_total = 0, total = 0;
    for (size_t task = block.first; task < block.end; task++)
        my_total += sum_task(&job);
    MPI_Reduce(&my_total, &total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);

    int status = BENCH_EXIT_OK;
    if (rank == 0) {
        status = sum_finish(&run, &job, total);
        mpi_report_hosts(&run, ranks, hosts);
    }
    MPI_Finalize();
    return status;
}
