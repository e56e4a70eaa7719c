"""Search with Russian morphology, aliases and facets, over SQLite FTS5 or PostgreSQL full text.

The query is lemmatised the way documents are (nlp/morph.py), so "сотрудничества" finds
"сотрудничество". A query that names an institution or a person by any alias also finds the
documents that mention them under another ("IWEP" finds a report that says "ИМЭП").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from razdel import tokenize
from sqlalchemy import and_, exists, func, or_, select, text

from ..nlp.morph import Morph
from .db import Store
from .names import norm
from .schema import aliases, documents, entities, event_entities, event_tags, events, mentions

FILTER_TAGS = ("country", "direction", "threat", "framework")


@dataclass
class Filters:
    country: str | None = None
    institution: str | None = None
    person: str | None = None
    type: str | None = None
    direction: str | None = None
    threat: str | None = None
    framework: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    language: str | None = None
    year: int | None = None


@dataclass
class Hit:
    id: int
    source: str
    title: str | None
    published: str | None
    language: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans inside `snippet`
    matched_by: list[str] = field(default_factory=list)  # "text" and/or "alias:<entity name>"


class SearchError(ValueError):
    """A query or filter that cannot be run; the message says which and why."""


def query_keys(query: str, morph: Morph) -> list[str]:
    return [morph.key(t.text) for t in tokenize(query) if re.search(r"\w", t.text)]


def search(store: Store, query: str = "", filters: Filters | None = None, morph: Morph | None = None,
           limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Ranked hits (best first) and the total number of matching documents."""
    filters = filters or Filters()
    morph = morph or Morph()
    keys = query_keys(query, morph) if query.strip() else []
    if query.strip() and not keys:
        raise SearchError(f"query {query!r} has no words to search for")
    with store.connect() as conn:
        scores: dict[int, float] = {}
        why: dict[int, list[str]] = {}
        if keys:
            for doc_id, score in _full_text(conn, store.dialect, keys, query):
                scores[doc_id] = score
                why.setdefault(doc_id, []).append("text")
            for doc_id, name in _by_alias(conn, query):
                scores[doc_id] = scores.get(doc_id, 0.0) + 5.0
                why.setdefault(doc_id, []).append(f"alias:{name}")
            candidates = set(scores)
            if not candidates:
                return [], 0
        cond = _conditions(conn, filters)
        stmt = select(documents.c.id, documents.c.source, documents.c.title, documents.c.published,
                      documents.c.language, documents.c.text).where(*cond)
        if keys:
            stmt = stmt.where(documents.c.id.in_(candidates))
        rows = conn.execute(stmt).all()
    if keys:
        rows.sort(key=lambda r: (-scores.get(r.id, 0.0), r.id))
    else:
        rows.sort(key=lambda r: (r.published or "", r.id), reverse=True)
    total = len(rows)
    hits = []
    for r in rows[offset:offset + limit]:
        snippet, marks = highlight(r.text, keys, morph)
        hits.append(Hit(r.id, r.source, r.title, r.published, r.language, round(scores.get(r.id, 0.0), 4),
                        snippet, marks, why.get(r.id, [])))
    return hits, total


def _full_text(conn, dialect: str, keys: list[str], query: str):
    if dialect == "sqlite":
        match = " AND ".join('"' + k.replace('"', '""') + '"' for k in keys)
        rows = conn.execute(text("SELECT rowid, bm25(documents_fts) FROM documents_fts WHERE documents_fts MATCH :q"),
                            {"q": match}).all()
        return [(r[0], -float(r[1])) for r in rows]  # bm25: lower is better
    rows = conn.execute(text(
        "SELECT id, ts_rank(tsv, plainto_tsquery('simple', :lemmas)) + ts_rank(tsv, plainto_tsquery('russian', :raw)) "
        "FROM documents WHERE tsv @@ plainto_tsquery('simple', :lemmas) OR tsv @@ plainto_tsquery('russian', :raw)"),
        {"lemmas": " ".join(keys), "raw": query}).all()
    return [(r[0], float(r[1])) for r in rows]


def _by_alias(conn, query: str):
    """Documents mentioning an entity one of whose aliases is the query."""
    n = norm(query)
    if len(n) < 2:
        return []
    ids = select(aliases.c.entity_id).where(aliases.c.norm == n)
    rows = conn.execute(select(mentions.c.document_id, entities.c.name).distinct()
                        .join(entities, entities.c.id == mentions.c.entity_id)
                        .where(mentions.c.entity_id.in_(ids))).all()
    return [(r[0], r[1]) for r in rows]


def entity_ids(conn, value: str, kind: str) -> list[int]:
    """An entity given by id or by any of its names."""
    if value.isdigit():
        return [int(value)]
    n = norm(value)
    return list(conn.execute(select(aliases.c.entity_id).distinct().join(entities, entities.c.id == aliases.c.entity_id)
                             .where(aliases.c.norm == n, entities.c.kind == kind)).scalars())


def _conditions(conn, f: Filters) -> list:
    cond = []
    ev = events.alias("ev")
    for tag in FILTER_TAGS:
        value = getattr(f, tag)
        if value:
            t = event_tags.alias(f"t_{tag}")
            cond.append(exists(select(1).select_from(t.join(ev, ev.c.id == t.c.event_id)).where(
                ev.c.document_id == documents.c.id, t.c.kind == tag, t.c.value == (value.upper() if tag == "country" else value))))
    if f.type:
        cond.append(exists(select(1).select_from(ev).where(ev.c.document_id == documents.c.id, ev.c.type == f.type)))
    for value, kind in ((f.institution, "org"), (f.person, "person")):
        if value:
            ids = entity_ids(conn, value, kind)
            if not ids:
                raise SearchError(f"no {'institution' if kind == 'org' else 'person'} is known as {value!r}")
            m = mentions.alias(f"m_{kind}")
            cond.append(exists(select(1).select_from(m).where(m.c.document_id == documents.c.id, m.c.entity_id.in_(ids))))
    if f.year:
        f.date_from, f.date_to = f.date_from or f"{f.year:04d}", f.date_to or f"{f.year:04d}-12-31"
    if f.date_from or f.date_to:
        parts = [ev.c.document_id == documents.c.id, ev.c.date.isnot(None), ~ev.c.date.like("--%")]
        if f.date_from:
            parts.append(ev.c.date >= _date(f.date_from, "from"))
        if f.date_to:
            parts.append(ev.c.date <= _date(f.date_to, "to") + "\uffff")
        cond.append(exists(select(1).select_from(ev).where(*parts)))
    if f.language:
        cond.append(documents.c.language == f.language)
    return cond


def _date(value: str, which: str) -> str:
    if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
        raise SearchError(f"--{which}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def highlight(raw: str, keys: list[str], morph: Morph, width: int = 220) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, and the matched words' spans inside it."""
    if not keys:
        return " ".join(raw[:width].split()), []
    wanted = set(keys)
    spans = [(t.start, t.stop) for t in tokenize(raw) if morph.key(t.text) in wanted]
    if not spans:
        return " ".join(raw[:width].split()), []
    start = max(0, spans[0][0] - width // 3)
    end = min(len(raw), start + width)
    window = raw[start:end]
    marks = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return window, marks


def facets(store: Store, doc_ids: list[int] | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts of documents by country, direction, threat, framework, event type and year."""
    out = {}
    with store.connect() as conn:
        base = select(events.c.id, events.c.document_id)
        if doc_ids is not None:
            base = base.where(events.c.document_id.in_(doc_ids))
        ev = base.subquery()
        for tag in FILTER_TAGS:
            rows = conn.execute(select(event_tags.c.value, func.count(func.distinct(ev.c.document_id)))
                                .join(ev, ev.c.id == event_tags.c.event_id).where(event_tags.c.kind == tag)
                                .group_by(event_tags.c.value).order_by(func.count(func.distinct(ev.c.document_id)).desc())).all()
            out[tag] = [(r[0], r[1]) for r in rows]
        q = select(events.c.type, func.count(func.distinct(events.c.document_id)))
        if doc_ids is not None:
            q = q.where(events.c.document_id.in_(doc_ids))
        out["type"] = [(r[0], r[1]) for r in conn.execute(q.group_by(events.c.type)).all()]
        q = select(events.c.year, func.count(func.distinct(events.c.document_id))).where(events.c.year.isnot(None))
        if doc_ids is not None:
            q = q.where(events.c.document_id.in_(doc_ids))
        out["year"] = [(str(r[0]), r[1]) for r in conn.execute(q.group_by(events.c.year).order_by(events.c.year)).all()]
    return out
