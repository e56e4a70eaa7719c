"""The filters of a search as SQL: each filter a Spec that search.py turns into a condition on a
document id (a set of ids, a probe per match, or a test of the full-text index's facets).

Several values of one filter keep a document matching any of them; excluded values are a Spec
that keeps the documents matching none (`negate`). A country is one of an event's own countries
or the country of one of its institutions or people, so that a summit tagged with its host only
is found under its guests' countries too.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import text

from . import facets
from .lookup import entity_ids
from .period import QueryError, check_period

FILTER_TAGS = ("country", "direction", "threat", "framework")


class SearchError(ValueError):
    """A query or filter that cannot be run; the message says which and why."""


Values = str | Sequence[str] | None


@dataclass
class Filters:
    """What the matches are kept to. A filter of several values keeps a document matching any
    of them (OR within a filter, AND across filters); `exclude` maps a filter's name to values
    no kept document may match. A country is any of an event's countries or the country of one
    of its institutions or people (the host's as the participants')."""
    country: Values = None
    institution: Values = None
    person: Values = None
    type: Values = None
    direction: Values = None
    threat: Values = None
    framework: Values = None
    date_from: str | None = None
    date_to: str | None = None
    language: Values = None
    year: int | None = None
    exclude: dict[str, Sequence[str]] = field(default_factory=dict)


def values_of(value: Values) -> tuple[str, ...]:
    """A filter's values as a tuple (one value given as a string, blanks left out)."""
    items = [value] if isinstance(value, str) else list(value or ())
    return tuple(dict.fromkeys(str(v).strip() for v in items if v is not None and str(v).strip()))


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
    negate: bool = False  # the filter excludes what it selects


YEARS_SPAN = 200  # a date filter wider than this many years has no year facets to sieve with


def _listed(name: str, values) -> tuple[str, dict]:
    """`IN (:name0x, :name1x, …)` and its parameters (each name ends in x, so that none is
    another's prefix when _cond renames them)."""
    params = {f"{name}{k}x": v for k, v in enumerate(values)}
    return "(" + ", ".join(f":{p}" for p in params) + ")", params


def _country_spec(codes, negate: bool) -> Spec:
    """Events with one of the countries among their own, or among their institutions' and
    people's (a summit tagged with its host only is also a summit its guests' countries attended)."""
    listed, params = _listed("c", codes)
    tag = ("SELECT ef.document_id FROM event_tags tf JOIN events ef ON ef.id = tf.event_id "
           f"WHERE tf.kind = 'country' AND tf.value IN {listed}")
    held = ("SELECT ef.document_id FROM event_entities ee JOIN events ef ON ef.id = ee.event_id "
            f"JOIN entities en ON en.id = ee.entity_id WHERE en.country IN {listed}")
    # CROSS JOIN: SQLite's order, the document's events first (else it read every row of the tag per probe)
    probe = ("SELECT 1 WHERE EXISTS (SELECT 1 FROM events ef CROSS JOIN event_tags tf WHERE ef.document_id = {id} "
             f"AND tf.event_id = ef.id AND tf.kind = 'country' AND tf.value IN {listed}) OR EXISTS (SELECT 1 FROM "
             "events ef CROSS JOIN event_entities ee JOIN entities en ON en.id = ee.entity_id WHERE ef.document_id = {id} "
             f"AND ee.event_id = ef.id AND en.country IN {listed})")
    return Spec(f"{tag} UNION {held}", probe, params, negate=negate)


def _value_spec(kind: str, values, negate: bool) -> Spec:
    """A tag (direction, threat, framework), an event type or a document language."""
    listed, params = _listed("v", values)
    group = None if negate else [facets.facet(kind, v) for v in values]
    if kind == "type":
        return Spec(f"SELECT ef.document_id FROM events ef WHERE ef.type IN {listed}",
                    f"SELECT 1 FROM events ef WHERE ef.document_id = {{id}} AND ef.type IN {listed}", params, group,
                    not negate, negate)
    if kind == "language":
        return Spec(f"SELECT lf.id FROM documents lf WHERE lf.language IN {listed}",
                    f"SELECT 1 FROM documents lf WHERE lf.id = {{id}} AND lf.language IN {listed}", params, group,
                    not negate, negate)
    return Spec("SELECT ef.document_id FROM event_tags tf JOIN events ef ON ef.id = tf.event_id "
                f"WHERE tf.kind = :kind AND tf.value IN {listed}",
                "SELECT 1 FROM events ef CROSS JOIN event_tags tf "
                f"WHERE ef.document_id = {{id}} AND tf.event_id = ef.id AND tf.kind = :kind AND tf.value IN {listed}",
                {"kind": kind, **params}, group, not negate, negate)


def _entity_spec(conn, kind: str, values, negate: bool, registry) -> Spec:
    ids: list[int] = []
    for value in values:
        found = entity_ids(conn, value, kind, registry)
        if not found:
            raise SearchError(f"no {'institution' if kind == 'org' else 'person'} is known as {value!r}")
        ids += [i for i in found if i not in ids]
    listed = ", ".join(str(int(i)) for i in ids)  # integers from the store
    return Spec(f"SELECT mf.document_id FROM mentions mf WHERE mf.entity_id IN ({listed})",
                f"SELECT 1 FROM mentions mf WHERE mf.entity_id IN ({listed}) AND mf.document_id = {{id}}", {},
                negate=negate)


def _filter_sql(conn, f: Filters, registry=None) -> list[Spec]:
    """The filters asked for, each a Spec; the excluded values, each filter's as one Spec."""
    out = []
    for name in ("country", "institution", "person") + FILTER_TAGS[1:] + ("type", "language"):
        for negate, values in ((False, values_of(getattr(f, name))), (True, values_of(f.exclude.get(name)))):
            if not values:
                continue
            if name == "country":
                out.append(_country_spec([v.upper() for v in values], negate))
            elif name in ("institution", "person"):
                out.append(_entity_spec(conn, "org" if name == "institution" else "person", values, negate, registry))
            else:
                out.append(_value_spec(name, values, negate))
    if f.year:
        f.date_from, f.date_to = f.date_from or f"{f.year:04d}", f.date_to or f"{f.year:04d}-12-31"
    if f.date_from or f.date_to:
        parts, values = "ef.date IS NOT NULL AND ef.date NOT LIKE '--%'", {}
        try:
            f.date_from, f.date_to = check_period(f.date_from, f.date_to)
        except QueryError as exc:
            raise SearchError(str(exc)) from None
        if f.date_from:
            parts += " AND ef.date >= :start"
            values["start"] = f.date_from
        if f.date_to:
            parts += " AND ef.date <= :end"
            values["end"] = f.date_to + "\uffff"
        group, exact = _years(conn, f.date_from, f.date_to)
        out.append(Spec(f"SELECT ef.document_id FROM events ef WHERE {parts}",
                        f"SELECT 1 FROM events ef WHERE ef.document_id = {{id}} AND {parts}", values, group, exact))
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
