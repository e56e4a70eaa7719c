"""Writing extracted documents: one transaction per document (or per Dask batch), idempotent by
content hash, with reprints linked and entities resolved; and recording what could not be stored.

The ingest stage (kurultai/ingest/run.py) decides what to store and hands each document over as
one `pipeline.Extraction`, which is written as it is. A crash or Ctrl-C leaves no half-stored
document.
"""
from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import InternalError, OperationalError

from . import facets
from .db import Store, StoreError, cause, insert_new
from .resolve import ORG_THRESHOLD, Index, Resolver
from .schema import (documents, event_entities, event_references, event_tags, events, failures, mentions, originals,
                     outcomes)
from .writers import catch_up, stored_by_now

if TYPE_CHECKING:  # the store takes an extraction; it need not load the extractor to do so
    from ..pipeline import Extraction

EXTRACTOR_VERSION = "1"
ROLES = {"organizers": "organizer", "participants": "participant", "speakers": "speaker"}
"""An event's role lists in the record -> `event_entities.role`."""
TAGS = {"countries": "country", "directions": "direction", "threats": "threat", "frameworks": "framework"}
"""An event's tag lists in the record -> `event_tags.kind`."""


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


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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


def store_extracted(store: Store, report: Report, sha: str, data: bytes, done: Extraction, registry,
                    index: Index | None = None, known: int | None = None, duplicates=None, conn=None) -> str:
    """Write one extracted document (`data`, whose SHA-256 is `sha`) in one transaction (every
    writer's: the ingest, the Dask writer, the watcher); returns its status. `duplicates` links a
    new document to the one it reprints, by `done.signature`. Given `conn`, the document joins the
    caller's transaction (the Dask writer commits a batch at once)."""
    index = index if index is not None else Index()
    signature = done.signature if duplicates is not None and known is None else None
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
            doc_id = write_record(conn, store.dialect, done.record, done.text, done.lemmas, registry, known,
                                  index=index)
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
        roles = [{"event_id": ev_id, "entity_id": local[i], "role": role}
                 for field_, role in ROLES.items() for i in ev.get(field_, ()) if i in local]
        tags = [{"event_id": ev_id, "kind": kind, "value": v}
                for field_, kind in TAGS.items() for v in ev.get(field_, ())]
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
