#!/usr/bin/env bats
# hostile: what a careless user or an attacker tries (issue 10): --output at a
# device, link, FIFO or directory, -j far above the task count or the system's
# limits, sloppy numbers, binary input files, a malformed manifest, and a fork
# variant stopped mid-run (no zombie left for PID 1). Every run is bounded in
# time, and whatever could fork many processes on an old build runs under
# ulimit -u. Device nodes are made in the test's own folder (root only), never
# /dev itself.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    # As nobody, from a folder nobody may read, so that ulimit -u binds (it
    # does not bind root).
    export LIMITED=$(mktemp -d /tmp/hostile-limited.XXXXXX)
    chmod 755 "$LIMITED"
    # Runs a command as our child with us as the subreaper: after it ends,
    # whatever it left (zombies, orphans) is reparented to us and counted.
    export REAPER=$BATS_FILE_TMPDIR/reaper.py
    cat >"$REAPER" <<'EOF'
import ctypes, os, signal, sys, time
# reaper.py SIGNAL CHILDREN COMMAND...: starts COMMAND, waits (up to 10 s) until
# it has CHILDREN children, sends it SIGNAL and prints
# "children N status S leftover L": L processes were left to the reaper.
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(36, 1, 0, 0, 0) != 0:   # PR_SET_CHILD_SUBREAPER
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
signal_number, wanted = getattr(signal, sys.argv[1]), int(sys.argv[2])
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[3], sys.argv[3:])
def children():
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return len(f.read().split())
    except OSError:
        return 0
deadline = time.monotonic() + 10
while children() < wanted and time.monotonic() < deadline:
    time.sleep(0.02)
seen = children()
os.kill(pid, signal_number)
_, status = os.waitpid(pid, 0)
leftover, deadline = 0, time.monotonic() + 3
while time.monotonic() < deadline:
    try:
        reaped, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if reaped:
        leftover += 1
    else:
        time.sleep(0.02)
print(f"children {seen} status {os.waitstatus_to_exitcode(status)} leftover {leftover}")
EOF
}

teardown_file() {
    rm -rf "$LIMITED"
}

# Runs $BIN/NAME args under `ulimit LIMITS` (such as "-u 100"): as nobody
# when root (root ignores ulimit -u), else as ourselves. Sets $status,
# $output, $stderr (run --separate-stderr).
run_limited() {  # run_limited LIMITS NAME args...
    local limits=$1 name=$2 program=$BIN/$2; shift 2
    local as_nobody=()
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null || skip "setpriv not installed"
        cp "$BIN/$name" "$LIMITED/"
        program=$LIMITED/$name
        as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    run --separate-stderr timeout 30 "${as_nobody[@]}" bash -c 'ulimit $0 && exec "$@"' \
        "$limits" "$program" "$@"
}

need_root() {
    [ "$(id -u)" -eq 0 ] || skip "needs root (mknod)"
}

one_line_status() {  # one_line_status STATUS NEEDLE: after run --separate-stderr
    [ "$status" -eq "$1" ] || { echo "status $status, stderr: $stderr" >&2; return 1; }
    [ "$(wc -l <<<"$stderr")" -eq 1 ] || { echo "stderr: $stderr" >&2; return 1; }
    [[ "$stderr" == *"$2"* ]] || { echo "'$2' not in: $stderr" >&2; return 1; }
}

# ---- 1. --output -------------------------------------------------------------

@test "hostile: --output at a full device: exit 1 naming ENOSPC, and the node stays a device" {
    need_models serial
    need_root
    local dir=$BATS_TEST_TMPDIR/w
    mkdir "$dir"
    mknod "$dir/full" c 1 7
    run --separate-stderr timeout 30 "$BIN/sort-serial" --elements 1000 --output "$dir/full"
    one_line_status 1 "No space left on device"
    [ -c "$dir/full" ]
    [ "$(ls -A "$dir")" = full ]   # no temporary file either
}

@test "hostile: --output at /dev/null-like device, a FIFO: written to in place, still what they were" {
    need_models serial
    need_root
    mknod "$BATS_TEST_TMPDIR/null" c 1 3
    run timeout 30 "$BIN/sort-serial" --elements 1000 --output "$BATS_TEST_TMPDIR/null"
    [ "$status" -eq 0 ]
    [ -c "$BATS_TEST_TMPDIR/null" ]
    mkfifo "$BATS_TEST_TMPDIR/fifo"
    timeout 30 cat "$BATS_TEST_TMPDIR/fifo" >"$BATS_TEST_TMPDIR/read" &
    local reader=$!
    run timeout 20 "$BIN/sort-serial" --elements 1000 --output "$BATS_TEST_TMPDIR/fifo"
    [ "$status" -eq 0 ]
    [ -p "$BATS_TEST_TMPDIR/fifo" ] || { kill "$reader"; false; }
    wait "$reader"
    [ "$(wc -l <"$BATS_TEST_TMPDIR/read")" -eq 1000 ]
    sort -n -c "$BATS_TEST_TMPDIR/read"
}

@test "hostile: --output through a symbolic link writes the file it points to; the link stays" {
    need_models serial
    echo old >"$BATS_TEST_TMPDIR/target"
    ln -s target "$BATS_TEST_TMPDIR/link"
    run timeout 30 "$BIN/sort-serial" --elements 500 --output "$BATS_TEST_TMPDIR/link"
    [ "$status" -eq 0 ]
    [ -L "$BATS_TEST_TMPDIR/link" ]
    [ "$(readlink "$BATS_TEST_TMPDIR/link")" = target ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/target")" -eq 500 ]
    ln -s nowhere "$BATS_TEST_TMPDIR/dangling"
    run --separate-stderr "$BIN/sort-serial" --elements 5 --output "$BATS_TEST_TMPDIR/dangling"
    one_line_status 2 "symbolic link to nothing"
    [[ "$("$BIN/sort-serial" --help)" == *"a link is followed"* ]]
}

@test "hostile: --output at a directory or a block device: exit 2 before the work, nothing touched" {
    need_models serial
    mkdir "$BATS_TEST_TMPDIR/dir"
    local started=$EPOCHREALTIME
    run --separate-stderr timeout 30 "$BIN/sort-serial" --elements 20000000 --output "$BATS_TEST_TMPDIR/dir"
    one_line_status 2 "is a directory"
    # refused before sorting 20 million numbers (seconds), not after
    awk -v s="$started" -v e="$EPOCHREALTIME" 'BEGIN { exit !(e - s < 1) }'
    [ -d "$BATS_TEST_TMPDIR/dir" ] && [ -z "$(ls "$BATS_TEST_TMPDIR/dir")" ]
    [ "$(id -u)" -eq 0 ] || return 0
    mknod "$BATS_TEST_TMPDIR/block" b 7 0
    run --separate-stderr timeout 30 "$BIN/sort-serial" --elements 100 --output "$BATS_TEST_TMPDIR/block"
    one_line_status 2 "block device"
    [ -b "$BATS_TEST_TMPDIR/block" ]
}

@test "hostile: --output replaces a file whole (a reader of the old one keeps it) and keeps its mode" {
    need_models serial
    mkdir "$BATS_TEST_TMPDIR/w"
    local file=$BATS_TEST_TMPDIR/w/out
    seq 3 >"$file"
    chmod 640 "$file"
    exec 5<"$file"
    run timeout 30 "$BIN/sort-serial" --elements 2000 --output "$file"
    [ "$status" -eq 0 ]
    [ "$(cat <&5)" = "$(seq 3)" ]   # the old file was never truncated: renamed over
    exec 5<&-
    [ "$(wc -l <"$file")" -eq 2000 ]
    [ "$(stat -c %a "$file")" = 640 ]
    [ "$(ls -A "$BATS_TEST_TMPDIR/w")" = out ]
}

@test "hostile: a write error on a regular --output (ulimit -f): exit 1, old file kept, no temporary" {
    need_models serial
    local dir=$BATS_TEST_TMPDIR/w
    mkdir "$dir"
    echo old >"$dir/out"
    run --separate-stderr timeout 30 bash -c 'trap "" XFSZ; ulimit -f 8 && exec "$@"' _ \
        "$BIN/sort-serial" --elements 100000 --output "$dir/out"
    one_line_status 1 "File too large"
    [ "$(cat "$dir/out")" = old ]
    [ "$(ls -A "$dir")" = out ]
}

# ---- 3, 4. -j: capped, bounded, checked against the system's limits ------------

@test "hostile: -j above the task count is capped at it, and -v says so" {
    for model in pthread fork openmp; do
        [[ " $MODELS " == *" $model "* ]] || continue
        run --separate-stderr timeout 30 "$BIN/sum-$model" -v -j 50 -n 3 --json
        [ "$status" -eq 0 ]
        [ "$(jq .workers <<<"$output")" -eq 3 ] || { echo "$model: $output"; false; }
        [[ "$stderr" == *"50 workers for 3 tasks: capped at 3"* ]]
    done
}

@test "hostile: -j 100000000 is a usage error naming the limit and --max-workers, in every model" {
    plain_only
    local model
    for model in $MODELS; do
        run_limited "-u 100" "sum-$model" -j 100000000
        one_line_status 2 "more than the limit of 10000" || { echo "sum-$model"; false; }
        [[ "$stderr" == *"--max-workers"* ]]
    done
    run_limited "-u 100" sleep-pthread -n 40 -j 100000000 --seconds 0.1
    one_line_status 2 "-j 100000000"
    for workload in sum primes sleep sort; do    # was SIGSEGV (rc 139) in libgomp
        [[ " $MODELS " == *" openmp "* ]] || break
        run_limited "-u 100" "$workload-openmp" -j 100000
        one_line_status 2 "limit of 10000" || { echo "$workload-openmp"; false; }
    done
    run --separate-stderr "$BIN/sum-pthread" -j 20 -n 20 --max-workers 10
    one_line_status 2 "more than the limit of 10 workers"
    run "$BIN/sum-pthread" -j 20 -n 20 --max-workers 20 --count 10
    [ "$status" -eq 0 ]
}

@test "hostile: under ulimit -u 150, 200 threads or processes are refused up front with a clear line" {
    plain_only
    local model
    for model in pthread fork openmp; do
        [[ " $MODELS " == *" $model "* ]] || continue
        run_limited "-u 150" "sum-$model" -j 200 -n 300 --count 10
        one_line_status 2 "ulimit -u" || { echo "sum-$model"; false; }
        [[ "$stderr" != *libgomp* && "$stderr" == *"-j 200"* ]]
        run_limited "-u 150" "sleep-$model" -n 200 --seconds 5
        one_line_status 2 "-n 200 (one worker per task)" || { echo "sleep-$model"; false; }
    done
    run_limited "-u 150" sum-fork -j 100 -n 300 --count 10   # what fits still runs
    [ "$status" -eq 0 ]
}

@test "hostile: more threads than threads-max or pid_max leave room for: refused, naming the file" {
    need_models pthread
    plain_only
    local threads_max pid_max least
    threads_max=$(cat /proc/sys/kernel/threads-max)
    pid_max=$(cat /proc/sys/kernel/pid_max)
    least=$(( threads_max < pid_max ? threads_max : pid_max ))
    [ "$least" -le 5000000 ] || skip "threads-max and pid_max are both above 5,000,000"
    run_limited "-u 100" sum-pthread -j $((least + 1)) -n $((least + 1)) --count 1 \
        --max-workers $((least + 1))
    one_line_status 2 "-j $((least + 1)): $((least + 1)) more threads would pass /proc/sys/kernel/"
}

@test "hostile: OpenMP under ulimit -s 1024: -j 9000 is refused naming ulimit -s, not SIGSEGV" {
    need_models openmp
    plain_only
    run_limited "-u 100 -s 1024" sum-openmp -j 9000 -n 9000
    one_line_status 2 "ulimit -s"
}

# ---- 8. numbers, binary input ----------------------------------------------------

@test "hostile: ' 5', '+5', '5 ' and --elements 0 are usage errors" {
    plain_only
    need_models serial
    expect_usage_error "' 5'" "$BIN/sum-serial" -j " 5" -n 2
    expect_usage_error "'+5'" "$BIN/sum-serial" -j "+5" -n 2
    expect_usage_error "'5 '" "$BIN/sum-serial" -n "5 "
    expect_usage_error "' 1'" "$BIN/sum-serial" --count " 1"
    expect_usage_error "' 7'" "$BIN/sort-serial" --seed " 7" --elements 5
    expect_usage_error "' 0.1'" "$BIN/sleep-serial" -n 1 --seconds " 0.1"
    expect_usage_error "--elements: '0'" timeout 30 "$BIN/sort-serial" --elements 0
    [[ "$("$BIN/sort-serial" --help)" == *"N >= 1"* ]]
}

@test "hostile: raw bytes from an input file (or an argument) are escaped in the error line" {
    plain_only
    need_models serial
    printf '12\n\033[31mred\001\377\000z\n' >"$BATS_TEST_TMPDIR/binary.txt"
    for program in "sort-serial --input" "primes-serial --numbers"; do
        run --separate-stderr $BIN/$program "$BATS_TEST_TMPDIR/binary.txt"
        one_line_status 2 'binary.txt:2:'
        [[ "$stderr" == *'\x1b[31mred\x01\xff\x00z'* ]] || { echo "$stderr"; false; }
        ! LC_ALL=C grep -q '[^ -~]' <<<"$stderr"   # nothing but printable ASCII
    done
    run --separate-stderr "$BIN/sum-serial" -j $'1\n\033[2J'
    one_line_status 2 '\x0a\x1b[2J'
}

# ---- 7. a malformed manifest ---------------------------------------------------------

@test "hostile: a malformed manifest from the server: exit 3, every flag accounted as an error" {
    # every model in this pass (TSan: pthread)
    local www=$BATS_TEST_TMPDIR/www
    mkdir -p "$www/flags/br" "$www/flags/us"
    printf 'BR\tnot-a-size\n\001garbage\n' >"$www/flags/manifest.tsv"
    head -c 300 /dev/urandom >"$www/flags/br/br.gif"
    cp "$www/flags/br/br.gif" "$www/flags/us/us.gif"
    /usr/bin/python3 -c '
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".new", "w") as f:
    f.write(str(server.server_port))
import os; os.rename(sys.argv[2] + ".new", sys.argv[2])
server.serve_forever()' "$www" "$BATS_TEST_TMPDIR/port" 3>&- &
    local server=$!
    for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.1; done
    local url=http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/port")/flags
    for model in $MODELS; do
        run --separate-stderr timeout 30 "$BIN/http-$model" -s "$url" --dest "$BATS_TEST_TMPDIR/d-$model" \
            --json br us xx
        [ "$status" -eq 3 ] || { echo "$model: status $status: $stderr"; kill "$server"; false; }
        [ "$(jq -c .result <<<"$output")" = '{"ok":0,"not_found":1,"errors":2}' ] || {
            echo "$model: $output"; kill "$server"; false; }
        [[ "$stderr" == *"malformed"*"every download counts as an error"* ]]
    done
    kill "$server"
    wait "$server" || true
}

# ---- 8. stopped mid-run: the children are reaped, not left to PID 1 -----------------

@test "hostile: sort-fork and sum-fork stopped by SIGINT or SIGTERM leave no zombie or orphan" {
    need_models fork
    run timeout 60 /usr/bin/python3 "$REAPER" SIGINT 2 "$BIN/sort-fork" -j 2 --elements 20000000
    [[ "$output" == *"children 2 status -2 leftover 0"* ]] || { echo "$output"; false; }
    run timeout 60 /usr/bin/python3 "$REAPER" SIGTERM 3 "$BIN/sum-fork" -j 3 -n 3 --count 1000000000
    [[ "$output" == *"children 3 status -15 leftover 0"* ]] || { echo "$output"; false; }
    [[ "$output" == *"sum-fork: Terminated: killed and reaped its child processes (3)"* ]]
}

@test "hostile: http-fork stopped by SIGTERM mid-download leaves no zombie or orphan" {
    need_models fork
    "$BIN/flagserver" --mode delay --delay 3 --port 0 --port-file "$BATS_TEST_TMPDIR/port" \
        </dev/null >"$BATS_TEST_TMPDIR/server.log" 2>&1 3>&- &
    local server=$!
    for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.1; done
    run timeout 60 /usr/bin/python3 "$REAPER" SIGTERM 4 "$BIN/http-fork" -j 4 \
        -s "http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/port")/flags" --dest "$BATS_TEST_TMPDIR/d"
    kill "$server"
    wait "$server" || true
    [[ "$output" == *"children 4 status -15 leftover 0"* ]] || { echo "$output"; false; }
}
