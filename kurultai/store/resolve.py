"""Entity resolution across documents and languages, inside the ingest transaction.

Institutions: the registry first (ИМЭП, IWEP and "Институт мировой экономики и политики" are one
registry entry), then the normalised name or an alias already seen, then fuzzy matching of the
name (rapidfuzz, token-sort ratio at or above `threshold`, the same country or none). People:
one entity when the name agrees (a full first name or its initial, the same surname) and the
affiliation agrees or is unknown on one side. Every name seen becomes an alias with the document
it came from, so a merge can always be explained and undone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import insert, select

from ..knowledge.registry import Registry
from .names import norm, surname_and_initial
from .schema import aliases, entities

ORG_THRESHOLD = 92  # token-sort ratio; measured on samples/entities.json (see README)


@dataclass
class Resolver:
    conn: object
    registry: Registry
    threshold: int = ORG_THRESHOLD
    _org_keys: dict = field(default_factory=dict)  # norm name -> (entity id, country)
    _loaded: bool = False

    def _load(self) -> None:
        if self._loaded:
            return
        rows = self.conn.execute(select(entities.c.id, entities.c.key, entities.c.country)
                                 .where(entities.c.kind == "org")).all()
        self._org_keys = {r.key: (r.id, r.country) for r in rows}
        self._loaded = True

    # -- institutions -----------------------------------------------------------------------

    def org(self, org: dict, document_id: int) -> int:
        self._load()
        rid = org.get("registry_id")
        names = [org.get("name"), org.get("short")] + [m["text"] for m in org.get("mentions", ())]
        if rid:
            eid = self.conn.execute(select(entities.c.id).where(entities.c.registry_id == rid)).scalar()
            if eid is None:
                eid = self._new_registry_org(rid, org)
        else:
            eid = self._find_org(org)
            if eid is None:
                eid = self._new_org(org)
        self._alias(eid, names, document_id)
        return eid

    def _find_org(self, org: dict) -> int | None:
        key, country = norm(org.get("name")), org.get("country")
        if not key:
            return None
        if key in self._org_keys:
            return self._org_keys[key][0]
        short = org.get("short")
        forms = [key] + ([norm(short)] if short and len(short) >= 3 else [])
        for form in forms:
            rows = self.conn.execute(
                select(aliases.c.entity_id, entities.c.country).join(entities, entities.c.id == aliases.c.entity_id)
                .where(aliases.c.norm == form, entities.c.kind == "org")).all()
            for r in rows:
                if not country or not r.country or r.country == country:
                    return r.entity_id
        if len(key) < 8 or not self._org_keys:
            return None
        hit = process.extractOne(key, list(self._org_keys), scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold)
        if hit:
            eid, other_country = self._org_keys[hit[0]]
            if not country or not other_country or other_country == country:
                return eid
        return None

    def _new_registry_org(self, rid: str, org: dict) -> int:
        inst = self.registry.institutions.get(rid)
        name = inst.label("ru") if inst else org["name"]
        eid = self.conn.execute(insert(entities).values(
            kind="org", name=name, short=(inst.short("ru") if inst else org.get("short")),
            country=(inst.country if inst else org.get("country")), registry_id=rid, key=norm(name),
            org_kind=(inst.kind if inst else None))).inserted_primary_key[0]
        if inst:  # every name the registry knows, so that a query by any alias finds the body
            known = [v for forms in (inst.name, inst.aliases, inst.abbr) for vs in forms.values()
                     for v in ([vs] if isinstance(vs, str) else vs)]
            self._alias(eid, known, None)
        self._org_keys[norm(name)] = (eid, inst.country if inst else org.get("country"))
        return eid

    def _new_org(self, org: dict) -> int:
        key = norm(org["name"])
        eid = self.conn.execute(insert(entities).values(
            kind="org", name=org["name"], short=org.get("short"), country=org.get("country"),
            key=key, org_kind=org.get("kind"))).inserted_primary_key[0]
        self._org_keys[key] = (eid, org.get("country"))
        return eid

    # -- people -------------------------------------------------------------------------------

    def person(self, person: dict, affiliation: int | None, document_id: int) -> int:
        name = person["name"]
        key = norm(name)
        surname, initial = surname_and_initial(name)
        rows = self.conn.execute(select(entities.c.id, entities.c.key, entities.c.name, entities.c.affiliation_id)
                                 .where(entities.c.kind == "person", entities.c.key.like(f"%{surname}"))).all()
        eid = None
        for r in rows:
            s2, i2 = surname_and_initial(r.name)
            same_name = r.key == key or (s2 == surname and i2 == initial)
            if same_name and (affiliation is None or r.affiliation_id is None or r.affiliation_id == affiliation):
                eid = r.id
                # the fullest form names the person; a known affiliation fills an unknown one
                full = len(name.replace(".", " ").split()) > len(r.name.replace(".", " ").split()) or (
                    "." in r.name and "." not in name)
                values = {}
                if full:
                    values.update(name=name, key=key)
                if r.affiliation_id is None and affiliation is not None:
                    values["affiliation_id"] = affiliation
                if values:
                    self.conn.execute(entities.update().where(entities.c.id == r.id).values(**values))
                break
        if eid is None:
            eid = self.conn.execute(insert(entities).values(
                kind="person", name=name, key=key, affiliation_id=affiliation)).inserted_primary_key[0]
        self._alias(eid, [name] + [m["text"] for m in person.get("mentions", ())], document_id)
        return eid

    # -- aliases ------------------------------------------------------------------------------

    def _alias(self, eid: int, names, document_id: int | None) -> None:
        seen = set(self.conn.execute(select(aliases.c.norm).where(aliases.c.entity_id == eid)).scalars())
        rows = []
        for name in names:
            n = norm(name)
            if n and n not in seen:
                seen.add(n)
                rows.append({"entity_id": eid, "alias": " ".join((name or "").split()), "norm": n,
                             "document_id": document_id})
        if rows:
            self.conn.execute(insert(aliases), rows)
