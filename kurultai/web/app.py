"""The web application: pages for analysts over one store, each with a JSON twin under /api/.

    app = create_app("kurultai.db")          # a FastAPI application (or a postgresql:// URL)

(`kurultai serve` runs it through serving.py: its settings, worker processes.)

Pages are rendered on the server (Jinja2 with autoescape; charts are inline SVG from charts.py)
and work without JavaScript. static/app.js only adds highlighting evidence without a reload,
the network's hover and drag-and-drop upload with progress. Nothing comes from the internet, and
the Content-Security-Policy allows no inline script or style.
"""
from __future__ import annotations

import functools
import json
import queue
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Callable
from urllib.parse import unquote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..i18n import DEFAULT_LANG, LANGS, Labels, choose_lang
from ..ingest.run import ingest_sources
from ..ingest.source import Source
from ..ingest.sources import discover
from ..report import charts
from ..store import Store, analytics
from ..store.analytics import QueryError, check_country
from ..store.db import StoreError
from ..store.period import check_period
from ..store.registry_names import name_in, place_name, registry_bodies
from ..store.search import SearchError
from ..store.views import NotFound, show_doc, show_event, show_org, show_person, stats
from ..vocabulary import event_types
from . import auth
from .auth import require

HERE = Path(__file__).resolve().parent
MAX_ID = 2_147_483_647  # the largest id either database stores
MAX_FILE_BYTES = 50_000_000
UPLOADED = "upload/"  # the source name of an uploaded document, before its file name
MAX_REQUEST_BYTES = 200_000_000
MAX_QUERY_STRING = 8192  # bytes of a URL's query string; a longer one is answered 414 before any work
MAX_REPEATS = 20  # values of one query parameter carried into links
MAX_FORM_BYTES = 2_000_000  # any other write: a form or a JSON body, read whole into memory
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The id, as listed by search or another page.")]
Country = Annotated[str | None, Query(max_length=8, description="ISO 3166-1 alpha-2 code, e.g. KZ.")]
DateFrom = Annotated[str | None, Query(alias="from", max_length=10, description="On or after YYYY[-MM[-DD]].")]
DateTo = Annotated[str | None, Query(alias="to", max_length=10, description="On or before YYYY[-MM[-DD]].")]
Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]


@dataclass
class Site:
    """What every request needs, made once per application: the store, the registry, the labels,
    the templates, and the extractor (loaded on the first upload, since natasha takes seconds)."""

    store: Store
    registry: object
    labels: Labels
    env: Environment
    extractor: object | None = None
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def morph(self):
        return self.registry.morph

    @functools.cached_property
    def central_asia(self) -> list[str]:
        return [c.code for c in self.registry.countries.values() if c.region == "central_asia"]

    @functools.cached_property
    def known(self) -> dict[str, set[str]]:
        cues = self.registry.cues
        return {"type": set(event_types()),
                "direction": set(cues.get("directions") or ()) | set(self.labels.vocab["directions"]),
                "threat": set(cues.get("threats") or ()) | set(self.labels.vocab["threats"]),
                "framework": set(self.registry.frameworks)}

    @functools.cached_property
    def vocabulary(self):
        """The values each search filter knows, and the names that stand for them (store/query.py)."""
        from ..store.query import Vocabulary
        return Vocabulary.load(self.registry, self.labels)

    def get_extractor(self):
        if self.extractor is None:
            from ..pipeline import Extractor
            self.extractor = Extractor(self.registry)
        return self.extractor

    def lang(self, request: Request) -> str:
        return choose_lang(request.query_params.get("lang"), request.cookies.get("lang"),
                           request.headers.get("accept-language"))

    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        lang = self.lang(request)
        labels = self.labels
        kept = urlencode(known_params(request))
        here = request.url.path + (f"?{kept}" if kept else "")
        bodies: dict = {}

        def org_name(eid, name: str, short: bool = False) -> str:
            """An institution as the registry names it in the page's language (English pages)."""
            if lang == DEFAULT_LANG or not name:
                return name
            if not bodies:
                bodies.update(registry_bodies(self.store, self.registry) or {None: None})
            if eid is None or str(eid) == "":  # a name as typed (a session's invitee): the registry's, if it knows it
                from ..convene.sessions import registry_institution
                inst = registry_institution(self.registry, name)
                return ((inst.short(lang) if short else None) or inst.label(lang)) if inst else name
            return name_in(bodies, eid, name, lang, short)

        for key in ("error", "message"):  # what went wrong, in the page's language
            if isinstance(context.get(key), str):
                context[key] = labels.error(context[key], lang)
        html = self.env.get_template(template).render(
            request=request, lang=lang, langs=LANGS, here=here,
            t=functools.partial(labels.t, lang=lang), err=functools.partial(labels.error, lang=lang), org_name=org_name,
            place=lambda p: (place_name(self.registry, p, lang) or p) if p and lang != DEFAULT_LANG else p,
            L=functools.partial(_label, labels, lang=lang),
            fdate=functools.partial(labels.date, lang=lang),
            qs=functools.partial(_with_params, request), swatch=charts.swatch,
            vocab=lambda kind: list(labels.vocab.get(kind, ())), **auth.template_context(request), **context)
        return HTMLResponse(html, status_code=status)


_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # raw HTML in the text is escaped, never passed on


def markdown(text: str | None) -> Markup:
    """Markdown (the API's docstrings) as HTML: CommonMark, with any HTML in it shown as text and
    links other than http(s), mailto and relative ones dropped by markdown-it's own check."""
    return Markup(_MARKDOWN.render(text or ""))


def _label(labels: Labels, vocabulary: str, value, lang: str) -> str:
    return labels.label(vocabulary, value, lang)


def known_params(request: Request) -> list[tuple[str, str]]:
    """The request's query parameters that its route takes, each name at most MAX_REPEATS times:
    what links may carry on. Anything else a URL held is dropped, never echoed (60 KB of unknown
    parameters were copied into every facet link: a 10 MB page)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    names = {p.alias for p in dependant.query_params} if dependant is not None else set()
    seen: dict[str, int] = {}
    out = []
    for k, v in request.query_params.multi_items():
        if k in names and seen.get(k, 0) < MAX_REPEATS:
            seen[k] = seen.get(k, 0) + 1
            out.append((k, v))
    return out


def _with_params(request: Request, _path: str | None = None, **changes) -> str:
    """The current URL (or `_path`) with some query parameters changed; None removes one.
    Changing anything but the page goes back to the first page. Only the parameters the route
    takes are carried on (known_params)."""
    params = [(k, v) for k, v in known_params(request) if k not in changes and k != "lang"]
    if "page" not in changes:
        params = [(k, v) for k, v in params if k != "page"]
    for k, v in changes.items():
        if v is not None and v != "":
            params.append((k, str(v)))
    query = urlencode(params)
    return (_path or request.url.path) + (f"?{query}" if query else "")


def _blank(value: str | None) -> str | None:
    value = value.strip() if isinstance(value, str) else value
    return value or None


# -- the application ------------------------------------------------------------------------------------------------

def create_app(store_url: str | None = None, extractor=None, allowed_hosts: list[str] | None = None,
               secure_cookies: bool = False, read_role: str | None = None,
               trusted_proxies: tuple[str, ...] = ()) -> FastAPI:
    """The application over the store at `store_url` (a SQLite file or a postgresql:// URL).

    `extractor` is used for uploads (else one is loaded on the first upload); `allowed_hosts`
    restricts the Host header (serve() sets it on loopback, against DNS rebinding). Writes need a
    login (web/auth.py); `secure_cookies` marks its cookie Secure even over http (behind a TLS
    proxy); `read_role` ("viewer") makes reading need a login too; `trusted_proxies` are the
    addresses whose X-Forwarded-For and X-Forwarded-Proto are believed (none by default)."""
    store = Store.open(store_url)
    if extractor is not None:
        registry = extractor.registry
    else:
        from ..knowledge.registry import Registry
        registry = Registry.load()
    env = Environment(loader=PackageLoader("kurultai.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = markdown
    site = Site(store, registry, Labels.load(registry), env, extractor)
    app = FastAPI(title="kurultai", version=_version(), openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None,
                  description="Events of Central Asian regional cooperation extracted from reports: search, "
                              "documents with their evidence-linked records, institutions, people, events and "
                              "dashboards. Every page of the web interface has its JSON twin here, under /api/. "
                              "Errors are JSON objects with a `detail` message.")
    app.state.site = site
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    _errors(app, site)
    auth.install(app, secure_cookies=secure_cookies, read_role=read_role, trusted_proxies=trusted_proxies)
    _guard(app, site)
    _pages(app, site)
    from .search_page import install as _search  # here: search_page.py imports this module
    _search(app, site)
    _dashboards(app, site)
    _uploads(app, site)
    from .convene import install as _convene  # here: convene.py imports this module
    _convene(app, site)
    from .watch import install as _watch  # the Sources and Alerts pages, and the Atom feeds
    _watch(app, site)
    from .review import install as _review  # the review queue of possible duplicates, for editors
    _review(app, site)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("kurultai")
    except PackageNotFoundError:
        return "0"


def twin(app: FastAPI, site: Site, path: str, template: str, summary: str,
         view: Callable[[dict, str, Request], dict] | None = None, tags: list[str] | None = None):
    """Register `fn` as the JSON endpoint /api{path} and as the page {path}, rendered with
    `template` from the same data (plus what `view` adds for the page only)."""
    def deco(fn):
        app.get("/api" + path, summary=summary, tags=tags or ["pages"], response_model=None)(fn)

        @functools.wraps(fn)
        def page(*args, **kwargs):
            data = fn(*args, **kwargs)
            request = kwargs["request"]
            extra = view(data, site.lang(request), request) if view else {}
            return site.render(request, template, data=data, **extra)

        app.get(path, include_in_schema=False, response_class=HTMLResponse)(page)
        return fn
    return deco


# -- errors and request guards --------------------------------------------------------------------------------------

def _error(site: Site, request: Request, status: int, message: str, errors: list | None = None) -> Response:
    if request.url.path.startswith("/api"):
        body = {"detail": message}
        if (lang := site.lang(request)) != "en" and (said := site.labels.error(message, lang)) != message:
            body["message"] = said  # for a page that shows the error to its reader
        if errors:
            body["errors"] = errors
        return JSONResponse(body, status_code=status)
    return site.render(request, "error.html", status=status, status_code=status, message=message)


def _validation_message(errors: list[dict]) -> str:
    parts = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ())]
        where, name = (loc[0], ".".join(loc[1:])) if len(loc) > 1 else ("request", ".".join(loc) or "body")
        got = e.get("input")
        shown = f" (got {str(got)[:60]!r})" if isinstance(got, (str, int, float)) else ""
        parts.append(f"{where} parameter {name!r}: {e.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


VALIDATION_ERROR = {
    "title": "HTTPValidationError", "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "What was wrong, in one message."},
                   "message": {"type": "string", "description": "The same in the language the request asked for "
                                                                "(its lang cookie or Accept-Language), where that is "
                                                                "not English."},
                   "errors": {"type": "array", "items": {"type": "object", "properties": {
                       "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                       "msg": {"type": "string"}, "type": {"type": "string"}}}}}}


def _errors(app: FastAPI, site: Site) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page at {request.url.path}"
        response = _error(site, request, exc.status_code, detail)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    spec = app.openapi

    def openapi() -> dict:
        """The spec, with the body `invalid` below sends on a 422 (FastAPI documents its own)."""
        if app.openapi_schema is None:
            spec().setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = VALIDATION_ERROR
        return app.openapi_schema

    app.openapi = openapi

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        return _error(site, request, 422, _validation_message(list(exc.errors())), errors)

    # a full disk or a read-only store is the server's trouble (503), the rest the request's
    answer_errors(app, site, {NotFound: 404, SearchError: 400, QueryError: 400, StoreError: 503})


def answer_errors(app: FastAPI, site: Site, statuses: dict[type, int]) -> None:
    """Each exception type answered with its HTTP status and its message, as JSON or as a page."""
    for kind, status in statuses.items():
        async def answer(request: Request, exc: Exception, status: int = status):
            return _error(site, request, status, str(exc))
        app.add_exception_handler(kind, answer)


def _guard(app: FastAPI, site: Site) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next):
        response = _refusal(site, request) or await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)  # on refusals too
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _refusal(site: Site, request: Request) -> Response | None:
    """The answer to a request refused before it reaches its route, or None to let it through."""
    if len(request.url.query) > MAX_QUERY_STRING:
        return _error(site, request, 414, f"the query string is {len(request.url.query)} bytes long, over the "
                                          f"{MAX_QUERY_STRING} bytes a request may carry")
    raw = unquote(request.url.query) + request.url.path
    if "\x00" in raw:
        return _error(site, request, 400, "the request contains a NUL character")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        origin = request.headers.get("origin")
        host = request.headers.get("host", "")
        if (origin and origin != "null" and origin.split("://", 1)[-1] != host) or \
                request.headers.get("sec-fetch-site") == "cross-site":
            return _error(site, request, 403, f"{request.method} {request.url.path}: writes are accepted from "
                                              "this site's own pages only (the request came from another site)")
        # a body is read whole (forms, JSON) or spooled to disk (uploads): its size is checked first
        if "chunked" in request.headers.get("transfer-encoding", "").lower():
            return _error(site, request, 411, f"{request.method} {request.url.path}: send the body with its "
                                              "Content-Length (a body of unknown length is not accepted)")
        length = request.headers.get("content-length")
        size = int(length) if length and length.isdigit() else 0
        if request.url.path in ("/upload", "/api/upload"):
            if size > MAX_REQUEST_BYTES:
                return _error(site, request, 413, f"the request is {size / 1e6:.0f} MB, over the "
                                                  f"{MAX_REQUEST_BYTES / 1e6:.0f} MB limit; send fewer files at a time")
        elif size > MAX_FORM_BYTES:
            return _error(site, request, 413, f"the request is {size / 1e6:.1f} MB, over the "
                                              f"{MAX_FORM_BYTES / 1e6:.0f} MB limit of a form")
    return None


# -- parameters -----------------------------------------------------------------------------------------------------

def _tag(site: Site, kind: str, value: str | None) -> str | None:
    value = _blank(value)
    if value is not None and value not in site.known[kind]:
        known = ", ".join(sorted(site.known[kind]))
        raise QueryError(f"{kind}: unknown value {value!r}; known: {known}")
    return value


def _entity(kind: str, value: str | None) -> str | None:
    """An institution or a person as search takes it: an id or a name (an id past any stored one is
    refused here, since the database would overflow on it)."""
    value = _blank(value)
    if value is not None and value.isdigit() and int(value) > MAX_ID:
        raise QueryError(f"{kind}: no {kind} has id {value}")
    return value


def _period(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    return check_period(_blank(date_from), _blank(date_to))


# -- pages and their twins ------------------------------------------------------------------------------------------

def _pages(app: FastAPI, site: Site) -> None:
    store, labels = site.store, site.labels

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/search", status_code=303)

    @app.get("/api", summary="The endpoints of this API", tags=["meta"])
    def api_index(request: Request) -> dict:
        paths = sorted(p for p in app.openapi()["paths"])
        return {"openapi": "/api/openapi.json", "endpoints": paths, "store": stats(store)}

    @app.get("/lang/{code}", include_in_schema=False)
    def set_lang(code: str, next: str = "/search"):
        if code not in LANGS:
            raise HTTPException(404, f"no interface language {code!r}; there are {', '.join(LANGS)}")
        target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/search"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax")
        return response

    @app.get("/api/vocabulary", summary="Russian and English labels of every id the records use", tags=["meta"])
    def vocabulary() -> dict:
        return {"central_asia": site.central_asia, **labels.vocab}

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request):
        return site.render(request, "apidocs.html", spec=app.openapi())

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
        rows, total = analytics.entity_list(store, kind, check_country(_blank(country)), _blank(name),
                                            limit=limit, offset=(page - 1) * limit)
        return {"kind": kind, "total": total, "page": page, "limit": limit, "items": rows,
                "filters": {"country": _blank(country), "name": _blank(name)}}

    @twin(app, site, "/orgs", "list.html", "Institutions, most active first")
    def orgs(request: Request, country: Country = None,
             name: Annotated[str | None, Query(max_length=200, description="Part of the name or abbreviation.")] = None,
             page: Page = 1) -> dict:
        return listing("org", request, country, name, page)

    @twin(app, site, "/people", "list.html", "People, most active first")
    def people(request: Request, name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
               page: Page = 1) -> dict:
        return listing("person", request, None, name, page)

    # ---- timeline
    @twin(app, site, "/timeline", "timeline.html", "Events in date order, grouped by year")
    def timeline(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                 type: Annotated[str | None, Query(max_length=64, description="Event type id.")] = None,
                 limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many events, the latest.")] = 1000
                 ) -> dict:
        """Events in date order grouped by year: the latest `limit` of the selection (`total` counts
        all of it); events without a usable date are listed apart."""
        date_from, date_to = _period(date_from, date_to)
        found = analytics.timeline(store, date_from, date_to, check_country(_blank(country)), _tag(site, "type", type),
                                   limit)
        return {**found, "filters": {"from": date_from, "to": date_to, "country": _blank(country), "type": _blank(type)}}


def _dashboards(app: FastAPI, site: Site) -> None:
    store = site.store

    @twin(app, site, "/dashboards", "dashboards.html", "What the store holds, and the dashboards",
          tags=["dashboards"])
    def overview(request: Request) -> dict:
        return {"stats": stats(store), "dashboards": ["activity", "directions", "network", "convergence", "frameworks"]}

    @twin(app, site, "/dashboards/activity", "dash_activity.html", "Events per month, by type",
          view=_activity_view(site), tags=["dashboards"])
    def activity(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None) -> dict:
        date_from, date_to = _period(date_from, date_to)
        return {**analytics.events_by_month(store, date_from, date_to, check_country(_blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": _blank(country)}}

    @twin(app, site, "/dashboards/directions", "dash_directions.html", "Direction trends: events per year by direction",
          view=_directions_view(site), tags=["dashboards"])
    def directions(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                   top: Annotated[int, Query(ge=1, le=30, description="Directions drawn on the chart.")] = 8) -> dict:
        date_from, date_to = _period(date_from, date_to)
        return {**analytics.direction_trends(store, date_from, date_to, check_country(_blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": _blank(country), "top": top}}

    @twin(app, site, "/dashboards/network", "dash_network.html", "Co-participation network of institutions",
          view=_network_view(site), tags=["dashboards"])
    def network(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None,
                min_weight: Annotated[int, Query(ge=1, le=1000, description="Ties of at least this many shared events.")] = 1,
                max_nodes: Annotated[int, Query(ge=2, le=200, description="At most this many institutions.")] = 40) -> dict:
        """Two institutions are tied when both organised or took part in the same event. `country`
        keeps the ties of that country's institutions. Each edge lists the events behind it."""
        date_from, date_to = _period(date_from, date_to)
        return {**analytics.co_participation(store, date_from, date_to, check_country(_blank(country)),
                                             min_weight, max_nodes),
                "filters": {"from": date_from, "to": date_to, "country": _blank(country), "min_weight": min_weight,
                            "max_nodes": max_nodes}}

    @twin(app, site, "/dashboards/convergence", "dash_convergence.html",
          "Closeness of approaches: the five countries by direction", view=_convergence_view(site), tags=["dashboards"])
    def convergence(request: Request, date_from: DateFrom = None, date_to: DateTo = None) -> dict:
        """For each Central Asian country and direction: the events with that country that raised
        the direction (`counts`, `share` of the country's events) and the documents behind them;
        the cosine similarity of the countries' direction profiles; how many countries share each
        direction."""
        date_from, date_to = _period(date_from, date_to)
        return {**analytics.country_directions(store, site.central_asia, date_from, date_to),
                "filters": {"from": date_from, "to": date_to}}

    @twin(app, site, "/dashboards/frameworks", "dash_frameworks.html", "Frameworks by direction",
          view=_frameworks_view(site), tags=["dashboards"])
    def frameworks(request: Request, date_from: DateFrom = None, date_to: DateTo = None, country: Country = None) -> dict:
        date_from, date_to = _period(date_from, date_to)
        return {**analytics.framework_directions(store, date_from, date_to, check_country(_blank(country))),
                "filters": {"from": date_from, "to": date_to, "country": _blank(country)}}


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


# -- upload ---------------------------------------------------------------------------------------------------------

@dataclass
class Saved:
    name: str
    path: Path | None = None
    error: str | None = None


def safe_name(filename: str | None) -> str:
    """A file name that stays inside the upload folder: the last path component, no leading dots,
    no separators or control characters, at most 120 characters (the suffix kept)."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^\w.\- ()+,]", "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:110] + "." + suffix[:9]) if dot and len(suffix) <= 9 else name[:120]
    return name or "upload"


def _save(files: list[UploadFile], folder: Path) -> list[Saved]:
    out = []
    for i, upload in enumerate(files):
        name = safe_name(upload.filename)
        where = folder / str(i)
        where.mkdir()
        path = where / name
        size = 0
        with open(path, "wb") as f:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    break
                f.write(chunk)
        if size > MAX_FILE_BYTES:
            path.unlink()
            out.append(Saved(name, error=f"exceeds the {MAX_FILE_BYTES / 1e6:.0f} MB limit"))
        else:
            out.append(Saved(name, path))
    return out


def _ingest_saved(site: Site, saved: list[Saved], folder: Path, emit: Callable[[dict], None]) -> None:
    """Ingest the saved files one by one, telling `emit` of each document (a .zip has several):
    {"file", "source", "status"} as it is stored, then {"..., "reason"} for each failure."""
    try:
        with site.ingest_lock:
            extractor = site.get_extractor()
            for s in saved:
                if s.error:
                    emit({"file": s.name, "source": s.name, "status": "failed", "reason": s.error})
                    continue
                base = str(s.path.parent) + "/"
                # stored as upload/NAME (upload/ARCHIVE.zip/MEMBER), not under the temporary folder
                named = (Source(UPLOADED + (x.name[len(base):] if x.name.startswith(base) else Path(x.name).name),
                                x.load) for x in discover([s.path]))
                shown = lambda source: source[len(UPLOADED):] if source.startswith(UPLOADED) else source
                told = []

                def progress(source: str, status: str, s=s, shown=shown, told=told) -> None:
                    told.append(source)
                    emit({"file": s.name, "source": shown(source), "status": status})

                report = ingest_sources(site.store, named, extractor, progress=progress)
                for source, cause in report.failed:
                    emit({"file": s.name, "source": shown(source), "status": "failed", "reason": cause})
                if not told:
                    emit({"file": s.name, "source": s.name, "status": "failed",
                          "reason": "no documents in the archive" if s.name.lower().endswith(".zip") else "nothing to read"})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _summary(lines: list[dict]) -> dict:
    files: dict[tuple[str, str], dict] = {}
    for line in lines:
        key = (line["file"], line["source"])
        files[key] = {**files.get(key, {}), **line}
    items = list(files.values())
    count = lambda status: sum(1 for f in items if f["status"] == status)
    return {"new": count("new"), "unchanged": count("unchanged"), "reextracted": count("reextracted"),
            "failed": count("failed"), "files": items}


def _uploads(app: FastAPI, site: Site) -> None:
    def limits() -> dict:
        from ..read.dispatch import SUFFIXES
        return {"max_file_bytes": MAX_FILE_BYTES, "max_request_bytes": MAX_REQUEST_BYTES,
                "suffixes": sorted({s for s in SUFFIXES if s} | {".zip"})}

    @twin(app, site, "/upload", "upload.html", "What uploads accept", tags=["upload"])
    def upload_form(request: Request) -> dict:
        return {**limits(), "results": None}

    async def received(request: Request) -> tuple[list[Saved], Path]:
        form = await request.form(max_files=1000, max_fields=100)
        files = [f for f in form.getlist("files") if not isinstance(f, str) and f.filename]
        if not files:
            raise HTTPException(400, "no files were sent: post them as multipart/form-data field 'files'")
        folder = Path(tempfile.mkdtemp(prefix="kurultai-upload-"))
        try:
            return await run_in_threadpool(_save, files, folder), folder
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    body = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["files"],
        "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                 "description": "Documents (.txt, .pdf, .html, .docx) or .zip archives of them."}}}}}}

    @app.post("/api/upload", summary="Ingest uploaded files or .zip archives", tags=["upload"],
              openapi_extra={"requestBody": body},
              responses={200: {"description": "A summary (JSON), or with `stream` one JSON line per document",
                               "content": {"application/json": {}, "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def upload_api(request: Request, user: Annotated[dict, Depends(require("editor"))],
                         stream: Annotated[bool, Query(description="Answer as NDJSON, one line per document as it "
                                                                   "is stored, then a summary line.")] = False):
        """Each file is saved under a sanitised name in a temporary folder, ingested (a document
        already stored is `unchanged`) and reported with its status: new, unchanged or failed with
        the reason. At most 50 MB per file. Needs an editor's login and its X-CSRF-Token header."""
        saved, folder = await received(request)
        lang = site.lang(request)

        def told(line: dict) -> dict:
            """A failure's reason, and, for a page in another language, `reason_text` in it."""
            if line.get("reason") and lang != "en":
                line["reason_text"] = site.labels.error(line["reason"], lang)
            return line

        if not stream:
            lines: list[dict] = []
            await run_in_threadpool(_ingest_saved, site, saved, folder, lambda line: lines.append(told(line)))
            return _summary(lines)
        q: queue.Queue = queue.Queue()

        def work() -> None:
            lines: list[dict] = []
            try:
                def emit(line: dict) -> None:
                    lines.append(told(line))
                    q.put(line)
                _ingest_saved(site, saved, folder, emit)
                summary = _summary(lines)
                summary.pop("files")
                q.put({"done": True, **summary})
            except Exception as exc:  # told to the client, which is still reading
                q.put({"done": True, "error": f"{type(exc).__name__}: {exc}"})
                raise
            finally:
                q.put(None)

        threading.Thread(target=work, name="kurultai-upload", daemon=True).start()

        def lines_out():
            while (item := q.get()) is not None:
                yield json.dumps(item, ensure_ascii=False) + "\n"

        return StreamingResponse(lines_out(), media_type="application/x-ndjson")

    @app.post("/upload", include_in_schema=False, response_class=HTMLResponse)
    async def upload_page(request: Request, user: Annotated[dict, Depends(require("editor"))]):
        saved, folder = await received(request)
        lines: list[dict] = []
        await run_in_threadpool(_ingest_saved, site, saved, folder, lines.append)
        return site.render(request, "upload.html", data={**limits(), "results": _summary(lines)})
