"""Search with each language's morphology, aliases and facets, over SQLite FTS5 or PostgreSQL full text.

The query is keyed the way documents are (nlp/morph.py), so "сотрудничества" finds
"сотрудничество": a Russian or English document by its lemmas, an Uzbek or Kazakh one by the
stems of its words' Latin skeleton (nlp/turkic.py), so "institutida", "институти" and
"instituti" find one another. A document matches when it holds every word of the query under
its own language's keys. A query that names an institution or a person by any alias also finds
the documents that mention them under another ("IWEP" finds a report that says "ИМЭП"); a
registry institution is named by any of its registry names in any case form and script
("ISRS", «Институт стратегических и межрегиональных исследований», «Стратегиялық және өңіраралық
зерттеулер институтында»), so a Russian query finds the Uzbek and Kazakh reports on it.

A search reads at most RESULT_CAP + 1 matches, newest first, so that its cost is bounded by the
cap and not by the store: a query with more matches ranks the newest RESULT_CAP of them and says
"more than RESULT_CAP" (bench/RESULTS.md, «Search at scale»). Filters on tags, type, year and
language are words of the full-text index (facets.py), so the index intersects them with the
query's words; PostgreSQL, whose GIN index gives matches in no order, asks for the newest spans
of documents first (_pg_newest).
"""
from __future__ import annotations

import json
import math
import re
import weakref
from dataclasses import dataclass, field

from sqlalchemy import select, text

from ..knowledge.phrases import phrase_keys
from ..nlp.morph import Morph
from ..nlp.turkic import LANGUAGES as STEMMED_LANGUAGES
from . import facets
from .db import Store, estimated_documents
from .names import norm
from .schema import aliases, documents, entities, mentions

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
    return [morph.key(t.text) for t in morph.tokenize(query) if re.search(r"\w", t.text)]


@dataclass(frozen=True)
class Branch:
    """The query's words keyed one way, and the languages of the documents keyed that way (empty:
    every document, Russian and English ones by lemma, any other by what it holds)."""
    keys: tuple[str, ...]
    languages: tuple[str, ...] = ()


def query_branches(query: str, morph: Morph) -> list[Branch]:
    """The query keyed as each language's documents are: lemmas for every document, and for Uzbek
    and Kazakh ones the stems of the words' skeletons, where these differ from the lemmas."""
    base = tuple(query_keys(query, morph))
    if not base:
        return []
    out, by_keys = [Branch(base)], {}
    for lang in STEMMED_LANGUAGES:
        keys = tuple(query_keys(query, morph.for_lang(lang)))
        if keys and keys != base:
            by_keys.setdefault(keys, []).append(lang)
    return out + [Branch(keys, tuple(langs)) for keys, langs in by_keys.items()]


class Total(int):
    """The number of matching documents; `exact` is False when there were more than the search
    counts (RESULT_CAP), and the number is then that cap: "1,000+"."""
    exact: bool

    def __new__(cls, value: int, exact: bool = True) -> "Total":
        total = super().__new__(cls, value)
        total.exact = exact
        return total


RESULT_CAP = 1000  # a search ranks and counts this many matches at most: the newest of them
SMALL_SET = 5000  # a filter keeping fewer documents is tested against its ids; more, by a probe per match


def search(store: Store, query: str = "", filters: Filters | None = None, morph: Morph | None = None,
           limit: int = 20, offset: int = 0, snippets: bool = True, registry=None) -> tuple[list[Hit], Total]:
    """Ranked hits (best first) and the number of matching documents (a `Total`).

    A query matching more than RESULT_CAP documents is answered from the newest RESULT_CAP of
    them (by when they were stored), ranked by relevance, and its total says "more than": the
    cost of a search is then bounded by the cap, not by the store (bench/bulk.py: at 1,000,000
    documents a common word matches 400,000, and ranking them all took 0.6 s). Matching,
    filtering and ranking happen in the database; only the page's documents are read in full.
    `registry` (the extractor's, whose morphology keyed the documents; else one loaded for `morph`
    on first use) says which institution a query names in any language."""
    hits, total, _ = find(store, query, filters, morph, limit, offset, snippets, registry)
    return hits, total


def find(store: Store, query: str = "", filters: Filters | None = None, morph: Morph | None = None,
         limit: int = 20, offset: int = 0, snippets: bool = True, registry=None) -> tuple[list[Hit], Total, list[int]]:
    """search(), plus the ids of every ranked match in rank order (what the facets count)."""
    filters = filters or Filters()
    if query.strip() or filters.institution:  # the registry says which institution they name
        registry = registry if registry is not None else _registry(morph or Morph())
        morph = registry.morph  # the morphology documents were keyed with: the registry's (Extractor)
        for lang in STEMMED_LANGUAGES:  # Uzbek and Kazakh keys know the registry's words, as at ingest
            registry.for_lang(lang)
    else:
        morph = morph or (registry.morph if registry is not None else Morph())
    branches = query_branches(query, morph) if query.strip() else []
    keys = list(branches[0].keys) if branches else []
    if query.strip() and not keys:
        raise SearchError(f"query {query!r} has no words to search for")
    with store.connect() as conn:
        if store.dialect == "postgresql":  # compiling a plan priced for a million rows cost 13-50 ms a
            conn.execute(text("SET LOCAL jit = off"))  # query that reads about RESULT_CAP of them
        specs = _filter_sql(conn, filters, registry)
        if keys:
            alias_entities = _alias_entities(conn, query, registry)
            ranked, total = _text_ranked(conn, store.dialect, branches, alias_entities, specs)
        else:
            alias_entities = []
            ranked, total = _recent_ranked(conn, store.dialect, *_filters(conn, store.dialect, specs, row="d"))
        page = ranked[offset:offset + limit]
        ids = [r[0] for r in page]
        if not snippets:
            return [Hit(r[0], "", None, None, None, float(r[1] or 0.0), "") for r in page], total, [r[0] for r in ranked]
        rows = {r.id: r for r in conn.execute(
            select(documents.c.id, documents.c.source, documents.c.title, documents.c.published,
                   documents.c.language, documents.c.text).where(documents.c.id.in_(ids))).all()} if ids else {}
        text_hits = {r[0] for r in page if r[2]}
        names: dict[int, list[str]] = {}
        said: dict[int, list[tuple[int, int]]] = {}  # where the page's documents name those entities
        if keys and ids and alias_entities:
            for d, name, start, end in conn.execute(
                    select(mentions.c.document_id, entities.c.name, mentions.c.start, mentions.c.end)
                    .join(entities, entities.c.id == mentions.c.entity_id)
                    .where(mentions.c.entity_id.in_(alias_entities), mentions.c.document_id.in_(ids))):
                why = f"alias:{name}"
                if why not in names.setdefault(d, []):
                    names[d].append(why)
                said.setdefault(d, []).append((start, end))
    hits = []
    for doc_id, score, *_ in page:
        r = rows[doc_id]
        lang = r.language if r.language in STEMMED_LANGUAGES else None
        own = next((b.keys for b in branches if lang in b.languages), keys) if lang else keys
        snippet, marks = highlight(r.text, list(own), morph.for_lang(lang) if lang else morph,
                                   also=said.get(doc_id, ()))
        why = (["text"] if doc_id in text_hits else []) + names.get(doc_id, [])
        hits.append(Hit(r.id, r.source, r.title, r.published, r.language, round(float(score or 0.0), 4),
                        snippet, marks, why))
    return hits, total, [r[0] for r in ranked]


def _text_ranked(conn, dialect: str, branches: list[Branch], alias_entities: list[int],
                 specs: list["Spec"]) -> tuple[list, Total]:
    """(id, score, by_text) of the matches, best first, and their number.

    Each way of matching (the words; each entity the query names by an alias) is a stream of
    document ids, newest first, filtered as it goes and cut at RESULT_CAP + 1. Nothing cut: every
    match was seen, all are ranked and the total is exact. Else the newest RESULT_CAP of their
    union are ranked: fewer than RESULT_CAP ids of any stream are newer than each of them, so every
    stream that holds one returned it, and its score (the text's, plus 5 for naming the entity,
    as ever) is whole.

    The words' stream asks the full-text index for the filters' facets too (facets.py), so that
    the index intersects them; only filters without facets (an institution, a person, a date
    bound inside a year) are tested per match. Alias streams test every filter per match."""
    n = RESULT_CAP + 1
    groups = [s.group for s in specs if s.group]
    conds: dict[int, tuple[str, dict]] = {}  # filter number -> its condition; each built once

    def where_of(numbers) -> tuple[str, dict]:
        for i in numbers:
            if i not in conds:
                conds[i] = _cond(conn, dialect, i, specs[i])
        return "".join(f" AND {conds[i][0]}" for i in numbers), {k: v for i in numbers for k, v in conds[i][1].items()}

    where, params = where_of([i for i, s in enumerate(specs) if not s.exact])
    if dialect == "sqlite":
        # a branch whose words no document holds is left out: asked for with its language facet,
        # FTS5 read the facet's whole doclist (a rare word: 3 ms -> 22 ms at 200,000 documents)
        branches = [b for b in branches if not b.languages or conn.execute(
            text("SELECT 1 FROM documents_fts WHERE documents_fts MATCH :q LIMIT 1"), {"q": _fts5_words([Branch(b.keys)])}).first()]
        match = _fts5_words(branches)
        if groups:
            match += " AND " + facets.fts5_match(groups)
        sql = ("SELECT rowid, -bm25(documents_fts, 1.0, 0.0) FROM documents_fts WHERE documents_fts MATCH :q"
               + where.replace("{id}", "documents_fts.rowid") + " ORDER BY rowid DESC LIMIT :n")
        streams = [conn.execute(text(sql), {**params, "q": match, "n": n}).all()]
    else:
        streams = [_pg_newest(conn, branches, groups, where, params, n)]
    if alias_entities:
        where, params = where_of(range(len(specs)))
    for entity in alias_entities:
        sql = ("SELECT DISTINCT m.document_id, 0.0 FROM mentions m WHERE m.entity_id = :entity"
               + where.replace("{id}", "m.document_id") + " ORDER BY m.document_id DESC LIMIT :n")
        streams.append(conn.execute(text(sql), {**params, "entity": entity, "n": n}).all())
    scores: dict[int, list] = {}  # id -> [text score, by text, by alias]
    for i, stream in enumerate(streams):
        for doc_id, score in stream:
            entry = scores.setdefault(doc_id, [0.0, False, False])
            if i == 0:
                entry[0], entry[1] = float(score or 0.0), True
            else:
                entry[2] = True
    cut = any(len(s) >= n for s in streams)
    found = sorted(scores, reverse=True)[:RESULT_CAP] if cut else list(scores)
    ranked = [(d, scores[d][0] + (5.0 if scores[d][2] else 0.0), scores[d][1]) for d in found]
    ranked.sort(key=lambda r: (-r[1], r[0]))
    return ranked, Total(len(ranked), exact=not cut)


def _fts5_words(branches: list[Branch]) -> str:
    """An FTS5 query: every word of one branch among the lemmas, in a document of its languages."""
    out = []
    for b in branches:
        words = "lemmas : (" + " AND ".join('"' + k.replace('"', '""') + '"' for k in b.keys) + ")"
        if b.languages:
            words = f"({words} AND {facets.fts5_match([[facets.facet('language', x) for x in b.languages]])})"
        out.append(words)
    return out[0] if len(out) == 1 else "(" + " OR ".join(out) + ")"


def _pg_words(conn, branches: list[Branch]) -> tuple[str, list[list[str]]]:
    """The PostgreSQL tsquery of the branches (each word normalised as the documents' vectors are,
    by the 'russian' configuration, in one round trip), and each kept branch's words as tsqueries.
    A branch of stop words only, or of words no document holds, is dropped; the lemmas' branch of
    stop words only: "" (nothing is searched for)."""
    words = sorted({k for b in branches for k in b.keys})
    normal = dict(conn.execute(text("SELECT w, plainto_tsquery('russian', w)::text FROM unnest(CAST(:w AS text[])) AS w"),
                               {"w": words}).all())
    parts, kept = [], []
    for b in branches:
        ws = list(dict.fromkeys(normal[k] for k in b.keys if normal.get(k)))
        if not ws:
            if not b.languages:
                return "", []  # as plainto_tsquery of the lemmas: an empty query, which matches nothing
            continue
        q = " & ".join(f"( {w} )" for w in ws)
        if b.languages:  # held by no document: left out (GIN would read the language's whole posting list)
            conn.execute(text("SET LOCAL enable_seqscan = off"))  # a word in no document: one GIN lookup
            held = conn.execute(text("SELECT 1 FROM documents WHERE tsv @@ CAST(:q AS tsquery) LIMIT 1"), {"q": q}).first()
            conn.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
            if not held:
                continue
            q += " & (" + " | ".join(f"'{facets.facet('language', x)}'" for x in b.languages) + ")"
        parts.append(f"( {q} )")
        kept.append(ws)
    return " | ".join(parts), kept


FEW = 2  # PostgreSQL: words expected to match at most FEW·n documents are fetched whole from GIN
MARGIN = 1.25  # the spans first read are expected to hold MARGIN·n matches (by the planner's estimates)
RESEEN_MARGIN = 1.2  # the next spans, the matches still wanted times this (by the density seen)
FILTERED_SHARE = 0.25  # the share of the matches that filters of unknown selectivity are taken to keep


def _pg_newest(conn, branches: list[Branch], groups: list[list[str]], where: str, params: dict, n: int) -> list:
    """PostgreSQL: (id, ts_rank) of the newest n documents holding every word and facet and
    meeting `where`, newest first.

    GIN gives its matches in no order, so "the newest n" would read every match. Each document's
    vector therefore also holds its span (`span:<id // SPAN>`, facets.py): the newest spans
    expected to hold MARGIN·n matches are asked for first (one GIN lookup intersecting the words,
    the facets and those spans), then older ones, as many as the density of matches seen so far
    says hold the rest, until n are found. At 100,000 documents a word in 7 % of them took 2 ms
    this way, against 60 ms walking the newest rows and testing each vector, and 110 ms fetching
    all its matches. Words expected to match at most
    FEW·n documents are fetched whole. The expected count is PostgreSQL's own estimate: the
    rarest word's, times the facets' share, times FILTERED_SHARE for filters tested per match
    (summed over the branches, where the query is keyed for Uzbek and Kazakh documents too)."""
    words, kept = _pg_words(conn, branches)
    if not words:  # stop words only: PostgreSQL's query is empty and
        return []  # matches nothing (with facets, it would match every document that has them)
    m = 0.0
    for ws in kept:
        estimates = [e for e in (_estimate(conn, "CAST(:q AS tsquery)", w) for w in ws) if e is not None]
        m += min(estimates, default=0.0)
    total = max(estimated_documents(conn), m, 1.0)
    if groups:
        m *= min(1.0, (_estimate(conn, "CAST(:q AS tsquery)", facets.tsquery(groups)) or 0.0) / total)
    if where:
        m *= FILTERED_SHARE
    wanted = "CAST(:q AS tsquery)" + (" && CAST(:facets AS tsquery)" if groups else "")
    args = {**params, "q": words, "facets": facets.tsquery(groups)}
    found: list[int] = []
    # the index, never a scan of every row: PostgreSQL chose one for a word in a fifth of 100,000
    # documents (0.68 s), and for the two newest spans of 10,000 (48 ms, against 6 by the index)
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    if m <= FEW * n:  # all matches from the index
        found = conn.execute(text(f"SELECT d.id FROM documents d WHERE d.tsv @@ ({wanted})"
                                  + where.replace("{id}", "d.id")), args).scalars().all()
    else:
        sql = text(f"SELECT d.id FROM documents d WHERE d.tsv @@ ({wanted} && CAST(:spans AS tsquery))"
                   + where.replace("{id}", "d.id"))
        top = conn.execute(text("SELECT max(id) FROM documents")).scalar() or 0
        hi, want, covered = top // facets.SPAN, MARGIN * n * total / m, 0  # spans; documents
        while hi >= 0 and len(found) < n:
            docs = top - hi * facets.SPAN + 1 if hi == top // facets.SPAN else facets.SPAN  # the newest: partly filled
            lo = max(0, hi - max(0, math.ceil((want - docs) / facets.SPAN)))
            found += conn.execute(sql, {**args, "spans": facets.tsquery([facets.spans(lo, hi)])}).scalars().all()
            covered += docs + (hi - lo) * facets.SPAN
            hi = lo - 1
            # the rest from the density seen so far; none seen: four times as far back
            want = RESEEN_MARGIN * (n - len(found)) * covered / len(found) if found else 4 * covered
    conn.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    newest = sorted(found, reverse=True)[:n]
    if not newest:
        return []
    # ts_rank for the n kept only (over all 37,000 matches of «climate change»: 0.6 s at 1,000,000)
    ranks = dict(conn.execute(text("SELECT id, ts_rank(tsv, CAST(:q AS tsquery))::float8 FROM documents "
                                   f"WHERE id IN ({', '.join(str(int(i)) for i in newest)})"), {"q": words}).all())
    return [(i, ranks[i]) for i in newest]


def _estimate(conn, query: str, value: str) -> float | None:
    """The planner's estimate of the documents a tsquery matches. Words are estimated one by one and
    the rarest taken: for «водные ресурсы» the planner multiplied the two words' shares as if they
    were independent, expected a few thousand, and the index fetched 136,000 (3.3 s)."""
    if not conn.execute(text(f"SELECT numnode({query})"), {"q": value}).scalar():
        return None  # a stop word
    plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM documents WHERE tsv @@ {query}"),
                        {"q": value}).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _recent_ranked(conn, dialect: str, conds: list[str], params: dict) -> tuple[list, Total]:
    """Without words: the newest documents the filters keep (by date, undated last, then the
    higher id), up to RESULT_CAP, and their number. The date index is walked newest first and
    each document tested; a small filter is its id set instead (conds)."""
    n = RESULT_CAP + 1
    where = " AND ".join(conds).replace("{id}", "d.id") or "1 = 1"
    order = "d.published DESC NULLS LAST, d.id DESC" if dialect == "postgresql" else "d.published DESC, d.id DESC"
    ids = conn.execute(text(f"SELECT d.id FROM documents d WHERE {where} ORDER BY {order} LIMIT :n"),
                       {**params, "n": n}).scalars().all()
    ranked = [(i, 0.0, False) for i in ids[:RESULT_CAP]]
    return ranked, Total(len(ranked), exact=len(ids) < n)


@dataclass
class Spec:
    """One filter: the ids it keeps (SQL), the same as a probe on `{id}`, their parameters, and the
    facets any one of which a kept document holds (None: it has none), `exact` when holding one is
    the filter itself rather than a first sieve."""
    ids_sql: str
    probe: str
    values: dict
    group: list[str] | None = None
    exact: bool = False


def _filters(conn, dialect: str, specs: list[Spec], row: str | None = None) -> tuple[list[str], dict]:
    """Each filter as an SQL condition on a document id written `{id}`, and their parameters."""
    conds, params = [], {}
    for i, spec in enumerate(specs):
        cond, bound = _cond(conn, dialect, i, spec, row)
        conds.append(cond)
        params.update(bound)
    return conds, params


def _cond(conn, dialect: str, i: int, spec: Spec, row: str | None = None) -> tuple[str, dict]:
    """Filter number `i` as an SQL condition on `{id}`, and its parameters (named after `i`, so
    that filters share a query).

    A filter that keeps fewer than SMALL_SET documents is `{id} IN (its ids)`, the set built once.
    A larger one, where the documents row is at hand (`row`, a list walking the date index that
    holds the facets), is a test of its facets; else an EXISTS probed per candidate on a covering
    index, since the streams stop after RESULT_CAP + 1 documents (a set of 300,000 ids took
    longer to build than the search).
    (Probes written as joins instead, SQLite's correlated subquery saved, measured 0-20 % faster
    at 1,000,000 documents, within the noise of most queries: not worth the rewriting.)"""
    ids_sql, probe = spec.ids_sql, spec.probe
    bound = {f"f{i}_{k}": v for k, v in spec.values.items()}
    for k in spec.values:
        ids_sql, probe = ids_sql.replace(f":{k}", f":f{i}_{k}"), probe.replace(f":{k}", f":f{i}_{k}")
    if conn.execute(text(f"SELECT count(*) FROM ({ids_sql} LIMIT {SMALL_SET}) s"), bound).scalar() < SMALL_SET:
        # SQLite: `+ 0`, so that FTS5 is not asked to match once per id (47 s at 100,000)
        return ("{id} + 0" if dialect == "sqlite" else "{id}") + f" IN ({ids_sql})", bound
    tests = []
    if row and spec.group:  # facets are [a-z0-9_:] only: safe to write into the statement
        find = "instr" if dialect == "sqlite" else "strpos"
        tests.append("(" + " OR ".join(f"{find}(' ' || {row}.facets || ' ', ' {g} ') > 0" for g in spec.group) + ")")
    if not (tests and spec.exact):
        # PostgreSQL: OFFSET 0, probed per row; it would otherwise make it a join over the whole id set (3.5 s at 1,000,000)
        tests.append(f"EXISTS ({probe} OFFSET 0)" if dialect == "postgresql" else f"EXISTS ({probe})")
    return " AND ".join(tests), bound


YEARS_SPAN = 200  # a date filter wider than this many years has no year facets to sieve with


def _filter_sql(conn, f: Filters, registry=None) -> list[Spec]:
    """The filters asked for, each a Spec."""
    out = []
    for tag in FILTER_TAGS:
        value = getattr(f, tag)
        if value:
            value = value.upper() if tag == "country" else value
            out.append(Spec("SELECT ef.document_id FROM event_tags tf JOIN events ef ON ef.id = tf.event_id "
                            "WHERE tf.kind = :kind AND tf.value = :value",
                            # CROSS JOIN: SQLite's order, the document's events first (else it read
                            # every row of the tag per probe)
                            "SELECT 1 FROM events ef CROSS JOIN event_tags tf "
                            "WHERE ef.document_id = {id} AND tf.event_id = ef.id AND tf.kind = :kind AND tf.value = :value",
                            {"kind": tag, "value": value}, [facets.facet(tag, value)], True))
    if f.type:
        out.append(Spec("SELECT ef.document_id FROM events ef WHERE ef.type = :type",
                        "SELECT 1 FROM events ef WHERE ef.document_id = {id} AND ef.type = :type", {"type": f.type},
                        [facets.facet("type", f.type)], True))
    for value, kind in ((f.institution, "org"), (f.person, "person")):
        if value:
            ids = entity_ids(conn, value, kind, registry)
            if not ids:
                raise SearchError(f"no {'institution' if kind == 'org' else 'person'} is known as {value!r}")
            listed = ", ".join(str(int(i)) for i in ids)  # integers from the store
            out.append(Spec(f"SELECT mf.document_id FROM mentions mf WHERE mf.entity_id IN ({listed})",
                            f"SELECT 1 FROM mentions mf WHERE mf.entity_id IN ({listed}) AND mf.document_id = {{id}}", {}))
    if f.year:
        f.date_from, f.date_to = f.date_from or f"{f.year:04d}", f.date_to or f"{f.year:04d}-12-31"
    if f.date_from or f.date_to:
        parts, values = "ef.date IS NOT NULL AND ef.date NOT LIKE '--%'", {}
        if f.date_from:
            parts += " AND ef.date >= :start"
            values["start"] = _date(f.date_from, "from")
        if f.date_to:
            parts += " AND ef.date <= :end"
            values["end"] = _date(f.date_to, "to") + "\uffff"
        group, exact = _years(conn, f.date_from, f.date_to)
        out.append(Spec(f"SELECT ef.document_id FROM events ef WHERE {parts}",
                        f"SELECT 1 FROM events ef WHERE ef.document_id = {{id}} AND {parts}", values, group, exact))
    if f.language:
        out.append(Spec("SELECT lf.id FROM documents lf WHERE lf.language = :language",
                        "SELECT 1 FROM documents lf WHERE lf.id = {id} AND lf.language = :language",
                        {"language": f.language}, [facets.facet("language", f.language)], True))
    return out


def _years(conn, start: str | None, end: str | None) -> tuple[list[str] | None, bool]:
    """The year facets of a date filter, and whether holding one is the filter itself: it is when
    both bounds are whole years (an open bound runs to the earliest or latest dated event)."""
    whole = (start is None or len(start) == 4) and (end is None or len(end) == 4 or end[4:] == "-12-31")
    if start is None or end is None:  # the date index's ends (dates without a year, '--MM-DD', sort below '0')
        first, last = conn.execute(text("SELECT min(date), max(date) FROM events WHERE date >= '0'")).one()
        start, end = start or (first or "0000"), end or (last or "0000")
    if not (start[:4].isdigit() and end[:4].isdigit()) or int(end[:4]) - int(start[:4]) > YEARS_SPAN:
        return None, False
    return [facets.facet("year", f"{y:04d}") for y in range(int(start[:4]), int(end[:4]) + 1)] or [facets.facet("year", "none")], whole


def _alias_entities(conn, query: str, registry=None) -> list[int]:
    """Entities one of whose aliases is the query, or the registry institution the whole query
    names in any language, case form and script: their documents match whatever they call them."""
    n = norm(query)
    if len(n) < 2:
        return []
    found = list(conn.execute(select(aliases.c.entity_id).distinct().where(aliases.c.norm == n)).scalars())
    ids = registry_institutions(query, registry) if registry is not None else set()
    if ids:
        found += [e for e in conn.execute(select(entities.c.id).where(entities.c.registry_id.in_(sorted(ids)))
                                          .order_by(entities.c.id)).scalars() if e not in found]
    return found


def registry_institutions(query: str, registry) -> set[str]:
    """Registry ids of the institutions the whole query names, by a name, an alias or an
    abbreviation, matched on the keys of each language's documents: «Института стратегических и
    межрегиональных исследований», «Strategik va mintaqalararo tadqiqotlar institutida» and
    «ISRS» name one body."""
    out = set()
    for lang in ("ru",) + STEMMED_LANGUAGES:
        view = registry.for_lang(lang)
        keys = phrase_keys(query, view.morph.key, view.morph.tokenize)
        for m in view.org_index.find(keys) if keys else ():
            if m.first == 0 and m.last == len(keys):
                out.update(v[1] for v in m.values if v[0] in ("org", "abbr"))
    return out


_REGISTRIES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _registry(morph: Morph):
    """The registry keyed by `morph`, loaded once per morphology (the web app passes its own)."""
    if morph not in _REGISTRIES:
        from ..knowledge.registry import Registry
        _REGISTRIES[morph] = Registry.load(morph)
    return _REGISTRIES[morph]


def entity_ids(conn, value: str, kind: str, registry=None) -> list[int]:
    """An entity given by id or by any of its names (a registry institution also by any of its
    registry names in any case form and script, given the registry)."""
    if value.isdigit():
        return [int(value)] if int(value) < 2 ** 63 else []  # beyond any id the database can hold
    n = norm(value)
    found = list(conn.execute(select(aliases.c.entity_id).distinct().join(entities, entities.c.id == aliases.c.entity_id)
                              .where(aliases.c.norm == n, entities.c.kind == kind)).scalars())
    bodies = registry_institutions(value, registry) if registry is not None and kind == "org" else set()
    if bodies:
        found += [e for e in conn.execute(select(entities.c.id).where(entities.c.registry_id.in_(sorted(bodies)))
                                          .order_by(entities.c.id)).scalars() if e not in found]
    return found


def _date(value: str, which: str) -> str:
    if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
        raise SearchError(f"--{which}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


_WORD = re.compile(r"\w+")


def highlight(raw: str, keys: list[str], morph: Morph, width: int = 220,
              also=()) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, and the matched words' spans inside it.
    `also`: spans of `raw` marked as matches too (where the document names an entity the query
    names by another alias: «ISRS» marks «Стратегиялық … институтында»).

    Words are found by a plain scan for runs of letters and digits, the way the full-text index
    splits them (razdel's tokenizer cost 20-30 ms a search: bench/bulk.py); a query word with
    other characters (a hyphenated one) is looked for among razdel's tokens. Scanning stops past
    the farthest end the window can have (first match + width + 30)."""
    if not keys:
        return " ".join(raw[:width].split()), []
    wanted = set(keys)
    if isinstance(morph, Morph) and all(_WORD.fullmatch(k) for k in keys):
        tokens = ((m.start(), m.end(), m.group()) for m in _WORD.finditer(raw))
    else:  # Uzbek and Kazakh words keep their apostrophes («o‘zbek»): their own tokens
        tokens = ((t.start, t.stop, t.text) for t in morph.tokenize(raw))
    spans, stop = [], len(raw)
    for s, e, word in tokens:
        if s >= stop:
            break
        if morph.key(word) in wanted:
            spans.append((s, e))
            stop = min(stop, spans[0][0] + width + 30)
    spans = _merged(spans + [(s, e) for s, e in also if 0 <= s < e <= len(raw)])
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


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones made one (a word matched inside a named entity's mention)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
