"""Exports of the knowledge base: JSON Lines, CSV and Parquet tables, and FollowTheMoney entities.

Nine tables with the same columns in every format (README, "Exports"): documents, events,
event_entities (who organised, took part in or spoke at which event), institutions, people,
mentions, outcomes, evidence and references. Rows join by stable ids that say what they name
(`doc-12`, `event-12-0`: the document's first event, `org-5`, `person-7`): a document keeps its
id when it is re-extracted, and an event the document's id and its place in it. Sources are
paths relative to the folder the store's files were ingested from (or URLs, or an upload's
name), never a local absolute path. Each file is written whole or not at all (atomic.py), CSV
cells are safe to open in a spreadsheet (csvsafe.py). FollowTheMoney: export_ftm.py.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import select

from . import atomic, csvsafe
from .db import Store
from .schema import (aliases, documents, entities, event_entities, event_references, event_tags, events, mentions,
                     outcomes)

FORMATS = ("jsonl", "csv", "parquet", "ftm")
STREAM = 1000  # rows fetched at a time from the large tables (a server-side cursor on PostgreSQL)
TAG_KINDS = (("countries", "country"), ("directions", "direction"), ("threats", "threat"), ("frameworks", "framework"))


def doc_id(i: int | None) -> str | None:
    return None if i is None else f"doc-{i}"


def event_id(document: int, idx: int) -> str:
    return f"event-{document}-{idx}"


def entity_id(kind: str, i: int | None) -> str | None:
    return None if i is None else f"{'org' if kind == 'org' else 'person'}-{i}"


def is_url(source: str) -> bool:
    return "://" in source.split("!", 1)[0]


def relative_sources(sources: list[str]) -> dict[str, str]:
    """Each stored source as it is exported: a URL as it is, a local path relative to the folder
    all the store's local files share (the ingest root: `reports/a.txt` and `reports/b/c.txt`
    give `a.txt` and `b/c.txt`), a document inside an archive as `ARCHIVE!MEMBER` with the
    archive's path made relative the same way, an upload's bare name as it is."""
    def split(source: str) -> tuple[str, str]:
        outer, sep, member = source.partition("!")
        return outer.replace("\\", "/"), sep + member

    local = [split(s)[0] for s in sources if not is_url(s)]
    roots = {}
    for absolute in (True, False):
        folders = [posixpath.dirname(p) for p in local if p.startswith("/") == absolute and "/" in p]
        roots[absolute] = posixpath.commonpath(folders) if folders else ""
    out = {}
    for s in sources:
        if is_url(s):
            out[s] = s
            continue
        outer, member = split(s)
        root = roots[outer.startswith("/")]
        rel = posixpath.relpath(outer, root or ".") if "/" in outer else outer
        out[s] = rel.lstrip("/") + member
    return out


Table = Callable[..., Iterator[dict]]


def _documents(conn, rel: dict) -> Iterator[dict]:
    for r in conn.execute(select(documents.c.id, documents.c.sha256, documents.c.source, documents.c.title,
                                 documents.c.language, documents.c.format, documents.c.encoding,
                                 documents.c.published, documents.c.duplicate_of, documents.c.ingested_at,
                                 documents.c.extractor).order_by(documents.c.id)).mappings():
        yield {"id": doc_id(r["id"]), "sha256": r["sha256"], "source": rel[r["source"]],
               "file_name": posixpath.basename(rel[r["source"]].split("!")[-1]), "title": r["title"],
               "language": r["language"], "format": r["format"], "encoding": r["encoding"],
               "published": r["published"], "reprint_of": doc_id(r["duplicate_of"]),
               "ingested_at": r["ingested_at"], "extractor": r["extractor"]}


def _events(conn, rel: dict) -> Iterator[dict]:
    tags: dict[int, dict[str, list[str]]] = {}
    for ev, kind, value in conn.execute(select(event_tags.c.event_id, event_tags.c.kind, event_tags.c.value)
                                        .order_by(event_tags.c.event_id, event_tags.c.kind, event_tags.c.value)):
        tags.setdefault(ev, {}).setdefault(kind, []).append(value)
    for r in conn.execute(select(events).order_by(events.c.document_id, events.c.idx)).mappings():
        yield {"id": event_id(r["document_id"], r["idx"]), "document_id": doc_id(r["document_id"]), "type": r["type"],
               "title": r["title"], "date": r["date"], "date_basis": r["basis"], "year": r["year"],
               "year_inferred": r["year_inferred"], "format": r["format"], "place": r["place"],
               **{name: tags.get(r["id"], {}).get(kind, []) for name, kind in TAG_KINDS}}


def _event_keys(conn) -> dict[int, tuple[int, str]]:
    """Event row id -> (document id, exported event id)."""
    return {i: (d, event_id(d, idx)) for i, d, idx in conn.execute(select(events.c.id, events.c.document_id,
                                                                          events.c.idx))}


def _event_entities(conn, rel: dict) -> Iterator[dict]:
    keys = _event_keys(conn)
    kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
    rows = conn.execute(select(event_entities.c.event_id, event_entities.c.entity_id, event_entities.c.role)).all()
    for ev, eid, role in sorted(rows, key=lambda r: (keys[r[0]][0], keys[r[0]][1], r[2], r[1])):
        yield {"event_id": keys[ev][1], "entity_id": entity_id(kinds.get(eid, "person"), eid),
               "entity_kind": "institution" if kinds.get(eid) == "org" else "person", "role": role}


def _aliases(conn) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for eid, alias in conn.execute(select(aliases.c.entity_id, aliases.c.alias).order_by(aliases.c.id)):
        found.setdefault(eid, []).append(alias)
    return found


def _institutions(conn, rel: dict) -> Iterator[dict]:
    al = _aliases(conn)
    for r in conn.execute(select(entities).where(entities.c.kind == "org").order_by(entities.c.id)).mappings():
        yield {"id": entity_id("org", r["id"]), "name": r["name"], "short": r["short"], "country": r["country"],
               "registry_id": r["registry_id"], "kind": r["org_kind"], "aliases": al.get(r["id"], [])}


def _people(conn, rel: dict) -> Iterator[dict]:
    al = _aliases(conn)
    names = dict(conn.execute(select(entities.c.id, entities.c.name).where(entities.c.kind == "org")).all())
    for r in conn.execute(select(entities).where(entities.c.kind != "org").order_by(entities.c.id)).mappings():
        yield {"id": entity_id("person", r["id"]), "name": r["name"],
               "affiliation_id": entity_id("org", r["affiliation_id"]), "affiliation": names.get(r["affiliation_id"]),
               "aliases": al.get(r["id"], [])}


def _mentions(conn, rel: dict) -> Iterator[dict]:
    kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
    for r in conn.execute(select(mentions).order_by(mentions.c.document_id, mentions.c.start, mentions.c.id)
                          .execution_options(yield_per=STREAM)).mappings():
        yield {"entity_id": entity_id(kinds.get(r["entity_id"], "person"), r["entity_id"]),
               "document_id": doc_id(r["document_id"]), "start": r["start"], "end": r["end"], "quote": r["text"]}


def _outcomes(conn, rel: dict) -> Iterator[dict]:
    keys = _event_keys(conn)
    rows = conn.execute(select(outcomes)).mappings().all()
    for r in sorted(rows, key=lambda r: (keys[r["event_id"]], r["start"])):
        document, ev = keys[r["event_id"]]
        yield {"event_id": ev, "document_id": doc_id(document), "kind": r["kind"], "start": r["start"],
               "end": r["end"], "quote": r["text"]}


def _evidence(conn, rel: dict) -> Iterator[dict]:
    """The spans of the text each event's values rest on (type, date, place, format...), from the
    stored extraction record; the quote is the document's own text between start and end."""
    for i, record, text_ in conn.execute(select(documents.c.id, documents.c.record, documents.c.text)
                                         .order_by(documents.c.id).execution_options(yield_per=STREAM)):
        for idx, ev in enumerate(json.loads(record).get("events", ())):
            for e in ev.get("evidence", ()):
                start, end = e.get("start"), e.get("end")
                yield {"event_id": event_id(i, idx), "document_id": doc_id(i), "field": e.get("field"),
                       "value": _text(e.get("value")),
                       "start": start, "end": end,
                       "quote": text_[start:end] if isinstance(start, int) and isinstance(end, int) else None}


def _references(conn, rel: dict) -> Iterator[dict]:
    keys = _event_keys(conn)
    rows = conn.execute(select(event_references)).mappings().all()
    for r in sorted(rows, key=lambda r: (keys[r["event_id"]], r["title"])):
        yield {"event_id": keys[r["event_id"]][1], "title": r["title"], "date": r["date"]}


TABLES: dict[str, tuple[tuple[str, ...], Table]] = {
    "documents": (("id", "sha256", "source", "file_name", "title", "language", "format", "encoding", "published",
                   "reprint_of", "ingested_at", "extractor"), _documents),
    "events": (("id", "document_id", "type", "title", "date", "date_basis", "year", "year_inferred", "format",
                "place", "countries", "directions", "threats", "frameworks"), _events),
    "event_entities": (("event_id", "entity_id", "entity_kind", "role"), _event_entities),
    "institutions": (("id", "name", "short", "country", "registry_id", "kind", "aliases"), _institutions),
    "people": (("id", "name", "affiliation_id", "affiliation", "aliases"), _people),
    "mentions": (("entity_id", "document_id", "start", "end", "quote"), _mentions),
    "outcomes": (("event_id", "document_id", "kind", "start", "end", "quote"), _outcomes),
    "evidence": (("event_id", "document_id", "field", "value", "start", "end", "quote"), _evidence),
    "references": (("event_id", "title", "date"), _references),
}
LISTS = {"countries", "directions", "threats", "frameworks", "aliases"}  # list columns (joined by "; " in CSV)


def sources_of(conn) -> dict[str, str]:
    return relative_sources(list(conn.execute(select(documents.c.source)).scalars()))


def tables(store: Store) -> dict[str, list[dict]]:
    """Every table's rows, in memory (for tests and small stores; `export` streams them)."""
    with store.snapshot() as conn:
        rel = sources_of(conn)
        return {name: list(rows(conn, rel)) for name, (_, rows) in TABLES.items()}


def export(store: Store, fmt: str, out: Path, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the tables (or the FtM entities) into folder `out`; returns the files written.
    Every file is complete under its final name or not there: the previous export's stays whole
    until the new one is ready. `progress(name)` is told of each file as it is started."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with atomic.batch(out) as files, store.snapshot() as conn:
        if fmt == "ftm":
            from .export_ftm import ftm_entities
            final = out / "kurultai.ftm.json"
            if progress:
                progress(final.name)
            with open(files.path(final), "w", encoding="utf-8", errors="backslashreplace") as f:
                for entity in ftm_entities(conn):
                    f.write(json.dumps(entity, ensure_ascii=False) + "\n")
            return files.commit()
        rel = sources_of(conn)
        for name, (fields, rows) in TABLES.items():
            final = out / f"{name}.{fmt}"
            if progress:
                progress(final.name)
            _write(fmt, files.path(final), fields, rows(conn, rel))
        return files.commit()


def _write(fmt: str, path: Path, fields: tuple[str, ...], rows: Iterator[dict]) -> None:
    if fmt == "jsonl":  # a file name's undecodable bytes (surrogates) as \udcXX escapes, which JSON reads back
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            csvsafe.write(f, fields, rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq
        records = [{k: _utf8(v) for k, v in row.items()} for row in rows]
        if records:
            table = pa.Table.from_pylist(records).select(list(fields))
        else:
            table = pa.table({name: pa.array([], pa.list_(pa.string()) if name in LISTS else pa.string())
                              for name in fields})
        pq.write_table(table, path)


def _utf8(value):
    """A string Arrow can encode: undecodable bytes of a file name (surrogates) as \\udcXX."""
    if isinstance(value, str) and not value.isascii():
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _text(value) -> str | None:
    """An evidence value as text, whatever its type in the record (one type per column)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
