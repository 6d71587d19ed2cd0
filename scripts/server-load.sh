#!/usr/bin/env bash
# scripts/server-load.sh RUN_DIR SECONDS - the flag server under load, beside nginx.
#
# Exports the flags, serves them with bin/flagserver (LOCAL mode) and with
# nginx (Debian's, one worker per core, on loopback), and loads each in turn
# with `wrk -t1 -c100` on one flag for SECONDS. Writes RUN_DIR/server-load.json:
#   {"duration_s": .., "connections": 100, "flag": "/flags/br/br.gif",
#    "servers": {"flagserver": {"requests_per_s": .., "errors": ..}, "nginx": {...}}}
# Both servers are stopped on every way out. Skips (exit 0, no file) if wrk or
# nginx is missing.
set -uo pipefail
run_dir=$1
duration=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${BENCH_BIN_DIR:-$repo/bin}
nginx=/usr/sbin/nginx
command -v wrk >/dev/null && [ -x "$nginx" ] && [ -x "$bin_dir/flagserver" ] ||
    { echo "server load: skipped (needs wrk, nginx and bin/flagserver)"; exit 0; }

scratch=$(mktemp -d /tmp/server-load.XXXXXX) || exit 1
server_pid="" nginx_pid=""
cleanup() {
    for pid in $server_pid $nginx_pid; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {  # wait_for URL PID
    for _ in $(seq 100); do
        curl -s -o /dev/null "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
load() {  # load URL: prints "requests_per_s errors"
    wrk -t1 -c100 -d"${duration}s" "$1" | awk '
        /Requests\/sec/ { rps = $2 }
        /Socket errors/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        /Non-2xx/ { errors += $NF }
        END { printf "%s %d\n", rps, errors }'
}

"$bin_dir/flagserver" --export "$scratch/www/flags" >/dev/null || exit 1
"$bin_dir/flagserver" --mode local --port 0 --port-file "$scratch/flagserver.port" \
    >/dev/null 2>"$scratch/flagserver.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$scratch/flagserver.port" ] && break; sleep 0.05; done
server_url="http://127.0.0.1:$(cat "$scratch/flagserver.port")/flags/br/br.gif"
wait_for "$server_url" "$server_pid" || { echo "server load: flagserver did not start"; exit 1; }

nginx_port=$(free_port)
cat > "$scratch/nginx.conf" <<CONF
daemon off;
user root;
worker_processes auto;
pid $scratch/nginx.pid;
error_log $scratch/nginx-error.log;
events {}
http {
    access_log off;
    types { image/gif gif; }
    server { listen 127.0.0.1:$nginx_port; root $scratch/www; }
}
CONF
"$nginx" -e "$scratch/nginx-error.log" -p "$scratch" -c "$scratch/nginx.conf" </dev/null \
    >"$scratch/nginx.out" 2>&1 &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/flags/br/br.gif"
wait_for "$nginx_url" "$nginx_pid" || { echo "server load: nginx did not start"; exit 1; }

read -r server_rps server_errors <<<"$(load "$server_url")"
read -r nginx_rps nginx_errors <<<"$(load "$nginx_url")"
echo "server load: flagserver $server_rps requests/s, nginx $nginx_rps requests/s (wrk -c100, ${duration} s each)"
cat > "$run_dir/server-load.json.tmp" <<JSON
{"duration_s": $duration, "connections": 100, "flag": "/flags/br/br.gif",
 "servers": {"flagserver": {"requests_per_s": ${server_rps:-0}, "errors": ${server_errors:-0}},
             "nginx": {"requests_per_s": ${nginx_rps:-0}, "errors": ${nginx_errors:-0}, "workers": $(nproc)}}}
JSON
mv "$run_dir/server-load.json.tmp" "$run_dir/server-load.json"
