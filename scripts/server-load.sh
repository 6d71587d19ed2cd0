#!/usr/bin/env bash
# scripts/server-load.sh RUN_DIR [SECONDS] - every flag server model, and nginx,
# under wrk (issue 17). Writes RUN_DIR/server-load.json (the points, with
# median and interval per point; read by scripts/sections/server_load.py) and
# keeps the raw wrk outputs in RUN_DIR/server-load/.
#
#   SERVER_LOAD=quick|full   quick (the default when SECONDS <= 2): one run of
#                            LOCAL at 100 connections (1 s) and DELAY at 1000
#                            (2 s), keep-alive: well under a minute. full (when
#                            SECONDS > 2, as make bench's full run passes): LOCAL
#                            keep-alive at 1, 10, 100, 1000 (and 10000 where the
#                            descriptor limit allows) connections, LOCAL
#                            Connection: close at 100, DELAY keep-alive at 1000
#                            (and 10000); SERVER_LOAD_RUNS runs (5) of
#                            SERVER_LOAD_SECONDS (1; DELAY twice that) per point:
#                            about 40 s per server (the full make bench's budget)
#   SERVER_LOAD_SERVERS      the servers (default: every model built, and nginx)
#
# wrk runs pinned to the last CPU, the server (all its threads and processes)
# to CPU 0 (taskset). Then (full mode), for each server in LOCAL mode, 200 clients that
# send a byte a second and one normal client (curl, 2 s at most): which models
# they stall. The server's memory is its PSS summed over its process
# tree (/proc/PID/smaps_rollup), sampled in the middle of each run; the idle
# PSS before any load is kept beside it. Every server is stopped on every way
# out. Skips (exit 0, no file) without wrk, taskset or nginx.
set -uo pipefail
run_dir=$1
duration=${2:-1}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${BENCH_BIN_DIR:-$repo/bin}
nginx=/usr/sbin/nginx
python=/usr/bin/python3
command -v wrk >/dev/null && command -v taskset >/dev/null && [ -x "$nginx" ] && [ -x "$bin_dir/flagserver" ] ||
    { echo "server load: skipped (needs wrk, taskset, nginx and bin/flagserver)"; exit 0; }

mode=${SERVER_LOAD:-$(awk -v d="$duration" 'BEGIN { print (d <= 2 ? "quick" : "full") }')}
duration=${SERVER_LOAD_SECONDS:-1}
runs=${SERVER_LOAD_RUNS:-5}
delay=0.5
delay_duration=$((duration * 2))
workers=32
cpus=$(nproc)
server_cpu=0 wrk_cpu=$((cpus > 1 ? cpus - 1 : 0))
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
ulimit -n "$nofile" 2>/dev/null || true
if [ "$mode" = quick ]; then
    levels="100 1000" runs=1 keeps="keep" levels_note="quick mode: LOCAL at 100, DELAY at 1000 connections"
else
    levels="1 10 100 1000" keeps="keep close" levels_note="10000 left out: needs 2 x 10000 + slack descriptors"
    [ "$nofile" -ge 25000 ] && levels="$levels 10000" levels_note="10000 included"
fi
servers=${SERVER_LOAD_SERVERS:-}
if [ -z "$servers" ]; then
    for model in iterative fork pthread prefork pool eventloop coroutine; do
        [ -x "$bin_dir/flagserver-$model" ] && servers="$servers $model"
    done
    servers="$servers nginx"
fi

scratch=$(mktemp -d /tmp/server-load.XXXXXX) || exit 1
raw=$run_dir/server-load
rm -rf "$raw" && mkdir -p "$raw" || exit 1
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
        server_pid=""
    fi
}
cleanup() { stop_server; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# 200 slow clients (issue 17): each sends a byte of a request head a second;
# meanwhile a normal client asks for a flag. Prints curl's "status seconds".
cat > "$scratch/slow.py" <<'PY'
import socket, subprocess, sys, time
port = int(sys.argv[1])
clients = []
for _ in range(200):
    sock = socket.socket()
    sock.setblocking(False)
    sock.connect_ex(("127.0.0.1", port))
    clients.append(sock)
head = b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
started = time.monotonic()
probe = None
for second in range(4):
    for sock in clients:
        try:
            sock.send(head[second:second + 1])
        except OSError:
            pass
    if second == 1:
        probe = subprocess.Popen(["curl", "-s", "-o", "/dev/null", "--max-time", "2", "-w", "%{http_code} %{time_total}",
                                  "http://127.0.0.1:%d/flags/br/br.gif" % port], stdout=subprocess.PIPE, text=True)
    time.sleep(1)
print(probe.communicate()[0])
PY

# PSS in KiB summed over PID and its descendants.
tree_pss() {
    local pids=$1 all=$1 next pid
    while [ -n "$pids" ]; do
        next=""
        for pid in $pids; do
            next="$next $(cat /proc/"$pid"/task/*/children 2>/dev/null)"
        done
        pids=$(echo $next)
        all="$all $pids"
    done
    for pid in $all; do
        awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null
    done | awk '{ total += $1 } END { print total + 0 }'
}

start_server() {  # start_server NAME MODE: sets server_pid and url
    local name=$1 server_mode=$2 port
    if [ "$name" = nginx ]; then
        port=$(free_port)
        mkdir -p "$scratch/www"
        [ -d "$scratch/www/flags" ] || "$bin_dir/flagserver" --export "$scratch/www/flags" >/dev/null || return 1
        cat > "$scratch/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
worker_rlimit_nofile $nofile;
pid $scratch/nginx.pid;
error_log $scratch/nginx-error.log;
events { worker_connections $((nofile / 2 > 20000 ? 20000 : nofile / 2)); }
http {
    access_log off;
    keepalive_requests 1000000;
    types { image/gif gif; }
    server { listen 127.0.0.1:$port backlog=4096; root $scratch/www; }
}
CONF
        taskset -c "$server_cpu" "$nginx" -e "$scratch/nginx-error.log" -p "$scratch" -c "$scratch/nginx.conf" \
            </dev/null >"$scratch/server.out" 2>&1 &
        server_pid=$!
    else
        local binary=$bin_dir/flagserver-$name options=()
        [ "$name" = pool ] || [ "$name" = prefork ] && options=(-j "$workers")
        [ "$server_mode" = delay ] && options+=(--mode delay --delay "$delay")
        rm -f "$scratch/port"
        taskset -c "$server_cpu" "$binary" "${options[@]}" --idle-timeout 30 --port-file "$scratch/port" \
            </dev/null >"$scratch/server.out" 2>"$scratch/server.err" &
        server_pid=$!
        for _ in $(seq 200); do [ -s "$scratch/port" ] && break; sleep 0.05; done
        port=$(cat "$scratch/port" 2>/dev/null)
    fi
    url="http://127.0.0.1:$port/flags/br/br.gif"
    for _ in $(seq 100); do
        curl -s -o /dev/null "$url" && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "server load: $name did not start: $(cat "$scratch"/server.err "$scratch"/nginx-error.log 2>/dev/null | tail -3)"
    return 1
}

started=$(date +%s)
echo "server load: $mode mode, servers:$servers; connections $levels; $runs run(s) of $duration s (DELAY $delay_duration s, delay $delay s); wrk on CPU $wrk_cpu, server on CPU $server_cpu; descriptor limit $nofile"
for name in $servers; do
    for server_mode in local delay; do
        [ "$name" = nginx ] && [ "$server_mode" = delay ] && continue   # nginx has no DELAY mode
        start_server "$name" "$server_mode" || continue
        sleep 0.2
        tree_pss "$server_pid" > "$raw/$name.idle.pss"
        for keep in $keeps; do
            [ "$server_mode" = delay ] && [ "$keep" = close ] && continue
            seconds=$duration
            [ "$server_mode" = delay ] && seconds=$delay_duration
            for connections in $levels; do
                # quick: LOCAL at the first level only, DELAY at the last only
                if [ "$mode" = quick ]; then
                    [ "$server_mode" = local ] && [ "$connections" != "${levels%% *}" ] && continue
                    [ "$server_mode" = delay ] && [ "$connections" != "${levels##* }" ] && continue
                else
                    [ "$keep" = close ] && [ "$connections" != 100 ] && continue
                    [ "$server_mode" = delay ] && [ "$connections" -lt 1000 ] && continue
                fi
                header=()
                [ "$keep" = close ] && header=(-H "Connection: close")
                for run in $(seq "$runs"); do
                    out=$raw/$name.$server_mode.$keep.$connections.$run
                    taskset -c "$wrk_cpu" wrk -t1 -c"$connections" -d"${seconds}s" --timeout 4s --latency \
                        "${header[@]}" "$url" >"$out.wrk" 2>&1 &
                    wrk_pid=$!
                    sleep "$(awk -v s="$seconds" 'BEGIN { print s / 2 }')"
                    tree_pss "$server_pid" > "$out.pss"
                    wait "$wrk_pid"
                done
                # Close what the last run left (an iterative server works through its backlog).
                sleep 0.1
            done
        done
        if [ "$server_mode" = local ] && [ "$mode" = full ]; then   # the slow clients (full mode)
            slow_port=${url#http://127.0.0.1:}
            $python "$scratch/slow.py" "${slow_port%%/*}" > "$raw/$name.slow" 2>&1
        fi
        stop_server
    done
done
meta=$(printf '{"duration_s": %s, "delay_duration_s": %s, "delay_s": %s, "runs": %s, "mode": "%s", "flag": "/flags/br/br.gif", "wrk_cpu": %s, "server_cpu": %s, "nofile": %s, "workers": %s, "levels_note": "%s", "elapsed_s": %s}' \
    "$duration" "$delay_duration" "$delay" "$runs" "$mode" "$wrk_cpu" "$server_cpu" "$nofile" "$workers" "$levels_note" "$(( $(date +%s) - started ))")
$python "$repo/scripts/sections/server_load.py" collect "$raw" "$run_dir/server-load.json" "$meta" |
    sed 's/^/server load: /'
echo "server load: $(( $(date +%s) - started )) s"
