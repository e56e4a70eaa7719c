"""Aggregates over the store for the dashboards, the profiles and the search facets.

Plain functions over a `Store` that return dicts and lists (the same for the web pages and their
JSON twins), written in SQLAlchemy Core so that they run unchanged on SQLite and PostgreSQL.

Periods are given as `date_from` / `date_to` in the form YYYY, YYYY-MM or YYYY-MM-DD and select
events by their own date (events whose year is unknown, '--MM-DD', fall outside any period).
A `country` selects the events whose participating countries include it, except in the
co-participation network, where it keeps the ties of that country's institutions.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from sqlalchemy import Select, and_, case, exists, func, or_, select

from .db import Store
from .period import QueryError, check_date  # noqa: F401  (one check of dates: period.py)
from .names import norm
from .schema import aliases, documents, entities, event_entities, event_tags, events, mentions
from .search import Filters

MEETING_ROLES = ("organizer", "participant")


def check_country(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        raise QueryError(f"country: {value!r} is not a two-letter ISO code such as KZ")
    return value.upper()


def event_conditions(date_from: str | None = None, date_to: str | None = None, country: str | None = None,
                      type: str | None = None) -> list:
    """Conditions on `events` for a period, a participating country and an event type. A reprint's
    events (documents with `duplicate_of` set) are left out: the release is counted once."""
    date_from, date_to = check_date(date_from, "from"), check_date(date_to, "to")
    cond = [events.c.document_id.not_in(select(documents.c.id).where(documents.c.duplicate_of.isnot(None)))]
    if date_from or date_to:
        cond += [events.c.date.isnot(None), ~events.c.date.like("--%")]
        if date_from:
            cond.append(events.c.date >= date_from)
        if date_to:  # '2024' includes '2024-12-31'; LIKE keeps it independent of the collation
            cond.append(or_(events.c.date <= date_to, events.c.date.like(date_to + "%")))
    country = check_country(country)
    if country:
        t = event_tags.alias("t_country")
        cond.append(exists(select(1).select_from(t).where(t.c.event_id == events.c.id, t.c.kind == "country",
                                                          t.c.value == country)))
    if type:
        cond.append(events.c.type == type)
    return cond


# -- search support -------------------------------------------------------------------------------------------------


def document_events(store: Store, doc_ids: list[int]) -> dict[int, list[dict]]:
    """The events of each document, in their order in it: what a search hit shows under its title."""
    if not doc_ids:
        return {}
    out: dict[int, list[dict]] = {}
    with store.connect() as conn:
        rows = conn.execute(select(events.c.id, events.c.document_id, events.c.type, events.c.title, events.c.date,
                                   events.c.place).where(events.c.document_id.in_(doc_ids))
                            .order_by(events.c.document_id, events.c.idx)).mappings().all()
    for r in rows:
        out.setdefault(r["document_id"], []).append(dict(r))
    return out


def documents_brief(store: Store, doc_ids) -> list[dict]:
    """Id, source, title and date of each document, newest first."""
    doc_ids = sorted(set(doc_ids))
    rows = []
    with store.connect() as conn:
        for chunk in _chunks(doc_ids):
            rows += conn.execute(select(documents.c.id, documents.c.source, documents.c.title, documents.c.published,
                                        documents.c.language).where(documents.c.id.in_(chunk))).mappings().all()
    return sorted((dict(r) for r in rows), key=lambda r: (r["published"] or "", r["id"]), reverse=True)


# -- listings -------------------------------------------------------------------------------------------------------

def entity_list(store: Store, kind: str, country: str | None = None, name: str | None = None,
                limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Institutions or people with how many events and documents they appear in, most active first."""
    country = check_country(country)
    n_events = (select(func.count(func.distinct(event_entities.c.event_id)))
                .where(event_entities.c.entity_id == entities.c.id).scalar_subquery())
    n_docs = (select(func.count(func.distinct(mentions.c.document_id)))
              .where(mentions.c.entity_id == entities.c.id).scalar_subquery())
    cond = [entities.c.kind == kind]
    if country:
        cond.append(entities.c.country == country)
    if name:  # any alias, compared in its normalised form (SQLite's lower() knows only ASCII)
        needle = "%" + norm(name).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cond.append(entities.c.id.in_(select(aliases.c.entity_id).where(aliases.c.norm.like(needle, escape="\\"))))
    aff = entities.alias("aff")
    q = (select(entities.c.id, entities.c.name, entities.c.short, entities.c.country, entities.c.affiliation_id,
                aff.c.name.label("affiliation"), n_events.label("events"), n_docs.label("documents"))
         .select_from(entities.outerjoin(aff, aff.c.id == entities.c.affiliation_id)).where(*cond)
         .order_by(n_events.desc(), n_docs.desc(), entities.c.name).limit(limit).offset(offset))
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(entities).where(*cond)).scalar()
        rows = [dict(r) for r in conn.execute(q).mappings().all()]
    return rows, total


def timeline(store: Store, date_from: str | None = None, date_to: str | None = None, country: str | None = None,
             type: str | None = None, limit: int = 1000) -> dict:
    """The latest `limit` events of the selection in date order, grouped by year; events without a
    usable date ('--MM-DD' or none) come apart, after them. `total` counts the whole selection."""
    cond = event_conditions(date_from, date_to, country, type)
    undated_last = case((events.c.date.is_(None), 1), else_=0)
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(events).where(*cond)).scalar()
        rows = conn.execute(select(events.c.id, events.c.date, events.c.type, events.c.title, events.c.place,
                                   events.c.format, events.c.document_id, documents.c.source,
                                   documents.c.title.label("document_title"))
                            .join(documents, documents.c.id == events.c.document_id).where(*cond)
                            .order_by(undated_last, events.c.date.desc(), events.c.id.desc()).limit(limit)).mappings().all()
        orgs = _organizers(conn, [r["id"] for r in rows])
    years: dict[str, list[dict]] = {}
    undated = []
    for r in sorted(rows, key=lambda r: (r["date"] or "", r["id"])):
        item = {**dict(r), "organizers": orgs.get(r["id"], [])}
        if not r["date"] or r["date"].startswith("--"):
            undated.append(item)
        else:
            years.setdefault(r["date"][:4], []).append(item)
    return {"years": [{"year": y, "events": evs} for y, evs in sorted(years.items())], "undated": undated,
            "total": total, "shown": len(rows)}


def _organizers(conn, event_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for chunk in _chunks(event_ids):
        rows = conn.execute(select(event_entities.c.event_id, entities.c.id, entities.c.name, entities.c.short)
                            .join(entities, entities.c.id == event_entities.c.entity_id)
                            .where(event_entities.c.event_id.in_(chunk), event_entities.c.role == "organizer")).all()
        for ev, i, n, s in rows:
            if all(o["id"] != i for o in out.get(ev, ())):
                out.setdefault(ev, []).append({"id": i, "name": n, "short": s})
    return out


def _chunks(ids: list[int], size: int = 900):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


# -- dashboards -----------------------------------------------------------------------------------------------------

def events_by_month(store: Store, date_from: str | None = None, date_to: str | None = None,
                    country: str | None = None) -> dict:
    """Events per month and type, every month of the span present (zeros included)."""
    cond = event_conditions(date_from, date_to, country)
    month = func.substr(events.c.date, 1, 7)
    with store.connect() as conn:
        rows = conn.execute(select(month, events.c.type, func.count())
                            .where(*cond, events.c.date.isnot(None), ~events.c.date.like("--%"),
                                   func.length(events.c.date) >= 7)
                            .group_by(month, events.c.type)).all()
        all_events = conn.execute(select(func.count()).select_from(events).where(*cond)).scalar()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for m, t, n in rows:
        counts[m][t] = n
    months = _month_range(min(counts), max(counts)) if counts else []
    types = sorted({t for _, t, _ in rows}, key=lambda t: -sum(counts[m].get(t, 0) for m in counts))
    series = {t: [counts.get(m, {}).get(t, 0) for m in months] for t in types}
    dated = sum(n for _, _, n in rows)
    return {"months": months, "types": types, "series": series, "totals": [sum(counts.get(m, {}).values()) for m in months],
            "events": dated, "without_month": all_events - dated}


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def direction_trends(store: Store, date_from: str | None = None, date_to: str | None = None,
                     country: str | None = None) -> dict:
    """Events per year that raised each direction, with the year's total of events."""
    cond = event_conditions(date_from, date_to, country)
    year = func.substr(events.c.date, 1, 4)
    dated = [events.c.date.isnot(None), ~events.c.date.like("--%")]
    with store.connect() as conn:
        rows = conn.execute(select(year, event_tags.c.value, func.count(func.distinct(events.c.id)))
                            .join(event_tags, event_tags.c.event_id == events.c.id)
                            .where(*cond, *dated, event_tags.c.kind == "direction")
                            .group_by(year, event_tags.c.value)).all()
        totals = dict(conn.execute(select(year, func.count()).where(*cond, *dated).group_by(year)).all())
    years = [str(y) for y in range(int(min(totals)), int(max(totals)) + 1)] if totals else []
    by: dict[str, dict[str, int]] = defaultdict(dict)
    for y, d, n in rows:
        by[d][y] = n
    directions = sorted(by, key=lambda d: (-sum(by[d].values()), d))
    return {"years": years, "directions": directions, "series": {d: [by[d].get(y, 0) for y in years] for d in directions},
            "events": [totals.get(y, 0) for y in years]}


def co_participation(store: Store, date_from: str | None = None, date_to: str | None = None,
                     country: str | None = None, min_weight: int = 1, max_nodes: int = 40) -> dict:
    """Who meets whom: two institutions are tied when both organised or took part in one event.

    Nodes are the institutions with the most shared events (at most `max_nodes`), edges the ties
    between them of at least `min_weight` events, each with the events behind it."""
    country = check_country(country)
    cond = event_conditions(date_from, date_to)
    a, b = event_entities.alias("a"), event_entities.alias("b")
    ea, eb = entities.alias("ea"), entities.alias("eb")
    q = (select(a.c.entity_id, b.c.entity_id, a.c.event_id).distinct()
         .select_from(a.join(b, and_(a.c.event_id == b.c.event_id, a.c.entity_id < b.c.entity_id))
                      .join(ea, ea.c.id == a.c.entity_id).join(eb, eb.c.id == b.c.entity_id)
                      .join(events, events.c.id == a.c.event_id))
         .where(a.c.role.in_(MEETING_ROLES), b.c.role.in_(MEETING_ROLES), ea.c.kind == "org", eb.c.kind == "org", *cond))
    if country:
        q = q.where(or_(ea.c.country == country, eb.c.country == country))
    with store.connect() as conn:
        pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
        for x, y, ev in conn.execute(q).all():
            pairs[(x, y)].append(ev)
        pairs = {k: sorted(v) for k, v in pairs.items() if len(v) >= min_weight}
        strength: Counter = Counter()
        for (x, y), evs in pairs.items():
            strength[x] += len(evs)
            strength[y] += len(evs)
        keep = {i for i, _ in sorted(strength.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]}
        info = {}
        if keep:
            info = {r["id"]: dict(r) for r in conn.execute(
                select(entities.c.id, entities.c.name, entities.c.short, entities.c.country)
                .where(entities.c.id.in_(sorted(keep)))).mappings().all()}
    own: dict[int, set] = defaultdict(set)
    for (x, y), evs in pairs.items():
        own[x].update(evs)
        own[y].update(evs)
    nodes = sorted(({**info[i], "events": len(own[i]), "strength": strength[i]} for i in keep),
                   key=lambda n: (n["country"] or "~", n["name"]))
    edges = sorted(({"source": x, "target": y, "weight": len(evs), "events": evs}
                    for (x, y), evs in pairs.items() if x in keep and y in keep),
                   key=lambda e: (-e["weight"], e["source"], e["target"]))
    return {"nodes": nodes, "edges": edges, "institutions_tied": len(strength)}


def country_directions(store: Store, countries: list[str], date_from: str | None = None,
                       date_to: str | None = None) -> dict:
    """Where the countries' priorities converge: for each country and direction, the events with
    that country that raised that direction (and the documents behind them); the cosine similarity
    of the countries' direction profiles; and how many of the countries share each direction."""
    countries = [check_country(c) for c in countries]
    cond = event_conditions(date_from, date_to)
    tc, td = event_tags.alias("tc"), event_tags.alias("td")
    with store.connect() as conn:
        rows = conn.execute(select(tc.c.value, td.c.value, events.c.id, events.c.document_id)
                            .select_from(events.join(tc, tc.c.event_id == events.c.id)
                                         .join(td, td.c.event_id == events.c.id))
                            .where(*cond, tc.c.kind == "country", tc.c.value.in_(countries),
                                   td.c.kind == "direction")).all()
        per_country = dict(conn.execute(select(tc.c.value, func.count(func.distinct(events.c.id)))
                                        .select_from(events.join(tc, tc.c.event_id == events.c.id))
                                        .where(*cond, tc.c.kind == "country", tc.c.value.in_(countries))
                                        .group_by(tc.c.value)).all())
    cell_events: dict[tuple[str, str], set] = defaultdict(set)
    cell_docs: dict[tuple[str, str], set] = defaultdict(set)
    for c, d, ev, doc in rows:
        cell_events[(c, d)].add(ev)
        cell_docs[(c, d)].add(doc)
    directions = sorted({d for _, d in cell_events}, key=lambda d: (-sum(len(cell_events.get((c, d), ())) for c in countries), d))
    counts = {c: {d: len(cell_events.get((c, d), ())) for d in directions} for c in countries}
    share = {c: {d: (counts[c][d] / per_country[c] if per_country.get(c) else 0.0) for d in directions} for c in countries}
    docs = {c: {d: sorted(cell_docs.get((c, d), ())) for d in directions} for c in countries}
    similarity = {c1: {c2: _cosine([counts[c1][d] for d in directions], [counts[c2][d] for d in directions])
                       for c2 in countries} for c1 in countries}
    shared_by = {d: sum(1 for c in countries if counts[c][d]) for d in directions}
    return {"countries": countries, "directions": directions, "events": {c: per_country.get(c, 0) for c in countries},
            "counts": counts, "share": share, "documents": docs, "similarity": similarity, "shared_by": shared_by}


def _cosine(u: list[int], v: list[int]) -> float | None:
    nu, nv = math.sqrt(sum(x * x for x in u)), math.sqrt(sum(x * x for x in v))
    if not nu or not nv:
        return None
    return round(sum(x * y for x, y in zip(u, v)) / (nu * nv), 4)


def framework_directions(store: Store, date_from: str | None = None, date_to: str | None = None,
                         country: str | None = None) -> dict:
    """For each framework, how many of the events that refer to it raised each direction."""
    cond = event_conditions(date_from, date_to, country)
    tf, td = event_tags.alias("tf"), event_tags.alias("td")
    n = func.count(func.distinct(events.c.id))
    with store.connect() as conn:
        rows = conn.execute(select(tf.c.value, td.c.value, n)
                            .select_from(events.join(tf, tf.c.event_id == events.c.id)
                                         .join(td, td.c.event_id == events.c.id))
                            .where(*cond, tf.c.kind == "framework", td.c.kind == "direction")
                            .group_by(tf.c.value, td.c.value)).all()
        per_framework = dict(conn.execute(select(tf.c.value, n).select_from(events.join(tf, tf.c.event_id == events.c.id))
                                          .where(*cond, tf.c.kind == "framework").group_by(tf.c.value)).all())
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for f, d, c in rows:
        counts[f][d] = c
    frameworks = sorted(per_framework, key=lambda f: (-per_framework[f], f))
    directions = sorted({d for _, d, _ in rows}, key=lambda d: (-sum(counts[f].get(d, 0) for f in counts), d))
    return {"frameworks": frameworks, "directions": directions, "events": per_framework,
            "counts": {f: {d: counts[f].get(d, 0) for d in directions} for f in frameworks}}


# -- profiles -------------------------------------------------------------------------------------------------------

def events_per_year(event_rows: list[dict]) -> list[dict]:
    """[{'year': '2023', 'events': 2}, ...] over the span of the dated events, zeros included."""
    seen: dict[str, set] = defaultdict(set)
    for e in event_rows:
        d = e.get("date")
        if d and not d.startswith("--"):
            seen[d[:4]].add(e["id"])
    if not seen:
        return []
    return [{"year": str(y), "events": len(seen.get(str(y), ()))} for y in range(int(min(seen)), int(max(seen)) + 1)]


def org_context(store: Store, eid: int, registry=None) -> dict:
    """What an institution's profile adds to `views.show_org`: its parent and subordinate bodies
    (from the registry, linked to their entities where the store has them), its names in the
    registry, its events per year and the documents that mention it."""
    with store.connect() as conn:
        row = conn.execute(select(entities.c.registry_id).where(entities.c.id == eid)).first()
        registry_id = row[0] if row else None
        docs = list(conn.execute(select(mentions.c.document_id).distinct().where(mentions.c.entity_id == eid)).scalars())

        def entity_of(rid):
            return conn.execute(select(entities.c.id).where(entities.c.registry_id == rid, entities.c.kind == "org")
                                .order_by(entities.c.id)).scalar()

        parent, children, names = None, [], {}
        inst = registry.institutions.get(registry_id) if registry is not None and registry_id else None
        if inst is not None:
            names = dict(inst.name)
            if inst.parent:
                p = registry.institutions.get(inst.parent)
                parent = {"registry_id": inst.parent, "id": entity_of(inst.parent),
                          "name": p.name if p else {"en": inst.parent}}
            for other in registry.institutions.values():
                if other.parent == registry_id:
                    children.append({"registry_id": other.id, "id": entity_of(other.id), "name": other.name})
    return {"registry_names": names, "parent": parent, "subordinate": children,
            "documents": documents_brief(store, docs)}


def person_context(store: Store, eid: int) -> dict:
    """The documents that mention a person, for the person page."""
    with store.connect() as conn:
        docs = list(conn.execute(select(mentions.c.document_id).distinct().where(mentions.c.entity_id == eid)).scalars())
    return {"documents": documents_brief(store, docs)}


def local_entities(store: Store, doc_id: int) -> dict[str, int]:
    """A document's record ids ('o1', 'p3') -> the entities they were resolved to."""
    with store.connect() as conn:
        return dict(conn.execute(select(mentions.c.local_id, mentions.c.entity_id).distinct()
                                 .where(mentions.c.document_id == doc_id)).all())


def entity_names(store: Store, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    with store.connect() as conn:
        return dict(conn.execute(select(entities.c.id, entities.c.name).where(entities.c.id.in_(ids))).all())


def document_text(store: Store, doc_id: int) -> str:
    """The decoded text every offset of the document's record indexes."""
    with store.connect() as conn:
        return conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar() or ""


def original_bytes(store: Store, doc_id: int) -> tuple[str, bytes] | None:
    """The document's source name and the bytes it was ingested from."""
    from .schema import originals
    with store.connect() as conn:
        row = conn.execute(select(documents.c.source, originals.c.data)
                           .join(originals, originals.c.sha256 == documents.c.sha256)
                           .where(documents.c.id == doc_id)).first()
    return (row[0], bytes(row[1])) if row else None


# -- facets of a search, in three passes ------------------------------------------------------------------------------

_FACET_CACHE: dict[tuple, dict] = {}


def search_facets(store: Store, doc_ids: Select | None, limit: int = 12) -> dict:
    """Facets of the documents a search matched (their ids, or a subquery of them; None: all),
    counted from three scans (tags, events, entity mentions) rather than one aggregate per facet.
    The facets of the whole store are cached until a document is added or re-extracted."""
    if doc_ids is None:
        with store.connect() as conn:
            key = (store.url, tuple(conn.execute(select(func.count(), func.max(documents.c.id),
                                                        func.max(documents.c.ingested_at)).select_from(documents)).one()))
        if key in _FACET_CACHE:
            return _FACET_CACHE[key]
    with store.connect() as conn:
        ev = select(events.c.id, events.c.document_id, events.c.type, events.c.year)
        if doc_ids is not None:
            ev = ev.where(events.c.document_id.in_(doc_ids))
        ev = ev.subquery()
        tags: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for kind, value, doc in conn.execute(select(event_tags.c.kind, event_tags.c.value, ev.c.document_id)
                                             .join(ev, ev.c.id == event_tags.c.event_id)):
            tags[kind][value].add(doc)
        for doc, type_, year in conn.execute(select(ev.c.document_id, ev.c.type, ev.c.year)):
            tags["type"][type_].add(doc)
            if year is not None:
                tags["year"][str(year)].add(doc)
        m = select(mentions.c.entity_id, mentions.c.document_id).distinct()
        if doc_ids is not None:
            m = m.where(mentions.c.document_id.in_(doc_ids))
        per_entity = Counter(eid for eid, _ in conn.execute(m))
        top_ids = [eid for eid, _ in per_entity.most_common(limit * 40)]
        known = {r.id: r for r in conn.execute(select(entities.c.id, entities.c.kind, entities.c.name, entities.c.short)
                                               .where(entities.c.id.in_(top_ids)))} if top_ids else {}
    out = {}
    for kind in ("country", "direction", "threat", "framework", "type"):
        out[kind] = sorted(((v, len(d)) for v, d in tags[kind].items()), key=lambda x: (-x[1], x[0]))
    out["year"] = sorted((v, len(d)) for v, d in tags["year"].items())
    for kind, label in (("org", "institution"), ("person", "person")):
        rows = [(eid, n) for eid, n in per_entity.most_common() if eid in known and known[eid].kind == kind][:limit]
        out[label] = [{"id": eid, "name": known[eid].name, "short": known[eid].short, "count": n} for eid, n in rows]
    if doc_ids is None:
        _FACET_CACHE.clear()
        _FACET_CACHE[key] = out
    return out
