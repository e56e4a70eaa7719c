"""The search page, its JSON twin and its downloads, and the downloads of the institutions' and
people's lists: each a thin shell over store/query.py, which checks, runs and shapes a search
the same way for the command line.

/search.csv and /search.json (and /api/search.csv, /api/search.json) give every match of the
search the page shows, not only its page of hits, streamed; /orgs.csv, /people.json and their
siblings give the whole list under its filters.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from ..store import analytics
from ..store.analytics import check_country
from ..store.period import FIRST_YEAR, LAST_YEAR
from ..store.registry_names import name_in, registry_bodies
from ..store.query import FILTER_NAMES, MAX_QUERY, MAX_VALUES, ROW_FIELDS, SearchRequest, parse_search, \
    result_set, run_search
from .site import DateFrom, DateTo, Page, Site, blank, twin
from .tables import table_response

Many = Annotated[list[str] | None, Query(max_length=MAX_VALUES)]
ENTITY_FIELDS = ("id", "name", "short", "country", "affiliation_id", "affiliation", "events", "documents")
SYNTAX_HELP = ('Words in any form; "a phrase" in quotes; OR between alternatives; -word to exclude one. '
               "Or an institution's or a person's name or abbreviation in any language.")


def _values(country, institution, person, type, direction, threat, framework, language) -> dict[str, list[str]]:
    given = dict(zip(FILTER_NAMES, (country, institution, person, type, direction, threat, framework, language)))
    return {k: v for k, v in given.items() if v}


def install(app: FastAPI, site: Site) -> None:
    """Add /search (page and twin), its downloads, and the lists' downloads to `app`."""
    store, registry = site.store, site.registry

    @twin(app, site, "/search", "search.html", "Search documents, with facets", view=_search_view(site))
    def search_documents(
            request: Request,
            q: Annotated[str, Query(max_length=MAX_QUERY, description=SYNTAX_HELP)] = "",
            country: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description=(
                "ISO code or name of a country (an event's own, or its institutions' and people's); repeat for "
                "several (any of them); a leading minus excludes one: country=-UZ."))] = None,
            institution: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description=(
                "Institution id or any of its names; repeatable, -excluded."))] = None,
            person: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description=(
                "Person id or name (a surname alone when one person has it); repeatable, -excluded."))] = None,
            type: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description="Event type id, e.g. round_table.")] = None,
            direction: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description="Direction id, e.g. water.")] = None,
            threat: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description="Threat id, e.g. climate_change.")] = None,
            framework: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description="Framework id, e.g. sco.")] = None,
            year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Events of this year.")] = None,
            date_from: DateFrom = None,
            date_to: DateTo = None,
            language: Annotated[list[str] | None, Query(max_length=MAX_VALUES, description="Document language: ru, en, kk, uz.")] = None,
            sort: Annotated[str, Query(max_length=16, description="relevance, date or title.")] = "relevance",
            page: Page = 1,
            limit: Annotated[int, Query(ge=1, le=100, description="Hits per page.")] = 20) -> dict:
        """Documents ranked by relevance (or newest first without a query; or by `sort`), each with a
        snippet whose matched words are marked by `highlights` (offsets into `snippet`), and the
        facets of all the matching documents. Several values of a filter: any of them; a value
        with a leading minus: none. The same search as CSV or JSON of every match: /search.csv,
        /search.json."""
        values = _values(country, institution, person, type, direction, threat, framework, language)
        return run_search(store, registry, _asked(site, request, q, values, date_from, date_to, year, sort, page, limit))

    for kind in ("csv", "json"):
        fn = _download(site, kind)
        app.get(f"/api/search.{kind}", summary=f"Every match of a search as {kind.upper()}, streamed",
                tags=["pages"], response_class=Response)(fn)
        app.get(f"/search.{kind}", include_in_schema=False, response_class=Response)(fn)

    for path, entity in (("orgs", "org"), ("people", "person")):
        for kind in ("csv", "json"):
            fn = _entity_download(site, kind, entity)
            app.get(f"/api/{path}.{kind}", summary=f"The whole list of {path} as {kind.upper()}, streamed",
                    tags=["pages"], response_class=Response)(fn)
            app.get(f"/{path}.{kind}", include_in_schema=False, response_class=Response)(fn)


def _asked(site: Site, request: Request, q, values, date_from, date_to, year, sort, page, limit) -> SearchRequest:
    """The search as checked (store/query.py), kept on the request for the page's view."""
    asked = parse_search(site.vocabulary, q, values, date_from, date_to, year, sort, page, limit, max_limit=100)
    request.state.asked = asked
    return asked


def _download(site: Site, kind: str):
    """The route of /search.{kind}: every match of the search, streamed."""
    store, registry = site.store, site.registry

    def fn(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY, description=SYNTAX_HELP)] = "",
           country: Many = None, institution: Many = None, person: Many = None, type: Many = None,
           direction: Many = None, threat: Many = None, framework: Many = None,
           year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
           date_from: DateFrom = None, date_to: DateTo = None, language: Many = None,
           sort: Annotated[str, Query(max_length=16)] = "relevance") -> Response:
        values = _values(country, institution, person, type, direction, threat, framework, language)
        asked = _asked(site, request, q, values, date_from, date_to, year, sort, 1, 20)
        total, rows = result_set(store, registry, asked)
        params: dict[str, list[str]] = {}
        for k, v in asked.params():
            params.setdefault(k, []).append(v)
        head = {"query": asked.text, "params": params, "total": int(total), "total_exact": total.exact,
                "fields": list(ROW_FIELDS)}
        return table_response(kind, "search", ROW_FIELDS, head, rows, key="hits")
    return fn


def _entity_download(site: Site, kind: str, entity: str):
    """The route of /orgs.{kind} or /people.{kind}: the whole list under its filters, streamed."""
    store = site.store

    def fn(request: Request, name: Annotated[str | None, Query(max_length=200)] = None,
           country: Annotated[str | None, Query(max_length=8)] = None) -> Response:
        country = check_country(blank(country)) if entity == "org" else None
        name = blank(name)
        _, total = analytics.entity_list(store, entity, country, name, limit=1)

        def rows():
            for offset in range(0, total, 500):
                yield from analytics.entity_list(store, entity, country, name, limit=500, offset=offset)[0]
        head = {"kind": entity, "filters": {"name": name, "country": country}, "total": total,
                "fields": list(ENTITY_FIELDS)}
        return table_response(kind, "institutions" if entity == "org" else "people", ENTITY_FIELDS, head, rows())
    return fn


def _marked(snippet: str, highlights: list) -> list[tuple[str, bool]]:
    """The snippet as (text, matched) pieces; a word the window cut in two is dropped for '…'."""
    highlights = sorted(tuple(h) for h in highlights)
    first = highlights[0][0] if highlights else len(snippet)
    final = highlights[-1][1] if highlights else 0
    start, end, lead, trail = 0, len(snippet), "", ""
    space = snippet.find(" ")
    if snippet[:1].isalpha() and snippet[:1].islower() and 0 <= space < first:
        start, lead = space + 1, "…"
    space = snippet.rfind(" ")
    if snippet[-1:].isalnum() and space >= max(final, start):
        end, trail = space, " …"
    out, last = [(lead, False)], start
    for s, e in highlights:
        if s < last or e > end:
            continue
        out += [(snippet[last:s], False), (snippet[s:e], True)]
        last = e
    out += [(snippet[last:end], False), (trail, False)]
    return [(t, m) for t, m in out if t]


VOCAB = {"country": "countries", "type": "event_types", "direction": "directions", "threat": "threats",
         "framework": "frameworks", "language": "languages"}


def _search_view(site: Site):
    labels = site.labels

    def view(data: dict, lang: str, request: Request) -> dict:
        asked: SearchRequest = request.state.asked
        params = asked.params()

        def link(path: str = "/search", drop: tuple[str, str] | None = None, add: tuple[str, str] | None = None,
                 sort: str | None = None, page: int | None = None) -> str:
            """This search with one value dropped or added, another order or another page; built
            from the search as checked, so that nothing else a request carried is echoed."""
            kept = [(k, v) for k, v in params if (k, v) != drop and not (sort and k == "sort")]
            kept += [add] if add else []
            kept += [("sort", sort)] if sort and sort != "relevance" else []
            kept += [("limit", str(asked.limit))] if page and asked.limit != 20 else []
            kept += [("page", str(page))] if page and page > 1 else []
            return path + ("?" + urlencode(kept) if kept else "")

        bodies = registry_bodies(site.store, site.registry, [f["value"] for f in data["facets"]["institution"]]
                                 + [v for k, v in params if k == "institution"]) if lang != "ru" else {}

        def name_of(key: str, value: str) -> str:
            if key in VOCAB:
                return labels.label(VOCAB[key], value, lang)
            if key == "institution":
                return name_in(bodies, value, data["filter_names"].get(value, value), lang)
            return data["filter_names"].get(value, value) if key == "person" else value

        groups = []
        for key in ("country", "institution", "person", "type", "direction", "threat", "framework", "year"):
            items = []
            chosen = [str(v) for v in ([data["filters"][key]] if key == "year" and "year" in data["filters"]
                                       else data["filters"].get(key, []))]
            for f in data["facets"][key]:
                if key in VOCAB:
                    name = labels.label(VOCAB[key], f["value"], lang)
                elif key == "institution":
                    name = name_in(bodies, f["value"], f["short"] or f["name"], lang, short=bool(f["short"]))
                else:
                    name = f.get("name") or f["value"]
                active = str(f["value"]) in chosen
                pair = (key, str(f["value"]))
                href = link(drop=pair) if active else (
                    link(drop=("year", str(data["filters"].get("year"))), add=pair) if key == "year" else link(add=pair))
                items.append({"name": name, "title": f.get("name") or name, "count": f["count"], "active": active,
                              "href": href})
            if items:
                groups.append({"key": key, "items": items})
        chips = []
        for key, value in params:
            if key in ("q", "sort"):
                continue
            excluded = key in FILTER_NAMES and value.startswith("-")
            shown = value[1:] if excluded else value
            chip_key = {"from": "date_from", "to": "date_to"}.get(key, key)
            name = name_of(key, shown) if key in FILTER_NAMES else shown
            chips.append({"key": chip_key, "name": ("− " if excluded else "") + name, "href": link(drop=(key, value))})
        for h in data["hits"]:
            h["marked"] = _marked(h["snippet"], h["highlights"])
        return {"facet_groups": groups, "chips": chips, "hidden": [(k, v) for k, v in params if k != "q"],
                "sorts": [(s, link(sort=s), s == asked.sort) for s in ("relevance", "date", "title")],
                "downloads": {kind: link(f"/search.{kind}") for kind in ("csv", "json")},
                "prev": link(page=data["page"] - 1) if data["page"] > 1 else None,
                "next": link(page=data["page"] + 1) if data["offset"] + data["limit"] < data["total"] else None}
    return view
