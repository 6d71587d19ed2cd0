# tests/flagserver-helpers.bash - what the flag server's bats files share
# (tests/flagserver.bats, tests/flagserver-hostile.bats): load it with
# `load flagserver-helpers` after `load helpers`.
#
# FLAGSERVER_MODEL picks the server model under test: empty (the default)
# is bin/flagserver, NAME is bin/flagserver-NAME. tests/flagserver-models.bats
# runs tests/flagserver.bats once per model that way; FLAGSERVER_ARGS are
# extra options for the model (the pools get -j 64).

PYTHON=/usr/bin/python3
SERVER_BIN=$BIN/flagserver${FLAGSERVER_MODEL:+-$FLAGSERVER_MODEL}

# Writes the Python clients the tests use into $BATS_FILE_TMPDIR.
write_client_scripts() {
    # A raw HTTP probe: sends the bytes given (with \r\n escapes), prints what
    # comes back, then "<closed>" if the server closed the connection or
    # "<open>" if it was still open after --wait seconds of silence.
    cat >"$BATS_FILE_TMPDIR/probe.py" <<'EOF'
import argparse, socket, sys, time
parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("request", nargs="*", help="sent one after the other")
parser.add_argument("--wait", type=float, default=2.0)
parser.add_argument("--pause", type=float, default=0.0, help="between requests")
options = parser.parse_intermixed_args()
sock = socket.create_connection(("127.0.0.1", options.port))
for index, request in enumerate(options.request):
    if index and options.pause:
        time.sleep(options.pause)
    sock.sendall(request.encode("latin-1").decode("unicode_escape").encode("latin-1"))
sock.settimeout(options.wait)
received = b""
state = "<open>"
try:
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            state = "<closed>"
            break
        received += chunk
except socket.timeout:
    pass
except ConnectionResetError:
    state = "<closed>"
# (NUL bytes of GIF bodies shown as \0: a shell variable cannot hold them)
sys.stdout.write(received.replace(b"\0", b"\\0").decode("latin-1") + state + "\n")
EOF
    # Fetches every flag of a manifest over ONE keep-alive connection and
    # checks size and FNV-1a 64 of each; prints "N flags ok".
    cat >"$BATS_FILE_TMPDIR/fetch_all.py" <<'EOF'
import http.client, sys
port, prefix, manifest = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def fnv1a64(data):
    value = 0xcbf29ce484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % value
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
count = 0
for line in open(manifest):
    code, size, checksum = line.rstrip("\n").split("\t")
    connection.request("GET", "%s/%s/%s.gif" % (prefix, code, code))
    response = connection.getresponse()
    body = response.read()
    if response.status != 200 or response.getheader("Content-Type") != "image/gif":
        sys.exit("%s: status %d, type %s" % (code, response.status, response.getheader("Content-Type")))
    if len(body) != int(size) or fnv1a64(body) != checksum:
        sys.exit("%s: %d bytes, %s; manifest says %s, %s" % (code, len(body), fnv1a64(body), size, checksum))
    count += 1
print("%d flags ok" % count)
EOF
    # Opens N connections at once, sends a request on each, reads every answer.
    cat >"$BATS_FILE_TMPDIR/many.py" <<'EOF'
import resource, socket, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
request = b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
sockets = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(count)]
for sock in sockets:
    sock.sendall(request)
ok = 0
for sock in sockets:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    ok += data.startswith(b"HTTP/1.1 200 OK\r\n")
    sock.close()
print("%d of %d ok" % (ok, count))
EOF
}

teardown() {
    stop_nginx
    if [ -n "${SERVER_PID:-}" ]; then
        stop_server
        [ "$server_status" -eq 0 ] || {
            echo "the server exited with $server_status; its stderr:"
            cat "$BATS_TEST_TMPDIR/server.err"
            return 1
        }
    fi
    if [ -n "${SERVERS_DIR:-}" ]; then
        scripts/flagservers.sh stop "$SERVERS_DIR"
    fi
}

# Starts bin/flagserver with the given options on a free port; sets
# SERVER_PID, PORT and URL (the base, http://127.0.0.1:PORT/flags).
# SERVER_LAUNCHER, if set, is a command put in front (such as prlimit).
start_server() {
    local port_file=$BATS_TEST_TMPDIR/server.port waited=0
    rm -f "$port_file"
    # shellcheck disable=SC2086  # FLAGSERVER_ARGS: words for the model (-j 64)
    ${SERVER_LAUNCHER:-} "$SERVER_BIN" ${FLAGSERVER_ARGS:-} --port 0 --port-file "$port_file" "$@" \
        >"$BATS_TEST_TMPDIR/server.out" 2>"$BATS_TEST_TMPDIR/server.err" </dev/null 3>&- &
    SERVER_PID=$!
    until [ -s "$port_file" ]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null || [ $waited -ge 200 ]; then
            echo "the server did not start: $(cat "$BATS_TEST_TMPDIR/server.err")"
            return 1
        fi
        sleep 0.05
        waited=$((waited + 1))
    done
    PORT=$(<"$port_file")
    URL=http://127.0.0.1:$PORT/flags
}

# Stops it with SIGTERM; sets server_status to its exit status.
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    server_status=0
    wait "$SERVER_PID" || server_status=$?
    SERVER_PID=
}

start_nginx() {  # start_nginx ROOT; sets NGINX_PORT
    NGINX_PORT=$($PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local dir=$BATS_TEST_TMPDIR/nginx waited=0
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
user root;
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
    access_log off;
    types { image/gif gif; text/tab-separated-values tsv; }
    server { listen 127.0.0.1:$NGINX_PORT; root $1; }
}
EOF
    /usr/sbin/nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" </dev/null >"$dir/out" 2>&1 3>&- &
    NGINX_PID=$!
    until curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do
        if ! kill -0 "$NGINX_PID" 2>/dev/null || [ $waited -ge 100 ]; then
            echo "nginx did not start: $(cat "$dir/out" "$dir/error.log")"
            return 1
        fi
        sleep 0.05
        waited=$((waited + 1))
    done
}

stop_nginx() {
    if [ -n "${NGINX_PID:-}" ]; then
        kill -TERM "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" || true
        NGINX_PID=
    fi
}

# True if the arithmetic condition holds: `holds "$took >= 0.4"`.
holds() {
    awk "BEGIN { exit !($1) }"
}

elapsed_since() {  # elapsed_since START: seconds since START (date +%s.%N)
    awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.3f", now - start }'
}

fnv1a64() {  # fnv1a64 FILE
    $PYTHON -c 'import sys
value = 0xcbf29ce484222325
for byte in open(sys.argv[1], "rb").read():
    value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print("%016x" % value)' "$1"
}

probe() {  # probe [--wait S] request...: raw bytes to the server
    $PYTHON "$BATS_FILE_TMPDIR/probe.py" "$PORT" "$@"
}

status_of() {  # status_of URL [curl options]: prints the HTTP status
    curl -s -o /dev/null -w '%{http_code}' "$@"
}

# Processes whose command line matches the extended regular expression,
# zombies (exited, waiting for their reaper) left out. Reads /proc itself:
# no procps needed.
live_processes() {  # live_processes PATTERN
    local entry pid
    for entry in /proc/[0-9]*; do
        pid=${entry#/proc/}
        [ "$pid" = "$BASHPID" ] && continue
        tr '\0' ' ' 2>/dev/null <"$entry/cmdline" | grep -Eq -- "$1" || continue
        [ "$(awk '{print $3}' "$entry/stat" 2>/dev/null || echo Z)" = Z ] || echo "$pid"
    done
}

