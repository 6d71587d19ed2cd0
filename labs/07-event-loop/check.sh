#!/bin/bash
# check.sh FLAGSERVER - lab 7's checker. Starts a DELAY flag server on a
# free loopback port (FLAGSERVER if it is an executable, else the lab's
# delay_server.py), downloads the 20 flags with ./flags all at once, and
# requires all 20 within 2 delays. Stops the server on every way out.
# The last line is "PASS: ..." or "FAIL: <reason>"; exit 0 only on PASS.
cd "$(dirname "$0")" || exit 1
DELAY=0.5
LIMIT=1.0            # 2 x DELAY: concurrent downloads take about one delay

flagserver=${1:-}
if [ -n "$flagserver" ] && [ -x "$flagserver" ]; then
    server_command=("$flagserver")
else
    server_command=(/usr/bin/python3 ./delay_server.py)
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lab07-check.XXXXXX") || { echo "FAIL: mktemp failed"; exit 1; }
server_pid=
flags_pid=
cleanup() {
    [ -n "$flags_pid" ] && kill -TERM "$flags_pid" 2>/dev/null
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }

"${server_command[@]}" --mode delay --delay "$DELAY" --port 0 --port-file "$scratch/port" \
    >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    [ -s "$scratch/port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "the flag server (${server_command[*]}) exited: $(tail -1 "$scratch/server.log")"
    sleep 0.1
done
port=$(cat "$scratch/port" 2>/dev/null)
[[ $port =~ ^[0-9]+$ ]] || fail "the flag server wrote no port within 5 s"
echo "server: ${server_command[*]} --mode delay --delay $DELAY on 127.0.0.1:$port"

# In the background, so that a signal to this script is handled at once.
timeout -k 2 10 ./flags --port "$port" --timeout 3 --quiet >"$scratch/flags.out" 2>&1 &
flags_pid=$!
wait "$flags_pid"
status=$?
flags_pid=
summary=$(tail -1 "$scratch/flags.out")
echo "flags: $summary"
case $status in
    0) ;;
    124|137) fail "./flags did not finish within 10 s" ;;
    *) fail "not every flag arrived: $summary" ;;
esac
elapsed=$(sed -n 's/.* downloaded in \([0-9.]*\) s.*/\1/p' <<<"$summary")
[ -n "$elapsed" ] || fail "cannot read the time from: $summary"
awk -v elapsed="$elapsed" -v limit="$LIMIT" 'BEGIN { exit !(elapsed < limit) }' ||
    fail "20 downloads took $elapsed s; all at once they take about one delay ($DELAY s), the limit is $LIMIT s"
echo "PASS: 20 flags in $elapsed s from a $DELAY s DELAY server, on one thread"
