"""Exports of the knowledge base: JSON Lines, CSV and Parquet tables, and FollowTheMoney entities.

The four tables are events, institutions, people and mentions; FollowTheMoney (the data model
of OCCRP's Aleph) gets Organization, Person, Employment, Event and Documentation entities, one
JSON object per line, so that `ftm` tools and Aleph can load kurultai's knowledge.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select

from .db import Store
from .schema import aliases, documents, entities, event_entities, event_tags, events, mentions

FORMATS = ("jsonl", "csv", "parquet", "ftm")


def tables(store: Store) -> dict[str, list[dict]]:
    with store.connect() as conn:
        docs = dict(conn.execute(select(documents.c.id, documents.c.source)).all())
        names = dict(conn.execute(select(entities.c.id, entities.c.name)).all())
        roles: dict[int, dict[str, list[str]]] = {}
        for ev, eid, role in conn.execute(select(event_entities.c.event_id, event_entities.c.entity_id, event_entities.c.role)):
            roles.setdefault(ev, {}).setdefault(role, []).append(names.get(eid, str(eid)))
        tags: dict[int, dict[str, list[str]]] = {}
        for ev, kind, value in conn.execute(select(event_tags.c.event_id, event_tags.c.kind, event_tags.c.value)):
            tags.setdefault(ev, {}).setdefault(kind, []).append(value)
        evs = []
        for r in conn.execute(select(events).order_by(events.c.id)).mappings():
            evs.append({"id": r["id"], "document": docs.get(r["document_id"]), "type": r["type"], "title": r["title"],
                        "date": r["date"], "format": r["format"], "place": r["place"],
                        **{k + "s": "; ".join(roles.get(r["id"], {}).get(k, [])) for k in ("organizer", "participant", "speaker")},
                        **{k: ", ".join(tags.get(r["id"], {}).get(t, [])) for k, t in
                           (("countries", "country"), ("directions", "direction"), ("threats", "threat"), ("frameworks", "framework"))}})
        al: dict[int, list[str]] = {}
        for eid, a in conn.execute(select(aliases.c.entity_id, aliases.c.alias).order_by(aliases.c.id)):
            al.setdefault(eid, []).append(a)
        insts, people = [], []
        for r in conn.execute(select(entities).order_by(entities.c.id)).mappings():
            if r["kind"] == "org":
                insts.append({"id": r["id"], "name": r["name"], "short": r["short"], "country": r["country"],
                              "registry_id": r["registry_id"], "aliases": "; ".join(al.get(r["id"], []))})
            else:
                people.append({"id": r["id"], "name": r["name"], "affiliation_id": r["affiliation_id"],
                               "affiliation": names.get(r["affiliation_id"]), "aliases": "; ".join(al.get(r["id"], []))})
        ments = [{"entity_id": r["entity_id"], "document": docs.get(r["document_id"]), "start": r["start"],
                  "end": r["end"], "text": r["text"]}
                 for r in conn.execute(select(mentions).order_by(mentions.c.id)).mappings()]
    return {"events": evs, "institutions": insts, "people": people, "mentions": ments}


def export(store: Store, fmt: str, out: Path) -> list[Path]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "ftm":
        path = out / "kurultai.ftm.json"
        with open(path, "w", encoding="utf-8") as f:
            for entity in ftm_entities(store):
                f.write(json.dumps(entity, ensure_ascii=False) + "\n")
        return [path]
    written = []
    for name, rows in tables(store).items():
        path = out / f"{name}.{fmt}"
        if fmt == "jsonl":
            with open(path, "w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["id"])
                w.writeheader()
                w.writerows(rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq
            pq.write_table(pa.Table.from_pylist(rows) if rows else pa.table({"id": []}), path)
        written.append(path)
    return written


def ftm_entities(store: Store):
    """FollowTheMoney entities: {"id", "schema", "properties": {name: [values]}}."""
    with store.connect() as conn:
        al: dict[int, list[str]] = {}
        for eid, a in conn.execute(select(aliases.c.entity_id, aliases.c.alias)):
            al.setdefault(eid, []).append(a)
        for r in conn.execute(select(entities)).mappings():
            if r["kind"] == "org":
                props = {"name": [r["name"]], "alias": [a for a in al.get(r["id"], []) if a != r["name"]]}
                if r["country"]:
                    props["country"] = [r["country"].lower()]
                if r["short"]:
                    props.setdefault("alias", []).append(r["short"])
                yield {"id": f"kurultai-org-{r['id']}", "schema": "Organization", "properties": _clean(props)}
            else:
                yield {"id": f"kurultai-person-{r['id']}", "schema": "Person", "properties": {"name": [r["name"]]}}
                if r["affiliation_id"]:
                    yield {"id": f"kurultai-employment-{r['id']}-{r['affiliation_id']}", "schema": "Employment",
                           "properties": {"employee": [f"kurultai-person-{r['id']}"],
                                          "employer": [f"kurultai-org-{r['affiliation_id']}"]}}
        kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
        docs = {r["id"]: r for r in conn.execute(select(documents.c.id, documents.c.source, documents.c.sha256,
                                                        documents.c.title, documents.c.language)).mappings()}
        for d in docs.values():
            yield {"id": f"kurultai-doc-{d['id']}", "schema": "Document",
                   "properties": _clean({"fileName": [d["source"]], "contentHash": [d["sha256"]],
                                         "title": [d["title"] or ""], "language": [d["language"] or ""]})}
        roles: dict[int, dict[str, list[int]]] = {}
        for ev, eid, role in conn.execute(select(event_entities.c.event_id, event_entities.c.entity_id, event_entities.c.role)):
            roles.setdefault(ev, {}).setdefault(role, []).append(eid)
        countries: dict[int, list[str]] = {}
        for ev, v in conn.execute(select(event_tags.c.event_id, event_tags.c.value).where(event_tags.c.kind == "country")):
            countries.setdefault(ev, []).append(v.lower())
        ref = lambda eid: f"kurultai-{'org' if kinds.get(eid) == 'org' else 'person'}-{eid}"
        for r in conn.execute(select(events)).mappings():
            rr = roles.get(r["id"], {})
            yield {"id": f"kurultai-event-{r['id']}", "schema": "Event", "properties": _clean({
                "name": [r["title"] or f"{r['type']} ({docs[r['document_id']]['source']})"],
                "date": [r["date"]] if r["date"] and not r["date"].startswith("--") else [],
                "location": [r["place"] or ""], "country": countries.get(r["id"], []),
                "organizer": [ref(e) for e in rr.get("organizer", [])],
                "involved": [ref(e) for e in rr.get("participant", []) + rr.get("speaker", [])],
                "proof": [f"kurultai-doc-{r['document_id']}"]})}
        seen = set()
        for doc_id, eid in conn.execute(select(mentions.c.document_id, mentions.c.entity_id)):
            if (doc_id, eid) in seen:
                continue
            seen.add((doc_id, eid))
            yield {"id": f"kurultai-doc-{doc_id}-mentions-{eid}", "schema": "Documentation",
                   "properties": {"document": [f"kurultai-doc-{doc_id}"], "entity": [ref(eid)]}}


def _clean(props: dict) -> dict:
    return {k: [v for v in vs if v] for k, vs in props.items() if any(vs)}
