#!/bin/sh
# scripts/deps.sh build|test|bench - checks what each step needs, and installs
# what is missing with apt-get when run as root on Debian; otherwise prints the
# exact command to run and stops.
set -eu
step=${1:-build}

# The project's one package list: .ci/run and the Makefile both come here.
# package:command-or-file that proves it is installed
build="gcc:gcc g++:g++ make:make pkg-config:pkg-config libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h libgomp1:/usr/lib/x86_64-linux-gnu/libgomp.so.1 openmpi-bin:mpirun libopenmpi-dev:mpicc ca-certificates:/etc/ssl/certs"
python="python3:/usr/bin/python3 python3-numpy:/usr/lib/python3/dist-packages/numpy python3-scipy:/usr/lib/python3/dist-packages/scipy python3-greenlet:/usr/lib/python3/dist-packages/greenlet python3-gevent:/usr/lib/python3/dist-packages/gevent python3-requests:/usr/lib/python3/dist-packages/requests python3-aiohttp:/usr/lib/python3/dist-packages/aiohttp python3-tqdm:/usr/lib/python3/dist-packages/tqdm python3-celery:/usr/lib/python3/dist-packages/celery python3-redis:/usr/lib/python3/dist-packages/redis redis-server:redis-server"
test="libcriterion-dev:/usr/include/criterion/criterion.h bats:bats curl:curl nginx-light:nginx wrk:wrk jq:jq hyperfine:hyperfine gnuplot-nox:gnuplot file:file $python"
bench="hyperfine:hyperfine gnuplot-nox:gnuplot jq:jq wrk:wrk nginx-light:nginx curl:curl $python"

case $step in
build) wanted=$build ;;
test) wanted="$build $test" ;;
bench) wanted="$build $bench" ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

have() {
    case $1 in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] ;;
    esac
}

missing=""
for pair in $wanted; do
    have "${pair#*:}" || missing="$missing ${pair%%:*}"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends $missing >&2
    exit 0
fi
echo "deps: missing$missing" >&2
echo "deps: run: sudo apt-get install -y$missing" >&2
exit 1
