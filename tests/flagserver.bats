#!/usr/bin/env bats
# flagserver: the flag server under real clients (curl, wrk, Python's
# sockets and http.client), nginx serving the exported files, and
# scripts/flagservers.sh. Every test starts its own server on a free port
# and its teardown stops it (and nginx) and checks that it exited with 0, so
# a sanitizer report at exit fails the test.
bats_require_minimum_version 1.5.0
load helpers
load flagserver-helpers

setup_file() {
    write_client_scripts
}

@test "flagserver: a flag is a GIF that matches its manifest line" {
    start_server
    [[ "$(cat "$BATS_TEST_TMPDIR/server.out")" == "listening on $URL" ]]
    curl -sf -o "$BATS_TEST_TMPDIR/manifest.tsv" "$URL/manifest.tsv"
    [ "$(wc -l <"$BATS_TEST_TMPDIR/manifest.tsv")" -eq 249 ]
    # cc<TAB>size<TAB>16 hex digits, sorted by code, the codes of data/countries.tsv
    ! grep -Pv '^[a-z]{2}\t[0-9]+\t[0-9a-f]{16}$' "$BATS_TEST_TMPDIR/manifest.tsv"
    cut -f1 "$BATS_TEST_TMPDIR/manifest.tsv" | LC_ALL=C sort -c
    diff <(cut -f1 "$BATS_TEST_TMPDIR/manifest.tsv") <(cut -f1 data/countries.tsv | tr A-Z a-z)

    run curl -s -D "$BATS_TEST_TMPDIR/headers" -o "$BATS_TEST_TMPDIR/br.gif" -w '%{http_code}' "$URL/br/br.gif"
    [ "$output" = 200 ]
    grep -qi '^Content-Type: image/gif' "$BATS_TEST_TMPDIR/headers"
    size=$(stat -c %s "$BATS_TEST_TMPDIR/br.gif")
    grep -qi "^Content-Length: $size" "$BATS_TEST_TMPDIR/headers"
    [ "$(grep '^br	' "$BATS_TEST_TMPDIR/manifest.tsv")" = "br	$size	$(fnv1a64 "$BATS_TEST_TMPDIR/br.gif")" ]
    [[ "$(file -b "$BATS_TEST_TMPDIR/br.gif")" == "GIF image data, version 89a, 90 x 60" ]]
    # Uppercase is the same code.
    curl -sf -o "$BATS_TEST_TMPDIR/BR.gif" "$URL/BR/BR.gif"
    cmp "$BATS_TEST_TMPDIR/br.gif" "$BATS_TEST_TMPDIR/BR.gif"
    # Flags differ from country to country.
    curl -sf -o "$BATS_TEST_TMPDIR/us.gif" "$URL/us/us.gif"
    ! cmp -s "$BATS_TEST_TMPDIR/br.gif" "$BATS_TEST_TMPDIR/us.gif"
}

@test "flagserver: all 249 flags over one keep-alive connection match the manifest" {
    start_server
    curl -sf -o "$BATS_TEST_TMPDIR/manifest.tsv" "$URL/manifest.tsv"
    run $PYTHON "$BATS_FILE_TMPDIR/fetch_all.py" "$PORT" /flags "$BATS_TEST_TMPDIR/manifest.tsv"
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "249 flags ok" ]
}

@test "flagserver: the images decode to the pictures drawn (ImageMagick, if installed)" {
    plain_only
    [ -x /usr/bin/convert ] || skip "ImageMagick not installed"
    start_server
    for code in br cn fr us yt; do
        curl -sf -o "$BATS_TEST_TMPDIR/$code.gif" "$URL/$code/$code.gif"
        run /usr/bin/convert "$BATS_TEST_TMPDIR/$code.gif" -depth 8 rgb:-
        [ "$status" -eq 0 ]
        [ "${#output}" -gt 0 ]
        # 90 x 60 pixels, RGB: a fully decoded picture, not a truncated one.
        [ "$(/usr/bin/convert "$BATS_TEST_TMPDIR/$code.gif" -depth 8 rgb:- | wc -c)" -eq $((90 * 60 * 3)) ]
        # Three stripes: at least three colours.
        [ "$(/usr/bin/convert "$BATS_TEST_TMPDIR/$code.gif" -format %k info:)" -ge 3 ]
    done
}

@test "flagserver: 404 for unknown codes and any path outside the flags" {
    start_server
    [ "$(status_of "$URL/zz/zz.gif")" = 404 ]   # not assigned
    [ "$(status_of "$URL/aa/aa.gif")" = 404 ]
    [ "$(status_of "$URL/br/us.gif")" = 404 ]   # two different codes
    [ "$(status_of "$URL/br/br.png")" = 404 ]
    [ "$(status_of "$URL/b1/b1.gif")" = 404 ]
    [ "$(status_of "$URL/")" = 404 ]
    [ "$(status_of "http://127.0.0.1:$PORT/")" = 404 ]
    [ "$(status_of "$URL/bra/bra.gif")" = 404 ]
    run curl -s "$URL/zz/zz.gif"
    [ "$output" = "404 Not Found" ]
}

@test "flagserver: traversal attempts get 404 or 400, never a file" {
    start_server
    for target in /flags/../etc/passwd /flags/../../../../etc/passwd /flags/%2e%2e/%2e%2e/etc/passwd \
        /flags/br%2fbr.gif /flags/br/..%2fbr.gif //flags/br/br.gif /flags//br/br.gif \
        /flags/br/../br/br.gif /flags/./br/br.gif /flags/%62r/%62r.gif /etc/passwd \
        '/flags/br/br.gif%00' /flags/manifest.tsv/../br/br.gif; do
        run curl -s --path-as-is -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' "http://127.0.0.1:$PORT$target"
        [[ "$output" == 404 || "$output" == 400 ]] || { echo "$target: $output"; false; }
        ! grep -q root: "$BATS_TEST_TMPDIR/body"
        ! grep -q GIF "$BATS_TEST_TMPDIR/body"
    done
}

@test "flagserver: malformed requests get 400 and the connection closes" {
    start_server
    for request in 'GARBAGE\r\n\r\n' 'GET\r\n\r\n' 'GET /flags/br/br.gif\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/9.9\r\nHost: x\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost : x\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' \
        'GET  /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n' \
        'GET /flags/\x01/br.gif HTTP/1.1\r\nHost: x\r\n\r\n'; do
        run probe "$request"
        [[ "$output" == "HTTP/1.1 400 Bad Request"* ]] || { echo "$request -> $output"; false; }
        [[ "$output" == *"Connection: close"* && "$output" == *"<closed>" ]]
    done
    # The server is still there.
    [ "$(status_of "$URL/br/br.gif")" = 200 ]
}

@test "flagserver: other methods get 405, an oversized head 431, and the server goes on" {
    start_server
    run probe 'POST /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n'
    [[ "$output" == "HTTP/1.1 405 Method Not Allowed"* && "$output" == *"Allow: GET, HEAD"* ]]
    big=$(printf 'X-Filler: %09000d\\r\\n' 0)
    run probe "GET /flags/br/br.gif HTTP/1.1\\r\\nHost: x\\r\\n$big\\r\\n"
    [[ "$output" == "HTTP/1.1 431 "* && "$output" == *"<closed>" ]]
    # curl sees the answer, not a reset: the server reads and drops the rest
    # of what was sent before it closes (a lingering close).
    [ "$(status_of "$URL/br/br.gif" -H "X-Filler: $(printf '%020000d' 0)")" = 431 ]
    # A head that never ends is cut off at the cap too.
    run probe "GET /flags/br/br.gif HTTP/1.1\\r\\n$big$big"
    [[ "$output" == "HTTP/1.1 431 "* && "$output" == *"<closed>" ]]
    [ "$(status_of "$URL/br/br.gif")" = 200 ]
}

@test "flagserver: keep-alive by default, Connection: close and HTTP/1.0 honoured" {
    start_server
    run curl -sv -o /dev/null -o /dev/null "$URL/br/br.gif" "$URL/us/us.gif"
    [[ "$output" == *"Re-using existing connection"* ]]
    run curl -sv -H 'Connection: close' -o /dev/null -o /dev/null "$URL/br/br.gif" "$URL/us/us.gif"
    [[ "$output" != *"Re-using existing connection"* ]]
    [[ "$output" == *"Connection: close"* ]]
    # HTTP/1.0: closes after the answer unless keep-alive is asked for.
    run probe --wait 3 'GET /flags/br/br.gif HTTP/1.0\r\n\r\n'
    [[ "$output" == "HTTP/1.1 200 OK"* && "$output" == *"<closed>" ]]
    run probe --wait 0.5 'GET /flags/br/br.gif HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'
    [[ "$output" == "HTTP/1.1 200 OK"* && "$output" == *"Connection: keep-alive"* && "$output" == *"<open>" ]]
    run probe --wait 0.5 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n'
    [[ "$output" == *"<open>" ]]
}

@test "flagserver: pipelined requests are answered in order" {
    start_server
    run probe --wait 3 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\nGET /flags/zz/zz.gif HTTP/1.1\r\nHost: x\r\n\r\nGET /flags/manifest.tsv HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    [ "$(grep -ao 'HTTP/1.1 [0-9]*' <<<"$output" | cut -d' ' -f2 | tr '\n' ' ')" = "200 404 200 " ]
    [[ "$output" == *"<closed>" ]]
    # A request split across two writes is put together.
    run probe --pause 0.2 --wait 1 'GET /flags/br/b' 'r.gif HTTP/1.1\r\nHost: x\r\n\r\n'
    [[ "$output" == "HTTP/1.1 200 OK"* ]]
}

@test "flagserver: a client that reads slowly gets every byte (partial writes, EPOLLOUT)" {
    start_server
    # 400 pipelined manifest requests (about 3.5 MB of answers) sent before
    # reading anything: far more than the socket buffers hold, so the
    # server must keep the rest and write it as the client drains it.
    run $PYTHON - "$PORT" <<'EOF'
import socket, sys, time
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
request = b"GET /flags/manifest.tsv HTTP/1.1\r\nHost: x\r\n\r\n"
sock.sendall(request * 399 + request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
time.sleep(0.5)
received = bytearray()
while True:
    chunk = sock.recv(4096)
    if not chunk:
        break
    received += chunk
    time.sleep(0.0002)
received = bytes(received)
bodies = []
while received:
    head, _, received = received.partition(b"\r\n\r\n")
    fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
    length = int(fields[b"Content-Length"])
    bodies.append(received[:length])
    received = received[length:]
print(len(bodies), len(set(bodies)), len(bodies[0]))
EOF
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "400 1 $(curl -s "$URL/manifest.tsv" | wc -c)" ] || { echo "$output"; false; }
}

@test "flagserver: clients that reset or vanish cost only their own connection" {
    start_server --mode delay --delay 0.2
    # 20 clients send a request and reset the connection at once (SO_LINGER
    # 0), 20 more hang up mid-answer of a big pipeline; the server lives on.
    run $PYTHON - "$PORT" <<'EOF'
import socket, struct, sys
port = int(sys.argv[1])
for _ in range(20):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
for _ in range(20):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /flags/manifest.tsv HTTP/1.1\r\nHost: x\r\n\r\n" * 100)
    sock.recv(1000)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
print("done")
EOF
    [ "$output" = done ]
    sleep 0.3   # the delayed answers meet closed sockets now
    [ "$(status_of "$URL/br/br.gif")" = 200 ]
    kill -0 "$SERVER_PID"
}

@test "flagserver: HEAD has the headers and no body" {
    start_server
    size=$(curl -s "$URL/br/br.gif" | wc -c)
    # HEAD then GET on one connection: right after HEAD's blank line comes
    # the GET's status line, so HEAD sent no body.
    run probe --wait 3 'HEAD /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\nGET /flags/zz/zz.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    [[ "$output" == "HTTP/1.1 200 OK"* && "$output" == *"Content-Length: $size"* ]]
    [[ "$output" == *$'\r\n\r\nHTTP/1.1 404 Not Found\r\n'* ]]
    run curl -sI "$URL/manifest.tsv"
    [[ "$output" == *"Content-Type: text/tab-separated-values"* ]]
}

@test "flagserver: delay mode waits on a timer; 50 parallel requests take about one delay" {
    [ "${FLAGSERVER_MODEL:-}" != iterative ] || skip "the iterative server serves one at a time, by design"
    start_server --mode delay --delay 0.4
    started=$(date +%s.%N)
    [ "$(status_of "$URL/br/br.gif")" = 200 ]
    one=$(elapsed_since "$started")
    holds "$one >= 0.4" || { echo "one request took $one s"; false; }
    # The manifest is never delayed.
    started=$(date +%s.%N)
    curl -sf -o /dev/null "$URL/manifest.tsv"
    holds "$(elapsed_since "$started") < 0.3"
    # 50 at once: serially 20 s, here about 0.4 s.
    urls=()
    for code in $(cut -f1 data/countries.tsv | head -50 | tr A-Z a-z); do
        urls+=(-o /dev/null "$URL/$code/$code.gif")
    done
    started=$(date +%s.%N)
    run curl -s --parallel --parallel-max 50 --parallel-immediate -w '%{http_code}\n' "${urls[@]}"
    all=$(elapsed_since "$started")
    [ "$(grep -c '^200$' <<<"$output")" -eq 50 ]
    holds "$all < 4" || { echo "50 parallel requests took $all s"; false; }
}

@test "flagserver: error mode fails a seeded fraction, the same one for the same seed" {
    codes=$(cut -f1 data/countries.tsv | head -40 | tr A-Z a-z)
    fetch_statuses() {
        local urls=() code
        for code in $codes; do urls+=(-o /dev/null "$URL/$code/$code.gif"); done
        curl -s -w '%{http_code}\n' "${urls[@]}"
    }
    start_server --mode error --error-rate 0.5 --delay 0.02 --seed 7
    first=$(fetch_statuses)
    stop_server
    [ "$server_status" -eq 0 ]
    errors=$(grep -c '^500$' <<<"$first")
    ok=$(grep -c '^200$' <<<"$first")
    [ $((errors + ok)) -eq 40 ]
    [ "$errors" -ge 8 ] && [ "$errors" -le 32 ] || { echo "$errors errors of 40"; false; }
    start_server --mode error --error-rate 0.5 --delay 0.02 --seed 7
    [ "$(fetch_statuses)" = "$first" ]
    stop_server
    start_server --mode error --error-rate 0.5 --delay 0.02 --seed 8
    [ "$(fetch_statuses)" != "$first" ]
    stop_server
    # Rate 1: every flag fails, the manifest never does; unknown codes fail too.
    start_server --mode error --error-rate 1 --delay 0
    [ "$(status_of "$URL/br/br.gif")" = 500 ]
    [ "$(status_of "$URL/zz/zz.gif")" = 500 ]
    [ "$(status_of "$URL/manifest.tsv")" = 200 ]
}

@test "flagserver: error mode delays about half of the requests" {
    start_server --mode error --error-rate 0 --delay 0.3 --seed 3
    slow=0
    for code in $(cut -f1 data/countries.tsv | head -12 | tr A-Z a-z); do
        took=$(curl -s -o /dev/null -w '%{time_total}' "$URL/$code/$code.gif")
        holds "$took >= 0.3" && slow=$((slow + 1))
    done
    [ "$slow" -ge 2 ] && [ "$slow" -le 10 ] || { echo "$slow of 12 delayed"; false; }
}

@test "flagserver: an idle connection is closed after --idle-timeout" {
    start_server --idle-timeout 0.5
    started=$(date +%s.%N)
    run probe --wait 5
    took=$(elapsed_since "$started")
    [ "$output" = "<closed>" ]
    holds "$took >= 0.4 && $took < 3" || { echo "closed after $took s"; false; }
    # A connection in use is not idle: three requests 0.3 s apart, then idle.
    run probe --pause 0.3 --wait 5 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n' \
        'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n' 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n'
    [ "$(grep -ao 'HTTP/1.1 200' <<<"$output" | wc -l)" -eq 3 ]
    [[ "$output" == *"<closed>" ]]
}

@test "flagserver: SIGTERM and SIGINT stop it with status 0 and free the port" {
    for signal in TERM INT; do
        start_server
        port=$PORT
        # a client connected and one request waiting does not hold it up
        exec 5<>"/dev/tcp/127.0.0.1/$port"
        kill -"$signal" "$SERVER_PID"
        server_status=0
        wait "$SERVER_PID" || server_status=$?
        SERVER_PID=
        exec 5>&-
        [ "$server_status" -eq 0 ]
        [ ! -e "$BATS_TEST_TMPDIR/server.port" ]   # the port file goes with it
        run curl -s -o /dev/null "http://127.0.0.1:$port/flags/manifest.tsv"
        [ "$status" -eq 7 ]   # connection refused
        # and another server could listen there now
        $PYTHON -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()' "$port"
    done
}

@test "flagserver: holds 1000 connections at once" {
    start_server
    run $PYTHON "$BATS_FILE_TMPDIR/many.py" "$PORT" 1000
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "1000 of 1000 ok" ]
}

@test "flagserver: out of descriptors, it pauses accepting and serves everyone in turn" {
    command -v prlimit >/dev/null || skip "prlimit not installed"
    SERVER_LAUNCHER="prlimit --nofile=48:48 --"
    start_server
    run $PYTHON "$BATS_FILE_TMPDIR/many.py" "$PORT" 150
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "150 of 150 ok" ]
    # Only the models that hold many connections in one process run out
    # (pthread only when its threads are slower than the clients, as under
    # TSan they may not be: its check is the 150 served).
    case ${FLAGSERVER_MODEL:-eventloop} in
    eventloop | pool) grep -q "accept4: Too many open files" "$BATS_TEST_TMPDIR/server.err" ;;
    esac
}

@test "flagserver: --export writes the 249 files and the manifest the server serves" {
    export_dir=$BATS_TEST_TMPDIR/www/flags
    run "$SERVER_BIN" --export "$export_dir"
    [ "$status" -eq 0 ]
    [ "$(find "$export_dir" -name '*.gif' | wc -l)" -eq 249 ]
    start_server
    curl -sf "$URL/manifest.tsv" | cmp - "$export_dir/manifest.tsv"
    while IFS=$'\t' read -r code size checksum; do
        [ "$(stat -c %s "$export_dir/$code/$code.gif")" -eq "$size" ]
    done <"$export_dir/manifest.tsv"
    for code in br cn us; do
        [ "$(fnv1a64 "$export_dir/$code/$code.gif")" = "$(grep "^$code	" "$export_dir/manifest.tsv" | cut -f3)" ]
        curl -sf "$URL/$code/$code.gif" | cmp - "$export_dir/$code/$code.gif"
    done
    # Exporting into a place that cannot be written is an error naming it.
    run "$SERVER_BIN" --export /proc/no-such-dir
    [ "$status" -eq 1 ]
    [[ "$output" == *"mkdir /proc/no-such-dir"* ]]
}

@test "flagserver: nginx serves the exported files byte for byte the same" {
    [ -x /usr/sbin/nginx ] || skip "nginx not installed"
    "$SERVER_BIN" --export "$BATS_TEST_TMPDIR/www/flags"
    start_nginx "$BATS_TEST_TMPDIR/www"
    start_server
    run $PYTHON "$BATS_FILE_TMPDIR/fetch_all.py" "$NGINX_PORT" /flags "$BATS_TEST_TMPDIR/www/flags/manifest.tsv"
    [ "$output" = "249 flags ok" ] || { echo "$output"; false; }
    for code in br fr jp; do
        cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT/flags/$code/$code.gif") <(curl -sf "$URL/$code/$code.gif")
    done
    cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT/flags/manifest.tsv") <(curl -sf "$URL/manifest.tsv")
}

@test "flagserver: wrk -c100 for 1 s: no socket errors, all 200" {
    start_server
    run wrk -t1 -c100 -d1s "$URL/br/br.gif"
    [ "$status" -eq 0 ]
    [[ "$output" != *"Socket errors"* && "$output" != *"Non-2xx"* ]] || { echo "$output"; false; }
    requests=$(awk '/requests in/ {print $1}' <<<"$output")
    [ "$requests" -gt 100 ]
}

@test "flagserver: usage errors exit 2 and name the bad value" {
    plain_only
    expect_usage_error "'fast'" "$SERVER_BIN" --mode fast
    expect_usage_error "'70000'" "$SERVER_BIN" --port 70000
    expect_usage_error "'-1'" "$SERVER_BIN" --port -1
    expect_usage_error "'abc'" "$SERVER_BIN" --mode delay --delay abc
    expect_usage_error "'2'" "$SERVER_BIN" --mode error --error-rate 2
    expect_usage_error "'0.5'" "$SERVER_BIN" --delay 0.5
    expect_usage_error "'0.1'" "$SERVER_BIN" --mode delay --error-rate 0.1
    # zero is no fault, so it fits any mode
    run "$SERVER_BIN" --mode local --delay 0 --error-rate 0 --export "$BATS_TEST_TMPDIR/zero"
    [ "$status" -eq 0 ]
    expect_usage_error "--frobnicate" "$SERVER_BIN" --frobnicate
    expect_usage_error "--port" "$SERVER_BIN" --port
    expect_usage_error "stray" "$SERVER_BIN" stray
    run "$SERVER_BIN" --help
    [ "$status" -eq 0 ]
    for option in --mode --delay --error-rate --seed --port --port-file --idle-timeout --export; do
        [[ "$output" == *"$option"* ]]
    done
}

@test "flagserver: a port in use is an error naming bind" {
    start_server
    run --separate-stderr "$SERVER_BIN" --port "$PORT"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"bind 127.0.0.1:$PORT"* ]]
}

@test "flagservers.sh: start runs LOCAL, DELAY and ERROR, stop leaves nothing" {
    SERVERS_DIR=$BATS_TEST_TMPDIR/servers
    export FLAGSERVER=$SERVER_BIN
    run scripts/flagservers.sh start "$SERVERS_DIR"
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    for label in local delay error; do
        [ -s "$SERVERS_DIR/$label.port" ] && [ -s "$SERVERS_DIR/$label.pid" ]
        [[ "$output" == *"$label: http://127.0.0.1:$(<"$SERVERS_DIR/$label.port")/flags"* ]]
    done
    local_url=http://127.0.0.1:$(<"$SERVERS_DIR/local.port")/flags
    delay_url=http://127.0.0.1:$(<"$SERVERS_DIR/delay.port")/flags
    [ "$(status_of "$local_url/br/br.gif")" = 200 ]
    took=$(curl -s -o /dev/null -w '%{time_total}' "$delay_url/br/br.gif")
    holds "$took >= 0.5"
    pids=$(cat "$SERVERS_DIR"/*.pid)
    run scripts/flagservers.sh stop "$SERVERS_DIR"
    [ "$status" -eq 0 ]
    for pid in $pids; do
        ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ]
    done
    [ -z "$(ls "$SERVERS_DIR"/*.pid "$SERVERS_DIR"/*.port 2>/dev/null)" ]
    [ "$(status_of "$local_url/br/br.gif")" = 000 ]
    run scripts/flagservers.sh status "$SERVERS_DIR"
    [ "$(grep -c 'not running' <<<"$output")" -eq 3 ]
}

@test "flagservers.sh: with an owner pid, the servers stop when the owner dies" {
    SERVERS_DIR=$BATS_TEST_TMPDIR/servers
    export FLAGSERVER=$SERVER_BIN
    sleep 30 </dev/null >/dev/null 2>&1 3>&- &
    owner=$!
    scripts/flagservers.sh start "$SERVERS_DIR" "$owner" >/dev/null
    pids=$(cat "$SERVERS_DIR"/{local,delay,error}.pid)
    kill "$owner"
    wait "$owner" || true
    gone() {
        local pid
        for pid in $pids; do
            ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ] || return 1
        done
    }
    for attempt in $(seq 100); do
        gone && break
        sleep 0.1
    done
    gone
    [ ! -e "$SERVERS_DIR/watchdog.pid" ]
}

@test "flagserver: no server, nginx or watchdog of these tests is left running" {
    # Everything these tests start names a path under $BATS_RUN_TMPDIR.
    for pattern in "flagserver[-a-z]* .*$BATS_RUN_TMPDIR" "nginx .*$BATS_RUN_TMPDIR" \
        "flagservers-watchdog .*$BATS_RUN_TMPDIR"; do
        leftovers=$(live_processes "$pattern")
        [ -z "$leftovers" ] || {
            for pid in $leftovers; do echo "left running: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline")"; done
            false
        }
    done
}
