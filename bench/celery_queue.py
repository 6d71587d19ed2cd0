"""celery_queue.py - a private Celery task queue on Redis, for the py-celery
variants (issue 16): the notes' "horizontal scaling" through a message queue.

    queue = celery_queue.Queue(run)           # the Celery app (nothing started yet)
    @queue.app.task(name="primes.is_prime")
    def is_prime(number): ...
    with queue:                               # starts redis-server and -j workers
        bench.restart_clock(run)
        verdicts = queue.map(is_prime, numbers)
    # leaving the block stops the workers, then redis-server

The broker and result store is a redis-server of its own on 127.0.0.1 and a
free port, with no persistence (nothing is written to disk). The workers are
-j processes forked from the variant, each a Celery worker with the "solo"
pool (one task at a time), so every process is a child of the variant.

Nothing is left behind: the workers and redis-server are stopped when the
block ends, on an error, on SIGINT/SIGTERM/SIGHUP (which end the run with
status 1), and, if the variant itself is killed, by PR_SET_PDEATHSIG, which
sends them SIGTERM.
"""
import ctypes
import gc
import os
import signal
import socket
import subprocess
import sys
import time
import warnings

import bench

REDIS_SERVER = "/usr/bin/redis-server"
STARTUP_TIMEOUT_S = 60


def _set_parent_death_signal():
    PR_SET_PDEATHSIG = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        os._exit(bench.EXIT_WRONG)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(signal_number, frame):
    raise SystemExit(bench.EXIT_WRONG)


class Queue:
    def __init__(self, run):
        try:
            from celery import Celery
        except ImportError as error:
            bench.fail(f"import celery: {error} (scripts/deps.sh installs python3-celery)")
        if not os.access(REDIS_SERVER, os.X_OK):
            bench.fail(f"{REDIS_SERVER}: not found (scripts/deps.sh installs redis-server)")
        self.run = run
        self.workers = []
        self.redis = None
        for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signal_number, _stop)   # so that the teardown runs
        self.app = Celery(f"{run.workload}-{run.model}")
        self.app.conf.update(task_serializer="json", result_serializer="json",
                             accept_content=["json"], worker_prefetch_multiplier=1,
                             worker_hijack_root_logger=False, broker_connection_retry=False,
                             worker_redirect_stdouts=False)

    # ---- redis-server -------------------------------------------------------------

    def _start_redis(self):
        for attempt in range(5):   # the free port may be taken before redis binds it
            self.port = _free_port()
            url = f"redis://127.0.0.1:{self.port}"
            self.app.conf.update(broker_url=f"{url}/0", result_backend=f"{url}/1")
            try:
                self.redis = subprocess.Popen(
                    [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port),
                     "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                     "--loglevel", "warning", "--logfile", ""],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    preexec_fn=_set_parent_death_signal)
            except OSError as error:
                bench.fail_os(f"starting {REDIS_SERVER}", error)
            if self._wait_for_redis():
                bench.log(self.run, f"redis-server (pid {self.redis.pid}) on 127.0.0.1:{self.port}")
                return
            self._stop_redis()
        bench.fail("redis-server did not start (5 tries on free loopback ports)")

    def _wait_for_redis(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.redis.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return True
            except OSError:
                time.sleep(0.02)
        return False

    def _stop_redis(self):
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
                self.redis.wait()
        self.redis = None

    # ---- the workers -----------------------------------------------------------------

    def _worker_main(self, index):
        _set_parent_death_signal()
        for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signal_number, signal.SIG_DFL)   # Celery installs its own
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)   # the worker's banner must not mix with the record on stdout
        if not self.run.verbose:
            os.dup2(devnull, 2)   # nor its "Warm shutdown" lines with the variant's messages
        warnings.simplefilter("ignore")   # "running the worker with superuser privileges"
        self.app.worker_main(["worker", "--pool=solo", "--loglevel=ERROR", "--without-gossip",
                              "--without-mingle", "--without-heartbeat",
                              f"--hostname=worker{index}@{self.run.workload}-{self.run.model}"])
        os._exit(0)

    def __enter__(self):
        try:
            self._start_redis()
            self._start_workers()
        except BaseException:
            self.close()
            raise
        return self

    def _start_workers(self):
        sys.stdout.flush()
        sys.stderr.flush()
        for index in range(self.run.workers):
            pid = os.fork()
            if pid == 0:
                try:
                    self._worker_main(index)
                finally:
                    os._exit(bench.EXIT_WRONG)
            self.workers.append(pid)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:   # every worker answers a ping once it takes tasks
            answers = self.app.control.ping(timeout=0.5)
            if len(answers) >= self.run.workers:
                break
            for pid in self.workers:
                finished, status = os.waitpid(pid, os.WNOHANG)
                if finished:
                    self.workers.remove(pid)
                    bench.fail(f"Celery worker {pid} exited at start with status {status >> 8}")
            if time.monotonic() > deadline:
                bench.fail(f"only {len(answers)} of {self.run.workers} Celery workers started "
                           f"in {STARTUP_TIMEOUT_S} s")
        bench.log(self.run, f"{self.run.workers} Celery workers ready (pids "
                            f"{' '.join(str(pid) for pid in self.workers)})")

    def map(self, task, arguments):
        """Sends task(argument) for every argument; returns the results in order."""
        from celery import group
        result = group(task.s(argument) for argument in arguments).apply_async()
        values = result.get(timeout=3600, disable_sync_subtasks=False)
        del result
        gc.collect()   # the results unsubscribe from Redis now, while it still runs
        return values

    def __exit__(self, kind, value, traceback):
        self.close()
        return False

    def close(self):
        for pid in self.workers:
            try:
                os.kill(pid, signal.SIGTERM)   # warm shutdown: the task in hand, then exit
            except ProcessLookupError:
                pass
        for pid in self.workers:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.workers = []
        self._stop_redis()

    def __del__(self):
        if self.redis is not None or self.workers:
            self.close()
