#!/usr/bin/env bash
# scripts/mpi-pingpong.sh RUN_DIR [SIZE] - what messages cost between MPI ranks
# (issue 16), for the report's "Beyond one machine" section.
#
# Runs bin/tools/mpi-pingpong (ping-pong at 8 B .. 1 MiB, one MPI_Reduce) with
# two ranks on one host (shared memory), and on two hosts on this machine
# (tests/fixtures/mpi: one daemon per host, TCP on loopback, the path a real
# cluster takes), and with $MPI_HOSTFILE's hosts if it is set. Then times
# primes-mpi and sum-mpi (their own clock, best of 3) at 1 rank and at 2 ranks
# on the two hosts. Writes RUN_DIR/mpi.json:
#   {"pingpong": [<mpi-pingpong's object>, ...],
#    "two_hosts": [{"workload": .., "ranks": .., "hosts": .., "wall_s": ..}, ...]}
# SIZE tiny (the tests' runs): shorter ping-pongs, small primes and sum runs.
# Skips (exit 0, no file) without mpirun or the binaries. Leaves nothing running.
set -uo pipefail
run_dir=$1
size=${2:-full}
seconds=0.2 primes_args=() sum_args=()
[ "$size" = tiny ] && seconds=0.01 primes_args=(-n 13) sum_args=(-n 20 --count 100000)
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${BENCH_BIN_DIR:-$repo/bin}
fixture=$repo/tests/fixtures/mpi
command -v mpirun >/dev/null && [ -x "$bin_dir/tools/mpi-pingpong" ] ||
    { echo "mpi: skipped (needs mpirun and bin/tools/mpi-pingpong)"; exit 0; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=${OMPI_MCA_pml:-ob1}
scratch=$(mktemp -d /tmp/mpi-pingpong.XXXXXX) || exit 1
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

two_hosts_env=(OMPI_MCA_plm_rsh_agent="$fixture/launch-agent" OMPI_MCA_btl=self,tcp
               OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo)
pingpong() {  # pingpong label [env...] -- [mpirun options...]
    local label=$1; shift
    local environment=()
    while [ "$1" != -- ]; do environment+=("$1"); shift; done
    shift
    if env "${environment[@]}" mpirun --oversubscribe --bind-to none -np 2 "$@" \
        "$bin_dir/tools/mpi-pingpong" --label "$label" --seconds "$seconds" >>"$scratch/pingpong" 2>"$scratch/err"; then
        echo "mpi: ping-pong $label: $(jq -r '.sizes[0] | "8 B one way \(.one_way_us) us"' <<<"$(tail -1 "$scratch/pingpong")")"
    else
        echo "mpi: ping-pong $label failed: $(tail -3 "$scratch/err" | tr '\n' ' ')"
    fi
}
pingpong one-host OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo --
pingpong two-hosts-tcp "${two_hosts_env[@]}" -- --hostfile "$fixture/hostfile"
if [ -n "${MPI_HOSTFILE:-}" ]; then
    pingpong hostfile -- --hostfile "$MPI_HOSTFILE"
fi

best_wall() {  # best_wall env... -- command...: the least wall_s of 3 verified runs
    local environment=() best="" wall
    while [ "$1" != -- ]; do environment+=("$1"); shift; done
    shift
    for _ in 1 2 3; do
        wall=$(env "${environment[@]}" "$@" --json 2>"$scratch/err" | jq -r 'select(.verified) | .wall_s') || return 1
        [ -n "$wall" ] || return 1
        best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    echo "$best"
}
for workload in primes sum; do
    [ -x "$bin_dir/$workload-mpi" ] || continue
    args=("${primes_args[@]}")
    [ $workload = sum ] && args=("${sum_args[@]}")
    for ranks in 1 2; do
        if wall=$(best_wall "${two_hosts_env[@]}" -- "$bin_dir/$workload-mpi" -j $ranks \
            --hostfile "$fixture/hostfile" "${args[@]}"); then
            printf '{"workload": "%s", "ranks": %d, "hosts": %d, "wall_s": %s}\n' \
                "$workload" $ranks $ranks "$wall" >>"$scratch/two_hosts"
            echo "mpi: $workload-mpi -j $ranks on $ranks host(s): $wall s (own clock, best of 3)"
        else
            echo "mpi: $workload-mpi -j $ranks on the two hosts failed: $(tail -3 "$scratch/err" | tr '\n' ' ')"
        fi
    done
done
touch "$scratch/pingpong" "$scratch/two_hosts"
jq -n --slurpfile pingpong "$scratch/pingpong" --slurpfile two_hosts "$scratch/two_hosts" \
    '{pingpong: $pingpong, two_hosts: $two_hosts}' >"$scratch/mpi.json" &&
    mv "$scratch/mpi.json" "$run_dir/mpi.json"
