"""Merging and splitting entities by hand; every change is logged and can be undone.

`merge` and `split` run in a transaction of their own; `merge_in` and `split_in` join the
caller's (the review queue, store/review_actions.py, logs its own before-state in the same one).
"""
from __future__ import annotations

import json

from sqlalchemy import delete, insert, select, update

from .db import Store
from .documents import now
from .names import norm
from .schema import aliases, contributions, entities, event_entities, events, invitations, mentions, merges, sessions
from .views import NotFound

# Columns outside the knowledge base's own tables that name an entity: a merged entity's move over.
REFERENCES = ((sessions, sessions.c.organizer_id), (invitations, invitations.c.entity_id),
              (contributions, contributions.c.institution_id))


def merge(store: Store, keep: int, other: int) -> dict:
    """Fold entity `other` into `keep`: its mentions, aliases, roles and affiliations move over."""
    with store.begin() as conn:
        return merge_in(conn, keep, other)


def merge_in(conn, keep: int, other: int) -> dict:
    """merge() inside the caller's transaction."""
    if keep == other:
        raise ValueError("cannot merge an entity with itself")
    rows = {r.id: r for r in conn.execute(select(entities).where(entities.c.id.in_([keep, other]))).all()}
    for eid in (keep, other):
        if eid not in rows:
            raise NotFound(f"no entity with id {eid}")
    if rows[keep].kind != rows[other].kind:
        raise ValueError(f"cannot merge a {rows[keep].kind} with a {rows[other].kind}")
    moved = {"aliases": [a for a in conn.execute(select(aliases.c.norm).where(aliases.c.entity_id == other)).scalars()],
             "mentions": list(conn.execute(select(mentions.c.id).where(mentions.c.entity_id == other)).scalars()),
             "entity": dict(rows[other]._mapping)}
    have = set(conn.execute(select(aliases.c.norm).where(aliases.c.entity_id == keep)).scalars())
    conn.execute(delete(aliases).where(aliases.c.entity_id == other, aliases.c.norm.in_(have)))
    conn.execute(update(aliases).where(aliases.c.entity_id == other).values(entity_id=keep))
    conn.execute(update(mentions).where(mentions.c.entity_id == other).values(entity_id=keep))
    conn.execute(update(event_entities).where(event_entities.c.entity_id == other).values(entity_id=keep))
    conn.execute(update(entities).where(entities.c.affiliation_id == other).values(affiliation_id=keep))
    for table, column in REFERENCES:  # a session organised by it, an invitation or a contribution naming it
        conn.execute(update(table).where(column == other).values({column.name: keep}))
    conn.execute(delete(entities).where(entities.c.id == other))
    conn.execute(insert(merges).values(action="merge", entity_id=keep, other_id=other,
                                       detail=json.dumps(moved, ensure_ascii=False), at=now()))
    return {"kept": keep, "merged": other, "aliases_moved": len(moved["aliases"]), "mentions_moved": len(moved["mentions"])}


def split(store: Store, eid: int, names: list[str]) -> dict:
    """Move the mentions written as any of `names` (and those aliases) to a new entity."""
    with store.begin() as conn:
        return split_in(conn, eid, names)


def split_in(conn, eid: int, names: list[str]) -> dict:
    """split() inside the caller's transaction."""
    wanted = {norm(n) for n in names}
    row = conn.execute(select(entities).where(entities.c.id == eid)).first()
    if row is None:
        raise NotFound(f"no entity with id {eid}")
    ms = [m for m in conn.execute(select(mentions.c.id, mentions.c.text, mentions.c.document_id)
                                  .where(mentions.c.entity_id == eid)).all() if norm(m.text) in wanted]
    als = [a for a in conn.execute(select(aliases.c.id, aliases.c.alias, aliases.c.norm)
                                   .where(aliases.c.entity_id == eid)).all() if a.norm in wanted]
    if not ms and not als:
        raise NotFound(f"entity {eid} has no mention or alias named {', '.join(names)}")
    first = (als[0].alias if als else ms[0].text)
    new = conn.execute(insert(entities).values(kind=row.kind, name=" ".join(first.split()), country=row.country,
                                               key=norm(first), org_kind=row.org_kind)).inserted_primary_key[0]
    conn.execute(update(mentions).where(mentions.c.id.in_([m.id for m in ms])).values(entity_id=new))
    conn.execute(update(aliases).where(aliases.c.id.in_([a.id for a in als])).values(entity_id=new))
    # roles follow the documents that only know the entity by the split-off names
    docs = {m.document_id for m in ms}
    still = set(conn.execute(select(mentions.c.document_id).where(mentions.c.entity_id == eid)).scalars())
    for doc in docs - still:
        ev_ids = select(events.c.id).where(events.c.document_id == doc)
        conn.execute(update(event_entities).where(event_entities.c.entity_id == eid,
                                                  event_entities.c.event_id.in_(ev_ids)).values(entity_id=new))
    conn.execute(insert(merges).values(action="split", entity_id=eid, other_id=new,
                                       detail=json.dumps({"names": sorted(wanted)}, ensure_ascii=False), at=now()))
    return {"from": eid, "new": new, "mentions_moved": len(ms), "aliases_moved": len(als)}
