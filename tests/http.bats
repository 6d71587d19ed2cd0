#!/usr/bin/env bats
# http: the flag clients in every model against the project's flag server
# (LOCAL, DELAY, ERROR), a real nginx serving the same files, a port where
# nothing listens and a server that never answers. Everything on 127.0.0.1;
# every server this file starts is stopped in teardown_file.
bats_require_minimum_version 1.5.0
load helpers

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_file() {  # wait_for_file FILE PID: until FILE is non-empty, while PID lives
    local tries
    for tries in $(seq 100); do
        [ -s "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

start_flagserver() {  # start_flagserver LABEL options...: port in $SERVERS/LABEL.port
    local label=$1; shift
    "$FLAGSERVER" "$@" --port 0 --port-file "$SERVERS/$label.port" \
        </dev/null >"$SERVERS/$label.log" 2>&1 3>&- &
    echo $! >"$SERVERS/$label.pid"
    wait_for_file "$SERVERS/$label.port" $! || {
        echo "the $label flag server did not start:" >&2; cat "$SERVERS/$label.log" >&2; return 1; }
}

stop_pid_file() {  # SIGTERM, wait up to 5 s (a zombie counts as gone), then SIGKILL
    local pid tries
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill -TERM "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    for tries in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$1"
}

setup_file() {
    export FLAGSERVER=${FLAGSERVER:-$BIN/flagserver}
    [ -x "$FLAGSERVER" ] || { echo "no flag server at $FLAGSERVER (make it first)" >&2; return 1; }
    export SERVERS=$BATS_FILE_TMPDIR/servers
    export FLAGS_SERVERS_DIR=$SERVERS      # -s LOCAL/DELAY/ERROR read the port files here
    mkdir -p "$SERVERS"
    start_flagserver local --mode local
    start_flagserver delay --mode delay --delay 0.2
    start_flagserver error --mode error --error-rate 0.25 --delay 0.1 --seed 1

    # The same files, exported and served by nginx (one process, no daemon).
    export EXPORT=$BATS_FILE_TMPDIR/export
    "$FLAGSERVER" --export "$EXPORT" >/dev/null
    export MANIFEST=$EXPORT/manifest.tsv
    export KNOWN=$(wc -l <"$MANIFEST")
    local nginx_dir=$BATS_FILE_TMPDIR/nginx port
    mkdir -p "$nginx_dir"
    port=$(free_port)
    cat >"$nginx_dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $nginx_dir/body;
    proxy_temp_path $nginx_dir/proxy;
    fastcgi_temp_path $nginx_dir/fastcgi;
    uwsgi_temp_path $nginx_dir/uwsgi;
    scgi_temp_path $nginx_dir/scgi;
    server {
        listen 127.0.0.1:$port;
        location /flags/ { alias $EXPORT/; }
    }
}
EOF
    nginx -p "$nginx_dir" -c "$nginx_dir/nginx.conf" -e "$nginx_dir/error.log" \
        </dev/null >"$nginx_dir/stdout.log" 2>&1 3>&- &
    echo $! >"$SERVERS/nginx.pid"
    local tries
    for tries in $(seq 50); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/flags/manifest.tsv" && break
        sleep 0.1
    done
    export NGINX=http://127.0.0.1:$port/flags
    curl -sf -o /dev/null "$NGINX/manifest.tsv" || {
        echo "nginx did not start:" >&2; cat "$nginx_dir/error.log" >&2; return 1; }

    # A port where nothing listens, and a server that accepts and never answers.
    export DEAD=http://127.0.0.1:$(free_port)/flags
    /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1000)
print(s.getsockname()[1], flush=True); time.sleep(120)' \
        </dev/null >"$SERVERS/stall.port" 2>&1 3>&- &
    echo $! >"$SERVERS/stall.pid"
    wait_for_file "$SERVERS/stall.port" $!
    export STALL=http://127.0.0.1:$(cat "$SERVERS/stall.port")/flags
}

teardown_file() {
    local label
    for label in local delay error nginx stall; do
        stop_pid_file "$SERVERS/$label.pid"
    done
}

# Every file in DIR is a flag (xx.gif), byte for byte the exported one.
saved_flags_match() {  # saved_flags_match DIR
    local dir=$1 name saved=() exported=()
    for name in $(ls -A "$dir"); do
        [[ $name =~ ^[a-z][a-z]\.gif$ ]] || { echo "unexpected file in $dir: $name" >&2; return 1; }
        saved+=("$dir/$name")
        exported+=("$EXPORT/${name%.gif}/$name")
    done
    [ ${#saved[@]} -eq 0 ] || cmp <(cat "${saved[@]}") <(cat "${exported[@]}")
}

# DIR holds exactly the flags of these codes, and they match.
dest_holds_exactly() {  # dest_holds_exactly DIR code...
    local dir=$1 code; shift
    local expected actual
    expected=$(for code in "$@"; do echo "${code,,}.gif"; done | sort | tr '\n' ' ')
    actual=$(ls -A "$dir" | sort | tr '\n' ' ')
    [ "$expected" = "$actual" ] || { echo "in $dir: '$actual', expected '$expected'" >&2; return 1; }
    saved_flags_match "$dir"
}

counts() {  # "ok not_found errors" of $record
    jq -r '.result | "\(.ok) \(.not_found) \(.errors)"' <<<"$record"
}

POP20="BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN"

@test "http: every model downloads the 20 default flags from LOCAL, and they match" {
    for model in $MODELS; do
        dest=$BATS_TEST_TMPDIR/$model
        run_record http "$model" -s LOCAL --dest "$dest"
        [ "$(counts)" = "20 0 0" ] || { echo "$model: $(counts)"; false; }
        [ "$(json .tasks "$record")" -eq 20 ]
        dest_holds_exactly "$dest" $POP20
    done
}

@test "http: -e (AA..ZZ) against LOCAL: the same counts in every model, all known codes ok" {
    for model in $MODELS; do
        run_record http "$model" -s LOCAL -e -m 50 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$(counts)" = "$KNOWN $((676 - KNOWN)) 0" ] || { echo "$model: $(counts)"; false; }
        [ "$(ls "$BATS_TEST_TMPDIR/$model" | wc -l)" -eq "$KNOWN" ]
        saved_flags_match "$BATS_TEST_TMPDIR/$model"
    done
}

@test "http: -a downloads every code in the manifest" {
    for model in $MODELS; do
        [[ $model == pthread || $model == eventloop ]] || continue
        run_record http "$model" -s LOCAL -a -m 50 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$(counts)" = "$KNOWN 0 0" ]
        [ "$(json .tasks "$record")" -eq "$KNOWN" ]
    done
}

@test "http: DELAY: concurrent models overlap the waits; serial waits for each" {
    for model in $MODELS; do
        [ "$model" = serial ] && continue
        run_record http "$model" -s DELAY -m 20 --dest "$BATS_TEST_TMPDIR/$model"
        [ "$(counts)" = "20 0 0" ]
        [ "$(json .workers "$record")" -eq 20 ]
        # one delay is 0.2 s; twenty in a row would be 4 s
        jq -e '.wall_s >= 0.2 and .wall_s < 2.0' <<<"$record" >/dev/null ||
            { echo "$model took $(json .wall_s "$record") s"; false; }
    done
    need_models serial
    run_record http serial -s DELAY -m 1 --dest "$BATS_TEST_TMPDIR/serial"
    [ "$(counts)" = "20 0 0" ]
    jq -e '.wall_s >= 4.0' <<<"$record" >/dev/null
}

@test "http: ERROR: every code accounted for once, exit 3 when some failed" {
    for model in $MODELS; do
        args=(-e -m 100)
        expected=676
        [ "$model" = serial ] && args=(B C) expected=52   # serial waits for every delay
        dest=$BATS_TEST_TMPDIR/$model
        run --separate-stderr "$BIN/http-$model" --json -s ERROR "${args[@]}" --dest "$dest"
        [ "$status" -eq 3 ] || { echo "$model: status $status: $output $stderr"; false; }
        record=$output
        read -r ok not_found errors <<<"$(counts)"
        [ $((ok + not_found + errors)) -eq "$expected" ]
        [ "$errors" -gt 0 ]
        [ "$(json .verified "$record")" = true ]
        [ "$(ls -A "$dest" | wc -l)" -eq "$ok" ]   # failed codes leave no file
        saved_flags_match "$dest"
    done
}

@test "http: nginx serving the exported files: every model downloads and verifies" {
    for model in $MODELS; do
        dest=$BATS_TEST_TMPDIR/$model
        run_record http "$model" -s "$NGINX" --dest "$dest"
        [ "$(counts)" = "20 0 0" ]
        dest_holds_exactly "$dest" $POP20
        run_record http "$model" -s "$NGINX" -e -m 50 --dest "$dest-every"
        [ "$(counts)" = "$KNOWN $((676 - KNOWN)) 0" ]
    done
}

@test "http: a port where nothing listens: every code an error, exit 3, no files" {
    for model in $MODELS; do
        dest=$BATS_TEST_TMPDIR/$model
        run --separate-stderr "$BIN/http-$model" --json -s "$DEAD" --manifest "$MANIFEST" --dest "$dest"
        [ "$status" -eq 3 ] || { echo "$model: status $status: $output $stderr"; false; }
        record=$output
        [ "$(counts)" = "0 0 20" ]
        [[ "$stderr" == *"20 errors"*"connect"* ]]
        [ -z "$(ls -A "$dest")" ]
    done
    # Without a manifest to check against: still every code an error, and the URL named.
    need_models serial
    run --separate-stderr "$BIN/http-serial" --json -s "$DEAD" --dest "$BATS_TEST_TMPDIR/none"
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"$DEAD/manifest.tsv"* ]]
    record=$output
    [ "$(counts)" = "0 0 20" ]
}

@test "http: a server that never answers costs an error per code, not a hang" {
    for model in $MODELS; do
        args=(-l 4 -m 4)
        [ "$model" = serial ] && args=(-l 2)
        start=$SECONDS
        run --separate-stderr "$BIN/http-$model" --json -s "$STALL" --manifest "$MANIFEST" \
            --timeout 0.5 "${args[@]}" --dest "$BATS_TEST_TMPDIR/$model"
        [ "$status" -eq 3 ] || { echo "$model: status $status: $output $stderr"; false; }
        record=$output
        read -r ok not_found errors <<<"$(counts)"
        [ "$ok" -eq 0 ] && [ "$not_found" -eq 0 ] && [ "$errors" -ge 2 ]
        [[ "$stderr" == *"timed out"* ]]
        [ $((SECONDS - start)) -lt 5 ]
    done
}

@test "http: --dest gets exactly the ok files, replaces old ones, and no temporary file" {
    for model in $MODELS; do
        dest=$BATS_TEST_TMPDIR/$model/a/b    # created, parents too
        mkdir -p "$dest" && echo stale >"$dest/br.gif"
        run_record http "$model" -s LOCAL --dest "$dest" br XX us zz
        [ "$(counts)" = "2 2 0" ]
        dest_holds_exactly "$dest" BR US
    done
}

@test "http: killed mid-run: no process left, no half or temporary file, saved flags whole" {
    for model in $MODELS; do
        dest=$BATS_TEST_TMPDIR/killed-$model
        "$BIN/http-$model" -s DELAY -e -m 100 --dest "$dest" >/dev/null 2>&1 3>&- &
        pid=$!
        sleep 0.3
        kill -TERM "$pid"
        status=0
        wait "$pid" || status=$?
        [ "$status" -eq 143 ] || { echo "$model: status $status"; false; }
        for tries in $(seq 20); do   # forked children die with their parent, promptly
            pgrep -f -- "$dest" >/dev/null || break
            sleep 0.1
        done
        run pgrep -f -- "$dest"
        [ "$status" -eq 1 ] || { echo "$model left processes: $output"; false; }
        saved_flags_match "$dest"
    done
}

@test "http: codes, letters, -l and -n choose the tasks (sorted, case-insensitive)" {
    need_models serial
    run_record http serial -s LOCAL -l 5 --dest "$BATS_TEST_TMPDIR/l"
    [ "$(json .tasks "$record")" -eq 5 ]
    dest_holds_exactly "$BATS_TEST_TMPDIR/l" BD BR CD CN DE
    run_record http serial -s LOCAL -n 5 --dest "$BATS_TEST_TMPDIR/n"
    dest_holds_exactly "$BATS_TEST_TMPDIR/n" BD BR CD CN DE
    run_record http serial -s LOCAL b Z br --dest "$BATS_TEST_TMPDIR/letters"
    [ "$(json .tasks "$record")" -eq 52 ]
    run_record http serial -s LOCAL -e -l 30 --dest "$BATS_TEST_TMPDIR/every"
    [ "$(json .tasks "$record")" -eq 30 ]
}

@test "http: the report, -v lines, and a progress bar only on a terminal" {
    plain_only
    for model in $MODELS; do
        run --separate-stderr "$BIN/http-$model" -s LOCAL --dest "$BATS_TEST_TMPDIR/$model" br xx
        [ "$status" -eq 0 ]
        [[ "$output" == *"1 flag downloaded, 1 not found, 0 errors (of 2 codes); elapsed"* ]]
        [ -z "$stderr" ]   # no progress bar when stderr is not a terminal
        run --separate-stderr "$BIN/http-$model" -v -s LOCAL --dest "$BATS_TEST_TMPDIR/$model" br xx
        [[ "$stderr" == *"BR  ok "*"HTTP 200"* && "$stderr" == *"XX  not found  HTTP 404"* ]]
    done
    need_models pthread
    run script -qec "$BIN/http-pthread -s LOCAL --dest $BATS_TEST_TMPDIR/tty" /dev/null
    [ "$status" -eq 0 ]
    [[ "$output" == *"[##############################] 20/20"* ]]
}

@test "http: the check fails (exit 1) when the server and its manifest disagree" {
    need_models serial
    # The manifest claims a flag for XX; the server answers 404.
    cp "$MANIFEST" "$BATS_TEST_TMPDIR/manifest.tsv"
    printf 'xx\t10\t0123456789abcdef\n' >>"$BATS_TEST_TMPDIR/manifest.tsv"
    run --separate-stderr "$BIN/http-serial" -s LOCAL --manifest "$BATS_TEST_TMPDIR/manifest.tsv" \
        --dest "$BATS_TEST_TMPDIR/d" xx br
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"XX: HTTP 404, but the manifest lists it"* ]]
    # A wrong checksum: the download is refused (an error), and no file is kept.
    sed 's/^br\t\([0-9]*\)\t.*/br\t\1\t0000000000000000/' "$MANIFEST" >"$BATS_TEST_TMPDIR/wrong.tsv"
    run --separate-stderr "$BIN/http-serial" --json -s LOCAL --manifest "$BATS_TEST_TMPDIR/wrong.tsv" \
        --dest "$BATS_TEST_TMPDIR/w" br us
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"BR: "*"do not match the manifest"* ]]
    dest_holds_exactly "$BATS_TEST_TMPDIR/w" US
}

@test "http: usage errors exit 2 and name the bad value" {
    plain_only
    for model in $MODELS; do
        expect_usage_error "'B1'" "$BIN/http-$model" B1
        expect_usage_error "'0'" "$BIN/http-$model" -m 0
        expect_usage_error "'ftp://x'" "$BIN/http-$model" -s ftp://x
        expect_usage_error "'http://example.com'" "$BIN/http-$model" -s http://example.com
        expect_usage_error "'http://127.0.0.1@example.com/'" "$BIN/http-$model" -s http://127.0.0.1@example.com/
        expect_usage_error "'abc'" "$BIN/http-$model" --timeout abc
        expect_usage_error "'BR'" "$BIN/http-$model" -e BR
        expect_usage_error "no-such.tsv" "$BIN/http-$model" --manifest /no-such.tsv
    done
    FLAGS_SERVERS_DIR=/nonexistent expect_usage_error "/nonexistent/delay.port" "$BIN/http-serial" -s DELAY
}

@test "http: --help lists the flags2 options" {
    plain_only
    for model in $MODELS; do
        run "$BIN/http-$model" --help
        [ "$status" -eq 0 ]
        for option in --all --every --limit --max-req --server --dest --timeout --manifest --workers; do
            [[ "$output" == *"$option"* ]] || { echo "$model: no $option"; false; }
        done
    done
}
