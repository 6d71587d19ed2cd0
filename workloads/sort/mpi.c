/*
 * sort-mpi: a distributed sample sort over -j N ranks (processes that share
 * nothing, on one host or many). Rank k makes the k-th block of the input,
 * then:
 *   1. sorts its block (the serial quicksort);
 *   2. picks evenly spaced samples of it; every rank gets everyone's samples
 *      (MPI_Allgatherv) and picks the same N - 1 splitters from them;
 *   3. cuts its sorted block at the splitters and sends piece b to rank b
 *      (MPI_Alltoallv): rank b now holds every key of bucket b, in N sorted runs;
 *   4. merges the runs (kernel_merge.c).
 * The buckets, in rank order, are the sorted array. The clock times 1-4;
 * then rank 0 gathers the buckets (MPI_Gatherv) and the input checksums and
 * checks the whole array as every sort variant does: sorted, same checksum.
 *
 * `bin/sort-mpi -j 4` starts itself under mpirun (see bench/mpi_launch.h);
 * `mpirun -np 4 --hostfile F bin/sort-mpi` works too.
 *
 * What to look for: each element crosses the network once (step 3), so on a
 * real cluster the exchange, not the sort, sets the speed; on one host the
 * merge and the copy cost a little of the speed-up of sort-fork.
 */
#include "kernel.h"
#include "kernel_merge.h"

#include <mpi.h>
#include <string.h>

#include "mpi_launch.h"

#define SAMPLES_PER_RANK 64

/* Steps 2-4 for this rank's sorted block; returns the merged bucket. */
static uint32_t *exchange_and_merge(const uint32_t *mine, size_t count, int ranks,
                                    uint32_t **received, uint32_t **bucket, size_t *capacity,
                                    int *bucket_size)
{
    uint32_t samples[SAMPLES_PER_RANK];
    int sample_count = (int)sort_pick_samples(mine, count, SAMPLES_PER_RANK, samples);
    int *counts = bench_alloc((size_t)ranks, sizeof *counts);
    int *offsets = bench_alloc((size_t)ranks + 1, sizeof *offsets);
    MPI_Allgather(&sample_count, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    offsets[0] = 0;
    for (int rank = 0; rank < ranks; rank++)
        offsets[rank + 1] = offsets[rank] + counts[rank];
    uint32_t *all_samples = bench_alloc((size_t)offsets[ranks] + 1, sizeof *all_samples);
    MPI_Allgatherv(samples, sample_count, MPI_UINT32_T, all_samples, counts, offsets,
                   MPI_UINT32_T, MPI_COMM_WORLD);
    uint32_t *splitters = bench_alloc((size_t)ranks, sizeof *splitters);
    sort_pick_splitters(all_samples, (size_t)offsets[ranks], ranks, splitters);

    size_t *first = bench_alloc((size_t)ranks + 1, sizeof *first);
    sort_cut_at_splitters(mine, count, splitters, ranks, first);
    int *send_counts = bench_alloc((size_t)ranks, sizeof *send_counts);
    int *send_offsets = bench_alloc((size_t)ranks, sizeof *send_offsets);
    for (int rank = 0; rank < ranks; rank++) {
        send_counts[rank] = (int)(first[rank + 1] - first[rank]);
        send_offsets[rank] = (int)first[rank];
    }
    MPI_Alltoall(send_counts, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    size_t *runs = first;   /* reused: where each received run starts */
    runs[0] = 0;
    for (int rank = 0; rank < ranks; rank++) {
        offsets[rank] = (int)runs[rank];
        runs[rank + 1] = runs[rank] + (size_t)counts[rank];
    }
    if (runs[ranks] > *capacity) {   /* a bucket bigger than planned: rare, and timed */
        free(*received);
        free(*bucket);
        *capacity = runs[ranks];
        *received = bench_alloc(*capacity, sizeof **received);
        *bucket = bench_alloc(*capacity, sizeof **bucket);
    }
    MPI_Alltoallv(mine, send_counts, send_offsets, MPI_UINT32_T, *received, counts, offsets,
                  MPI_UINT32_T, MPI_COMM_WORLD);
    sort_merge_runs(*received, runs, ranks, *bucket);
    *bucket_size = (int)runs[ranks];

    free(send_offsets);
    free(send_counts);
    free(first);
    free(splitters);
    free(all_samples);
    free(offsets);
    free(counts);
    return *bucket;
}

/* A buffer of `count` elements with its pages already mapped, so that the
 * clock does not time the kernel zeroing them: the serial sort's array is
 * mapped, like this, while the input is made. */
static uint32_t *prepared_buffer(size_t count)
{
    uint32_t *buffer = bench_alloc(count, sizeof *buffer);
    memset(buffer, 0xff, count * sizeof *buffer);
    return buffer;
}

int main(int argc, char **argv)
{
    static const bench_option options[] = {MPI_HOSTFILE_OPTION, BENCH_OPTIONS_END};
    static const bench_spec spec = {
        .workload = "sort", .model = "mpi", .about = SORT_ABOUT " A sample sort over MPI ranks.",
        .workload_options = sort_options, .model_options = options,
    };
    bench_run run;
    sort_job job;
    bench_start(&run, &spec, argc, argv);
    if (!mpi_is_rank()) {   /* check the options once, then run -j ranks of this */
        sort_setup(&run, &job, run.workers, false);
        mpi_launch(&run, argc, argv);   /* never returns */
    }

    int rank, ranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int hosts = mpi_count_hosts();
    sort_setup(&run, &job, ranks, false);   /* the whole array, but only rank 0 fills it all */
    run.workers = ranks;
    sort_make_part(&job, rank);             /* 0. this rank's block of the input */
    bench_block block = bench_static_block(job.count, ranks, rank);
    uint32_t *mine = job.elements + block.first;
    size_t count = block.end - block.first;
    /* A bucket holds about count keys: a quarter more is room enough for
     * evenly spread samples (more is allocated in step 3 if needed). */
    size_t capacity = count + count / 4 + SAMPLES_PER_RANK;
    uint32_t *received = prepared_buffer(capacity), *bucket_space = prepared_buffer(capacity);
    MPI_Barrier(MPI_COMM_WORLD);            /* every block made: the clock starts */
    bench_restart_clock(&run);

    sort_serial(mine, count);               /* 1. */
    int bucket_size;
    uint32_t *bucket = exchange_and_merge(mine, count, ranks, &received, &bucket_space, &capacity,
                                          &bucket_size);   /* 2-4. */
    MPI_Barrier(MPI_COMM_WORLD);
    bench_stop_clock(&run);

    /* The check: the buckets in rank order into rank 0's array, and the checksums. */
    int *sizes = bench_alloc((size_t)ranks, sizeof *sizes);
    int *offsets = bench_alloc((size_t)ranks, sizeof *offsets);
    uint64_t *checksums = bench_alloc((size_t)ranks, sizeof *checksums);
    MPI_Gather(&bucket_size, 1, MPI_INT, sizes, 1, MPI_INT, 0, MPI_COMM_WORLD);
    for (int each = 0, offset = 0; each < ranks; offset += sizes[each], each++)
        offsets[each] = offset;
    MPI_Gatherv(bucket, bucket_size, MPI_UINT32_T, job.elements, sizes, offsets, MPI_UINT32_T, 0,
                MPI_COMM_WORLD);
    MPI_Gather(&job.part[rank].input_checksum, 1, MPI_UINT64_T, checksums, 1, MPI_UINT64_T, 0,
               MPI_COMM_WORLD);
    free(received);
    free(bucket_space);
    int status = BENCH_EXIT_OK;
    if (rank == 0) {
        for (int part = 0; part < ranks; part++) {
            job.part[part].input_checksum = checksums[part];
            sort_check_part(&job, part);
        }
        bench_log(&run, "bucket sizes %d .. %d", sizes[0], sizes[ranks - 1]);
        status = sort_finish(&run, &job);
        mpi_report_hosts(&run, ranks, hosts);
    } else {
        free(job.elements);
        free(job.part);
        free(job.numbers);
    }
    free(checksums);
    free(offsets);
    free(sizes);
    MPI_Finalize();
    return status;
}
