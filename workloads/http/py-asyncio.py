"""http-py-asyncio: the notes' flags2_asyncio. One thread, one event loop,
one coroutine per code; an asyncio.Semaphore keeps at most -m requests in
flight (default 30). Each request is plain HTTP/1.1 written and read over
asyncio streams (asyncio.open_connection): the standard library has no
asyncio HTTP client, and a GET of a small file needs little more.

While a coroutine awaits the server, the loop runs the others: one thread
keeps every request waiting at once, with no thread per request. (The
small files are written straight from the loop; a big one would go to
loop.run_in_executor, as the notes did, so as not to stall it.)

What to look for: against DELAY, about one delay for 20 codes with -m 20,
like py-threads and bin/http-eventloop, with the least CPU and memory of
the Python rows.
"""
import asyncio
import contextlib
import sys
from urllib.parse import urlsplit

import bench
import py_kernel


async def http_get(url):
    """(HTTP status, body) of GET url, over a fresh connection."""
    parts = urlsplit(url)
    try:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    except OSError as error:
        raise ConnectionError(f"could not connect to {parts.netloc}: "
                              f"{error.strerror or error}") from None
    try:
        writer.write(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     "User-Agent: bench-http-flags\r\nConnection: close\r\n\r\n".encode("latin-1"))
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        fields = status_line.split()
        if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
            raise ValueError(f"malformed response: {status_line[:60]!r}")
        headers = dict((name.strip().lower(), value.strip())
                       for name, _, value in (line.partition(":") for line in header_lines if line))
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while (size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)) > 0:
                body += (await reader.readexactly(size + 2))[:-2]
        else:
            body = await reader.read()
        return int(fields[1]), body
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def download(job, task, in_flight):
    async with in_flight:
        try:
            http_status, body = await asyncio.wait_for(http_get(py_kernel.flag_url(job, task)),
                                                       job.timeout)
        except asyncio.TimeoutError:
            return py_kernel.outcome(job, task, 0, b"", f"timed out after {job.timeout:g} s")
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
            return py_kernel.outcome(job, task, 0, b"", (str(error) or type(error).__name__)[:150])
        return py_kernel.outcome(job, task, http_status, body)


async def download_all(job, workers):
    in_flight = asyncio.Semaphore(workers)
    for done in asyncio.as_completed([download(job, task, in_flight) for task in range(len(job.codes))]):
        py_kernel.record(job, await done)


def main():
    run = bench.start("http", "py-asyncio",
                      py_kernel.ABOUT + " One thread, coroutines on an asyncio event loop.",
                      workload_options=py_kernel.options, operands="[CODE...]")
    job = py_kernel.setup(run)

    asyncio.run(download_all(job, run.workers))

    return py_kernel.finish(run, job)


if __name__ == "__main__":
    sys.exit(main())
