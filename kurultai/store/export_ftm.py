"""FollowTheMoney entities (the data model of OCCRP's Aleph), one JSON object per line, so that
`ftm` tools and Aleph can load kurultai's knowledge: Organization, Person, Employment, Event,
Document and Documentation. Ids are the tables' stable ids with a `kurultai-` prefix
(`kurultai-org-5`); a Document's `fileName` is the file's base name (a URL source is its
`sourceUrl`), so no local path leaves the machine."""
from __future__ import annotations

import posixpath
from typing import Iterator

from sqlalchemy import select

from .export import doc_id, entity_id, event_id, is_url, relative_sources
from .schema import aliases, documents, entities, event_entities, event_tags, events, mentions


def ref(kind: str, i: int) -> str:
    return f"kurultai-{entity_id(kind, i)}"


def ftm_entities(conn) -> Iterator[dict]:
    """{"id", "schema", "properties": {name: [values]}} for everything in the store."""
    yield from _entities(conn)
    yield from _documents(conn)
    yield from _events(conn)
    kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
    seen = set()
    for doc, eid in conn.execute(select(mentions.c.document_id, mentions.c.entity_id)
                                 .order_by(mentions.c.document_id, mentions.c.entity_id)):
        if (doc, eid) not in seen:
            seen.add((doc, eid))
            yield {"id": f"kurultai-{doc_id(doc)}-mentions-{entity_id(kinds.get(eid, 'person'), eid)}",
                   "schema": "Documentation",
                   "properties": {"document": [f"kurultai-{doc_id(doc)}"], "entity": [ref(kinds.get(eid, "person"), eid)]}}


def _entities(conn) -> Iterator[dict]:
    al: dict[int, list[str]] = {}
    for eid, a in conn.execute(select(aliases.c.entity_id, aliases.c.alias).order_by(aliases.c.id)):
        al.setdefault(eid, []).append(a)
    for r in conn.execute(select(entities).order_by(entities.c.id)).mappings():
        if r["kind"] == "org":
            props = {"name": [r["name"]], "alias": [a for a in al.get(r["id"], []) if a != r["name"]] + [r["short"]],
                     "country": [(r["country"] or "").lower()]}
            yield {"id": ref("org", r["id"]), "schema": "Organization", "properties": _clean(props)}
            continue
        yield {"id": ref("person", r["id"]), "schema": "Person", "properties": {"name": [r["name"]]}}
        if r["affiliation_id"]:
            yield {"id": f"kurultai-employment-{r['id']}-{r['affiliation_id']}", "schema": "Employment",
                   "properties": {"employee": [ref("person", r["id"])], "employer": [ref("org", r["affiliation_id"])]}}


def _documents(conn) -> Iterator[dict]:
    rows = conn.execute(select(documents.c.id, documents.c.source, documents.c.sha256, documents.c.title,
                               documents.c.language).order_by(documents.c.id)).mappings().all()
    rel = relative_sources([d["source"] for d in rows])
    for d in rows:
        source = rel[d["source"]]
        props = {"fileName": [posixpath.basename(source.split("!")[-1])], "contentHash": [d["sha256"]],
                 "title": [d["title"] or ""], "language": [d["language"] or ""]}
        if is_url(source):
            props["sourceUrl"] = [source]
        yield {"id": f"kurultai-{doc_id(d['id'])}", "schema": "Document", "properties": _clean(props)}


def _events(conn) -> Iterator[dict]:
    kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
    roles: dict[int, dict[str, list[str]]] = {}
    for ev, eid, role in conn.execute(select(event_entities.c.event_id, event_entities.c.entity_id,
                                             event_entities.c.role)):
        roles.setdefault(ev, {}).setdefault(role, []).append(ref(kinds.get(eid, "person"), eid))
    countries: dict[int, list[str]] = {}
    for ev, v in conn.execute(select(event_tags.c.event_id, event_tags.c.value).where(event_tags.c.kind == "country")):
        countries.setdefault(ev, []).append(v.lower())
    for r in conn.execute(select(events).order_by(events.c.document_id, events.c.idx)).mappings():
        rr = roles.get(r["id"], {})
        yield {"id": f"kurultai-{event_id(r['document_id'], r['idx'])}", "schema": "Event", "properties": _clean({
            "name": [r["title"] or r["type"].replace("_", " ")],
            "date": [r["date"]] if r["date"] and not r["date"].startswith("--") else [],
            "location": [r["place"] or ""], "country": countries.get(r["id"], []),
            "organizer": rr.get("organizer", []), "involved": rr.get("participant", []) + rr.get("speaker", []),
            "proof": [f"kurultai-{doc_id(r['document_id'])}"]})}


def _clean(props: dict) -> dict:
    return {k: [v for v in vs if v] for k, vs in props.items() if any(vs)}
