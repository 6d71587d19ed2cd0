/*
 * mpi-pingpong: what one message costs between two MPI ranks, and what one
 * MPI_Reduce costs over all of them; the figures the report's "beyond one
 * machine" section projects from.
 *
 *     mpirun -np 2 [--hostfile F] bin/tools/mpi-pingpong [--label NAME] [--seconds S]
 *
 * Ranks 0 and 1 bounce a message of 8 B, 1 KiB, 64 KiB and 1 MiB back and
 * forth (repeated for about S seconds per size, default 0.2, after a trial); half the round
 * trip is the one-way time, size / one-way the bandwidth. Then every rank
 * takes part in MPI_Reduce of one 64-bit sum, many times. Rank 0 prints one
 * JSON object on stdout:
 *   {"label": .., "ranks": 2, "hosts": 2,
 *    "sizes": [{"bytes": 8, "one_way_us": .., "bandwidth_mb_s": ..}, ...],
 *    "reduce_us": ..}
 * Exit 0, or 2 on a usage error (fewer than two ranks, unknown option).
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi_launch.h"

static double bounce(char *buffer, int bytes, int rank, long rounds)
{
    MPI_Barrier(MPI_COMM_WORLD);
    double started = MPI_Wtime();
    for (long round = 0; round < rounds; round++) {
        if (rank == 0) {
            MPI_Send(buffer, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(buffer, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
            MPI_Recv(buffer, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buffer, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
    }
    double elapsed = MPI_Wtime() - started;
    MPI_Bcast(&elapsed, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);   /* every rank decides alike */
    return elapsed;
}

/* Rounds for about `seconds` of bouncing, from a short trial. */
static long rounds_for(char *buffer, int bytes, int rank, double seconds)
{
    long rounds = 10;
    double elapsed;
    while ((elapsed = bounce(buffer, bytes, rank, rounds)) < 0.02 && rounds < 100000000)
        rounds *= 4;
    long wanted = (long)(seconds / (elapsed / (double)rounds));
    return wanted > 10 ? wanted : 10;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, ranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    const char *label = "";
    double seconds = 0.2;
    for (int index = 1; index < argc; index++) {
        if (strcmp(argv[index], "--label") == 0 && index + 1 < argc) {
            label = argv[++index];
        } else if (strcmp(argv[index], "--seconds") == 0 && index + 1 < argc &&
                   (seconds = atof(argv[index + 1])) > 0) {
            index++;
        } else {
            if (rank == 0)
                fprintf(stderr, "mpi-pingpong: unknown argument '%s' (usage: mpirun -np 2 "
                                "mpi-pingpong [--label NAME] [--seconds S])\n", argv[index]);
            MPI_Finalize();
            return 2;
        }
    }
    if (ranks < 2) {
        if (rank == 0)
            fprintf(stderr, "mpi-pingpong: needs at least 2 ranks, not %d (mpirun -np 2)\n", ranks);
        MPI_Finalize();
        return 2;
    }
    int hosts = mpi_count_hosts();
    static const int sizes[] = {8, 1024, 65536, 1048576};
    enum { SIZES = sizeof sizes / sizeof sizes[0] };
    char *buffer = calloc(1, 1048576);
    if (buffer == NULL) {
        fprintf(stderr, "mpi-pingpong: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    double one_way[SIZES];
    for (int size = 0; size < SIZES; size++) {
        long rounds = rounds_for(buffer, sizes[size], rank, seconds);
        one_way[size] = bounce(buffer, sizes[size], rank, rounds) / (double)rounds / 2;
    }

    uint64_t mine = (uint64_t)rank, total = 0;
    long reduces = 1000;
    double reduce_s;
    for (;;) {
        MPI_Barrier(MPI_COMM_WORLD);
        double started = MPI_Wtime();
        for (long round = 0; round < reduces; round++)
            MPI_Reduce(&mine, &total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        reduce_s = MPI_Wtime() - started;
        MPI_Bcast(&reduce_s, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        if (reduce_s > seconds / 4 || reduces >= 10000000)
            break;
        reduces *= 4;
    }
    if (rank == 0) {
        printf("{\"label\": \"%s\", \"ranks\": %d, \"hosts\": %d, \"sizes\": [", label, ranks, hosts);
        for (int size = 0; size < SIZES; size++)
            printf("%s{\"bytes\": %d, \"one_way_us\": %.3f, \"bandwidth_mb_s\": %.1f}",
                   size ? ", " : "", sizes[size], one_way[size] * 1e6,
                   sizes[size] / one_way[size] / 1e6);
        printf("], \"reduce_us\": %.3f}\n", reduce_s / (double)reduces * 1e6);
    }
    free(buffer);
    MPI_Finalize();
    return 0;
}
