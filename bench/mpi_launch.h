/*
 * mpi_launch.h - how an MPI variant keeps the contract of every other variant.
 *
 * `bin/<w>-mpi -j N [--hostfile F]` is not started by mpirun: it parses its
 * options as any variant does (so --help and usage errors come from one
 * process, at once), then mpi_launch() runs mpirun with N ranks of the same
 * program and the same arguments, waits for it and exits with its status.
 * Under mpirun (OMPI_COMM_WORLD_SIZE is set, or the marker below), mpi_launch
 * returns and the variant calls MPI_Init: so `mpirun -np N bin/<w>-mpi` works
 * too, and the ranks do not launch again.
 *
 * mpirun gets --oversubscribe (more ranks than cores: the workers scan goes to
 * 2 x cores), --bind-to none (two daemons on one machine would both bind
 * their rank to core 0) and, unless already set, OMPI_MCA_pml=ob1 (an empty
 * job starts in ~155 ms instead of ~355 ms) and the two variables that let
 * root run it. The hostfile is --hostfile F, or $MPI_HOSTFILE.
 *
 * Exit status: mpirun's when it is 0..3 (rank 0's record decides); anything
 * else (a rank killed, mpirun failing to start it) becomes 1, with a line
 * saying so after mpirun's own message, which names the rank. SIGINT, SIGTERM
 * and SIGHUP are passed on to mpirun, which stops every rank, and then end
 * this process too, by the same signal (status 130 for Ctrl-C in a shell, as
 * for every variant); mpirun is also sent SIGTERM if this process dies.
 */
#ifndef MPI_LAUNCH_H
#define MPI_LAUNCH_H

#include "bench.h"

/* --hostfile FILE, for the MPI variants' model options. */
extern const char *mpi_hostfile;
#define MPI_HOSTFILE_OPTION \
    {"hostfile", 0, BENCH_OPT_STRING, &mpi_hostfile, "FILE", \
     "hosts to run the ranks on, in mpirun's format (default $MPI_HOSTFILE, else this host)", NULL}

/* True inside a rank (started by mpirun). */
bool mpi_is_rank(void);

/* Outside a rank: runs run->workers ranks of this program under mpirun with
 * the same arguments and exits with the status described above. Inside a
 * rank: returns at once. Call after bench_start and the workload's setup, so
 * that usage errors are reported before anything is launched. */
void mpi_launch(const bench_run *run, int argc, char **argv);

/* Rank 0, after bench_finish: the ranks and hosts, as a line of the human
 * summary (not in the --json record, whose keys are the contract's; -v
 * shows them on stderr then). */
void mpi_report_hosts(const bench_run *run, int ranks, int hosts);

#ifdef MPI_VERSION   /* the rest needs mpi.h, included before this header */
/* The number of hosts the ranks run on: the ranks that are the first on
 * their host, counted. Under Open MPI the first is the one with local rank 0
 * (from its daemon: two "hosts" on one machine, as in the tests, count 2);
 * otherwise the first of each shared-memory domain. */
static inline int mpi_count_hosts(void)
{
    int first = 0, hosts = 0;
    const char *local_rank = getenv("OMPI_COMM_WORLD_LOCAL_RANK");
    if (local_rank != NULL) {
        first = atoi(local_rank) == 0;
    } else {
        MPI_Comm node;
        int node_rank;
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
        MPI_Comm_rank(node, &node_rank);
        first = node_rank == 0;
        MPI_Comm_free(&node);
    }
    MPI_Allreduce(&first, &hosts, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    return hosts;
}
#endif

#endif
