#!/bin/sh
# scripts/deps.sh build|test|bench - checks what each step needs, and installs
# what is missing with apt-get when run as root on Debian; otherwise prints the
# exact command to run and stops.
set -eu
step=${1:-build}

# package:command-or-file that proves it is installed
build="gcc:gcc g++:g++ make:make pkg-config:pkg-config libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h libgomp1:/usr/lib/x86_64-linux-gnu/libgomp.so.1"
test="libcriterion-dev:/usr/include/criterion/criterion.h bats:bats curl:curl nginx-light:nginx wrk:wrk jq:jq python3:/usr/bin/python3 hyperfine:hyperfine gnuplot-nox:gnuplot file:file"
bench="hyperfine:hyperfine gnuplot-nox:gnuplot jq:jq python3:/usr/bin/python3 wrk:wrk nginx-light:nginx curl:curl"

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
