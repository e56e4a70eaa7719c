"""The editors' decisions on the review queue: merge, split and "not the same", each logged (who,
when, what, and the state before it) in `review_log`, and each undone from its log entry.

A merge (curate.merge_in) moves everything of one entity to the other and deletes it; its entry
keeps the deleted entity's row, its aliases (those dropped as duplicates too), the ids of its
mentions, its roles and the kept entity's roles on the same events, the entities and sessions
that pointed at it. Undoing it puts the entity back, with its id when no other entity has taken
it since, and moves back whatever still points at the kept one. A split is undone by merging the
new entity back; "not the same" by forgetting the pair. A merge carries the merged entity's
"not the same" pairs over to the kept one (if B is not C and A is B, A is not C), and its undo
takes them back.

Decisions are undone newest first where they touch the same entities: undoing a merge whose kept
entity was merged or split again later is refused with the later entry named.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, insert, or_, select, update

from . import curate
from .db import Store
from .documents import now
from .names import norm
from .review import pair_key
from .schema import aliases, entities, event_entities, events, mentions, review_log, review_not_same
from .views import NotFound

ACTIONS = ("merge", "split", "not_same")


class ReviewError(ValueError):
    """A decision the store cannot take as asked; the message says why."""


class UndoConflict(ReviewError):
    """An undo that a later decision on the same entities stands in the way of."""


@dataclass(frozen=True, slots=True)
class Editor:
    """Who decides: a web user (with its id), or the command line's user (without)."""
    name: str
    user_id: int | None = None


def merge(store: Store, keep: int, other: int, who: Editor) -> dict:
    """Fold `other` into `keep` (both institutions or both people); answers the log entry."""
    if keep == other:
        raise ReviewError(f"#{keep} and #{other} are one entity already")
    with store.begin() as conn:
        rows = _entities(conn, keep, other)
        if rows[keep]["kind"] != rows[other]["kind"]:
            raise ReviewError(f"#{keep} is {_kind(rows[keep])} and #{other} {_kind(rows[other])}: only two "
                              "institutions or two people can be one")
        said = conn.execute(select(review_not_same.c.log_id).where(
            review_not_same.c.entity_a == min(keep, other), review_not_same.c.entity_b == max(keep, other))).first()
        if said is not None:
            raise ReviewError(f"#{keep} and #{other} were said not to be the same (log entry #{said.log_id}): "
                              "undo that entry first")
        state = _merge_state(conn, keep, other)
        curate.merge_in(conn, keep, other)
        state["not_same_added"] = _carried(conn, keep, other)
        entry = _log(conn, "merge", rows[keep]["kind"], keep, other, state, who,
                     {"entity": rows[keep]["name"], "other": rows[other]["name"]})
        for a, b in state["not_same_added"]:
            conn.execute(insert(review_not_same).values(entity_a=a, entity_b=b, log_id=entry, at=now()))
    return get(store, entry)


def split(store: Store, eid: int, names: list[str], who: Editor) -> dict:
    """Move the mentions and aliases written as one of `names` off entity `eid` to a new entity."""
    names = [n for n in names if norm(n)]
    if not names:
        raise ReviewError("split: name at least one of the entity's names to move to a new entity")
    with store.begin() as conn:
        row = _entities(conn, eid)[eid]
        done = curate.split_in(conn, eid, names)
        entry = _log(conn, "split", row["kind"], eid, done["new"], {"names": sorted({norm(n) for n in names})},
                     who, {"entity": row["name"], "names": names})
    return get(store, entry)


def not_same(store: Store, a: int, b: int, who: Editor) -> dict:
    """Remember that `a` and `b` are two: the queue never proposes the pair again."""
    if a == b:
        raise ReviewError(f"#{a} and #{b} are one entity already")
    a, b = pair_key(a, b)
    with store.begin() as conn:
        rows = _entities(conn, a, b)
        said = conn.execute(select(review_not_same.c.log_id).where(
            review_not_same.c.entity_a == a, review_not_same.c.entity_b == b)).first()
        if said is not None:
            raise ReviewError(f"#{a} and #{b} were already said not to be the same (log entry #{said.log_id})")
        entry = _log(conn, "not_same", rows[a]["kind"], a, b, {}, who,
                     {"entity": rows[a]["name"], "other": rows[b]["name"]})
        conn.execute(insert(review_not_same).values(entity_a=a, entity_b=b, log_id=entry, at=now()))
    return get(store, entry)


def undo(store: Store, log_id: int, who: Editor) -> dict:
    """Undo the decision logged as `log_id`; answers the entry, now marked undone."""
    with store.begin() as conn:
        entry = conn.execute(select(review_log).where(review_log.c.id == log_id)).mappings().first()
        if entry is None:
            raise NotFound(f"no review log entry #{log_id}")
        if entry["undone_at"]:
            raise ReviewError(f"log entry #{log_id} was undone already ({entry['undone_at']}, by {entry['undone_by']})")
        state = json.loads(entry["state"])
        if entry["action"] != "not_same":
            _no_later(conn, entry)
        result = {"merge": _undo_merge, "split": _undo_split, "not_same": _undo_not_same}[entry["action"]](
            conn, entry, state)
        conn.execute(update(review_log).where(review_log.c.id == log_id).values(
            undone_at=now(), undone_by=who.name[:64], state=json.dumps({**state, "undo": result}, ensure_ascii=False)))
    return get(store, log_id)


def get(store: Store, log_id: int) -> dict:
    with store.connect() as conn:
        row = conn.execute(select(review_log).where(review_log.c.id == log_id)).mappings().first()
    if row is None:
        raise NotFound(f"no review log entry #{log_id}")
    return _shown(row)


def log(store: Store, limit: int = 50, offset: int = 0) -> list[dict]:
    """The decisions, newest first."""
    with store.connect() as conn:
        rows = conn.execute(select(review_log).order_by(review_log.c.id.desc()).limit(limit).offset(offset)).mappings()
        return [_shown(r) for r in rows]


def _shown(row) -> dict:
    state = json.loads(row["state"])
    out = {k: row[k] for k in ("id", "action", "kind", "entity_id", "other_id", "user_name", "at", "undone_at",
                               "undone_by")}
    out["names"] = json.loads(row["summary"])
    out["undo"] = state.get("undo")
    return out


# -- what each decision keeps, and undoing it -------------------------------------------------------------------

def _entities(conn, *ids: int) -> dict[int, dict]:
    rows = {r["id"]: dict(r) for r in conn.execute(select(entities).where(entities.c.id.in_(ids))).mappings()}
    for eid in ids:
        if eid not in rows:
            raise NotFound(f"no institution or person with id {eid}")
    return rows


def _kind(row: dict) -> str:
    return "an institution" if row["kind"] == "org" else "a person"


def _merge_state(conn, keep: int, other: int) -> dict:
    """Everything of `other` that merging it into `keep` changes, and what `keep` had on the same events."""
    roles = [[r.event_id, r.role] for r in conn.execute(
        select(event_entities.c.event_id, event_entities.c.role).where(event_entities.c.entity_id == other))]
    on = sorted({e for e, _ in roles})
    keep_roles = [[r.event_id, r.role] for r in conn.execute(
        select(event_entities.c.event_id, event_entities.c.role)
        .where(event_entities.c.entity_id == keep, event_entities.c.event_id.in_(on)))] if on else []
    return {
        "other": dict(conn.execute(select(entities).where(entities.c.id == other)).mappings().one()),
        "aliases": [dict(r) for r in conn.execute(select(aliases.c.id, aliases.c.alias, aliases.c.norm,
                                                         aliases.c.document_id).where(aliases.c.entity_id == other)
                                                  .order_by(aliases.c.id)).mappings()],
        "mentions": list(conn.execute(select(mentions.c.id).where(mentions.c.entity_id == other)).scalars()),
        "roles": roles, "keep_roles": keep_roles,
        "affiliated": list(conn.execute(select(entities.c.id).where(entities.c.affiliation_id == other)).scalars()),
        "references": {table.name: list(conn.execute(select(table.c.id).where(column == other)).scalars())
                       for table, column in curate.REFERENCES},
    }


def _carried(conn, keep: int, other: int) -> list[list[int]]:
    """The pairs "X is not `other`" that become "X is not `keep`", when not known already."""
    rows = conn.execute(select(review_not_same.c.entity_a, review_not_same.c.entity_b).where(
        or_(review_not_same.c.entity_a == other, review_not_same.c.entity_b == other))).all()
    have = {(r.entity_a, r.entity_b) for r in conn.execute(select(review_not_same.c.entity_a, review_not_same.c.entity_b)
                                                           .where(or_(review_not_same.c.entity_a == keep,
                                                                      review_not_same.c.entity_b == keep)))}
    out = []
    for a, b in rows:
        x = b if a == other else a
        pair = pair_key(keep, x)
        if x != keep and pair not in have:
            have.add(pair)
            out.append(list(pair))
    return out


def _log(conn, action: str, kind: str, eid: int, other: int, state: dict, who: Editor, names: dict) -> int:
    return conn.execute(insert(review_log).values(
        action=action, kind=kind, entity_id=eid, other_id=other, summary=json.dumps(names, ensure_ascii=False),
        state=json.dumps(state, ensure_ascii=False), user_id=who.user_id, user_name=who.name[:64],
        at=now())).inserted_primary_key[0]


def _no_later(conn, entry) -> None:
    touched = [entry["entity_id"], entry["other_id"]]
    later = conn.execute(select(review_log.c.id, review_log.c.action).where(
        review_log.c.id > entry["id"], review_log.c.undone_at.is_(None), review_log.c.action != "not_same",
        or_(review_log.c.entity_id.in_(touched), review_log.c.other_id.in_(touched)))
        .order_by(review_log.c.id.desc())).first()
    if later is not None:
        raise UndoConflict(f"log entry #{entry['id']} cannot be undone before the later {later.action} #{later.id} "
                           f"of the same entities: undo #{later.id} first")


def _undo_merge(conn, entry, state: dict) -> dict:
    keep, other = entry["entity_id"], entry["other_id"]
    _entities(conn, keep)
    row = dict(state["other"])
    if conn.execute(select(entities.c.id).where(entities.c.id == other)).first() is not None:
        row.pop("id")  # another entity has its id now: it comes back under a new one
    if row["affiliation_id"] and conn.execute(select(entities.c.id).where(entities.c.id == row["affiliation_id"])).first() is None:
        row["affiliation_id"] = None  # its institution was merged away since: the person's affiliation is unknown
    back = conn.execute(insert(entities).values(**row)).inserted_primary_key[0]
    ids = [a["id"] for a in state["aliases"]]
    conn.execute(update(aliases).where(aliases.c.id.in_(ids), aliases.c.entity_id == keep).values(entity_id=back))
    present = set(conn.execute(select(aliases.c.norm).where(aliases.c.entity_id == back)).scalars())
    dropped = [{"entity_id": back, "alias": a["alias"], "norm": a["norm"], "document_id": a["document_id"]}
               for a in state["aliases"] if a["norm"] not in present]
    if dropped:  # the merge deleted them as the kept entity's names too
        conn.execute(insert(aliases), dropped)
    conn.execute(update(mentions).where(mentions.c.id.in_(state["mentions"]), mentions.c.entity_id == keep)
                 .values(entity_id=back))
    on = sorted({e for e, _ in state["roles"]})
    if on:
        on = list(conn.execute(select(events.c.id).where(events.c.id.in_(on))).scalars())  # re-extraction drops events
        conn.execute(delete(event_entities).where(event_entities.c.event_id.in_(on), event_entities.c.entity_id == keep))
        rows = [{"event_id": e, "entity_id": keep, "role": r} for e, r in state["keep_roles"] if e in on] + \
               [{"event_id": e, "entity_id": back, "role": r} for e, r in state["roles"] if e in on]
        if rows:
            conn.execute(insert(event_entities), rows)
    conn.execute(update(entities).where(entities.c.id.in_(state["affiliated"]), entities.c.affiliation_id == keep)
                 .values(affiliation_id=back))
    for table, column in curate.REFERENCES:
        ids = state["references"].get(table.name) or []
        conn.execute(update(table).where(table.c.id.in_(ids), column == keep).values({column.name: back}))
    for a, b in state.get("not_same_added", ()):
        conn.execute(delete(review_not_same).where(review_not_same.c.entity_a == a, review_not_same.c.entity_b == b))
    return {"restored": back}


def _undo_split(conn, entry, state: dict) -> dict:
    eid, new = entry["entity_id"], entry["other_id"]
    _entities(conn, eid, new)
    curate.merge_in(conn, eid, new)
    return {"merged_back": new}


def _undo_not_same(conn, entry, state: dict) -> dict:
    conn.execute(delete(review_not_same).where(review_not_same.c.entity_a == entry["entity_id"],
                                               review_not_same.c.entity_b == entry["other_id"]))
    return {"forgotten": [entry["entity_id"], entry["other_id"]]}
