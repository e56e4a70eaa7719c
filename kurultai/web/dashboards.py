"""The timeline and the dashboards (activity, directions, the co-participation network, the
convergence of the five countries, frameworks by direction), each a page with its JSON twin under
/api (site.twin); the views draw the charts (report/charts.py) from the twin's data.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Request

from ..report import charts
from ..store import analytics
from ..store.analytics import QueryError, check_country
from ..store.views import stats
from .site import Country, DateFrom, DateTo, Site, blank, date_range, known_value, twin


def install_timeline(app: FastAPI, site: Site) -> None:
    """Add /timeline (events in date order) to `app`."""
    store = site.store

    @twin(app, site, "/timeline", "timeline.html", "Events in date order, grouped by year")
    def timeline(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                 type: Annotated[str | None, Query(max_length=64, description="Event type id.")] = None,
                 limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many events, the latest.")] = 1000
                 ) -> dict:
        """Events in date order grouped by year: the latest `limit` of the selection (`total` counts
        all of it); events without a usable date are listed apart."""
        date_from, date_to = date_range(date_from, date_to)
        found = analytics.timeline(store, date_from, date_to, check_country(blank(country)), known_value(site, "type", type),
                                   limit)
        return {**found, "filters": {"from": date_from, "to": date_to, "country": blank(country), "type": blank(type)}}


def install(app: FastAPI, site: Site) -> None:
    """Add /dashboards and each dashboard to `app`."""
    store = site.store

    @twin(app, site, "/dashboards", "dashboards.html", "What the store holds, and the dashboards",
          tags=["dashboards"])
    def overview(request: Request) -> dict:
        return {"stats": stats(store), "dashboards": ["activity", "directions", "network", "convergence", "frameworks"]}

    @twin(app, site, "/dashboards/activity", "dash_activity.html", "Events per month, by type",
          view=_activity_view(site), tags=["dashboards"])
    def activity(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None) -> dict:
        date_from, date_to = date_range(date_from, date_to)
        return {**analytics.events_by_month(store, date_from, date_to, check_country(blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": blank(country)}}

    @twin(app, site, "/dashboards/directions", "dash_directions.html", "Direction trends: events per year by direction",
          view=_directions_view(site), tags=["dashboards"])
    def directions(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                   top: Annotated[int, Query(ge=1, le=30, description="Directions drawn on the chart.")] = 8) -> dict:
        date_from, date_to = date_range(date_from, date_to)
        return {**analytics.direction_trends(store, date_from, date_to, check_country(blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": blank(country), "top": top}}

    @twin(app, site, "/dashboards/network", "dash_network.html", "Co-participation network of institutions",
          view=_network_view(site), tags=["dashboards"])
    def network(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                min_weight: Annotated[int, Query(ge=1, le=1000, description="Ties of at least this many shared events.")] = 1,
                max_nodes: Annotated[int, Query(ge=2, le=200, description="At most this many institutions.")] = 40) -> dict:
        """Two institutions are tied when both organised or took part in the same event. `country`
        keeps the ties of that country's institutions. Each edge lists the events behind it."""
        date_from, date_to = date_range(date_from, date_to)
        return {**analytics.co_participation(store, date_from, date_to, check_country(blank(country)),
                                             min_weight, max_nodes),
                "filters": {"from": date_from, "to": date_to, "country": blank(country), "min_weight": min_weight,
                            "max_nodes": max_nodes}}

    @twin(app, site, "/dashboards/convergence", "dash_convergence.html",
          "Closeness of approaches: the five countries by direction", view=_convergence_view(site), tags=["dashboards"])
    def convergence(request: Request, date_from: DateFrom = None, date_to: DateTo = None) -> dict:
        """For each Central Asian country and direction: the events with that country that raised
        the direction (`counts`, `share` of the country's events) and the documents behind them;
        the cosine similarity of the countries' direction profiles; how many countries share each
        direction."""
        date_from, date_to = date_range(date_from, date_to)
        return {**analytics.country_directions(store, site.central_asia, date_from, date_to),
                "filters": {"from": date_from, "to": date_to}}

    @twin(app, site, "/dashboards/frameworks", "dash_frameworks.html", "Frameworks by direction",
          view=_frameworks_view(site), tags=["dashboards"])
    def frameworks(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None) -> dict:
        date_from, date_to = date_range(date_from, date_to)
        return {**analytics.framework_directions(store, date_from, date_to, check_country(blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": blank(country)}}


def _filters_ctx(site: Site, lang: str, with_country: bool = True) -> dict:
    codes = list(site.central_asia)
    return {"country_choices": [(c, site.labels.label("countries", c, lang)) for c in codes] if with_country else []}


def _activity_view(site: Site):
    labels = site.labels

    def view(data: dict, lang: str, request: Request) -> dict:
        months = data["months"]
        few = len(months) <= 24
        short = labels.months["ru_short" if lang == "ru" else "en_short"]
        x_labels = [(short[int(m[5:7]) - 1] + (f"\n{m[:4]}" if i == 0 or m.endswith("-01") else "")) if few else
                    (m[:4] if m.endswith("-01") or (i == 0 and int(m[5:7]) <= 6) else None)
                    for i, m in enumerate(months)]
        series = [charts.Series(labels.label("event_types", t, lang), data["series"][t], charts.color(i))
                  for i, t in enumerate(data["types"])]
        chart = charts.stacked_bars(x_labels, series, labels.t("dash_activity", lang),
                                    x_titles=[labels.month(m, lang, short=False) for m in months], x_marks=not few)
        legend = [(s.label, s.color) for s in series]
        return {"chart": chart, "legend": legend, **_filters_ctx(site, lang)}
    return view


def _directions_view(site: Site):
    labels = site.labels

    def view(data: dict, lang: str, request: Request) -> dict:
        top = data["filters"]["top"]
        series = [charts.Series(labels.label("directions", d, lang), data["series"][d], charts.color(i))
                  for i, d in enumerate(data["directions"][:top])]
        chart = charts.lines(data["years"], series, labels.t("dash_directions", lang))
        rows = [(d, labels.label("directions", d, lang), data["series"][d]) for d in data["directions"]]
        return {"chart": chart, "legend": [(s.label, s.color) for s in series], "rows": rows, **_filters_ctx(site, lang)}
    return view


def _network_view(site: Site):
    labels = site.labels

    def view(data: dict, lang: str, request: Request) -> dict:
        countries = sorted({n["country"] or "" for n in data["nodes"]}, key=lambda c: (c not in site.central_asia, c))
        colors = {c: charts.color(i) for i, c in enumerate(countries)}
        colors[""] = "#999999"
        names = {n["id"]: n["short"] or n["name"] for n in data["nodes"]}
        nodes = [charts.Node(n["id"], n["short"] or n["name"],
                             f"{n['name']} — {labels.t('count_events', lang)}: {n['events']}",
                             colors[n["country"] or ""], n["events"], f"/org/{n['id']}") for n in data["nodes"]]
        edges = [charts.Edge(e["source"], e["target"], e["weight"],
                             f"{names[e['source']]} — {names[e['target']]}: {e['weight']} {labels.t('shared_events', lang)}")
                 for e in data["edges"]]
        chart = charts.network(nodes, edges, labels.t("dash_network", lang))
        legend = [(labels.label("countries", c, lang) if c else "—", colors[c]) for c in countries]
        return {"chart": chart, "legend": legend, "names": names, **_filters_ctx(site, lang)}
    return view


def _convergence_view(site: Site):
    def view(data: dict, lang: str, request: Request) -> dict:
        cell = request.query_params.get("cell")
        chosen = None
        if cell:
            country, _, direction = cell.partition(":")
            if country not in data["countries"] or direction not in data["directions"]:
                raise QueryError(f"cell: {cell!r} is not COUNTRY:DIRECTION of this matrix (e.g. KZ:water)")
            chosen = {"country": country, "direction": direction,
                      "documents": analytics.documents_brief(site.store, data["documents"][country][direction])}
        smax = max((v for row in data["share"].values() for v in row.values()), default=0)
        off = [v for a, row in data["similarity"].items() for b, v in row.items() if a != b and v is not None]
        smin_sim = min(off, default=0) - 0.02
        return {"share_max": smax, "sim_min": smin_sim, "heat": charts.heat_class, "chosen": chosen}
    return view


def _frameworks_view(site: Site):
    def view(data: dict, lang: str, request: Request) -> dict:
        vmax = max((v for row in data["counts"].values() for v in row.values()), default=0)
        return {"vmax": vmax, "heat": charts.heat_class, **_filters_ctx(site, lang)}
    return view
