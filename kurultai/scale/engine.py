"""Ingest on a Dask cluster: workers extract, one writer in this process stores.

The client reads each source and hashes its bytes; documents already stored (or seen earlier in
the run) are skipped before anything is sent. The rest go to the workers in batches; each worker
loads natasha and the registry once (`ExtractorPlugin`) and returns, per document, its
`Extraction` (made by the same `extract_document` as a single-process ingest, its MinHash
signature computed on the worker), or the reason it failed. The writer takes the batches back in
input order and stores each document with `store_one`, a batch per transaction, so the store is
the one a single-process `ingest` would have built, reader warnings included.

    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \\
            Client(cluster) as client:
        report = ingest_dask(store, ["reports/"], client)
"""
from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from ..ingest.extraction import extract_document
from ..ingest.run import STORE_FAULTS, Report, StoreFault, store_one, stored_documents
from ..ingest.source import Source
from ..ingest.sources import discover
from ..read import Limits, ReadError
from ..store.db import Store
from ..store.documents import fail
from ..store.duplicates import Duplicates
from ..store.resolve import Index

BATCH = 16  # documents per task and per transaction: at 4, Dask's per-task work cost the client 0.6 ms a document


@dataclass(frozen=True, slots=True)
class Extracted:
    source: str
    sha: str
    data: bytes | None = None  # the original's bytes: the client's, not sent back by the worker
    done: object = None  # pipeline.Extraction, its signature computed
    error: str | None = None


class ExtractorPlugin(WorkerPlugin):
    """Loads natasha's models and the registry once per worker, when the worker starts."""

    name = "kurultai-extractor"

    def setup(self, worker) -> None:
        from ..pipeline import Extractor
        worker.kurultai_extractor = Extractor()


def _worker_extractor():
    from distributed import get_worker
    worker = get_worker()
    if getattr(worker, "kurultai_extractor", None) is None:  # a worker that joined without the plugin
        ExtractorPlugin().setup(worker)
    return worker.kurultai_extractor


def extract_batch(batch: list[tuple[str, str, bytes]], limits: Limits = Limits()) -> list[Extracted]:
    """On a worker: read and extract each (source, sha256, bytes) within `limits`."""
    extractor = _worker_extractor()
    out = []
    for source, sha, data in batch:
        try:
            done = extract_document(data, source, extractor, limits, sha)
        except ReadError as exc:
            out.append(Extracted(source, sha, error=exc.cause))
            continue
        except Exception as exc:  # an extractor bug must not stop the batch; the reason is kept
            out.append(Extracted(source, sha, error=f"extraction failed ({type(exc).__name__}: {exc})"))
            continue
        done.signature  # on the worker, sent back with the extraction
        out.append(Extracted(source, sha, None, done))
    return out


def worker_memory(client: Client) -> dict[str, int]:
    """Resident memory (bytes) of each worker process."""
    def rss() -> int:
        import psutil
        return psutil.Process().memory_info().rss
    return client.run(rss)


def connect(workers: int | None = None, scheduler: str | None = None) -> Client:
    """A client of the cluster at `scheduler`, or of a new local cluster of `workers` processes
    with one thread each; closing the client closes a local cluster too."""
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.kurultai_cluster = cluster
    return client


def close(client: Client) -> None:
    cluster = getattr(client, "kurultai_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def ingest_dask(store: Store, paths: Iterable[str | Path], client: Client, registry=None,
                progress: Callable[[str, str], None] | None = None, batch: int = BATCH, dedup: bool = True,
                limits: Limits = Limits()) -> Report:
    """Ingest every document under `paths` with the cluster's workers; the same store, report and
    `progress(source, status)` calls as `kurultai.ingest.run.ingest`, the same `limits`."""
    return ingest_dask_sources(store, discover(paths, limits), client, registry, progress, batch, dedup, limits)


def ingest_dask_sources(store: Store, srcs: Iterable[Source], client: Client, registry=None,
                        progress: Callable[[str, str], None] | None = None, batch: int = BATCH, dedup: bool = True,
                        limits: Limits = Limits()) -> Report:
    """ingest_dask() over sources already found (kurultai.ingest.sources)."""
    if registry is None:
        from ..knowledge.registry import Registry
        registry = Registry.load()
    client.register_plugin(ExtractorPlugin())
    report = Report()
    index = Index()
    duplicates = Duplicates.of_store(store) if dedup else None
    window = 2 * max(1, sum(client.nthreads().values()))
    pending: deque = deque()  # (future or None, items, work): items are ('skip'|'fail', source, sha, cause) or None

    def drain_one() -> None:
        """Write one batch in one transaction: a commit per document cost the writer a third of
        its time, and the writer is what the workers wait for (bench/scale.py)."""
        future, items, work = pending.popleft()
        results = iter(future.result()) if future is not None else iter(())
        sent = iter(work)
        done, batch, source = [], Report(), "the batch"
        try:
            with store.begin() as conn:
                for item in items:
                    if item is None:
                        item = replace(next(results), data=next(sent)[2])
                    source = item.source if isinstance(item, Extracted) else item[1]
                    done.append((source, _write(store, batch, item, registry, index, duplicates, conn)))
        except STORE_FAULTS as exc:
            index.forget()
            raise StoreFault(store.url, source, exc, report, batch=len(done)) from exc
        report.add(batch)
        if progress:
            for source, status in done:
                progress(source, status)

    for items, work in _batches(store, srcs, batch):
        pending.append((client.submit(extract_batch, work, limits, pure=False) if work else None, items, work))
        while len(pending) > window:
            drain_one()
    while pending:
        drain_one()
    store.refresh_statistics(report.new)
    return report


def _batches(store: Store, srcs, size: int) -> Iterator[tuple[list, list]]:
    """(items, work): `work` goes to a worker; `items` keeps the input order, with None where a
    worker's result comes and a ('skip' | 'fail', source, sha, cause) tuple for what needs none.
    Whether a document is stored already is asked once for each `size` sources read (a query per
    document was 0.7 s of the client's 2.1 s of CPU, profiled over 300)."""
    items, work, seen, read = [], [], set(), []
    for src in srcs:
        try:
            data = src.load()
        except ReadError as exc:
            read.append((src.name, None, exc.cause))
        else:
            read.append((src.name, hashlib.sha256(data).hexdigest(), data))
        if len(read) >= size:
            yield from _sort(store, read, items, work, seen, size)
            read = []
    yield from _sort(store, read, items, work, seen, size)
    if items:
        yield items, work


def _sort(store: Store, read: list, items: list, work: list, seen: set, size: int) -> Iterator[tuple[list, list]]:
    """Sort sources read into `items` and `work` (in place), yielding each full batch."""
    stored = stored_documents(store, [sha for _, sha, _ in read if sha])
    for name, sha, data in read:
        if sha is None:
            items.append(("fail", name, None, data))
        elif sha in seen or sha in stored:
            items.append(("skip", name, sha, None))
        else:
            seen.add(sha)
            items.append(None)
            work.append((name, sha, data))
            if len(work) >= size:
                yield items[:], work[:]
                items.clear()
                work.clear()


def _write(store: Store, report: Report, item, registry, index: Index, duplicates, conn) -> str:
    if not isinstance(item, Extracted):
        kind, source, sha, cause = item
        if kind == "skip":
            report.unchanged += 1
            return "unchanged"
        return fail(store, report, source, sha, cause, conn)
    if item.error is not None:
        return fail(store, report, item.source, item.sha, item.error, conn)
    return store_one(store, report, item.source, item.sha, item.data, item.done, registry, index, None, duplicates,
                     conn)
