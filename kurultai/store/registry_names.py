"""The registry's own names of the stored institutions it knows, so that a page or a briefing in
English names «Институт мировой экономики и политики» as the registry does in English (the
knowledge base keeps each institution under the name its reports first gave it)."""
from __future__ import annotations

from sqlalchemy import select

from .schema import entities


def registry_bodies(store, registry, ids=None) -> dict[int, object]:
    """Entity id -> the registry's Institution, for the stored institutions (those among `ids`, or
    all) that the registry knows."""
    if registry is None:
        return {}
    query = select(entities.c.id, entities.c.registry_id).where(entities.c.registry_id.is_not(None))
    if ids is not None:
        ids = sorted({int(i) for i in ids if str(i).isdigit()})
        if not ids:
            return {}
        query = query.where(entities.c.id.in_(ids))
    with store.connect() as conn:
        rows = conn.execute(query).all()
    return {eid: registry.institutions[rid] for eid, rid in rows if rid in registry.institutions}


def name_in(bodies: dict, eid, name: str, lang: str, short: bool = False) -> str:
    """The institution `eid` named in `lang` by the registry where it knows it (its abbreviation
    with `short`), else `name` as stored."""
    inst = bodies.get(eid if isinstance(eid, int) else int(eid) if str(eid).isdigit() else None)
    if inst is None or not inst.name.get(lang):
        return name
    return (inst.short(lang) or inst.label(lang)) if short else inst.label(lang)


def place_name(registry, place: str, lang: str) -> str | None:
    """A city, a capital or a country the registry knows (in any of its spellings), named in
    `lang`; None when it knows no such place."""
    key = (place or "").strip().lower()
    if not key or registry is None:
        return None
    for e in registry.raw.get("countries") or ():
        cap = e.get("capital") or {}
        spellings = {(v or "").lower() for k, v in cap.items() if k != "other"}
        spellings |= {x.lower() for x in cap.get("other") or ()}
        if key in spellings:
            return cap.get(lang)
        cities = e.get("cities") or {}
        for k, ru in enumerate(cities.get("ru") or ()):
            if isinstance(ru, str) and ru.lower() == key and len(cities.get(lang) or ()) > k \
                    and isinstance(cities[lang][k], str):
                return cities[lang][k]
        if key in {((e.get(x) or {}).get("name") or "").lower() for x in ("ru", "en", "uz", "kk")}:
            return (e.get(lang) or {}).get("name")
    return None
