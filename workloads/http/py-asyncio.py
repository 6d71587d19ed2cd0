"""http-py-asyncio: the notes' flags2_asyncio. One thread, one event loop,
one coroutine per code, each fetching its flag with aiohttp; an
asyncio.Semaphore keeps at most -m requests in flight (default 30), and
the results are counted as they complete (asyncio.as_completed).

While a coroutine awaits the server, the loop runs the others: one thread
keeps every request waiting at once, with no thread per request. The whole
transfer is bounded by asyncio.timeout(--timeout), which cancels the
coroutine wherever it waits: no watchdog is needed, unlike the blocking
clients. (The small files are written straight from the loop; a big one
would go to loop.run_in_executor, as the notes did, so as not to stall it.)

What to look for: against DELAY, about one delay for 20 codes with -m 20,
like py-threads and bin/http-eventloop, with the least CPU and memory of
the Python rows.
"""
import asyncio
import sys

import aiohttp

import bench
import py_kernel


async def get_flag(session, job, task):
    """(HTTP status, body) of one flag, the body refused when too long."""
    async with session.get(py_kernel.flag_url(job, task), allow_redirects=False) as response:
        body = py_kernel.Body(response.headers.get("Content-Length"), py_kernel.body_limit(job, task))
        async for chunk in response.content.iter_chunked(65536):
            body.add(chunk)
        return response.status, body.complete()


async def download(session, job, task, in_flight):
    async with in_flight:
        try:
            async with asyncio.timeout(job.timeout):       # for the whole transfer
                http_status, body = await get_flag(session, job, task)
        except TimeoutError:
            return py_kernel.outcome(job, task, 0, b"", f"timed out after {job.timeout:g} s")
        except (aiohttp.ClientError, py_kernel.TransferFailed, OSError, ValueError) as error:
            return py_kernel.outcome(job, task, 0, b"", py_kernel.short_reason(error)[:150])
        return py_kernel.outcome(job, task, http_status, body)


async def download_all(job, workers):
    in_flight = asyncio.Semaphore(workers)
    # no proxy from the environment, bodies as sent (no decompression), no
    # connection limit but the semaphore's
    async with aiohttp.ClientSession(headers=py_kernel.HEADERS, auto_decompress=False,
                                     connector=aiohttp.TCPConnector(limit=0)) as session:
        to_do = [download(session, job, task, in_flight) for task in range(len(job.codes))]
        for done in asyncio.as_completed(to_do):
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
