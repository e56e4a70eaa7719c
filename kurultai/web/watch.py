"""The Sources and Alerts pages, and kurultai's listings as Atom feeds (kurultai/watch underneath).

- /sources: every source followed and its status, for everyone; an admin adds, runs, pauses,
  resumes and removes sources. A run started here goes on in a background thread (one at a time)
  and the page shows it running.
- /alerts: a signed-in user's saved searches with their feeds; the search page's "Save this
  search" posts here (an editor's or an admin's: as every write of the site, it needs an editor).
- /alerts/ID.atom?token=TOKEN: an alert's matches, for a feed reader: the token is its only key,
  so it is answered even where reading needs a login. /search.atom and /org/ID/events.atom: a
  search's results and an institution's events.

Every page has its JSON twin under /api; every write needs its role and the login's CSRF token.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..store.analytics import check_country
from ..store.search import Filters, find
from ..store.views import show_org
from ..watch import alerts as A, sources as S
from ..watch.atom import Entry, feed
from .site import Id, Site, answer_errors, blank, date_range, entity_ref, known_value, twin
from .auth import current_user, require

Admin = Annotated[dict, Depends(require("admin"))]
Editor = Annotated[dict, Depends(require("editor"))]  # every write of the site needs an editor
ATOM = "application/atom+xml; charset=utf-8"
ALERT_FEED = re.compile(r"^/alerts/(\d{1,9})\.atom$")
REFRESH_S = 300  # an alert's feed runs the alert first when it last ran longer ago than this
FEED_ENTRIES = 50


class NewSource(BaseModel):
    url: str = Field(max_length=2000, description="A feed, a sitemap or a listing page (http/https).")
    name: str | None = Field(None, max_length=200)
    every: str = Field("6h", max_length=16, description="30m, 6h, 1d: how often it is read.")
    depth: int = Field(1, ge=1, le=100, description="Listing pages to read, following 'next page' links.")
    match: str | None = Field(None, max_length=500, description="A regular expression item URLs must contain.")
    allow_private: bool = Field(False, description="Allow loopback and private-network addresses.")


class NewAlert(BaseModel):
    q: str = Field("", max_length=500)
    country: str | None = Field(None, max_length=8)
    institution: str | None = Field(None, max_length=300)
    person: str | None = Field(None, max_length=300)
    type: str | None = Field(None, max_length=64)
    direction: str | None = Field(None, max_length=64)
    threat: str | None = Field(None, max_length=64)
    framework: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=8)
    date_from: str | None = Field(None, max_length=10)
    date_to: str | None = Field(None, max_length=10)
    email: str | None = Field(None, max_length=254)


def install(app: FastAPI, site: Site) -> None:
    """Register the pages, their JSON twins and the feeds on `app`."""
    running: set[int] = set()
    lock = threading.Lock()
    answer_errors(app, site, {S.SourceError: 400, A.AlertError: 400, S.NoSource: 404, A.NoAlert: 404})
    _sources(app, site, running, lock)
    _alerts(app, site)
    _feeds(app, site)

    @app.middleware("http")
    async def alert_feeds(request: Request, call_next):
        """An alert's feed is opened by its token, which a feed reader sends instead of a login:
        answered here, before the login gate."""
        found = ALERT_FEED.match(request.url.path)
        if found and request.method in ("GET", "HEAD"):
            return await run_in_threadpool(_alert_feed, site, request, int(found.group(1)))
        return await call_next(request)


# -- sources --------------------------------------------------------------------------------------------------------

def _sources(app: FastAPI, site: Site, running: set[int], lock: threading.Lock) -> None:
    store = site.store

    @twin(app, site, "/sources", "sources.html", "The sources followed and their status", tags=["watch"])
    def list_sources(request: Request) -> dict:
        """Every source: its kind, period, last success, last error, documents found, what became of
        its items (`items`: fetched, stored, unchanged, unreadable with the latest `causes`, failed),
        and whether a run started from this page is going on."""
        return {"sources": [{**s, "running": s["id"] in running} for s in S.status(store)]}

    def start(source_id: int) -> dict:
        source = S.get(store, source_id)
        if source.id in running:
            raise HTTPException(409, f"source {source.id} is already running")
        running.add(source.id)
        threading.Thread(target=_run_source, args=(site, source, running, lock), daemon=True,
                         name=f"watch-{source.id}").start()
        return {"id": source.id, "running": True}

    def add(url: str, *args) -> S.Source:
        if not url.strip().lower().startswith(("http://", "https://")):  # not a path on the server's disk
            raise S.SourceError(f"{url}: an http(s) URL; a Telegram export is added from the command line "
                                "(kurultai watch add FOLDER)")
        return S.add(store, url, *args)

    @app.post("/api/sources", summary="Follow a source (admin)", tags=["watch"])
    def add_api(request: Request, admin: Admin, new: NewSource) -> dict:
        return S.as_dict(add(new.url, new.name, new.every, new.allow_private, new.depth, new.match))

    @app.post("/api/sources/{source_id}/run", summary="Run a source now, in the background (admin)", tags=["watch"])
    def run_api(request: Request, admin: Admin, source_id: Id) -> dict:
        return start(source_id)

    @app.post("/api/sources/{source_id}/pause", summary="Pause or resume a source (admin)", tags=["watch"])
    def pause_api(request: Request, admin: Admin, source_id: Id, resume: bool = False) -> dict:
        return S.as_dict(S.pause(store, source_id, not resume))

    @app.post("/api/sources/{source_id}/remove", summary="Stop following a source (admin)", tags=["watch"])
    def remove_api(request: Request, admin: Admin, source_id: Id) -> dict:
        return S.as_dict(S.remove(store, source_id))

    @app.post("/sources", include_in_schema=False)
    def add_page(request: Request, admin: Admin, url: Annotated[str, Form(max_length=2000)] = "",
                 name: Annotated[str, Form(max_length=200)] = "", every: Annotated[str, Form(max_length=16)] = "6h",
                 depth: Annotated[int, Form(ge=1, le=100)] = 1, match: Annotated[str, Form(max_length=500)] = "",
                 allow_private: Annotated[bool, Form()] = False):
        try:
            add(url, name or None, every or "6h", allow_private, depth, match or None)
        except S.SourceError as exc:
            data = list_sources(request)
            return site.render(request, "sources.html", status=400, data=data, error=str(exc),
                               form={"url": url, "name": name, "every": every, "depth": depth, "match": match})
        return RedirectResponse("/sources", status_code=303)

    @app.post("/sources/{source_id}/{action}", include_in_schema=False)
    def act_page(request: Request, admin: Admin, source_id: Id, action: str):
        if action == "run":
            start(source_id)
        elif action in ("pause", "resume"):
            S.pause(store, source_id, action == "pause")
        elif action == "remove":
            S.remove(store, source_id)
        else:
            raise HTTPException(404, f"no action {action!r} on a source (run, pause, resume, remove)")
        return RedirectResponse("/sources", status_code=303)


class _Shared:
    """The site's extractor, one text at a time: natasha's models are shared with uploads and sessions
    (Site.ingest_lock), which then wait for a document, not for a whole run."""

    def __init__(self, site: Site) -> None:
        with site.ingest_lock:
            self.extractor = site.get_extractor()
        self.lock = site.ingest_lock
        self.registry = self.extractor.registry

    def extraction(self, text, sha256=None):
        with self.lock:
            return self.extractor.extraction(text, sha256)


def _run_source(site: Site, source: S.Source, running: set[int], lock: threading.Lock) -> None:
    """One source's run from the web, then the alerts (one run started here at a time)."""
    from ..watch.run import Run
    try:
        with lock:
            summary = Run(site.store, lambda: _Shared(site)).all([source])
            if summary.new:
                A.run_all(site.store, registry=site.registry)
    finally:
        running.discard(source.id)


# -- alerts ---------------------------------------------------------------------------------------------------------

def _alerts(app: FastAPI, site: Site) -> None:
    store = site.store

    def own(request: Request, user: dict | None) -> dict:
        """The user's alerts; nobody signed in has none (the page then offers to sign in)."""
        if user is None:
            return {"alerts": [], "signed_in": False}
        base = str(request.base_url).rstrip("/")
        out = []
        for a in A.all_alerts(store, user["id"]):
            out.append({"id": a.id, "query": a.query, "filters": a.filters, "email": a.email, "describe": a.describe(),
                        "search": _search_link(a), "last_run_at": a.last_run_at, "feed": f"{base}/alerts/{a.id}.atom?token={a.token}",
                        "matches": A.matches(store, a.id, limit=20)})
        return {"alerts": out, "signed_in": True}

    @twin(app, site, "/alerts", "alerts.html", "The signed-in user's alerts, with their feeds and newest matches",
          tags=["watch"])
    def list_alerts(request: Request) -> dict:
        """Each alert: what it looks for, its private feed's URL, when it last ran, its newest matches.
        Without a login the list is empty (`signed_in` is false)."""
        return own(request, current_user(request))

    def make(user: dict, new: NewAlert) -> A.Alert:
        date_from, date_to = date_range(new.date_from, new.date_to)
        filters = Filters(country=check_country(blank(new.country)), institution=entity_ref("institution", new.institution),
                          person=entity_ref("person", new.person), type=known_value(site, "type", new.type),
                          direction=known_value(site, "direction", new.direction), threat=known_value(site, "threat", new.threat),
                          framework=known_value(site, "framework", new.framework), language=blank(new.language),
                          date_from=date_from, date_to=date_to)
        return A.add(store, new.q, filters, blank(new.email), user["id"], registry=site.registry)

    @app.post("/api/alerts", summary="Save a search as an alert", tags=["watch"])
    def add_alert_api(request: Request, user: Editor, new: NewAlert) -> dict:
        made = make(user, new)
        return {"id": made.id, "feed": f"{str(request.base_url).rstrip('/')}/alerts/{made.id}.atom?token={made.token}"}

    @app.post("/alerts", include_in_schema=False)
    async def add_alert_page(request: Request, user: Editor):
        form = await request.form()
        fields = {k: v for k, v in form.items() if k in NewAlert.model_fields and isinstance(v, str) and v.strip()}
        fields.update({k2: form[k] for k, k2 in (("from", "date_from"), ("to", "date_to")) if form.get(k)})
        await run_in_threadpool(make, user, NewAlert(**fields))
        return RedirectResponse("/alerts", status_code=303)

    def remove(user: dict, alert_id: int) -> None:
        alert = A.get(store, alert_id)
        if alert.user_id != user["id"] and user["role"] != "admin":
            raise HTTPException(404, f"no alert has id {alert_id} among yours")
        A.remove(store, alert_id)

    @app.post("/api/alerts/{alert_id}/remove", summary="Delete one of your alerts", tags=["watch"])
    def remove_alert_api(request: Request, user: Editor, alert_id: Id) -> dict:
        remove(user, alert_id)
        return {"id": alert_id, "removed": True}

    @app.post("/alerts/{alert_id}/remove", include_in_schema=False)
    def remove_alert_page(request: Request, user: Editor, alert_id: Id):
        remove(user, alert_id)
        return RedirectResponse("/alerts", status_code=303)


def _search_link(alert: A.Alert) -> str:
    params = ([("q", alert.query)] if alert.query else []) + \
        [({"date_from": "from", "date_to": "to"}.get(k, k), str(v)) for k, v in alert.filters.items()]
    return "/search" + (f"?{urlencode(params)}" if params else "")


def _alert_feed(site: Site, request: Request, alert_id: int) -> Response:
    """The alert's matches as Atom; a wrong or missing token answers 404, as a missing alert does."""
    try:
        alert = A.get(site.store, alert_id)
    except A.AlertError:
        alert = None
    token = request.query_params.get("token") or ""
    if alert is None or not secrets.compare_digest(token.encode(), alert.token.encode()):
        return Response("no such feed (check the alert's id and token)\n", status_code=404, media_type="text/plain")
    if not alert.last_run_at or alert.last_run_at < S.stamp(S.now() - dt.timedelta(seconds=REFRESH_S)):
        A.run(site.store, alert, site.registry)
    base = str(request.base_url).rstrip("/")
    entries = [Entry(f"doc-{m['id']}", m["title"] or m["source"], f"{base}/doc/{m['id']}", m["found_at"],
                     " · ".join(x for x in (m["page_date"] or m["published"], m["url"]) if x))
               for m in A.matches(site.store, alert.id, FEED_ENTRIES)]
    body = feed(f"{base}/alerts/{alert.id}", f"kurultai: {alert.describe()}", str(request.url), f"{base}/alerts", entries)
    return Response(body, media_type=ATOM, headers={"Cache-Control": "private, no-store"})


# -- kurultai's listings as feeds -----------------------------------------------------------------------------------

def _feeds(app: FastAPI, site: Site) -> None:
    store = site.store

    @app.get("/search.atom", include_in_schema=False, response_class=Response)
    def search_feed(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                    country: Annotated[str | None, Query(max_length=8)] = None,
                    institution: Annotated[str | None, Query(max_length=300)] = None,
                    person: Annotated[str | None, Query(max_length=300)] = None,
                    type: Annotated[str | None, Query(max_length=64)] = None,
                    direction: Annotated[str | None, Query(max_length=64)] = None,
                    threat: Annotated[str | None, Query(max_length=64)] = None,
                    framework: Annotated[str | None, Query(max_length=64)] = None,
                    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None) -> Response:
        """Search results as Atom, newest stored first (the parameters of /search; feeds are pages, not
        part of the JSON API)."""
        filters = Filters(country=check_country(blank(country)), institution=entity_ref("institution", institution),
                          person=entity_ref("person", person), type=known_value(site, "type", type),
                          direction=known_value(site, "direction", direction), threat=known_value(site, "threat", threat),
                          framework=known_value(site, "framework", framework), language=blank(language))
        hits, _, _ = find(store, q, filters, site.morph, limit=FEED_ENTRIES, registry=site.registry)
        base = str(request.base_url).rstrip("/")
        entries = [Entry(f"doc-{h.id}", h.title or h.source, f"{base}/doc/{h.id}", h.published, h.snippet)
                   for h in sorted(hits, key=lambda h: h.id, reverse=True)]
        page = f"{base}/search" + (f"?{request.url.query}" if request.url.query else "")
        title = "kurultai: " + (" ".join([q] + [f"{k}={v}" for k, v in vars(filters).items() if v]).strip() or "search")
        return Response(feed(page, title, str(request.url), page, entries), media_type=ATOM)

    @app.get("/org/{org_id}/events.atom", include_in_schema=False, response_class=Response)
    def org_feed(request: Request, org_id: Id) -> Response:
        """An institution's events as Atom, newest first."""
        org = show_org(store, org_id)
        base = str(request.base_url).rstrip("/")
        events = sorted(org["events"], key=lambda e: (e["date"] or "", e["id"]), reverse=True)[:FEED_ENTRIES]
        entries = [Entry(f"event-{e['id']}", e["title"] or site.labels.label("event_types", e["type"], "en"),
                         f"{base}/event/{e['id']}", e["date"], f"{e['role']} · {e['document'] or ''}") for e in events]
        page = f"{base}/org/{org_id}"
        return Response(feed(page, f"kurultai: {org['name']}", str(request.url), page, entries), media_type=ATOM)

