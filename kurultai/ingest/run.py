"""The ingest use case: sources -> read -> extract -> store, for `kurultai ingest`, the web
upload, a session's published release and (through `store_one` and `extract_document`) the Dask
engine and the watcher.

A document already stored (same SHA-256 of its bytes) is left unchanged; `reextract=True`
reprocesses the stored originals instead. A document that cannot be read or extracted is
recorded as a failure with its reason and the batch goes on; a crash or Ctrl-C leaves no
half-stored document, and the next run picks up where this one stopped. Each document is read
within `Limits` (size, pages, decompressed size, markup, characters) and read and extracted
within its time limit.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from sqlalchemy import select

from ..read import Limits, ReadError
from ..store.db import Store
from ..store.documents import (STORE_FAULTS, Report, StoreFault, fail, store_extracted, stored_document,
                               stored_documents)
from ..store.resolve import Index
from ..store.schema import documents, originals
from .extraction import extract_document
from .source import Source
from .sources import discover

if TYPE_CHECKING:  # the extractor is loaded by whoever passes one
    from ..pipeline import Extraction

__all__ = ["STORE_FAULTS", "Report", "StoreFault", "ingest", "ingest_sources", "reextract_all", "store_one",
           "stored_document", "stored_documents"]


def ingest(store: Store, paths: Iterable[str | Path], extractor, reextract: bool = False,
           progress: Callable[[str, str], None] | None = None, dedup: bool = True,
           limits: Limits = Limits()) -> Report:
    """Ingest every document under `paths`; `progress(source, status)` is told of each one.
    With `dedup`, a reprint of a stored document is linked to it (`documents.duplicate_of`).
    A document past one of `limits` fails with the limit named."""
    return ingest_sources(store, discover(paths, limits), extractor, reextract, progress, dedup, limits)


def ingest_sources(store: Store, srcs: Iterable[Source], extractor, reextract: bool = False,
                   progress: Callable[[str, str], None] | None = None, dedup: bool = True,
                   limits: Limits = Limits()) -> Report:
    """ingest() over sources already found (kurultai.ingest.sources), or named and loadable:
    uploads and generated documents (a session's release) are stored under their own names,
    not a temporary file's path."""
    from ..store.duplicates import Duplicates  # datasketch takes a second to import
    report = Report()
    index = Index()
    duplicates = Duplicates.of_store(store) if dedup else None
    for src in srcs:
        try:
            status = _one(store, src, extractor, reextract, report, index, duplicates, limits)
        except STORE_FAULTS as exc:
            raise StoreFault(store.url, src.name, exc, report) from exc
        if progress:
            progress(src.name, status)
    store.refresh_statistics(report.new)
    return report


def _one(store: Store, src: Source, extractor, reextract: bool, report: Report, index: Index | None = None,
         duplicates=None, limits: Limits = Limits()) -> str:
    try:
        data = src.load()
    except ReadError as exc:
        return fail(store, report, src.name, None, exc.cause, index=index)
    sha = hashlib.sha256(data).hexdigest()
    known = stored_document(store, sha)
    if known is not None and not reextract:
        report.unchanged += 1
        return "unchanged"
    try:
        done = extract_document(data, src.name, extractor, limits, sha)
    except ReadError as exc:
        return fail(store, report, src.name, sha, exc.cause, index=index)
    except Exception as exc:  # an extractor bug must not stop the batch; the reason is kept
        return fail(store, report, src.name, sha, f"extraction failed ({type(exc).__name__}: {exc})", index=index)
    return store_one(store, report, src.name, sha, data, done, extractor.registry, index, known, duplicates)


def store_one(store: Store, report: Report, source: str, sha: str, data: bytes, done: Extraction, registry,
              index: Index | None = None, known: int | None = None, duplicates=None, conn=None) -> str:
    """Store one extracted document and count it in `report`, with what its reader warned of
    (every engine's last step)."""
    report.warnings += [(source, warning) for warning in done.text.meta.get("warnings", ())]
    return store_extracted(store, report, sha, data, done, registry, index, known, duplicates, conn)


def reextract_all(store: Store, extractor, progress=None, limits: Limits = Limits()) -> Report:
    """Re-extract every stored original (after the extractor or the registry improved)."""
    report = Report()
    index = Index()
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.source, documents.c.sha256).order_by(documents.c.id)).all()
    for source, sha in rows:
        def load(sha=sha):
            with store.connect() as conn:
                return conn.execute(select(originals.c.data).where(originals.c.sha256 == sha)).scalar()
        try:
            status = _one(store, Source(source, load), extractor, True, report, index, limits=limits)
        except STORE_FAULTS as exc:
            raise StoreFault(store.url, source, exc, report) from exc
        if progress:
            progress(source, status)
    return report
