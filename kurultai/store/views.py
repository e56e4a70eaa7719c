"""What `show` and `stats` tell: an institution, a person, an event or a document, explained.

Each function returns plain dicts, the same for the CLI (printed) and the web API (JSON).
"""
from __future__ import annotations

import json

from sqlalchemy import func, select

from .db import Store
from .schema import (aliases, documents, entities, event_entities, event_references, event_tags, events, failures,
                     mentions, outcomes)


class NotFound(LookupError):
    pass


def _entity(conn, eid: int, kind: str):
    row = conn.execute(select(entities).where(entities.c.id == eid, entities.c.kind == kind)).mappings().first()
    if row is None:
        raise NotFound(f"no {'institution' if kind == 'org' else 'person'} with id {eid}")
    return dict(row)


def _doc_names(conn, ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(conn.execute(select(documents.c.id, documents.c.source).where(documents.c.id.in_(ids))).all())


def _events_of(conn, eid: int) -> list[dict]:
    rows = conn.execute(select(events.c.id, events.c.type, events.c.title, events.c.date, events.c.document_id,
                               event_entities.c.role)
                        .join(event_entities, event_entities.c.event_id == events.c.id)
                        .where(event_entities.c.entity_id == eid).order_by(events.c.date)).mappings().all()
    return [dict(r) for r in rows]


def show_org(store: Store, eid: int) -> dict:
    with store.connect() as conn:
        org = _entity(conn, eid, "org")
        als = conn.execute(select(aliases.c.alias, aliases.c.document_id).where(aliases.c.entity_id == eid)
                           .order_by(aliases.c.id)).all()
        seen = conn.execute(select(mentions.c.text, mentions.c.document_id).where(mentions.c.entity_id == eid)).all()
        names = _doc_names(conn, {d for _, d in seen} | {d for _, d in als})
        by_alias: dict[str, set] = {}
        for t, d in seen:
            by_alias.setdefault(" ".join(t.split()), set()).add(names.get(d))
        evs = _events_of(conn, eid)
        ev_ids = [e["id"] for e in evs]
        co = []
        if ev_ids:
            co = conn.execute(select(entities.c.id, entities.c.name, func.count(func.distinct(event_entities.c.event_id)))
                              .join(event_entities, event_entities.c.entity_id == entities.c.id)
                              .where(event_entities.c.event_id.in_(ev_ids), entities.c.kind == "org", entities.c.id != eid)
                              .group_by(entities.c.id, entities.c.name)
                              .order_by(func.count(func.distinct(event_entities.c.event_id)).desc())).all()
        people = conn.execute(select(entities.c.id, entities.c.name).where(entities.c.affiliation_id == eid)).all()
        dirs = []
        if ev_ids:
            dirs = conn.execute(select(event_tags.c.value, func.count()).where(event_tags.c.event_id.in_(ev_ids),
                                                                              event_tags.c.kind == "direction")
                                .group_by(event_tags.c.value).order_by(func.count().desc())).all()
        parent = None
        return {
            **{k: org[k] for k in ("id", "name", "short", "country", "registry_id")},
            "parent": parent,
            "aliases": [{"alias": a, "first_seen": names.get(d) if d else "registry"} for a, d in als],
            "mentions": [{"text": t, "documents": sorted(x for x in docs if x)} for t, docs in sorted(by_alias.items())],
            "events": [{**e, "document": names.get(e["document_id"])} for e in evs],
            "co_participants": [{"id": i, "name": n, "events": c} for i, n, c in co],
            "people": [{"id": i, "name": n} for i, n in people],
            "directions": [{"direction": d, "events": c} for d, c in dirs],
        }


def show_person(store: Store, eid: int) -> dict:
    with store.connect() as conn:
        p = _entity(conn, eid, "person")
        aff = conn.execute(select(entities.c.id, entities.c.name).where(entities.c.id == p["affiliation_id"])).first()
        seen = conn.execute(select(mentions.c.text, mentions.c.document_id).where(mentions.c.entity_id == eid)).all()
        names = _doc_names(conn, {d for _, d in seen})
        evs = _events_of(conn, eid)
        return {"id": p["id"], "name": p["name"],
                "affiliation": {"id": aff[0], "name": aff[1]} if aff else None,
                "mentions": sorted({(" ".join(t.split()), names.get(d)) for t, d in seen}),
                "events": [{**e, "document": _doc_names(conn, [e["document_id"]]).get(e["document_id"])} for e in evs]}


def show_event(store: Store, ev_id: int) -> dict:
    with store.connect() as conn:
        ev = conn.execute(select(events).where(events.c.id == ev_id)).mappings().first()
        if ev is None:
            raise NotFound(f"no event with id {ev_id}")
        roles = conn.execute(select(event_entities.c.role, entities.c.id, entities.c.name, entities.c.kind)
                             .join(entities, entities.c.id == event_entities.c.entity_id)
                             .where(event_entities.c.event_id == ev_id)).all()
        tags = conn.execute(select(event_tags.c.kind, event_tags.c.value).where(event_tags.c.event_id == ev_id)).all()
        refs = conn.execute(select(event_references.c.title, event_references.c.date)
                            .where(event_references.c.event_id == ev_id)).all()
        outs = conn.execute(select(outcomes.c.kind, outcomes.c.text).where(outcomes.c.event_id == ev_id)).all()
        doc = conn.execute(select(documents.c.id, documents.c.source).where(documents.c.id == ev["document_id"])).first()
    out = dict(ev)
    out["document"] = {"id": doc[0], "source": doc[1]}
    for role in ("organizer", "participant", "speaker"):
        out[role + "s"] = [{"id": i, "name": n} for r, i, n, _ in roles if r == role]
    for kind in ("country", "direction", "threat", "framework"):
        out[kind + ("ies" if kind == "country" else "s")] = [v for k, v in tags if k == kind]
    out["references"] = [{"title": t, "date": d} for t, d in refs]
    out["outcomes"] = [{"kind": k, "text": t} for k, t in outs]
    return out


def show_doc(store: Store, doc_id: int) -> dict:
    with store.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == doc_id)).mappings().first()
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        ev_ids = list(conn.execute(select(events.c.id).where(events.c.document_id == doc_id).order_by(events.c.idx)).scalars())
    return {"id": row["id"], "source": row["source"], "sha256": row["sha256"], "language": row["language"],
            "published": row["published"], "title": row["title"], "events": ev_ids, "record": json.loads(row["record"])}


def stats(store: Store) -> dict:
    with store.connect() as conn:
        count = lambda t, *w: conn.execute(select(func.count()).select_from(t).where(*w)).scalar()
        return {
            "documents": count(documents),
            "failures": count(failures),
            "events": count(events),
            "institutions": count(entities, entities.c.kind == "org"),
            "people": count(entities, entities.c.kind == "person"),
            "mentions": count(mentions),
            "languages": dict(conn.execute(select(documents.c.language, func.count()).group_by(documents.c.language)).all()),
            "event_types": dict(conn.execute(select(events.c.type, func.count()).group_by(events.c.type)).all()),
            "years": {str(y): c for y, c in conn.execute(select(events.c.year, func.count()).where(events.c.year.isnot(None))
                                                        .group_by(events.c.year).order_by(events.c.year)).all()},
        }
