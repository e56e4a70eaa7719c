"""A record as a few lines a person reads: `kurultai extract --format text`."""
from __future__ import annotations


def summary(record: dict) -> str:
    doc = record["document"]
    orgs = {o["id"]: o for o in record["organizations"]}
    persons = {p["id"]: p for p in record["persons"]}

    def org_label(oid: str) -> str:
        o = orgs.get(oid) or {}
        short = f" ({o['short']})" if o.get("short") and o["short"] != o.get("name") else ""
        country = f" [{o['country']}]" if o.get("country") else ""
        return f"{o.get('name', oid)}{short}{country}"

    lines = [f"== {doc['source']}  ({doc['language']}" + (f", published {doc['published']}" if doc.get("published") else "") + ")"]
    if doc.get("title"):
        lines.append(f"   {doc['title']}")
    if not record["events"]:
        lines.append("   no event found" + ("" if doc["language"] in ("ru", "en", "uz", "kk") else f" (language '{doc['language']}' is recognised, not yet extracted)"))
    for i, ev in enumerate(record["events"], 1):
        date = (ev.get("date") or {}).get("value") or "date not given"
        lines.append(f"-- event {i}: {ev['type']}, {date}, {ev['format']}" + (f", {ev['place']}" if ev.get("place") else ""))
        if ev.get("title"):
            lines.append(f"   title:        {ev['title']}")
        if (ev.get("date") or {}).get("basis"):
            lines.append(f"   date basis:   {ev['date']['basis']}")
        for field in ("organizers", "participants"):
            if ev[field]:
                lines.append(f"   {field + ':':<13} " + "; ".join(org_label(o) for o in ev[field]))
        if ev["speakers"]:
            sp = []
            for pid in ev["speakers"]:
                p = persons.get(pid) or {}
                aff = orgs.get(p.get("affiliation") or "")
                sp.append(p.get("name", pid) + (f" ({aff.get('short') or aff['name']})" if aff else ""))
            lines.append("   speakers:     " + "; ".join(sp))
        for field in ("countries", "directions", "threats", "frameworks"):
            if ev[field]:
                lines.append(f"   {field + ':':<13} " + ", ".join(ev[field]))
        for r in ev.get("references") or ():
            lines.append(f"   refers to:    {r['title']} ({r.get('date') or 'date unknown'})")
        for o in ev["outcomes"]:
            text = " ".join(o["text"].split())
            lines.append(f"   {o['kind']}: {text[:160]}{'…' if len(text) > 160 else ''}")
    return "\n".join(lines)
