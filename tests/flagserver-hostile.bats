#!/usr/bin/env bats
# flagserver-hostile: the flag server against hostile peers (issue 10 items 2
# and 8): slowloris drips, clients that read their answer a byte at a time,
# descriptor exhaustion by idle and slow connections, DEL in a field value,
# a 1 MiB URI. Loopback only; every client here stops by itself within
# seconds, and teardown kills what is left.
bats_require_minimum_version 1.5.0
load helpers
load flagserver-helpers

setup_file() {
    write_client_scripts
    # drip.py PORT COUNT INTERVAL SECONDS: COUNT clients, each sending one byte
    # of a request head that never ends every INTERVAL seconds, reconnecting
    # when the server closes it, for SECONDS; prints "connections N closed M".
    cat >"$BATS_FILE_TMPDIR/drip.py" <<'PY'
import resource, selectors, socket, sys, time
port, count, interval, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
head = b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n" + b"X-Drip: " + b"a" * 100000
def connect():
    sock = socket.socket()
    sock.setblocking(False)
    sock.connect_ex(("127.0.0.1", port))
    return [sock, 0]
clients = [connect() for _ in range(count)]
opened, closed = count, 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    for client in clients:
        sock, sent = client
        try:
            if sock.recv(65536, socket.MSG_DONTWAIT) == b"":
                raise ConnectionResetError
        except BlockingIOError:
            pass
        except OSError:
            sock.close(); closed += 1
            client[:] = connect(); opened += 1
            continue
        try:
            client[1] += sock.send(head[sent:sent + 1])
        except BlockingIOError:
            pass       # still connecting (in the server's backlog)
        except OSError:
            sock.close(); closed += 1
            client[:] = connect(); opened += 1
    time.sleep(interval)
print("connections %d closed %d" % (opened, closed))
PY
}

teardown() {
    [ -n "${DRIP_PID:-}" ] && { kill "$DRIP_PID" 2>/dev/null; wait "$DRIP_PID" 2>/dev/null || true; }
    if [ -n "${SERVER_PID:-}" ]; then
        stop_server
        [ "$server_status" -eq 0 ] || {
            echo "the server exited with $server_status; its stderr:"
            cat "$BATS_TEST_TMPDIR/server.err"
            return 1
        }
    fi
}

# Seconds curl took to fetch a flag (status 200 within 1 s), or fails.
served_within_a_second() {
    local result
    result=$(curl -s -o /dev/null --max-time 1 -w '%{http_code} %{time_total}' "$URL/br/br.gif") || true
    echo "normal client: $result"
    [[ "$result" == "200 "* ]]
}

@test "flagserver-hostile: slowloris (100 drips at 64 descriptors) does not keep a normal client out" {
    command -v prlimit >/dev/null || skip "prlimit not installed"
    SERVER_LAUNCHER="prlimit --nofile=64:64 --"
    start_server --idle-timeout 2
    # 100 clients dripping a byte every 0.5 s for 6 s: more than the server
    # has descriptors, and never idle for 2 s.
    $PYTHON "$BATS_FILE_TMPDIR/drip.py" "$PORT" 100 0.5 6 >"$BATS_TEST_TMPDIR/drip.out" &
    DRIP_PID=$!
    sleep 1.5
    for attempt in 1 2 3; do
        served_within_a_second
        sleep 0.5
    done
    kill -0 "$DRIP_PID"   # the drip went on all along
    wait "$DRIP_PID"; DRIP_PID=
    cat "$BATS_TEST_TMPDIR/drip.out"
    grep -q "out of descriptors" "$BATS_TEST_TMPDIR/server.err"
}

@test "flagserver-hostile: idle keep-alive connections filling the descriptors make room for a new one" {
    command -v prlimit >/dev/null || skip "prlimit not installed"
    SERVER_LAUNCHER="prlimit --nofile=64:64 --"
    start_server --idle-timeout 30
    # 80 clients that each fetch one flag and then hold the connection idle.
    $PYTHON - "$PORT" <<'PY' &
import socket, sys, time
request = b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n"
held = []
for _ in range(80):
    sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    sock.sendall(request)
    held.append(sock)
time.sleep(5)
PY
    DRIP_PID=$!
    sleep 1.5
    served_within_a_second
    served_within_a_second
}

@test "flagserver-hostile: a head dripped a byte at a time gets 408 at --header-timeout" {
    start_server --header-timeout 1 --idle-timeout 10
    run $PYTHON - "$PORT" <<'PY'
import socket, sys, time
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
sock.settimeout(0.2)
started = time.monotonic()
received = b""
for byte in b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
    try:
        sock.send(bytes([byte]))
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    except socket.timeout:
        pass
    except OSError:
        break
    if time.monotonic() - started > 5:
        break
print("%s after %.1f s" % (received.split(b"\r\n")[0].decode(), time.monotonic() - started))
PY
    echo "$output"
    [[ "$output" == "HTTP/1.1 408 Request Timeout after "* ]]
    took=${output##* after }; took=${took% s}
    holds "$took >= 0.9 && $took < 2.5"
}

@test "flagserver-hostile: a client reading its answers a few bytes at a time is closed at --response-timeout" {
    start_server --response-timeout 1 --idle-timeout 10
    run $PYTHON - "$PORT" <<'PY'
import socket, sys, time
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sock.connect(("127.0.0.1", int(sys.argv[1])))
sock.sendall(b"GET /flags/manifest.tsv HTTP/1.1\r\nHost: x\r\n\r\n" * 400)
started = time.monotonic()
state = "open"
while time.monotonic() - started < 8:
    try:
        if sock.recv(200) == b"":
            state = "closed"
            break
    except OSError:
        state = "closed"
        break
    time.sleep(0.05)   # 4 KB/s: never idle, far too slow for 2.5 MB
print("%s after %.1f s" % (state, time.monotonic() - started))
PY
    echo "$output"
    [[ "$output" == "closed after "* ]]
    took=${output##* after }; took=${took% s}
    holds "$took < 6"
}

@test "flagserver-hostile: DEL in a field value is 400, a 1 MiB URI 414, and the server goes on" {
    start_server
    run probe $'GET /flags/br/br.gif HTTP/1.1\\r\\nHost: x\\r\\nX-Del: a\x7fb\\r\\n\\r\\n'
    [[ "$output" == "HTTP/1.1 400 Bad Request"* && "$output" == *"<closed>" ]] || { echo "$output"; false; }
    run $PYTHON - "$PORT" <<'PY'
import socket, sys
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
try:
    sock.sendall(b"GET /flags/" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
except OSError:
    pass    # closed once it had the answer: what it has is what counts
print(sock.recv(4096).split(b"\r\n")[0].decode())
PY
    [ "$output" = "HTTP/1.1 414 URI Too Long" ] || { echo "$output"; false; }
    [ "$(status_of "$URL/br/br.gif")" = 200 ]
}
