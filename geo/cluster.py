"""Clean and extract a build's input files on a Dask cluster: a scheduler's address, or a LocalCluster.

The build reads each changed file's bytes itself (`geo.ingest.read.read_raw`), so workers need no shared
file system; workers decode, clean and extract (`clean_and_extract`, the costly part) and send the
articles and records back in file order. The build alone writes the store. Small inputs never get
here: below `LOCAL_CLUSTER_BYTES` starting a cluster costs more than it saves (`wanted`).
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from geo.errors import ClusterError, IngestError
from geo.extract import extract_records
from geo.ingest.read import RawFile, clean_raw
from geo.models import Article, Record, SourceFile

Progress = Callable[[int, int, str], None]
Outcome = tuple[SourceFile, Article, list[Record]] | IngestError

# Bytes to clean from which a build without --scheduler starts a LocalCluster. Measured with
# benchmarks/bench_build.py on 2 cores: starting 2 workers (spawn, imports, the extractor's tables) costs
# ~2.5 s and the build's own share of the cluster ~1 s more; one process cleans and extracts ~0.5 MB/s,
# 2 workers ~0.9 MB/s with the results sent back; so 2 free cores break even at ~4 MB of input.
LOCAL_CLUSTER_BYTES = 4_000_000
CONNECT_SECONDS = 5
_BATCHES_PER_WORKER = 8  # enough batches that a slow one does not leave the other workers idle
_MAX_BATCH_BYTES = 1_000_000  # so that progress moves and no single task carries much


def default_workers() -> int:
    """Local worker processes for a command-line build: one per usable core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def wanted(scheduler: str | None, workers: int, size: int) -> bool:
    """Whether `size` bytes to clean go to a cluster: always with a scheduler, locally only when large."""
    if size == 0:
        return False
    return bool(scheduler) or (workers > 1 and size >= LOCAL_CLUSTER_BYTES)


@contextmanager
def client_for(scheduler: str | None, workers: int) -> Iterator:
    """A dask.distributed Client on `scheduler`, or on a new LocalCluster of `workers` processes.

    A scheduler that cannot be reached, is not a Dask scheduler, or has no workers raises
    ClusterError naming the address. The LocalCluster (`local_cluster_options`) is closed on the way
    out; its workers also exit if this process is killed.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        _check_scheduler(scheduler)
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:  # gone since the check
            raise ClusterError(f"cannot reach a Dask scheduler at {scheduler!r}: {exc}") from exc
        with client:
            try:
                client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            except TimeoutError as exc:
                raise ClusterError(f"the Dask scheduler at {scheduler} has no workers") from exc
            yield client
        return
    with LocalCluster(**local_cluster_options(workers)) as cluster, Client(cluster) as client:
        yield client


def local_cluster_options(workers: int) -> dict:
    """LocalCluster arguments for a build: `workers` processes of one thread (the extractor is pure
    Python), on 127.0.0.1 only, no dashboard, and the scheduler's HTTP routes on a free port so
    that two builds never fight over port 8787."""
    return dict(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.CRITICAL)


def _check_scheduler(address: str) -> None:
    """Raise ClusterError unless a Dask scheduler answers at `address` within CONNECT_SECONDS.

    Client() alone waits forever for a handshake from a server that is not Dask's, hence this probe.
    """
    from distributed.comm import connect

    async def identity() -> dict:
        comm = await connect(address, timeout=CONNECT_SECONDS)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        # In a thread of its own: the caller may be running an event loop already (the app's server, a test).
        with ThreadPoolExecutor(1) as pool:
            reply = pool.submit(asyncio.run, asyncio.wait_for(identity(), 2 * CONNECT_SECONDS)).result()
    except (OSError, ValueError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach a Dask scheduler at {address!r}: {exc or type(exc).__name__}") from exc
    except MemoryError as exc:  # a server that is not Dask's sent bytes read as a huge frame length
        raise ClusterError(f"{address!r} does not answer like a Dask scheduler") from exc
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise ClusterError(f"{address!r} does not answer like a Dask scheduler")


def describe(client) -> str:
    """Where a build ran, for its summary: the scheduler's address and its worker count."""
    n = len(client.scheduler_info()["workers"])
    return f"Dask cluster {client.scheduler.address} ({n} worker{'s' if n != 1 else ''})"


def clean_and_extract(raws: list[RawFile], max_bytes: int) -> list[Outcome]:
    """Worker task: each file's (SourceFile, Article, records), or the IngestError its cleaning raised."""
    out: list[Outcome] = []
    for raw in raws:
        try:
            entry, article = clean_raw(raw, max_bytes)
        except IngestError as exc:
            out.append(exc)
            continue
        out.append((entry, article, extract_records(article)))
    return out


def run(client, raws: list[RawFile], max_bytes: int, progress: Progress | None = None) -> list[Outcome]:
    """`clean_and_extract` every file on the client's workers; outcomes in the order of `raws`.

    `progress(i, n, file name)` is called for each file as its batch comes back. A worker lost
    for good (killed, out of memory) raises ClusterError.
    """
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    batches = _batches(raws, len(client.scheduler_info()["workers"]))
    futures = {client.submit(clean_and_extract, batch, max_bytes, pure=False): i for i, batch in enumerate(batches)}
    results: list[list[Outcome] | None] = [None] * len(batches)
    done = 0
    try:
        for future, outcomes in as_completed(futures, with_results=True):
            index = futures[future]
            results[index] = outcomes
            for raw in batches[index]:
                done += 1
                if progress:
                    progress(done, len(raws), raw.path.name)
    except (KilledWorker, FutureCancelledError, OSError) as exc:
        raise ClusterError(f"the Dask cluster failed during the build: {exc}") from exc
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "geo":
            raise
        raise ClusterError("the Dask workers cannot import the geo package: install this project (the same "
                           "version) in every worker's environment") from exc
    finally:
        client.cancel(list(futures))
    return [outcome for batch in results for outcome in batch]


def _batches(raws: list[RawFile], workers: int) -> list[list[RawFile]]:
    """Consecutive runs of files of about equal bytes: `_BATCHES_PER_WORKER` per worker, none over 1 MB."""
    total = sum(len(r.data) for r in raws)
    target = min(_MAX_BATCH_BYTES, max(1, total // max(1, workers * _BATCHES_PER_WORKER)))
    batches: list[list[RawFile]] = []
    batch: list[RawFile] = []
    size = 0
    for raw in raws:
        batch.append(raw)
        size += len(raw.data)
        if size >= target:
            batches.append(batch)
            batch, size = [], 0
    return batches + ([batch] if batch else [])
