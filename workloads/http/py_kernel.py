"""http/py_kernel.py - the flag clients' kernel of kernel.c, in Python.

Everything that is not concurrency: the command line (codes, -a, -e, -l, -m,
-s, --dest, --timeout, --manifest, exactly as the C clients take them), the
server (a LOCAL/DELAY/ERROR port file, or a URL on loopback only), the
manifest (cc<TAB>size<TAB>FNV-1a 64 hex), one blocking download with
requests (the notes' library) in time, the classification of its outcome,
the accounting, the tqdm progress bar and the final check. The asyncio
variant downloads with aiohttp and hands the status and body to `outcome`,
so every model classifies and saves alike.

A hostile server cannot stall or sink a client: --timeout bounds the whole
transfer (a watchdog shuts the connection down when it is up, see Watchdog),
a body is refused as soon as it is longer than the flag can be (`Body`), and
every failure, whatever the library raises, is a TransferFailed with a short
reason: an error, counted, never a traceback.

A flag is checked against the manifest in memory and only then written: to
an unnamed file (O_TMPFILE) linked under its name when complete, so a failed
or interrupted download leaves no file. Exit status: 0 all downloaded or
not found, 3 some downloads failed but every code was accounted for (also
when the manifest is missing or malformed), 1 the accounting or a saved
file is wrong.
"""
import contextlib
import errno
import http.client
import os
import re
import socket
import sys
import tempfile
import threading
import time

import requests
import tqdm
import urllib3

import bench

ABOUT = ("Downloads country flags from the flag server on loopback (the notes' flags2) "
         "and checks them against its manifest.")
POPULAR_CODES = "CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR".split()
ALL_CODES = [first + second for first in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
             for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]          # AA..ZZ, 676
DEFAULT_CONCURRENCY = 30      # -m when not given, as the notes' thread pool
OK, NOT_FOUND, ERROR = "ok", "not found", "error"
FNV1A64_OFFSET, FNV1A64_PRIME = 0xCBF29CE484222325, 0x100000001B3
MAX_BODY_BYTES = 1 << 20      # the manifest's limit too; a flag without a manifest entry
HEADERS = {"User-Agent": "bench-http-flags", "Accept-Encoding": "identity"}


def options(group):
    group.add_argument("-a", "--all", action="store_true", help="every code in the server's manifest")
    group.add_argument("-e", "--every", action="store_true",
                       help="every code from AA to ZZ (676, most of them 404)")
    group.add_argument("-l", "--limit", type=bench.count, metavar="N",
                       help="only the first N codes after sorting (-n N does the same)")
    group.add_argument("-m", "--max-req", type=bench.count, metavar="N",
                       help="requests in flight, the same as -j (default 30, at most one per code)")
    group.add_argument("-s", "--server", default="LOCAL", metavar="WHERE",
                       help="LOCAL, DELAY, ERROR (port files in $FLAGS_SERVERS_DIR, default "
                            "build/servers) or a base URL such as http://127.0.0.1:8001/flags "
                            "(default LOCAL)")
    group.add_argument("--dest", default="downloads", metavar="DIR",
                       help="save the flags as DIR/<cc>.gif, DIR created if missing (default downloads)")
    group.add_argument("--timeout", type=bench.seconds, default=10.0, metavar="S",
                       help="give up on one download after S seconds, for the whole "
                            "transfer (default 10)")
    group.add_argument("--manifest", metavar="FILE",
                       help="sizes and checksums from FILE instead of <server>/manifest.tsv")


def fnv1a64(data, hash_value=FNV1A64_OFFSET):
    for byte in data:
        hash_value = ((hash_value ^ byte) * FNV1A64_PRIME) & bench.MASK64
    return hash_value


def is_code(text):
    return len(text) == 2 and text.isascii() and text.isalpha()


# ---- the server: a label's port file, or a URL on loopback --------------------------

def loopback_url(url):
    """flags_loopback_url: http://127.x.x.x, localhost or [::1], optional :port and path."""
    if not url[:7].lower() == "http://":
        return False
    host = url[7:]
    if host.startswith("[::1]"):
        after = host[5:]
    else:
        name = re.match(r"[^:/]*", host).group(0)
        octets = name.split(".")
        loopback_ip = (len(octets) == 4 and all(part.isdigit() and int(part) < 256 for part in octets)
                       and int(octets[0]) == 127)
        if not name or not (loopback_ip or name.lower() == "localhost"):
            return False
        after = host[len(name):]
    if after.startswith(":"):
        port = re.match(r"[0-9]*", after[1:]).group(0)
        if not port or int(port) < 1 or int(port) > 65535:
            return False
        after = after[1 + len(port):]
    return after == "" or after.startswith("/")


def resolve_server(server):
    """The base URL, without a trailing slash."""
    if server.lower() in ("local", "delay", "error"):
        directory = os.environ.get("FLAGS_SERVERS_DIR") or "build/servers"
        path = f"{directory}/{server.lower()}.port"
        try:
            with open(path) as file:
                text = file.read()
        except OSError as error:
            bench.usage_error(f"--server {server}: cannot read {path}: {error.strerror} "
                              "(start the servers: make serve)")
        if not re.fullmatch(r"\s*[0-9]+\s*", text) or not 1 <= int(text) <= 65535:
            bench.usage_error(f"--server {server}: {path} does not hold a port number")
        return f"http://127.0.0.1:{int(text)}/flags"
    if not loopback_url(server):
        bench.usage_error(f"--server: '{server}' is not LOCAL, DELAY, ERROR or an http:// URL on "
                          "loopback (127.x.x.x, localhost, [::1])")
    base = server
    while len(base) > 7 and base.endswith("/"):
        base = base[:-1]
    return base


# ---- the manifest ----------------------------------------------------------------------

def parse_manifest(text):
    """{"BR": (size, checksum)} from cc<TAB>size<TAB>hex lines; ValueError("line N: ...")."""
    manifest = {}
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        fields = line.split("\t")
        if (len(fields) != 3 or not is_code(fields[0]) or not fields[1].isdigit()
                or not re.fullmatch(r"[0-9a-f]{16}", fields[2].rstrip(" "))):
            raise ValueError(f"line {number}: not 'cc<TAB>size<TAB>16 hex digits'")
        code = fields[0].upper()
        if code in manifest:
            raise ValueError(f"line {number}: code {fields[0]} listed twice")
        manifest[code] = (int(fields[1]), int(fields[2].rstrip(" "), 16))
    return manifest


# ---- one blocking download with requests, in time -------------------------------------

class TransferFailed(Exception):
    """No usable answer came; the message is the short reason."""


class Body:
    """A response body as it arrives, refused as soon as it cannot be the flag:
    longer than `limit`, or a Content-Length that is not a number or is more
    (so a huge Content-Length or an endless stream costs at most `limit`)."""

    def __init__(self, content_length, limit):
        if content_length is not None and (not content_length.strip().isdigit()
                                           or int(content_length) > limit):
            raise TransferFailed(f"Content-Length {content_length[:24]!r}: not a number "
                                 f"of at most {limit} bytes")
        self.expected = None if content_length is None else int(content_length)
        self.limit, self.data = limit, bytearray()

    def add(self, chunk):
        self.data += chunk
        if len(self.data) > self.limit:
            raise TransferFailed(f"more than {self.limit} bytes")

    def complete(self):
        if self.expected is not None and len(self.data) != self.expected:
            raise TransferFailed(f"{len(self.data)} of {self.expected} bytes: closed early")
        return bytes(self.data)


def body_limit(job, task):
    """The most a flag's body may be: its size in the manifest, when listed."""
    code = job.codes[task]
    return job.manifest[code][0] if job.manifest and code in job.manifest else MAX_BODY_BYTES


# requests' timeout= is for each read of the socket: a server that sends one
# byte a second never trips it, and a body is read in loops that wait for a
# whole buffer. The whole transfer's deadline needs a second party: a timer
# that shuts the connection down when the time is up, so that the blocked
# read returns and the download fails. (asyncio's and gevent's timeouts do
# this by themselves: they cancel the waiting coroutine.)
this_thread = threading.local()           # .watchdog: the download running in this thread


class Watchdog:
    """with Watchdog(seconds) as watchdog: a download in this thread. Every
    connection it opens is watched; at the deadline they are shut down and
    .expired is set."""

    def __init__(self, seconds):
        self.lock = threading.Lock()
        self.connections = []   # duplicates of the descriptors: never one reused by another download
        self.expired = False
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self):
        this_thread.watchdog = self
        self.timer.start()
        return self

    def watch(self, connection):
        with self.lock:
            self.connections.append(connection.dup())
            if self.expired:
                self.connections[-1].shutdown(socket.SHUT_RDWR)

    def expire(self):
        with self.lock:
            self.expired = True
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def __exit__(self, *exception):
        this_thread.watchdog = None
        self.timer.cancel()
        self.timer.join()       # nothing left behind, and no expire() after this
        for connection in self.connections:
            connection.close()


class WatchedConnection(urllib3.connection.HTTPConnection):
    def connect(self):
        super().connect()
        watchdog = getattr(this_thread, "watchdog", None)
        if watchdog is not None:
            watchdog.watch(self.sock)


class WatchedPool(urllib3.HTTPConnectionPool):
    ConnectionCls = WatchedConnection


class WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *arguments, **keywords):
        super().init_poolmanager(*arguments, **keywords)
        self.poolmanager.pool_classes_by_scheme = {"http": WatchedPool}


def innermost(error):
    """The exception at the bottom of requests' and urllib3's wrappings."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((part for part in reversed(error.args) if isinstance(part, BaseException)),
                         error.__cause__ or error.__context__)
        if inner is None:
            break
        error = inner
    return error


def short_reason(error):
    cause = innermost(error)
    if isinstance(cause, TransferFailed):
        return str(cause)
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    text = str(cause).split(": ", 1)[-1] if isinstance(cause, urllib3.exceptions.HTTPError) else str(cause)
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


def fetch(job, url, limit):
    """(HTTP status, body) of GET url with requests, the body refused beyond
    `limit` bytes; TransferFailed when no usable answer came. No proxy or
    .netrc from the environment, no redirect: loopback HTTP, nothing else."""
    try:
        with requests.Session() as session:
            session.trust_env = False
            session.mount("http://", WatchedAdapter())
            with session.get(url, headers=HEADERS, timeout=job.timeout, stream=True,
                             allow_redirects=False) as response:
                body = Body(response.headers.get("Content-Length"), limit)
                for chunk in response.raw.stream(65536, decode_content=False):
                    body.add(chunk)
                return response.status_code, body.complete()
    except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
        raise TransferFailed(f"timed out after {job.timeout:g} s") from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
            OSError, ValueError) as error:
        raise TransferFailed(short_reason(error)[:150]) from None


def fetch_in_time(job, url, limit):
    """fetch, with the whole transfer bounded by --timeout."""
    with Watchdog(job.timeout) as watchdog:
        try:
            answer = fetch(job, url, limit)
        except TransferFailed:
            if not watchdog.expired:
                raise
    if watchdog.expired:          # whatever the library made of the cut connection
        raise TransferFailed(f"timed out after {job.timeout:g} s")
    return answer


def load_manifest(job, path):
    if path is not None:
        try:
            with open(path, "rb") as file:
                text = file.read((1 << 20) + 1)
        except OSError as error:
            bench.usage_error(f"--manifest: cannot open {path}: {error.strerror}")
        if len(text) > 1 << 20:
            bench.usage_error(f"--manifest: {path} is too large")
        try:
            return parse_manifest(text.decode("latin-1"))
        except ValueError as error:
            bench.usage_error(f"--manifest: {path}: {error}")
    url = f"{job.base_url}/manifest.tsv"
    try:
        status, body = fetch_in_time(job, url, MAX_BODY_BYTES)
        if status != 200:
            raise TransferFailed("HTTP 404" if status == 404 else f"HTTP {status}, not 200")
        return parse_manifest(body.decode("latin-1"))
    except (TransferFailed, ValueError) as error:
        # missing or malformed, one rule: nothing to verify the flags against
        print(f"{job.program}: GET {url}: {'malformed: ' if isinstance(error, ValueError) else ''}"
              f"{error}; every download counts as an error (nothing to verify it against)",
              file=sys.stderr)
        return None


# ---- the job ------------------------------------------------------------------------------

class Job:
    """The codes, the server, the manifest and the accounting (thread-safe)."""

    def __init__(self, run):
        self.program = bench.program_name
        self.verbose = run.verbose
        self.lock = threading.Lock()
        self.reports = {}          # task -> results recorded for it: exactly 1 at the end
        self.statuses = {}         # task -> OK, NOT_FOUND or ERROR
        self.first_error = ""
        self.stray = 0

    # A process pool pickles the job for its workers: everything but the lock
    # and the progress bar, which stay in the parent.
    def __getstate__(self):
        return {name: value for name, value in self.__dict__.items() if name not in ("lock", "bar")}

    def __setstate__(self, state):
        self.__dict__.update(state, lock=threading.Lock(), bar=None)


def choose_codes(options):
    """The codes named on the command line (the 20 most populous by default)."""
    wanted = set()
    if options.operands and (options.all or options.every):
        bench.usage_error(f"'{options.operands[0]}': codes cannot be combined with -a/--all or -e/--every")
    if not options.operands and not options.all and not options.every:
        wanted.update(POPULAR_CODES)
    for text in options.operands:
        if len(text) == 1 and text.isascii() and text.isalpha():
            wanted.update(text.upper() + second for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        elif is_code(text):
            wanted.add(text.upper())
        else:
            bench.usage_error(f"'{text}' is not a country code (a letter A to Z, or AA to ZZ)")
    return wanted


def setup(run):
    """Parses the codes and the server, loads the manifest, creates --dest, sets
    run.tasks and run.workers (-m or -j, at most one per code), restarts the clock."""
    options = run.options
    job = Job(run)
    if options.timeout <= 0:
        bench.usage_error(f"--timeout: '{options.timeout:g}' must be more than 0 seconds")
    job.timeout = options.timeout
    if options.max_req and run.workers_given and options.max_req != run.workers:
        bench.usage_error(f"-m {options.max_req} and -j {run.workers} disagree (they are the same option)")
    wanted = choose_codes(options)
    job.base_url = resolve_server(options.server)
    job.dest = options.dest
    if not job.dest or len(job.dest) >= 400:
        bench.usage_error(f"--dest: '{job.dest}' is empty or too long")
    try:
        os.makedirs(job.dest, exist_ok=True)
    except FileExistsError:
        bench.usage_error(f"--dest: '{job.dest}' is not a directory")
    except OSError as error:
        bench.fail(f"mkdir {error.filename}: {error.strerror}")
    job.manifest = load_manifest(job, options.manifest)
    if options.every:
        wanted = set(ALL_CODES)
    elif options.all:
        if job.manifest is None:
            bench.fail("-a/--all needs the server's manifest, which could not be read")
        wanted = set(job.manifest)
    limit = options.limit or 0
    if run.tasks_given and (limit == 0 or run.tasks < limit):
        limit = run.tasks
    job.codes = sorted(wanted)[:limit or None]
    run.tasks = len(job.codes)
    workers = options.max_req or (run.workers if run.workers_given else DEFAULT_CONCURRENCY)
    run.workers = max(1, min(workers, len(job.codes)))
    # the notes' tqdm bar, on stderr only: when it is a terminal, or with -v
    job.bar = tqdm.tqdm(total=len(job.codes), unit="flag", file=sys.stderr,
                        disable=not (run.verbose or sys.stderr.isatty()))
    bench.restart_clock(run)
    return job


def flag_url(job, task):
    code = job.codes[task].lower()
    return f"{job.base_url}/{code}/{code}.gif"


def link_unnamed_file(descriptor, path):
    """linkat(/proc/self/fd/N, path, AT_SYMLINK_FOLLOW): gives an O_TMPFILE file a
    name. (os.link uses plain link(), which would not follow /proc's symlink,
    unless it is given a directory descriptor; hence "/" opened O_PATH.)"""
    root = os.open("/", os.O_PATH | os.O_CLOEXEC)
    try:
        try:
            os.link(f"proc/self/fd/{descriptor}", path, src_dir_fd=root, follow_symlinks=True)
        except FileExistsError:      # a flag from an earlier run: replace it
            os.unlink(path)
            os.link(f"proc/self/fd/{descriptor}", path, src_dir_fd=root, follow_symlinks=True)
    finally:
        os.close(root)


def save(job, code, body):
    """Writes the flag to an unnamed file in --dest and links it as <cc>.gif once
    complete (a named temporary file and a rename where O_TMPFILE is missing)."""
    path = os.path.join(job.dest, f"{code.lower()}.gif")
    try:
        descriptor = os.open(job.dest, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o644)
        temporary = None
    except OSError as error:
        if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            raise
        descriptor, temporary = tempfile.mkstemp(prefix=f".{code.lower()}.gif.", dir=job.dest)
    try:
        with open(descriptor, "wb", closefd=False) as file:
            file.write(body)
        if temporary is not None:
            os.replace(temporary, path)
            temporary = None
        else:
            link_unnamed_file(descriptor, path)
    finally:
        os.close(descriptor)
        if temporary is not None:
            os.unlink(temporary)


def outcome(job, task, http_status, body, reason=""):
    """Classifies one download, as flag_transfer_finish does, and saves a good flag.
    Returns the result: a small dict that can cross a process pool's pipe."""
    result = {"task": task, "status": ERROR, "http_status": http_status,
              "bytes": len(body), "reason": reason}
    code = job.codes[task]
    if reason:
        pass
    elif http_status == 404:
        result["status"] = NOT_FOUND
    elif http_status != 200:
        result["reason"] = f"HTTP {http_status}"
    elif job.manifest is None:
        result["reason"] = "no manifest to check it against"
    elif code not in job.manifest:
        result["reason"] = "not in the manifest"
    elif job.manifest[code] != (len(body), fnv1a64(body)):
        result["reason"] = f"{len(body)} bytes that do not match the manifest"
    else:
        try:
            save(job, code, body)
            result["status"] = OK
        except OSError as error:
            result["reason"] = f"saving in {job.dest}: {error.strerror}"
    return result


def download(job, task):
    """One blocking download with requests, in time: the blocking models' task."""
    try:
        http_status, body = fetch_in_time(job, flag_url(job, task), body_limit(job, task))
    except TransferFailed as error:
        return outcome(job, task, 0, b"", str(error))
    return outcome(job, task, http_status, body)


def record(job, result):
    """Counts one result, prints its -v line and moves the progress bar. Thread-safe."""
    with job.lock:
        task = result["task"]
        if not 0 <= task < len(job.codes) or result["status"] not in (OK, NOT_FOUND, ERROR):
            job.stray += 1
            return
        code = job.codes[task]
        job.reports[task] = job.reports.get(task, 0) + 1
        job.statuses.setdefault(task, result["status"])
        if result["status"] == ERROR and not job.first_error:
            job.first_error = f"{code}: {result['reason']}"
        if job.verbose:
            reason = f"  {result['reason']}" if result["reason"] else ""
            job.bar.write(f"{code}  {result['status']:<9}  HTTP {result['http_status']:3}  "
                          f"{result['bytes']:6} bytes{reason}", file=sys.stderr)
        job.bar.update()


# ---- the check ------------------------------------------------------------------------------

def saved_file_matches(job, code):
    path = os.path.join(job.dest, f"{code.lower()}.gif")
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        print(f"{job.program}: {path}: {error.strerror}", file=sys.stderr)
        return False
    if job.manifest is None or job.manifest.get(code) != (len(data), fnv1a64(data)):
        print(f"{job.program}: {path} ({len(data)} bytes) does not match the manifest", file=sys.stderr)
        return False
    return True


def leftover_temporary_files(job):
    leftovers = [name for name in os.listdir(job.dest) if re.fullmatch(r"\.[a-z]{2}\.gif\..+", name)]
    for name in leftovers:
        print(f"{job.program}: temporary file left in {job.dest}: {name}", file=sys.stderr)
    return len(leftovers)


def finish(run, job):
    """Checks that every code was accounted for exactly once and that every saved
    file matches the manifest, prints the report, returns 0, 1 or 3."""
    elapsed = time.monotonic() - run.started
    job.bar.close()
    counts = {OK: 0, NOT_FOUND: 0, ERROR: 0}
    wrong = job.stray
    for task, code in enumerate(job.codes):
        reports = job.reports.get(task, 0)
        if reports != 1:
            print(f"{job.program}: {code} was accounted for {reports} times", file=sys.stderr)
            wrong += 1
            continue
        status = job.statuses[task]
        counts[status] += 1
        if status == OK and not saved_file_matches(job, code):
            wrong += 1
        if status == NOT_FOUND and job.manifest is not None and code in job.manifest:
            print(f"{job.program}: {code}: HTTP 404, but the manifest lists it", file=sys.stderr)
            wrong += 1
    wrong += leftover_temporary_files(job)
    ok, not_found, errors = counts[OK], counts[NOT_FOUND], counts[ERROR]
    if ok + not_found + errors != len(job.codes):
        wrong += 1
    if errors and not job.verbose:
        print(f"{job.program}: {errors} error{'' if errors == 1 else 's'}; the first: {job.first_error}",
              file=sys.stderr)
    summary = (f"{ok} flag{'' if ok == 1 else 's'} downloaded, {not_found} not found, "
               f"{errors} error{'' if errors == 1 else 's'} (of {len(job.codes)} codes); "
               f"elapsed {elapsed:.2f} s")
    status = bench.EXIT_WRONG if wrong else bench.EXIT_IO_FAILED if errors else bench.EXIT_OK
    return bench.finish(run, status, {"ok": ok, "not_found": not_found, "errors": errors}, summary)
