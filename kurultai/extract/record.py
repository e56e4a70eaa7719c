"""Assemble the contract record (../shared/contract/record.schema.json), offsets in raw text.

Every span found on the cleaned text is mapped back through the clean-up's offset map here,
once, so each mention and evidence span reproduces its text from the raw document.
"""
from __future__ import annotations

import hashlib

from .context import Context

CONTRACT = "1"


def build_record(ctx: Context, text, cleaned, events: list[dict], title: str | None) -> dict:
    raw = text.raw

    def to_raw(s: int, e: int) -> tuple[int, int]:
        return cleaned.to_raw(s, e)

    def span(s: int, e: int) -> dict:
        rs, re_ = to_raw(s, e)
        return {"start": rs, "end": re_, "text": raw[rs:re_]}

    orgs = [{"id": o.id, "name": o.name, "short": o.short, "country": o.country,
             **({"registry_id": o.registry_id} if o.registry_id else {}),
             **({"kind": o.kind} if o.kind else {}),
             "mentions": [span(s, e) for s, e in o.mentions],
             **({"evidence": span(*o.evidence)} if o.evidence else {})} for o in ctx.orgs]
    persons = [{"id": p.id, "name": p.name, "affiliation": p.affiliation, "role": p.role,
                "mentions": [span(s, e) for s, e in p.mentions]} for p in ctx.persons]
    out_events = []
    for ev in events:
        ev = dict(ev)
        ev["outcomes"] = [_outcome(o, to_raw, raw) for o in ev["outcomes"]]
        ev["evidence"] = [_evidence(x, to_raw, raw) for x in ev["evidence"]]
        out_events.append(ev)
    return {
        "contract": CONTRACT,
        "document": {
            "source": text.source,
            "sha256": text.meta.get("sha256") or hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest(),
            "title": title,
            "language": ctx.lang,
            "published": ctx.published,
            "format": text.meta.get("format"),
            "encoding": text.meta.get("encoding"),
        },
        "organizations": orgs,
        "persons": persons,
        "events": out_events,
    }


def _outcome(o: dict, to_raw, raw: str) -> dict:
    s, e = to_raw(o["start"], o["end"])
    return {"kind": o["kind"], "text": raw[s:e], "start": s, "end": e}


def _evidence(x: dict, to_raw, raw: str) -> dict:
    s, e = to_raw(x["start"], x["end"])
    return {"field": x["field"], "value": x.get("value"), "start": s, "end": e, "text": raw[s:e]}
