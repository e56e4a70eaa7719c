"""A document's filter values as words of its full-text index, so that a filtered text search is
one lookup: FTS5 and PostgreSQL's GIN index intersect the filter's postings with the query's
words, instead of the database testing each match's events (bench/RESULTS.md, «Search at scale»).

A facet is `kind:value`: the countries, directions, threats and frameworks of the document's
events, their types and years, and the document's language. `documents.facets` holds them,
space-separated; PostgreSQL adds them to the document's tsvector as they are (no word of a text
has a colon), SQLite to a column of its own in the FTS5 table, spelled as one FTS5 token.

PostgreSQL's vector also holds the document's span, `span:<id // SPAN>`, and block of BLOCK
spans, `block:<id // (SPAN * BLOCK)>`, so that its GIN index, which gives matches in no order,
can be asked for the newest ones first (search._pg_newest): a run of spans is asked for as the
blocks it fills and the spans at its ends (GIN tests each candidate against every term of the
query: 64 spans cost three times what the 8 blocks holding the same documents did). FTS5 gives
its matches in id order and needs none.
"""
from __future__ import annotations

import re

SPAN = 4096  # documents a span, by id: as migration 0007 writes it into PostgreSQL's vectors
BLOCK = 16  # spans a block, likewise
TAGS = {"countries": "country", "directions": "direction", "threats": "threat", "frameworks": "framework"}


def facet(kind: str, value) -> str:
    """The facet of one value: lower case, anything but [a-z0-9_] made `_` (so a value typed in a
    filter can never break out of a query: it is only ever a facet that matches nothing)."""
    return f"{kind}:{re.sub(r'[^a-z0-9_]', '_', str(value).lower())}"


def span(k: int) -> str:
    return f"span:{k}"


def spans(lo: int, hi: int) -> list[str]:
    """The lexemes of spans lo..hi: whole blocks as blocks, the spans at either end as spans."""
    out, k = [], lo
    while k <= hi:
        if k % BLOCK == 0 and k + BLOCK - 1 <= hi:
            out.append(f"block:{k // BLOCK}")
            k += BLOCK
        else:
            out.append(span(k))
            k += 1
    return out


def of_record(record: dict) -> str:
    """The `documents.facets` of an extraction record."""
    out = set()
    language = record["document"].get("language")
    if language:
        out.add(facet("language", language))
    for ev in record["events"]:
        out.add(facet("type", ev["type"]))
        value = (ev.get("date") or {}).get("value")
        if value and value[:4].isdigit():
            out.add(facet("year", value[:4]))
        for key, kind in TAGS.items():
            out.update(facet(kind, v) for v in ev.get(key, ()))
    return " ".join(sorted(out))


def fts5(facets: str) -> str:
    """The FTS5 spelling: one token a facet (FTS5's unicode61 splits words at `:` and `_`).
    Kinds are fixed words and values vocabulary ids, so no two facets share a spelling."""
    return facets.replace(":", "").replace("_", "")


FTS5_SQL = "replace(replace({}, ':', ''), '_', '')"  # fts5() in SQL, for migrations and bulk copies


def fts5_match(groups: list[list[str]]) -> str:
    """An FTS5 query on the facets column: every group holds, each by one of its facets."""
    return " AND ".join("facets : (" + " OR ".join(f'"{fts5(f)}"' for f in group) + ")" for group in groups)


def tsquery(groups: list[list[str]]) -> str:
    """The same as a PostgreSQL tsquery (facets are [a-z0-9_:] only: quoting them is safe)."""
    return " & ".join("(" + " | ".join(f"'{f}'" for f in group) + ")" for group in groups)
