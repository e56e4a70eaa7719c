"""Search with each language's morphology, aliases and facets, over SQLite FTS5 or PostgreSQL full text.

The query is keyed the way documents are (nlp/morph.py), so "сотрудничества" finds
"сотрудничество": a Russian or English document by its lemmas, an Uzbek or Kazakh one by the
stems of its words' Latin skeleton (nlp/turkic.py), so "institutida", "институти" and
"instituti" find one another. A document matches when it holds every word of the query under
its own language's keys; the query's syntax (store/syntax.py) adds "phrases", OR and -excluded
words, and filters take several values and excluded ones (store/filtering.py). A query that
names an institution or a person by any alias also finds the documents that mention them under
another ("IWEP" finds a report that says "ИМЭП"); a
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
from dataclasses import dataclass, field

from sqlalchemy import select, text

from ..nlp.morph import Morph
from ..nlp.turkic import LANGUAGES as STEMMED_LANGUAGES
from . import facets, syntax
from .db import Store, estimated_documents
# what search's callers import from here: the filters, the entities' lookup, the snippet
from .filtering import FILTER_TAGS, Filters, SearchError, Spec, _filter_sql, values_of  # noqa: F401
from .lookup import _registry, entity_ids, registry_institutions  # noqa: F401
from .names import norm
from .schema import aliases, documents, entities, mentions
from .snippet import highlight


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


def query_keys(query: str, morph: Morph) -> list[str]:
    return [morph.key(t.text) for t in morph.tokenize(query) if re.search(r"\w", t.text)]


@dataclass(frozen=True)
class Branch:
    """The query keyed one way, and the languages of the documents keyed that way (empty: every
    document, Russian and English ones by lemma, any other by what it holds). `clauses`: every
    one must hold, by one of its terms; a term is its words' keys, a phrase when it has several;
    no `excluded` term may hold."""
    clauses: tuple[tuple[tuple[str, ...], ...], ...]
    languages: tuple[str, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the words looked for (what the snippet marks)."""
        return tuple(dict.fromkeys(k for clause in self.clauses for term in clause for k in term))

    def only(self, languages: tuple[str, ...] = ()) -> "Branch":
        return Branch(self.clauses, languages, self.excluded)


def _keyed(parsed: syntax.Parsed, morph: Morph) -> tuple[tuple, tuple]:
    """The clauses and excluded terms of a parsed query as keys; a term without words is dropped,
    and a clause left without terms."""
    def term(t: syntax.Term) -> tuple[str, ...]:
        return tuple(query_keys(t.text, morph))

    clauses = tuple(c for c in (tuple(k for k in map(term, clause) if k) for clause in parsed.clauses) if c)
    return clauses, tuple(k for k in map(term, parsed.excluded) if k)


def query_branches(query: str, morph: Morph) -> list[Branch]:
    """The query keyed as each language's documents are: lemmas for every document, and for Uzbek
    and Kazakh ones the stems of the words' skeletons, where these differ from the lemmas."""
    parsed = syntax.parse(query)
    clauses, excluded = _keyed(parsed, morph)
    if not clauses:
        return []
    out, by_keys = [Branch(clauses, (), excluded)], {}
    for lang in STEMMED_LANGUAGES:
        keyed = _keyed(parsed, morph.for_lang(lang))
        if keyed[0] and keyed != (clauses, excluded):
            by_keys.setdefault(keyed, []).append(lang)
    return out + [Branch(c, tuple(langs), x) for (c, x), langs in by_keys.items()]


class Total(int):
    """The number of matching documents; `exact` is False when there were more than the search
    counts (RESULT_CAP), and the number is then that cap: "1,000+"."""
    exact: bool

    def __new__(cls, value: int, exact: bool = True) -> "Total":
        total = super().__new__(cls, value)
        total.exact = exact
        return total


SORTS = ("relevance", "date", "title")
RESULT_CAP = 1000  # a search ranks and counts this many matches at most: the newest of them
SMALL_SET = 5000  # a filter keeping fewer documents is tested against its ids; more, by a probe per match


def search(store: Store, query: str = "", filters: Filters | None = None, morph: Morph | None = None,
           limit: int = 20, offset: int = 0, snippets: bool = True, registry=None,
           sort: str = "relevance") -> tuple[list[Hit], Total]:
    """Ranked hits (best first) and the number of matching documents (a `Total`).

    A query matching more than RESULT_CAP documents is answered from the newest RESULT_CAP of
    them (by when they were stored), ranked by relevance, and its total says "more than": the
    cost of a search is then bounded by the cap, not by the store (bench/bulk.py: at 1,000,000
    documents a common word matches 400,000, and ranking them all took 0.6 s). Matching,
    filtering and ranking happen in the database; only the page's documents are read in full.
    `registry` (the extractor's, whose morphology keyed the documents; else one loaded for `morph`
    on first use) says which institution a query names in any language."""
    hits, total, _ = find(store, query, filters, morph, limit, offset, snippets, registry, sort)
    return hits, total


def find(store: Store, query: str = "", filters: Filters | None = None, morph: Morph | None = None,
         limit: int = 20, offset: int = 0, snippets: bool = True, registry=None,
         sort: str = "relevance") -> tuple[list[Hit], Total, list[int]]:
    """search(), plus the ids of every ranked match in rank order (what the facets count).
    `sort`: relevance (without words: newest first), date (newest first) or title."""
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
        if syntax.parse(query).excluded:
            raise SearchError(f"query {query!r}: a minus only excludes; give a word to look for too")
        raise SearchError(f"query {query!r} has no words to search for")
    if sort not in SORTS:
        raise SearchError(f"sort: unknown value {sort!r}; known: {', '.join(SORTS)}")
    with store.connect() as conn:
        if store.dialect == "postgresql":  # compiling a plan priced for a million rows cost 13-50 ms a
            conn.execute(text("SET LOCAL jit = off"))  # query that reads about RESULT_CAP of them
        specs = _filter_sql(conn, filters, registry)
        if keys:
            named = _named(query)
            alias_entities = _alias_entities(conn, named, registry) if named else []
            ranked, total = _text_ranked(conn, store.dialect, branches, alias_entities, specs)
        else:
            alias_entities = []
            ranked, total = _recent_ranked(conn, store.dialect, *_filters(conn, store.dialect, specs, row="d"))
        if keys or sort == "title":  # without words the matches come newest first
            ranked = _sorted(conn, ranked, sort)
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
    groups = [s.group for s in specs if s.group and not s.negate]
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
            text("SELECT 1 FROM documents_fts WHERE documents_fts MATCH :q LIMIT 1"), {"q": _fts5_words([b.only()])}).first()]
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


def _fts5_quoted(term: tuple[str, ...]) -> str:
    """A term in FTS5: a word, or a phrase (its words one after the other: `"a" + "b"`)."""
    return " + ".join('"' + k.replace('"', '""') + '"' for k in term)


def _fts5_words(branches: list[Branch]) -> str:
    """An FTS5 query, parenthesised: each clause of one branch by one of its terms among the
    lemmas, none of its excluded terms, in a document of its languages."""
    out = []
    for b in branches:
        words = "lemmas : (" + " AND ".join("(" + " OR ".join(map(_fts5_quoted, c)) + ")" for c in b.clauses) + ")"
        if b.languages:
            words = f"({words} AND {facets.fts5_match([[facets.facet('language', x) for x in b.languages]])})"
        if b.excluded:
            words = f"({words} NOT lemmas : ({' OR '.join(map(_fts5_quoted, b.excluded))}))"
        out.append(words)
    return "(" + " OR ".join(out) + ")"


def _pg_words(conn, branches: list[Branch]) -> tuple[str, list[list[str]]]:
    """The PostgreSQL tsquery of the branches (each word normalised as the documents' vectors are,
    by the 'russian' configuration, a phrase by phraseto_tsquery, all in one round trip), and each
    kept branch's clauses as tsqueries (what the planner is asked to estimate). A term of stop
    words only is dropped, and a clause left without terms; a branch without clauses, or whose
    words no document holds, is dropped; the lemmas' branch without clauses: "" (nothing is
    searched for)."""
    terms = sorted({" ".join(t) for b in branches for c in b.clauses + (b.excluded,) for t in c})
    normal = dict(conn.execute(text(
        "SELECT w, (CASE WHEN strpos(w, ' ') > 0 THEN phraseto_tsquery('russian', w) "
        "ELSE plainto_tsquery('russian', w) END)::text FROM unnest(CAST(:w AS text[])) AS w"), {"w": terms}).all())

    def any_of(terms_) -> str:
        found = list(dict.fromkeys(normal[" ".join(t)] for t in terms_ if normal.get(" ".join(t))))
        return " | ".join(f"( {w} )" for w in found)

    parts, kept = [], []
    for b in branches:
        clauses = [q for q in (any_of(c) for c in b.clauses) if q]
        if not clauses:
            if not b.languages:
                return "", []  # as plainto_tsquery of the lemmas: an empty query, which matches nothing
            continue
        q = " & ".join(f"( {c} )" for c in clauses)
        if b.languages:  # held by no document: left out (GIN would read the language's whole posting list)
            conn.execute(text("SET LOCAL enable_seqscan = off"))  # a word in no document: one GIN lookup
            held = conn.execute(text("SELECT 1 FROM documents WHERE tsv @@ CAST(:q AS tsquery) LIMIT 1"), {"q": q}).first()
            conn.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
            if not held:
                continue
            q += " & (" + " | ".join(f"'{facets.facet('language', x)}'" for x in b.languages) + ")"
        excluded = any_of(b.excluded)
        if excluded:
            q += f" & !( {excluded} )"
        parts.append(f"( {q} )")
        kept.append(clauses)
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


def _named(query: str) -> str | None:
    """What the query names as a whole, if it may be an entity: its words (no OR, no minus), or
    its one phrase."""
    parsed = syntax.parse(query)
    if parsed.plain:
        return query
    if len(parsed.clauses) == 1 and len(parsed.clauses[0]) == 1 and not parsed.excluded:
        return parsed.clauses[0][0].text
    return None


def _sorted(conn, ranked: list, sort: str) -> list:
    """The ranked matches in the order asked for: relevance as ranked; date, the newest published
    first (undated last); title, alphabetically (untitled last); ties by the newer id."""
    if sort == "relevance" or len(ranked) < 2:
        return ranked
    ids = [r[0] for r in ranked]
    rows = {}
    for k in range(0, len(ids), 500):
        rows.update((r.id, r) for r in conn.execute(select(documents.c.id, documents.c.published, documents.c.title)
                                                     .where(documents.c.id.in_(ids[k:k + 500]))))
    if sort == "date":
        return sorted(ranked, key=lambda r: (rows[r[0]].published is not None, rows[r[0]].published or "", r[0]),
                      reverse=True)
    return sorted(ranked, key=lambda r: (not rows[r[0]].title, (rows[r[0]].title or "").casefold(), -r[0]))


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
    if spec.negate:  # a probe per candidate: the candidates are at most RESULT_CAP + 1 a stream
        return (f"NOT EXISTS ({probe} OFFSET 0)" if dialect == "postgresql" else f"NOT EXISTS ({probe})"), bound
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


