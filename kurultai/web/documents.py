"""The pages of what the store holds, one at a time: a document (its text with the evidence of its
record marked), an event, an institution, a person, and the lists of institutions and people; each
with its JSON twin under /api (site.twin). The views here add to a twin's data what only the page
shows (record fields with their evidence spans, the text cut at span boundaries, charts).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from ..i18n import DEFAULT_LANG
from ..report import charts
from ..store import analytics
from ..store.analytics import QueryError, check_country
from ..store.registry_names import name_in, place_name, registry_bodies
from ..store.views import NotFound, show_doc, show_event, show_org, show_person
from .site import Country, Id, Page, Site, blank, twin


def install(app: FastAPI, site: Site) -> None:
    """Add the document and event pages, then the institutions' and people's, to `app`."""
    _documents(app, site)
    _entities(app, site)


def _documents(app: FastAPI, site: Site) -> None:
    store = site.store

    # ---- document
    @twin(app, site, "/doc/{doc_id}", "document.html", "A document: its text and its extracted record",
          view=_document_view(site))
    def document(request: Request, doc_id: Id) -> dict:
        """The document's text (every offset of the record indexes it), its record, the ids of its
        events in order, and `entities`: the record's local ids ('o1', 'p2') -> entity ids."""
        doc = show_doc(store, doc_id)
        return {**doc, "text": analytics.document_text(store, doc_id), "entities": analytics.local_entities(store, doc_id)}

    @app.get("/api/doc/{doc_id}/original", summary="The document's original file, as ingested", tags=["pages"])
    def original(doc_id: Id) -> Response:
        found = analytics.original_bytes(store, doc_id)
        if found is None:
            raise NotFound(f"no document with id {doc_id}")
        source, data = found
        name = re.sub(r"[^\w.\-]", "_", Path(source.split("!")[-1]).name) or "document"
        return Response(data, media_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ---- event
    @twin(app, site, "/event/{event_id}", "event.html", "An event: type, date, roles, topics, outcomes",
          view=_event_view(site))
    def event(request: Request, event_id: Id) -> dict:
        """The event with its organisers, participants and speakers (entity ids), countries,
        directions, threats, frameworks, references, outcomes and the evidence spans (offsets into
        its document's text)."""
        ev = show_event(store, event_id)
        record = show_doc(store, ev["document_id"])["record"]
        rec_ev = record["events"][ev["idx"]] if ev["idx"] < len(record["events"]) else {}
        return {**ev, "outcomes": rec_ev.get("outcomes", ev["outcomes"]), "evidence": rec_ev.get("evidence", []),
                "record": rec_ev, "organizations": record.get("organizations", []),
                "persons": record.get("persons", []), "entities": analytics.local_entities(store, ev["document_id"])}


def _entities(app: FastAPI, site: Site) -> None:
    store = site.store

    # ---- institution and person
    @twin(app, site, "/org/{org_id}", "org.html", "An institution's profile", view=_org_view(site))
    def org(request: Request, org_id: Id) -> dict:
        """Names and aliases (with where each was first seen), country, parent body, events over
        time, people, co-participants and the directions it raises."""
        profile = show_org(store, org_id)
        extra = analytics.org_context(store, org_id, site.registry)
        if profile.get("parent") is None:
            profile["parent"] = extra["parent"]
        return {**profile, "registry_names": extra["registry_names"], "subordinate": extra["subordinate"],
                "documents": extra["documents"], "events_per_year": analytics.events_per_year(profile["events"])}

    @twin(app, site, "/person/{person_id}", "person.html", "A person: affiliation, mentions, events",
          view=_person_view)
    def person(request: Request, person_id: Id) -> dict:
        profile = show_person(store, person_id)
        return {**profile, **analytics.person_context(store, person_id),
                "events_per_year": analytics.events_per_year(profile["events"])}

    def listing(kind: str, request: Request, country, name, page: int) -> dict:
        limit = 100
        rows, total = analytics.entity_list(store, kind, check_country(blank(country)), blank(name),
                                            limit=limit, offset=(page - 1) * limit)
        return {"kind": kind, "total": total, "page": page, "limit": limit, "items": rows,
                "filters": {"country": blank(country), "name": blank(name)}}

    @twin(app, site, "/orgs", "list.html", "Institutions, most active first")
    def orgs(request: Request, country: Country = None,
             name: Annotated[str | None, Query(max_length=200, description="Part of the name or abbreviation.")] = None,
             page: Page = 1) -> dict:
        return listing("org", request, country, name, page)

    @twin(app, site, "/people", "list.html", "People, most active first")
    def people(request: Request, name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
               page: Page = 1) -> dict:
        return listing("person", request, None, name, page)


# -- views: what a page shows beyond its twin's data ----------------------------------------------------------------

@dataclass
class Value:
    """One value of a record as a page shows it: its label, the spans of its evidence, a link."""
    label: str
    spans: list[tuple[int, int]]
    href: str | None = None
    note: str | None = None

    @property
    def searches(self) -> bool:
        return bool(self.href and self.href.startswith("/search"))

    @property
    def hl(self) -> str:
        return " ".join(f"{s}-{e}" for s, e in self.spans)


def _record_fields(site: Site, lang: str, ev: dict, orgs: dict, persons: dict, entities: dict) -> list[tuple[str, list[Value]]]:
    """The fields of one event of a record, each value with its evidence spans (from the event's
    `evidence`; an institution or a person without one falls back to its mentions)."""
    labels = site.labels
    evidence: dict[tuple[str, str], list] = {}
    for x in ev.get("evidence", ()):
        evidence.setdefault((x.get("field"), str(x.get("value"))), []).append((x["start"], x["end"]))

    def spans(field_: str, value) -> list:
        return evidence.get((field_, str(value)), [])

    bodies = registry_bodies(site.store, site.registry, entities.values()) if lang != DEFAULT_LANG else {}

    def entity(field_: str, local: str, kind: str) -> Value | None:
        item = (orgs if kind == "org" else persons).get(local)
        if not item:
            return None
        found = spans(field_, item["name"]) or [(m["start"], m["end"]) for m in item.get("mentions", ())]
        eid = entities.get(local)
        name, short = item["name"], item.get("short")
        if kind == "org" and lang != DEFAULT_LANG and eid in bodies:  # the registry's name in the page's language
            name, short = name_in(bodies, eid, name, lang), name_in(bodies, eid, short or name, lang, short=True)
        label = name + (f" ({short})" if short and short != name else "")
        return Value(label, found, f"/{kind}/{eid}" if eid else None)

    fields: list[tuple[str, list[Value]]] = [("type", [Value(labels.label("event_types", ev["type"], lang), spans("type", ev["type"]))])]
    if ev.get("title"):
        fields.append(("title", [Value(ev["title"], spans("title", ev["title"]))]))
    date = ev.get("date") or {}
    if date.get("value"):
        note = labels.error(date.get("basis") or "", lang) or None
        if date.get("year_inferred"):
            note = f"{labels.t('year_inferred', lang)}; {note}" if note else labels.t("year_inferred", lang)
        fields.append(("date", [Value(labels.date(date["value"], lang), spans("date", date["value"]), note=note)]))
    if ev.get("format"):
        fields.append(("format", [Value(labels.label("formats", ev["format"], lang), spans("format", ev["format"]))]))
    if ev.get("place"):
        shown = (place_name(site.registry, ev["place"], lang) if lang != DEFAULT_LANG else None) or ev["place"]
        fields.append(("place", [Value(shown, spans("place", ev["place"]))]))
    for role, kind in (("organizers", "org"), ("participants", "org"), ("speakers", "person")):
        values = [v for v in (entity(role, i, kind) for i in ev.get(role, ())) if v]
        if values:
            fields.append((role, values))
    if ev.get("countries"):
        fields.append(("countries", [Value(labels.label("countries", c, lang), [], f"/search?country={c}")
                                     for c in ev["countries"]]))
    for name, vocab in (("directions", "directions"), ("threats", "threats"), ("frameworks", "frameworks")):
        if ev.get(name):
            fields.append((name, [Value(labels.label(vocab, v, lang), spans(name, v), f"/search?{name[:-1]}={v}")
                                  for v in ev[name]]))
    if ev.get("references"):
        fields.append(("references", [Value(r["title"], spans("references", r["title"]),
                                            note=labels.date(r["date"], lang) if r.get("date") else None)
                                      for r in ev["references"]]))
    if ev.get("outcomes"):
        fields.append(("outcomes", [Value(o.get("text") or "", [(o["start"], o["end"])],
                                          note=labels.label("outcome_kinds", o["kind"], lang)) for o in ev["outcomes"]]))
    return fields


def _segments(text: str, spans: list[tuple[int, int]], marked: list[tuple[int, int]]) -> list[dict]:
    """The text cut at every span boundary; the pieces inside a span carry their offsets (for
    app.js to highlight) and whether a highlighted span covers them."""
    n = len(text)
    clean = [(max(0, s), min(n, e)) for s, e in spans if s < e and s < n and e > 0]
    marks = [(max(0, s), min(n, e)) for s, e in marked if s < e and s < n and e > 0]
    bounds = sorted({0, n, *(x for span in clean + marks for x in span)})
    starts, ends = {}, {}
    for s, e in clean:
        starts[s] = starts.get(s, 0) + 1
        ends[e] = ends.get(e, 0) + 1
    mstarts, mends = {}, {}
    for s, e in marks:
        mstarts[s] = mstarts.get(s, 0) + 1
        mends[e] = mends.get(e, 0) + 1
    out, depth, mdepth, first = [], 0, 0, True
    for a, b in zip(bounds, bounds[1:]):
        depth += starts.get(a, 0) - ends.get(a, 0)
        mdepth += mstarts.get(a, 0) - mends.get(a, 0)
        piece = {"text": text[a:b], "s": a, "e": b, "span": depth > 0 or mdepth > 0, "hl": mdepth > 0, "first": False}
        if piece["hl"] and first:
            piece["first"], first = True, False
        out.append(piece)
    return out


def _hl_param(request: Request) -> list[tuple[int, int]]:
    out = []
    for value in request.query_params.getlist("hl"):
        for part in value.split():
            m = re.fullmatch(r"(\d{1,9})-(\d{1,9})", part)
            if not m:
                raise QueryError(f"hl: {part!r} is not START-END (character offsets, e.g. 120-134)")
            out.append((int(m.group(1)), int(m.group(2))))
    return out


def _document_view(site: Site):
    def view(data: dict, lang: str, request: Request) -> dict:
        record = data["record"]
        orgs = {o["id"]: o for o in record.get("organizations", ())}
        persons = {p["id"]: p for p in record.get("persons", ())}
        events = []
        all_spans: list[tuple[int, int]] = []
        for i, ev in enumerate(record.get("events", ())):
            fields = _record_fields(site, lang, ev, orgs, persons, data["entities"])
            events.append({"id": data["events"][i] if i < len(data["events"]) else None, "fields": fields})
            all_spans += [s for _, values in fields for v in values for s in v.spans]
        people_orgs = []
        for kind, items in (("org", orgs), ("person", persons)):
            values = []
            for local, item in items.items():
                mentions = [(m["start"], m["end"]) for m in item.get("mentions", ())]
                all_spans += mentions
                eid = data["entities"].get(local)
                label = item["name"] + (f" ({item['short']})" if item.get("short") else "")
                values.append(Value(label, mentions, f"/{kind}/{eid}" if eid else None,
                                    note=site.labels.label("countries", item["country"], lang) if item.get("country") else None))
            people_orgs.append((kind, values))
        marked = _hl_param(request)
        return {"events": events, "entities_in_text": people_orgs,
                "segments": _segments(data["text"], all_spans, marked), "base": f"/doc/{data['id']}",
                "meta": record.get("document", {})}
    return view


def _event_view(site: Site):
    def view(data: dict, lang: str, request: Request) -> dict:
        orgs = {o["id"]: o for o in data["organizations"]}
        persons = {p["id"]: p for p in data["persons"]}
        return {"fields": _record_fields(site, lang, data["record"], orgs, persons, data["entities"]),
                "base": f"/doc/{data['document']['id']}"}
    return view


def _org_view(site: Site):
    labels = site.labels

    def view(data: dict, lang: str, request: Request) -> dict:
        years = data["events_per_year"]
        by_event: dict[int, dict] = {}
        for e in data["events"]:
            item = by_event.setdefault(e["id"], {**e, "roles": []})
            if e["role"] not in item["roles"]:
                item["roles"].append(e["role"])
        dirs = [(labels.label("directions", d["direction"], lang), d["events"], f"/search?direction={d['direction']}"
                 f"&institution={data['id']}") for d in data["directions"]]
        titles = {d["id"]: d["title"] for d in data["documents"]}
        for e in by_event.values():
            e["document_title"] = titles.get(e["document_id"])
        return {"year_chart": charts.columns([y["year"] for y in years], [y["events"] for y in years],
                                             labels.t("events_over_time", lang)) if years else "",
                "direction_chart": charts.hbars(dirs, labels.t("directions_raised", lang)),
                "events_grouped": sorted(by_event.values(), key=lambda e: e["date"] or "", reverse=True)}
    return view


def _person_view(data: dict, lang: str, request: Request) -> dict:
    titles = {d["id"]: d["title"] for d in data["documents"]}
    for e in data["events"]:
        e["document_title"] = titles.get(e["document_id"])
    return {}
