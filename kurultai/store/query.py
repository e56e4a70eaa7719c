"""One query layer for the command line, the JSON API and the pages: a search asked for is checked
here (the same values refused with the same message everywhere), run here, and answered in one
shape (`kurultai search --json` prints what /api/search returns, facets included).

    vocab = Vocabulary.load(registry)
    asked = parse_search(vocab, "вода OR энергия", {"country": ["KZ", "-UZ"]}, date_from="2023")
    result = run_search(store, registry, asked)

A filter takes several values (a document matching any of them is kept: OR within a filter, AND
across filters); a value written with a leading minus excludes it. A value is an id or a name:
a country by its ISO code or its name in any language the registry has, a direction, threat,
type or framework by its id or its Russian or English label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from ..vocabulary import event_types
from . import analytics
from .db import Store, StoreError, engine_url
from .lookup import MAX_ID
from .names import norm
from .period import FIRST_YEAR, LAST_YEAR, QueryError, check_period
from .search import RESULT_CAP, SORTS, Filters, find

FILTER_NAMES = ("country", "institution", "person", "type", "direction", "threat", "framework", "language")
MAX_VALUES = 20  # values one filter takes (a longer list is refused, never silently cut)
MAX_QUERY = 500  # characters of the query's text
FACETS = ("country", "type", "direction", "threat", "framework", "year")
_VOCABULARY = {"type": "event_types", "direction": "directions", "threat": "threats", "framework": "frameworks",
               "language": "languages", "country": "countries"}


@dataclass(frozen=True)
class Vocabulary:
    """The values each filter knows (its ids) and the names that stand for them, made once per
    registry (the web application keeps one; the command line makes one a run)."""
    ids: dict[str, tuple[str, ...]]
    names: dict[str, dict[str, str]]  # filter -> normalised name -> id

    @classmethod
    def load(cls, registry, labels=None) -> "Vocabulary":
        if labels is None:
            from ..i18n import Labels
            labels = Labels.load(registry)
        cues = registry.cues
        known = {"type": set(event_types()),
                 "direction": set(cues.get("directions") or ()) | set(labels.vocab["directions"]),
                 "threat": set(cues.get("threats") or ()) | set(labels.vocab["threats"]),
                 "framework": set(registry.frameworks), "country": set(registry.countries),
                 "language": set(labels.vocab["languages"])}
        names: dict[str, dict[str, str]] = {}
        for kind, values in known.items():
            table = names.setdefault(kind, {})
            for value in values:
                table[norm(value)] = value
                for label in (labels.vocab.get(_VOCABULARY[kind], {}).get(value) or {}).values():
                    table.setdefault(norm(str(label)), value)
        ids = {k: tuple(sorted(v, key=lambda c: (c not in _central_asia(registry), c)) if k == "country" else sorted(v))
               for k, v in known.items()}
        return cls(ids, names)

    def check(self, kind: str, value: str) -> str:
        """The id `value` stands for; else a QueryError naming it and listing the known ids."""
        if kind == "country" and re.fullmatch(r"[A-Za-z]{2}", value) and value.upper() in self.ids[kind]:
            return value.upper()
        if value in self.ids[kind]:
            return value
        found = self.names[kind].get(norm(value))
        if found:
            return found
        if kind == "language" and re.fullmatch(r"[a-z]{2}", value):
            return value  # a language no label names yet (search finds none of it, rightly)
        shown = value if len(value) <= 60 else value[:60] + "…"
        raise QueryError(f"{kind}: unknown value {shown!r}; known: {', '.join(self.ids[kind])}")


def _central_asia(registry) -> set[str]:
    return {c.code for c in registry.countries.values() if c.region == "central_asia"}


@dataclass(frozen=True)
class SearchRequest:
    """A search as checked: its text, each filter's values kept and excluded, the period, the
    order and the page."""
    text: str = ""
    include: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    year: int | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def filters(self) -> Filters:
        return Filters(**{k: list(v) for k, v in self.include.items()}, date_from=self.date_from,
                       date_to=self.date_to, year=self.year, exclude={k: list(v) for k, v in self.exclude.items()})

    @property
    def narrowed(self) -> bool:
        return bool(self.text.strip() or self.include or self.exclude or self.date_from or self.date_to or self.year)

    def params(self) -> list[tuple[str, str]]:
        """The request as URL parameters, in a fixed order (what links and downloads carry)."""
        out = [("q", self.text)] if self.text else []
        for name in FILTER_NAMES:
            out += [(name, v) for v in self.include.get(name, ())] + [(name, "-" + v) for v in self.exclude.get(name, ())]
        out += [(k, str(v)) for k, v in (("from", self.date_from), ("to", self.date_to), ("year", self.year)) if v]
        return out + ([("sort", self.sort)] if self.sort != "relevance" else [])


def parse_search(vocab: Vocabulary, text: str = "", values: dict[str, list[str]] | None = None,
                 date_from: str | None = None, date_to: str | None = None, year: int | str | None = None,
                 sort: str | None = None, page: int = 1, limit: int = 20, max_limit: int = RESULT_CAP) -> SearchRequest:
    """A search checked: each filter's values (a leading minus excludes one), the period, the
    order and the page; the first thing wrong is a QueryError naming it."""
    text = text or ""
    if len(text) > MAX_QUERY:
        raise QueryError(f"q: the query is {len(text)} characters long; at most {MAX_QUERY}")
    include: dict[str, tuple[str, ...]] = {}
    exclude: dict[str, tuple[str, ...]] = {}
    for name, given in (values or {}).items():
        if name not in FILTER_NAMES:
            raise QueryError(f"unknown filter {name!r}; filters: {', '.join(FILTER_NAMES)}")
        given = [v.strip() for v in given or () if v and v.strip()]
        if len(given) > MAX_VALUES:
            raise QueryError(f"{name}: {len(given)} values; at most {MAX_VALUES}")
        kept, dropped = [], []
        for value in given:
            negative = value.startswith("-") and len(value) > 1
            value = value[1:].strip() if negative else value
            if name in ("institution", "person"):
                if value.isdigit() and int(value) > MAX_ID:
                    raise QueryError(f"{name}: no {name} has id {value}")
                if len(value) > 300:
                    raise QueryError(f"{name}: a name of {len(value)} characters; at most 300")
            else:
                value = vocab.check(name, value)
            (dropped if negative else kept).append(value)
        if kept:
            include[name] = tuple(dict.fromkeys(kept))
        if dropped:
            exclude[name] = tuple(dict.fromkeys(dropped))
    date_from, date_to = check_period(date_from, date_to)
    if year not in (None, ""):
        if not re.fullmatch(r"\d{4}", str(year).strip()) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            raise QueryError(f"year: {str(year)[:20]!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
        year = int(year)
    sort = (sort or "relevance").strip()
    if sort not in SORTS:
        raise QueryError(f"sort: unknown value {sort[:40]!r}; known: {', '.join(SORTS)}")
    if not 1 <= page <= 100_000:
        raise QueryError(f"page: {page} is not a page number from 1 to 100000")
    if not 1 <= limit <= max_limit:
        raise QueryError(f"limit: {limit} is not from 1 to {max_limit}")
    return SearchRequest(text, include, exclude, date_from, date_to, year or None, sort, page, limit)


def run_search(store: Store, registry, asked: SearchRequest) -> dict:
    """The answer to a search, as /api/search gives it: the page's hits (snippets, highlights and
    events), the total, and the facets of every ranked match."""
    hits, total, ranked = find(store, asked.text, asked.filters(), registry.morph, limit=asked.limit,
                               offset=asked.offset, registry=registry, sort=asked.sort)
    # facets of the ranked matches: every match, or the newest RESULT_CAP when there are more
    ids = ranked if asked.narrowed else None
    found = analytics.search_facets(store, ids)
    out_facets = {k: [{"value": v, "count": n} for v, n in found.get(k, [])] for k in FACETS}
    out_facets["country"] = [{"value": v, "count": n} for v, n in host_countries(store, ids)]
    out_facets["institution"] = [{"value": str(e["id"]), "name": e["name"], "short": e["short"], "count": e["count"]}
                                 for e in found["institution"]]
    out_facets["person"] = [{"value": str(e["id"]), "name": e["name"], "count": e["count"]} for e in found["person"]]
    evs = analytics.document_events(store, [h.id for h in hits])
    named = [int(v) for k in ("institution", "person") for v in asked.include.get(k, ()) + asked.exclude.get(k, ())
             if v.isdigit()]
    names = analytics.entity_names(store, named) if named else {}
    filters = {k: list(v) for k, v in asked.include.items()}
    filters.update({k: v for k, v in (("date_from", asked.date_from), ("date_to", asked.date_to),
                                      ("year", asked.year)) if v is not None})
    return {"query": asked.text, "filters": filters, "exclude": {k: list(v) for k, v in asked.exclude.items()},
            "filter_names": {str(i): n for i, n in names.items()}, "sort": asked.sort,
            "total": int(total), "total_exact": total.exact, "offset": asked.offset, "limit": asked.limit,
            "page": asked.page,
            "hits": [{**h.__dict__, "highlights": [list(x) for x in h.highlights], "events": evs.get(h.id, [])}
                     for h in hits],
            "facets": out_facets, "facets_over": len(ranked) if asked.narrowed else int(total)}


def host_countries(store: Store, ids: list[int] | None) -> list[tuple[str, int]]:
    """Documents per country as the country filter counts them: an event's own countries and its
    institutions' and people's (so that a facet's count is what choosing it finds)."""
    where = ""
    if ids is not None:
        if not ids:
            return []
        where = " WHERE doc IN (" + ", ".join(str(int(i)) for i in ids) + ")"
    sql = ("SELECT code, count(DISTINCT doc) FROM ("
           "SELECT ef.document_id AS doc, tf.value AS code FROM event_tags tf JOIN events ef ON ef.id = tf.event_id "
           "WHERE tf.kind = 'country' UNION "
           "SELECT ef.document_id, en.country FROM event_entities ee JOIN events ef ON ef.id = ee.event_id "
           "JOIN entities en ON en.id = ee.entity_id WHERE en.country IS NOT NULL) c" + where + " GROUP BY code")
    with store.connect() as conn:
        rows = conn.execute(text(sql)).all()
    return sorted(((c, n) for c, n in rows), key=lambda x: (-x[1], x[0]))


def result_set(store: Store, registry, asked: SearchRequest, chunk: int = 200):
    """Every match of a search (up to RESULT_CAP), in its order, as flat rows for a download:
    (the total, an iterator of rows). The first `chunk` are read now, so that a search that
    cannot run fails before a download starts; the rest as the iterator is read."""
    def page(offset: int):
        return find(store, asked.text, asked.filters(), registry.morph, limit=chunk, offset=offset,
                    registry=registry, sort=asked.sort)[:2]

    first, total = page(0)

    def rows():
        hits, offset = first, 0
        while hits:
            evs = analytics.document_events(store, [h.id for h in hits])
            for h in hits:
                events = evs.get(h.id, [])
                yield {"id": h.id, "title": h.title, "published": h.published, "language": h.language,
                       "source": h.source, "score": h.score,
                       "event_types": "; ".join(dict.fromkeys(e.get("type") or "" for e in events)),
                       "event_dates": "; ".join(dict.fromkeys(e["date"] for e in events if e.get("date"))),
                       "snippet": " ".join(h.snippet.split())}
            offset += chunk
            hits = page(offset)[0] if offset < int(total) else []
    return total, rows()


ROW_FIELDS = ("id", "title", "published", "language", "source", "score", "event_types", "event_dates", "snippet")


def open_existing(url: str | None) -> Store:
    """The store at `url` for reading: a SQLite file that does not exist is a StoreError naming
    it, never a new empty store (only ingest creates one)."""
    from .db import default_url
    url = url or default_url()
    full = engine_url(url)
    if full.startswith("sqlite:"):
        path = full.split(":///", 1)[-1].split("?", 1)[0].removeprefix("file:")
        file = Path(path).expanduser() if path and path != ":memory:" else None
        if file is not None and not file.resolve().parent.is_dir():
            raise StoreError(f"{url}: folder {file.resolve().parent} does not exist")
        if file is not None and not file.is_file():
            raise StoreError(f"{url}: no such store (`kurultai ingest FILES --db {url}` creates one)")
    return Store.open(url)
