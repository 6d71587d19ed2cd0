#!/usr/bin/env bash
# scripts/flagservers.sh start|stop|status DIR [OWNER_PID]
#
# The three flag servers of the notes' flags example, on loopback:
#   LOCAL  --mode local                                -> DIR/local.port
#   DELAY  --mode delay --delay 0.5                    -> DIR/delay.port
#   ERROR  --mode error --error-rate 0.25 --delay 0.5  -> DIR/error.port
# Each writes DIR/<label>.pid and logs to DIR/<label>.log.
#
#   start DIR [OWNER_PID]  stops whatever a previous start left in DIR, starts
#                          the three, waits until each has written its port
#                          file and prints the URLs. With OWNER_PID (say $$ of
#                          a benchmark script), a watchdog stops the servers
#                          as soon as that process is gone, even if it was
#                          killed before it could call stop.
#   stop DIR               SIGTERM to each server (by pid file), waits for it
#                          to exit (SIGKILL after 5 s), removes pid and port files.
#   status DIR             prints each label's URL, or "not running".
#
# FLAGSERVER=path/to/flagserver overrides the binary (default bin/flagserver
# of this repository). FLAGSERVER_ARGS adds options to all three (e.g. -v).
# FLAGS_DELAY sets the DELAY and ERROR servers' delay (default 0.5 s; the
# benchmark's statistics rows use a shorter one, set in workloads/http/bench.conf).
set -euo pipefail

labels=(local delay error)
mode_args() {
    case $1 in
    local) echo "--mode local" ;;
    delay) echo "--mode delay --delay ${FLAGS_DELAY:-0.5}" ;;
    error) echo "--mode error --error-rate 0.25 --delay ${FLAGS_DELAY:-0.5}" ;;
    esac
}

usage() {
    echo "usage: $0 start|stop|status DIR [OWNER_PID]" >&2
    exit 2
}

# True if pid file $1 names a live flagserver (not a recycled pid).
running_pid() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -e flagserver -e watchdog || return 1
    echo "$pid"
}

stop_pid_file() {  # stop_pid_file FILE
    local pid waited=0
    if pid=$(running_pid "$1"); then
        kill -TERM "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do
            # A zombie child of ours (same shell) counts as gone.
            [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
            if [ $waited -ge 50 ]; then
                echo "flagservers: pid $pid ignored SIGTERM for 5 s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
    fi
    rm -f "$1"
}

stop() {
    local dir=$1 label
    # The watchdog first, so it does not race us.
    stop_pid_file "$dir/watchdog.pid"
    for label in "${labels[@]}"; do
        stop_pid_file "$dir/$label.pid"
        rm -f "$dir/$label.port"
    done
}

status() {
    local dir=$1 label
    for label in "${labels[@]}"; do
        if running_pid "$dir/$label.pid" >/dev/null && [ -s "$dir/$label.port" ]; then
            echo "$label: http://127.0.0.1:$(<"$dir/$label.port")/flags"
        else
            echo "$label: not running"
        fi
    done
}

start() {
    local dir=$1 owner=${2:-} label pid waited
    local server=${FLAGSERVER:-$(cd "$(dirname "$0")/.." && pwd)/bin/flagserver}
    [ -x "$server" ] || { echo "flagservers: no server binary at $server (run make)" >&2; exit 1; }
    mkdir -p "$dir"
    stop "$dir"
    for label in "${labels[@]}"; do
        # shellcheck disable=SC2046 # word splitting of the options is meant
        "$server" $(mode_args "$label") ${FLAGSERVER_ARGS:-} --port 0 \
            --port-file "$dir/$label.port" </dev/null >"$dir/$label.log" 2>&1 3>&- &
        echo $! >"$dir/$label.pid"
    done
    for label in "${labels[@]}"; do
        pid=$(<"$dir/$label.pid")
        waited=0
        until [ -s "$dir/$label.port" ]; do
            if ! kill -0 "$pid" 2>/dev/null || [ $waited -ge 100 ]; then
                echo "flagservers: the $label server did not start; its log:" >&2
                cat "$dir/$label.log" >&2
                stop "$dir"
                exit 1
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
    done
    if [ -n "$owner" ]; then
        # The watchdog: a small loop that outlives us, stops the servers
        # when the owner is gone, then exits. Its name says what it is.
        (exec -a flagservers-watchdog bash -c '
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            rm -f "$3/watchdog.pid"
            exec "$2" stop "$3"' flagservers-watchdog "$owner" "$0" "$dir") \
            </dev/null >/dev/null 2>&1 3>&- &
        echo $! >"$dir/watchdog.pid"
    fi
    status "$dir"
}

[ $# -ge 2 ] || usage
case $1 in
start) start "$2" "${3:-}" ;;
stop) stop "$2" ;;
status) status "$2" ;;
*) usage ;;
esac
