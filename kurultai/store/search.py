"""Search with Russian morphology, aliases and facets, over SQLite FTS5 or PostgreSQL full text.

The query is lemmatised the way documents are (nlp/morph.py), so "сотрудничества" finds
"сотрудничество". A query that names an institution or a person by any alias also finds the
documents that mention them under another ("IWEP" finds a report that says "ИМЭП").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from razdel import tokenize
from sqlalchemy import Float, Integer, case, exists, func, literal, or_, select, text

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
           limit: int = 20, offset: int = 0, snippets: bool = True) -> tuple[list[Hit], int]:
    """Ranked hits (best first) and the total number of matching documents.

    Matching, filtering, ranking and paging all happen in the database; only the page's
    documents are read in full (for their snippets)."""
    filters = filters or Filters()
    morph = morph or Morph()
    keys = query_keys(query, morph) if query.strip() else []
    if query.strip() and not keys:
        raise SearchError(f"query {query!r} has no words to search for")
    with store.connect() as conn:
        cond = _conditions(conn, filters)
        alias_entities = _alias_entities(conn, query) if keys else []
        alias_docs = select(mentions.c.document_id).where(mentions.c.entity_id.in_(alias_entities))
        total_col = func.count().over().label("total")  # one pass: the page and the count together
        if keys:
            rank = _rank(store.dialect, keys, query)
            matched = rank.c.id
            score = func.coalesce(rank.c.score, 0.0)
            if alias_entities:
                score = score + case((documents.c.id.in_(alias_docs), 5.0), else_=0.0)
            base = select(documents.c.id, score.label("score"), matched.isnot(None).label("by_text"), total_col) \
                .select_from(documents.outerjoin(rank, rank.c.id == documents.c.id))
            either = [matched.isnot(None)] + ([documents.c.id.in_(alias_docs)] if alias_entities else [])
            base = base.where(or_(*either), *cond)
            order = [text("score DESC"), documents.c.id]
        else:
            base = select(documents.c.id, literal(0.0).label("score"), literal(False).label("by_text"), total_col) \
                .where(*cond)
            order = [documents.c.published.desc().nulls_last() if store.dialect == "postgresql"
                     else documents.c.published.desc(), documents.c.id.desc()]
        page = conn.execute(base.order_by(*order).limit(limit).offset(offset)).all()
        total = page[0].total if page else (
            0 if offset == 0 else conn.execute(select(func.count()).select_from(base.subquery())).scalar())
        ids = [r[0] for r in page]
        if not snippets:
            return [Hit(r[0], "", None, None, None, float(r[1] or 0.0), "") for r in page], total
        rows = {r.id: r for r in conn.execute(
            select(documents.c.id, documents.c.source, documents.c.title, documents.c.published,
                   documents.c.language, documents.c.text).where(documents.c.id.in_(ids))).all()} if ids else {}
        text_hits = {r[0] for r in page if r.by_text}
        names: dict[int, list[str]] = {}
        if keys and ids:
            if alias_entities:
                for d, name in conn.execute(select(mentions.c.document_id, entities.c.name).distinct()
                                            .join(entities, entities.c.id == mentions.c.entity_id)
                                            .where(mentions.c.entity_id.in_(alias_entities), mentions.c.document_id.in_(ids))):
                    names.setdefault(d, []).append(f"alias:{name}")
    hits = []
    for doc_id, score, *_ in page:
        r = rows[doc_id]
        snippet, marks = highlight(r.text, keys, morph)
        why = (["text"] if doc_id in text_hits else []) + names.get(doc_id, [])
        hits.append(Hit(r.id, r.source, r.title, r.published, r.language, round(float(score or 0.0), 4),
                        snippet, marks, why))
    return hits, total


FACET_LIMIT = 1000  # facets count the best this many matches; beyond, a page says so


def best_ids(store: Store, query: str, filters: Filters, morph: Morph, limit: int = FACET_LIMIT) -> list[int]:
    """The ids of the best `limit` matches, in rank order: what the facets of a large result count."""
    hits, _ = search(store, query, filters, morph, limit=limit, offset=0, snippets=False)
    return [h.id for h in hits]


def matching_documents(store: Store, query: str, filters: Filters, morph: Morph):
    """A subquery of the ids of every document `search` finds for the query and filters (what
    facets count); a subquery rather than a list, so that no IN list grows with the corpus."""
    keys = query_keys(query, morph) if query.strip() else []
    with store.connect() as conn:  # names of institutions and people are resolved to ids here
        stmt = select(documents.c.id).where(*_conditions(conn, filters))
        if keys:
            either = [documents.c.id.in_(select(_rank(store.dialect, keys, query).c.id))]
            named = _alias_entities(conn, query)
            if named:
                either.append(documents.c.id.in_(select(mentions.c.document_id).where(mentions.c.entity_id.in_(named))))
            stmt = stmt.where(or_(*either))
    return stmt


def _rank(dialect: str, keys: list[str], query: str):
    """A subquery (id, score) of the documents whose text matches every query word."""
    if dialect == "sqlite":
        match = " AND ".join('"' + k.replace('"', '""') + '"' for k in keys)
        return (text("SELECT rowid AS id, -bm25(documents_fts) AS score FROM documents_fts WHERE documents_fts MATCH :q")
                .bindparams(q=match).columns(id=Integer, score=Float).subquery("fts"))
    return (text("SELECT id, ts_rank(tsv, q) AS score FROM documents, plainto_tsquery('russian', :lemmas) q "
                 "WHERE tsv @@ q")
            .bindparams(lemmas=" ".join(keys)).columns(id=Integer, score=Float).subquery("fts"))


def _alias_entities(conn, query: str) -> list[int]:
    """Entities one of whose aliases is the query: their documents match whatever they call them."""
    n = norm(query)
    if len(n) < 2:
        return []
    return list(conn.execute(select(aliases.c.entity_id).distinct().where(aliases.c.norm == n)).scalars())


def entity_ids(conn, value: str, kind: str) -> list[int]:
    """An entity given by id or by any of its names."""
    if value.isdigit():
        return [int(value)] if int(value) < 2 ** 63 else []  # beyond any id the database can hold
    n = norm(value)
    return list(conn.execute(select(aliases.c.entity_id).distinct().join(entities, entities.c.id == aliases.c.entity_id)
                             .where(aliases.c.norm == n, entities.c.kind == kind)).scalars())


def _conditions(conn, f: Filters) -> list:
    """Filters as uncorrelated `documents.id IN (...)` subqueries: each is computed once."""
    cond = []
    for tag in FILTER_TAGS:
        value = getattr(f, tag)
        if value:
            cond.append(documents.c.id.in_(
                select(events.c.document_id).join(event_tags, event_tags.c.event_id == events.c.id)
                .where(event_tags.c.kind == tag, event_tags.c.value == (value.upper() if tag == "country" else value))))
    if f.type:
        cond.append(documents.c.id.in_(select(events.c.document_id).where(events.c.type == f.type)))
    for value, kind in ((f.institution, "org"), (f.person, "person")):
        if value:
            ids = entity_ids(conn, value, kind)
            if not ids:
                raise SearchError(f"no {'institution' if kind == 'org' else 'person'} is known as {value!r}")
            cond.append(documents.c.id.in_(select(mentions.c.document_id).where(mentions.c.entity_id.in_(ids))))
    if f.year:
        f.date_from, f.date_to = f.date_from or f"{f.year:04d}", f.date_to or f"{f.year:04d}-12-31"
    if f.date_from or f.date_to:
        parts = [events.c.date.isnot(None), ~events.c.date.like("--%")]
        if f.date_from:
            parts.append(events.c.date >= _date(f.date_from, "from"))
        if f.date_to:
            parts.append(events.c.date <= _date(f.date_to, "to") + "\uffff")
        cond.append(documents.c.id.in_(select(events.c.document_id).where(*parts)))
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
    # snap the window to whole words
    while start > 0 and not raw[start - 1].isspace() and spans[0][0] - start < width // 2:
        start -= 1
    while end < len(raw) and not raw[end].isspace() and end - start < width + 30:
        end += 1
    window = raw[start:end]
    marks = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return window, marks
