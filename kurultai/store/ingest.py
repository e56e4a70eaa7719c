"""Ingest documents into the store: one transaction per document, idempotent by content hash.

A document already stored (same SHA-256 of its bytes) is left unchanged; `reextract=True`
reprocesses the stored originals instead. A document that cannot be read or extracted is
recorded as a failure with its reason and the batch goes on; a crash or Ctrl-C leaves no
half-stored document, and the next run picks up where this one stopped. Each document is read
within `Limits` (size, pages, decompressed size, markup, characters) and read and extracted
within its time limit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import InternalError, OperationalError

from ..deadline import TimeLimit, time_limit
from ..ingest.record import with_warnings
from ..ingest.sources import Source, discover
from ..read import Limits, ReadError, read_bytes
from . import facets
from .db import Store, StoreError, cause, insert_new
from .resolve import ORG_THRESHOLD, Index, Resolver
from .writers import catch_up, stored_by_now
from .schema import (documents, event_entities, event_references, event_tags, events, failures, mentions, originals,
                     outcomes)

EXTRACTOR_VERSION = "1"


@dataclass
class Report:
    new: int = 0
    unchanged: int = 0
    reextracted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(source, warning) of documents stored with something to know: a charset the page declared
    wrongly, NUL bytes, PDF pages without a readable text layer."""

    @property
    def total(self) -> int:
        return self.new + self.unchanged + self.reextracted + len(self.failed)

    def add(self, other: "Report") -> None:
        """Count `other`'s documents too (a batch's, once its transaction has committed)."""
        self.new += other.new
        self.unchanged += other.unchanged
        self.reextracted += other.reextracted
        self.failed += other.failed
        self.warnings += other.warnings


STORE_FAULTS = (OperationalError, InternalError)
"""What the database raises when it cannot do the work, whatever the document: a full disk, a
read-only file or transaction, a lost connection, a lock held too long."""


class StoreFault(StoreError):
    """The store failed in the middle of a batch. The document being stored was rolled back (with
    the Dask writer, the batch of documents it was committing with it) and the ones before are
    stored whole, so running the batch again once the store is fixed completes it. `report` is
    what the run stored until then."""

    def __init__(self, url: str, source: str, error: Exception, report: Report, batch: int = 0) -> None:
        lost = f"that document and the {batch} before it in its batch (one transaction) were" if batch else \
            "that document was"
        super().__init__(f"{url}: the store failed while storing {source} ({cause(error)}); {lost} not stored, "
                         f"the {report.new + report.reextracted} stored before were: run again once the store is fixed")
        self.report = report


def sources(paths: Iterable[str | Path], limits: Limits | int = Limits()) -> Iterator[Source]:
    """The documents under `paths` (kurultai.ingest.sources.discover); `limits` may be just the
    largest size a document may have, in bytes."""
    return discover(paths, limits if isinstance(limits, Limits) else Limits(max_bytes=limits))


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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
    """ingest() over sources already named and loadable: uploads and generated documents (a
    session's release) are stored under their own names, not a temporary file's path."""
    from ..scale.dedup import Duplicates
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
        text_, record, keys = read_and_extract(data, src.name, extractor, limits)
    except ReadError as exc:
        return fail(store, report, src.name, sha, exc.cause, index=index)
    except Exception as exc:  # an extractor bug must not stop the batch; the reason is kept
        return fail(store, report, src.name, sha, f"extraction failed ({type(exc).__name__}: {exc})", index=index)
    report.warnings += [(src.name, warning) for warning in text_.meta.get("warnings", ())]
    return store_extracted(store, report, sha, data, text_, record, " ".join(k for k in keys if k),
                           extractor.registry, index, known, duplicates)


def read_and_extract(data: bytes, source: str, extractor, limits: Limits = Limits()):
    """(text, record, keys) of one document, within `limits`; a document that takes longer than
    `limits.max_seconds` raises ReadError saying so (both the local and the Dask ingest call this).
    What the reader warned of is kept in the record (`document.warnings`)."""
    try:
        with time_limit(limits.max_seconds):
            text_ = read_bytes(data, source, **limits.reading())
            record, keys = extractor.extract_with_keys(text_)
    except TimeLimit:
        raise ReadError(source, limits.too_slow("reading and extraction")) from None
    return text_, with_warnings(record, text_), keys


def stored_document(store: Store, sha: str) -> int | None:
    """The id of the document with these bytes' SHA-256, if stored."""
    with store.connect() as conn:
        return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()


def stored_documents(store: Store, shas: list[str]) -> set[str]:
    """Which of these SHA-256s are stored documents' (one query)."""
    if not shas:
        return set()
    with store.connect() as conn:
        return set(conn.execute(select(documents.c.sha256).where(documents.c.sha256.in_(shas))).scalars())


def store_extracted(store: Store, report: Report, sha: str, data: bytes, text_, record: dict, lemmas: str,
                    registry, index: Index | None = None, known: int | None = None, duplicates=None,
                    signature=None, conn=None) -> str:
    """Write one extracted document in one transaction (both engines' writer); returns its status.
    `duplicates` links a new document to the one it reprints; `signature` is its MinHash, when a
    worker computed it already. Given `conn`, the document joins the caller's transaction (the
    Dask writer commits a batch at once)."""
    index = index if index is not None else Index()
    record["document"]["sha256"] = sha
    if duplicates is not None and known is None and signature is None:
        from ..scale.dedup import signature as minhash
        signature = minhash(text_.raw)
    canonical = None
    try:
        with _transaction(store, conn) as conn:
            if index.sync(conn) and duplicates is not None:
                catch_up(conn, duplicates)
            if known is None and stored_by_now(conn, sha):
                report.unchanged += 1  # another writer stored the same bytes while this one extracted
                return "unchanged"
            if known is not None:
                _clear(conn, known, store.dialect)
            conn.execute(insert_new(conn, originals), {"sha256": sha, "data": data})
            doc_id = write_record(conn, store.dialect, record, text_, lemmas, registry, known, index=index)
            if duplicates is not None and known is None:
                duplicates.keep(conn, doc_id, signature)
                canonical = duplicates.link(conn, doc_id, signature)
    except Exception:
        index.forget()  # rolled back: what the index learnt may not exist
        raise
    if duplicates is not None and known is None and canonical is None:
        duplicates.add(doc_id, signature)
    if known is not None:
        report.reextracted += 1
        return "reextracted"
    report.new += 1
    return "new"


def fail(store: Store, report: Report, source: str, sha: str | None, cause: str, conn=None,
         index: Index | None = None) -> str:
    """Record a document that could not be stored. Given the run's `index`, it learns that this
    transaction was the run's own (not another writer's) and keeps what it holds."""
    report.failed.append((source, cause))
    with _transaction(store, conn) as conn:
        if index is not None:
            index.follow(conn)
        conn.execute(insert(failures).values(source=source, sha256=sha, error=cause, at=now()))
    return "failed"


@contextmanager
def _transaction(store: Store, conn=None):
    """A transaction of its own, or the caller's `conn` (whose transaction the caller ends)."""
    if conn is not None:
        yield conn
        return
    with store.begin() as own:
        yield own


def _clear(conn, document_id: int, dialect: str) -> None:
    ev_ids = select(events.c.id).where(events.c.document_id == document_id)
    for table in (outcomes, event_references, event_tags, event_entities):
        conn.execute(delete(table).where(table.c.event_id.in_(ev_ids)))
    conn.execute(delete(events).where(events.c.document_id == document_id))
    conn.execute(delete(mentions).where(mentions.c.document_id == document_id))
    if dialect == "sqlite":
        conn.execute(text("DELETE FROM documents_fts WHERE rowid = :id"), {"id": document_id})


def write_record(conn, dialect: str, record: dict, text_, lemmas: str, registry, doc_id: int | None = None,
                 threshold: int | None = None, index: Index | None = None) -> int:
    """Store one extraction record and resolve its entities; the caller holds the transaction.
    With `doc_id`, the document row is rewritten in place (re-extraction keeps ids stable)."""
    doc = record["document"]
    doc_facets = facets.of_record(record)
    values = dict(sha256=doc["sha256"], source=doc["source"], format=doc.get("format"), encoding=doc.get("encoding"),
                  language=doc.get("language"), title=doc.get("title"), published=doc.get("published"), text=text_.raw,
                  lemmas=lemmas, record=json.dumps(record, ensure_ascii=False), extractor=EXTRACTOR_VERSION,
                  ingested_at=now(), facets=doc_facets)
    if doc_id is None:
        doc_id = conn.execute(_INSERT[documents], values).inserted_primary_key[0]
    else:
        conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
    if dialect == "sqlite":
        conn.execute(_FTS_INSERT, {"id": doc_id, "lemmas": lemmas, "facets": facets.fts5(doc_facets)})
    resolver = Resolver(conn, registry, threshold or ORG_THRESHOLD, index if index is not None else Index(),
                        doc.get("language"))
    local: dict[str, int] = {}
    said = []  # every mention of the document, written in one statement
    for org in record["organizations"]:
        if org.get("kind") == "generic":
            continue  # «правительство», «полиция»: evidence in the record, not an institution to list
        local[org["id"]] = eid = resolver.org(org, doc_id)
        said += _mentions(doc_id, eid, org)
    for person in record["persons"]:
        local[person["id"]] = eid = resolver.person(person, local.get(person.get("affiliation")), doc_id)
        said += _mentions(doc_id, eid, person)
    if said:
        conn.execute(_INSERT[mentions], said)
    for idx, ev in enumerate(record["events"]):
        date = (ev.get("date") or {})
        value = date.get("value")
        ev_id = conn.execute(_INSERT[events], dict(
            document_id=doc_id, idx=idx, type=ev["type"], title=ev.get("title"), date=value,
            year=int(value[:4]) if value and value[:4].isdigit() else None, year_inferred=date.get("year_inferred"),
            basis=date.get("basis"), format=ev.get("format"), place=ev.get("place"))).inserted_primary_key[0]
        roles = [{"event_id": ev_id, "entity_id": local[i], "role": role.rstrip("s")}
                 for role in ("organizers", "participants", "speakers") for i in ev.get(role, ()) if i in local]
        tags = [{"event_id": ev_id, "kind": kind.rstrip("s").replace("countrie", "country"), "value": v}
                for kind in ("countries", "directions", "threats", "frameworks") for v in ev.get(kind, ())]
        refs = [{"event_id": ev_id, "title": r["title"], "date": r.get("date")} for r in ev.get("references", ())]
        outs = [{"event_id": ev_id, "kind": o["kind"], "start": o["start"], "end": o["end"], "text": o["text"]}
                for o in ev.get("outcomes", ())]
        for table, rows in ((event_entities, roles), (event_tags, tags), (event_references, refs), (outcomes, outs)):
            if rows:
                conn.execute(_INSERT[table], rows)
    return doc_id


# Built once: a statement built per call costs the writer more than SQLite takes to run it
_INSERT = {t: insert(t) for t in (documents, events, mentions, event_entities, event_tags, event_references, outcomes)}
_FTS_INSERT = text("INSERT INTO documents_fts(rowid, lemmas, facets) VALUES (:id, :lemmas, :facets)")


def _mentions(doc_id: int, eid: int, item: dict) -> list[dict]:
    return [{"document_id": doc_id, "entity_id": eid, "local_id": item["id"], "start": m["start"], "end": m["end"],
             "text": m["text"]} for m in item.get("mentions", ())]


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
