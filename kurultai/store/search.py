"""Search with Russian morphology, aliases and facets, over SQLite FTS5 or PostgreSQL full text.

The query is lemmatised the way documents are (nlp/morph.py), so "сотрудничества" finds
"сотрудничество". A query that names an institution or a person by any alias also finds the
documents that mention them under another ("IWEP" finds a report that says "ИМЭП").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from razdel import tokenize
from sqlalchemy import Float, Integer, func, intersect, literal, or_, select, text, union, union_all

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
        sets = _id_sets(conn, filters)
        alias_entities = _alias_entities(conn, query) if keys else []
        if keys:
            page, total = _text_page(conn, store.dialect, keys, query, alias_entities, sets, limit, offset)
        else:
            page, total = _recent_page(conn, store.dialect, sets, limit, offset)
        ids = [r[0] for r in page]
        if not snippets:
            return [Hit(r[0], "", None, None, None, float(r[1] or 0.0), "") for r in page], total
        rows = {r.id: r for r in conn.execute(
            select(documents.c.id, documents.c.source, documents.c.title, documents.c.published,
                   documents.c.language, documents.c.text).where(documents.c.id.in_(ids))).all()} if ids else {}
        text_hits = {r[0] for r in page if r[2]}
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


def _text_page(conn, dialect: str, keys: list[str], query: str, alias_entities: list[int], sets: list,
               limit: int, offset: int) -> tuple[list, int]:
    """(id, score, by_text) of the page's documents, best first, and the number matched.

    Driven by the full-text matches (and the alias's documents), never by a scan of `documents`;
    filters are id sets tested per match. The count is its own query, so that ranking keeps only
    the page (a top-k sort) instead of sorting every match to number them: at 100,000 documents a
    common word matches 40,000 (bench/bulk.py)."""
    rank = _rank(dialect, keys, query)

    def kept(col):  # SQLite would push `rowid IN (set)` into FTS5 and run the match once per id: test after it
        probe = col + 0 if dialect == "sqlite" else col
        return [probe.in_(ids) for ids in sets]

    if alias_entities:
        named = select(mentions.c.document_id).where(mentions.c.entity_id.in_(alias_entities))
        parts = union_all(select(rank.c.id, rank.c.score.label("s"), literal(1).label("t"), literal(0).label("a")),
                          select(mentions.c.document_id, literal(0.0), literal(0), literal(1))
                          .where(mentions.c.entity_id.in_(alias_entities))).subquery("m")
        # score as before: the text's score (0 without one), plus 5 for a document that names the alias
        score = func.sum(parts.c.s) + literal(5.0) * func.max(parts.c.a)
        cand = select(parts.c.id.label("id"), score.label("score"), (func.max(parts.c.t) == 1).label("by_text")) \
            .where(*kept(parts.c.id)).group_by(parts.c.id)
        u = union(select(_rank(dialect, keys, query, scored=False).c.id), named).subquery("u")
        count = select(func.count()).select_from(u).where(*kept(u.c.id))
    else:
        cand = select(rank.c.id.label("id"), rank.c.score.label("score"), literal(True).label("by_text")) \
            .where(*kept(rank.c.id))
        ids_only = _rank(dialect, keys, query, scored=False)
        count = select(func.count()).select_from(ids_only).where(*kept(ids_only.c.id))
    cand = cand.subquery("cand")
    if dialect == "postgresql":
        # The planner prices `tsv @@ q` as one cheap operator and scans every document when a word
        # matches ~20% of them, reading each row's TOASTed vector: 1.7 s where the GIN index takes
        # 0.3 s at 100,000 documents (bench/bulk.py, EXPLAIN ANALYZE). Until the transaction ends.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
    page = conn.execute(select(cand.c.id, cand.c.score, cand.c.by_text)
                        .order_by(cand.c.score.desc(), cand.c.id).limit(limit).offset(offset)).all()
    total = conn.execute(count).scalar() if page or offset else 0
    if dialect == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = on"))
    return page, total


def _recent_page(conn, dialect: str, sets: list, limit: int, offset: int) -> tuple[list, int]:
    """Without words: the newest documents the filters keep, and their number (the count from the
    id sets alone, without reading a document row)."""
    if sets:
        both = sets[0].distinct() if len(sets) == 1 else intersect(*sets)
        both = both.subquery("both")
        total = conn.execute(select(func.count()).select_from(both)).scalar()
    else:
        total = conn.execute(select(func.count()).select_from(documents)).scalar()
    if total == 0:
        return [], 0
    # Matches a large share of the store: walk ix_documents_published newest first and test each
    # id, ~RECENT_WALK x page entries expected (SQLite would otherwise read and sort every matching
    # row; `id + 0` keeps it from driving by the id sets). Few: fetch them by id. Same rows either way.
    many = total * RECENT_WALK >= (conn.execute(select(func.max(documents.c.id))).scalar() or 0)
    probe = documents.c.id + 0 if dialect == "sqlite" and many else documents.c.id
    published = documents.c.published.desc().nulls_last() if dialect == "postgresql" else documents.c.published.desc()
    page = conn.execute(select(documents.c.id, literal(0.0).label("score"), literal(False).label("by_text"))
                        .where(*[probe.in_(ids) for ids in sets])
                        .order_by(published, documents.c.id.desc()).limit(limit).offset(offset)).all()
    return page, total


RECENT_WALK = 50  # a filtered list matching over 1/50 of the store walks the date index instead of the id sets

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


def _rank(dialect: str, keys: list[str], query: str, scored: bool = True):
    """A subquery (id, score) of the documents whose text matches every query word; (id) alone
    when not `scored` (counting needs no score, and computing one costs per match)."""
    if dialect == "sqlite":
        match = " AND ".join('"' + k.replace('"', '""') + '"' for k in keys)
        if not scored:
            return (text("SELECT rowid AS id FROM documents_fts WHERE documents_fts MATCH :q")
                    .bindparams(q=match).columns(id=Integer).subquery("fts_ids"))
        return (text("SELECT rowid AS id, -bm25(documents_fts) AS score FROM documents_fts WHERE documents_fts MATCH :q")
                .bindparams(q=match).columns(id=Integer, score=Float).subquery("fts"))
    # OFFSET 0 keeps PostgreSQL from folding the match into the filters' joins, where it tested
    # `tsv @@ q` row by row on every document a filter kept (1.5 s instead of 0.15 s at 100,000)
    if not scored:
        return (text("SELECT id FROM documents WHERE tsv @@ plainto_tsquery('russian', :lemmas) OFFSET 0")
                .bindparams(lemmas=" ".join(keys)).columns(id=Integer).subquery("fts_ids"))
    return (text("SELECT id, ts_rank(tsv, q)::float8 AS score FROM documents, plainto_tsquery('russian', :lemmas) q "
                 "WHERE tsv @@ q OFFSET 0")
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
    return [documents.c.id.in_(ids) for ids in _id_sets(conn, f)]


def _id_sets(conn, f: Filters) -> list:
    """Each filter as a query of the ids of the documents it keeps (a match must be in all)."""
    cond = []
    for tag in FILTER_TAGS:
        value = getattr(f, tag)
        if value:
            cond.append(select(events.c.document_id).join(event_tags, event_tags.c.event_id == events.c.id)
                        .where(event_tags.c.kind == tag, event_tags.c.value == (value.upper() if tag == "country" else value)))
    if f.type:
        cond.append(select(events.c.document_id).where(events.c.type == f.type))
    for value, kind in ((f.institution, "org"), (f.person, "person")):
        if value:
            ids = entity_ids(conn, value, kind)
            if not ids:
                raise SearchError(f"no {'institution' if kind == 'org' else 'person'} is known as {value!r}")
            cond.append(select(mentions.c.document_id).where(mentions.c.entity_id.in_(ids)))
    if f.year:
        f.date_from, f.date_to = f.date_from or f"{f.year:04d}", f.date_to or f"{f.year:04d}-12-31"
    if f.date_from or f.date_to:
        parts = [events.c.date.isnot(None), ~events.c.date.like("--%")]
        if f.date_from:
            parts.append(events.c.date >= _date(f.date_from, "from"))
        if f.date_to:
            parts.append(events.c.date <= _date(f.date_to, "to") + "\uffff")
        cond.append(select(events.c.document_id).where(*parts))
    if f.language:
        cond.append(select(documents.c.id).where(documents.c.language == f.language))
    return cond


def _date(value: str, which: str) -> str:
    if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
        raise SearchError(f"--{which}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def highlight(raw: str, keys: list[str], morph: Morph, width: int = 220) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, and the matched words' spans inside it.

    Tokenizing stops past the farthest end the window can have (first match + width + 30): the
    text after it was most of a search's time (bench/bulk.py), and no span there is shown."""
    if not keys:
        return " ".join(raw[:width].split()), []
    wanted = set(keys)
    spans, stop = [], len(raw)
    for t in tokenize(raw):
        if t.start >= stop:
            break
        if morph.key(t.text) in wanted:
            spans.append((t.start, t.stop))
            stop = min(stop, spans[0][0] + width + 30)
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
