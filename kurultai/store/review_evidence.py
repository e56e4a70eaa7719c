"""What the review queue shows of each side of a pair, for an editor to judge it by: the names an
entity is known by with the document each was first seen in, the documents that mention it with
a few words around a mention, its events and roles, its country and registry entry, a person's
affiliation and an institution's people.

Every entity of a page is read in one query per table (IN lists), never one query per entity,
and a snippet is cut from the document's text by the database (substr), not by loading the text.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from .schema import aliases, documents, entities, event_entities, events, mentions

SNIPPETS = 3  # mentions shown, each from another document
CONTEXT = 80  # characters each side of a mention
DOCUMENTS = 8  # documents listed (the count says how many there are)
EVENTS = 5
ALIASES = 30


def evidence(conn, ids) -> dict[int, dict]:
    """Entity id -> what the queue shows of it; ids that no longer exist are left out."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    out = {r.id: {"id": r.id, "kind": r.kind, "name": r.name, "short": r.short, "country": r.country,
                  "registry_id": r.registry_id, "org_kind": r.org_kind, "affiliation_id": r.affiliation_id,
                  "affiliation": None, "people": 0, "aliases": [], "documents": [], "document_count": 0,
                  "mention_count": 0, "snippets": [], "events": [], "event_count": 0}
           for r in conn.execute(select(entities).where(entities.c.id.in_(ids)))}
    ids = list(out)
    if not ids:
        return out
    doc_ids = _aliases(conn, ids, out) | _mentions(conn, ids, out)
    _documents(conn, doc_ids, out)
    _snippets(conn, ids, out)
    _events(conn, ids, out)
    _relations(conn, ids, out)
    return out


def _aliases(conn, ids, out) -> set[int]:
    docs = set()
    for r in conn.execute(select(aliases.c.entity_id, aliases.c.alias, aliases.c.document_id)
                          .where(aliases.c.entity_id.in_(ids)).order_by(aliases.c.entity_id, aliases.c.id)):
        shown = out[r.entity_id]["aliases"]
        if len(shown) < ALIASES:
            shown.append({"alias": r.alias, "document_id": r.document_id})
            if r.document_id:
                docs.add(r.document_id)
    return docs


def _mentions(conn, ids, out) -> set[int]:
    docs = set()
    per_doc = (select(mentions.c.entity_id, mentions.c.document_id, func.count().label("n"))
               .where(mentions.c.entity_id.in_(ids)).group_by(mentions.c.entity_id, mentions.c.document_id)
               .order_by(mentions.c.entity_id, func.count().desc(), mentions.c.document_id))
    for r in conn.execute(per_doc):
        e = out[r.entity_id]
        e["document_count"] += 1
        e["mention_count"] += r.n
        if len(e["documents"]) < DOCUMENTS:
            e["documents"].append({"id": r.document_id, "mentions": r.n})
            docs.add(r.document_id)
    return docs


def _documents(conn, doc_ids: set[int], out) -> None:
    """Each document named by its title, or by its file's name (never a local folder's path)."""
    if not doc_ids:
        return
    names = {r.id: {"title": r.title, "source": _file_name(r.source), "published": r.published}
             for r in conn.execute(select(documents.c.id, documents.c.title, documents.c.source, documents.c.published)
                                   .where(documents.c.id.in_(sorted(doc_ids))))}
    for e in out.values():
        for d in e["documents"]:
            d.update(names.get(d["id"], {}))
        for a in e["aliases"]:
            a["document"] = names.get(a["document_id"]) if a["document_id"] else None


def _file_name(source: str | None) -> str:
    source = source or ""
    if "://" in source:
        return source
    return source.replace("\\", "/").split("!")[-1].rsplit("/", 1)[-1]


def _snippets(conn, ids, out) -> None:
    """A few words around the first mention in each of an entity's first documents."""
    first = (select(func.min(mentions.c.id).label("id")).where(mentions.c.entity_id.in_(ids))
             .group_by(mentions.c.entity_id, mentions.c.document_id))
    rows = conn.execute(select(mentions.c.id, mentions.c.entity_id, mentions.c.document_id, mentions.c.start,
                               mentions.c.end).where(mentions.c.id.in_(first))
                        .order_by(mentions.c.entity_id, mentions.c.document_id)).all()
    chosen = defaultdict(list)
    for r in rows:
        if len(chosen[r.entity_id]) < SNIPPETS:
            chosen[r.entity_id].append(r)
    for eid, ms in chosen.items():
        for m in ms:
            lo = max(0, m.start - CONTEXT)
            window = conn.execute(select(func.substr(documents.c.text, lo + 1, m.end + CONTEXT - lo))
                                  .where(documents.c.id == m.document_id)).scalar() or ""
            cut, end = m.start - lo, m.end - lo
            more = len(window) >= m.end + CONTEXT - lo  # the text goes on after the window
            out[eid]["snippets"].append({"document_id": m.document_id, "before": _before(window[:cut], lo > 0),
                                         "text": " ".join(window[cut:end].split()),
                                         "after": _after(window[end:], more)})


def _before(text: str, cut: bool) -> str:
    """The words before a mention on one line (ending in a space where the text has one); a
    word the window cut in two is left out."""
    words = text.split()
    if cut and words and not text[0].isspace():
        words = words[1:]
    shown = ("… " if cut else "") + " ".join(words)
    return shown + " " if shown and text[-1:].isspace() else shown


def _after(text: str, more: bool) -> str:
    words = text.split()
    if more and words and not text[-1].isspace():
        words = words[:-1]
    shown = " ".join(words) + (" …" if more else "")
    return " " + shown if shown and text[:1].isspace() else shown


def _events(conn, ids, out) -> None:
    rows = conn.execute(select(event_entities.c.entity_id, events.c.id, events.c.type, events.c.title, events.c.date,
                               events.c.document_id, event_entities.c.role)
                        .join(events, events.c.id == event_entities.c.event_id)
                        .where(event_entities.c.entity_id.in_(ids))
                        .order_by(event_entities.c.entity_id, events.c.date.desc(), events.c.id))
    for r in rows:
        e = out[r.entity_id]
        shown = e["events"]
        if shown and shown[-1]["id"] == r.id:
            if r.role not in shown[-1]["roles"]:
                shown[-1]["roles"].append(r.role)
            continue
        e["event_count"] += 1
        if len(shown) < EVENTS:
            shown.append({"id": r.id, "type": r.type, "title": r.title, "date": r.date,
                          "document_id": r.document_id, "roles": [r.role]})


def _relations(conn, ids, out) -> None:
    """A person's affiliation by name; an institution's count of people."""
    affiliations = {e["affiliation_id"] for e in out.values() if e["affiliation_id"]}
    if affiliations:
        named = {r.id: {"id": r.id, "name": r.name, "country": r.country} for r in conn.execute(
            select(entities.c.id, entities.c.name, entities.c.country).where(entities.c.id.in_(sorted(affiliations))))}
        for e in out.values():
            e["affiliation"] = named.get(e["affiliation_id"])
    orgs = [eid for eid in ids if out[eid]["kind"] == "org"]
    if orgs:
        for aff, n in conn.execute(select(entities.c.affiliation_id, func.count()).where(entities.c.affiliation_id.in_(orgs))
                                   .group_by(entities.c.affiliation_id)):
            out[aff]["people"] = n
