"""What every page and route of the web application shares: the Site (store, registry, labels,
templates), rendering, the JSON twins (`twin`: one function, a page and its /api twin), error
answers (JSON under /api, a page elsewhere), the request guard (sizes, origin, security headers and
the Content-Security-Policy) and the checks of common query parameters.

Each concern's module (search_page, documents, dashboards, upload, convene, watch, review,
auth) adds its routes to the application that app.create_app assembles.
"""
from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Callable
from urllib.parse import unquote, urlencode

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..i18n import DEFAULT_LANG, LANGS, Labels, choose_lang
from ..report import charts
from ..store import Store
from ..store.analytics import QueryError
from ..store.db import StoreError
from ..store.period import check_period
from ..store.registry_names import name_in, place_name, registry_bodies
from ..store.search import SearchError
from ..store.views import NotFound
from ..vocabulary import event_types
from . import auth

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


def upload_limits() -> tuple[int, int]:
    """(bytes per uploaded file, bytes per upload request), read from web/app.py at each request:
    app.py re-exports MAX_FILE_BYTES and MAX_REQUEST_BYTES, and a deployment or a test sets them
    there."""
    from . import app  # here: app.py imports this module
    return app.MAX_FILE_BYTES, app.MAX_REQUEST_BYTES


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


def blank(value: str | None) -> str | None:
    value = value.strip() if isinstance(value, str) else value
    return value or None


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


def validation_message(errors: list[dict]) -> str:
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


def install_errors(app: FastAPI, site: Site) -> None:
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
        return _error(site, request, 422, validation_message(list(exc.errors())), errors)

    # a full disk or a read-only store is the server's trouble (503), the rest the request's
    answer_errors(app, site, {NotFound: 404, SearchError: 400, QueryError: 400, StoreError: 503})


def answer_errors(app: FastAPI, site: Site, statuses: dict[type, int]) -> None:
    """Each exception type answered with its HTTP status and its message, as JSON or as a page."""
    for kind, status in statuses.items():
        async def answer(request: Request, exc: Exception, status: int = status):
            return _error(site, request, status, str(exc))
        app.add_exception_handler(kind, answer)


def install_guard(app: FastAPI, site: Site) -> None:
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
        max_request = upload_limits()[1]
        size = int(length) if length and length.isdigit() else 0
        if request.url.path in ("/upload", "/api/upload"):
            if size > max_request:
                return _error(site, request, 413, f"the request is {size / 1e6:.0f} MB, over the "
                                                  f"{max_request / 1e6:.0f} MB limit; send fewer files at a time")
        elif size > MAX_FORM_BYTES:
            return _error(site, request, 413, f"the request is {size / 1e6:.1f} MB, over the "
                                              f"{MAX_FORM_BYTES / 1e6:.0f} MB limit of a form")
    return None


# -- parameters -----------------------------------------------------------------------------------------------------

def known_value(site: Site, kind: str, value: str | None) -> str | None:
    value = blank(value)
    if value is not None and value not in site.known[kind]:
        known = ", ".join(sorted(site.known[kind]))
        raise QueryError(f"{kind}: unknown value {value!r}; known: {known}")
    return value


def entity_ref(kind: str, value: str | None) -> str | None:
    """An institution or a person as search takes it: an id or a name (an id past any stored one is
    refused here, since the database would overflow on it)."""
    value = blank(value)
    if value is not None and value.isdigit() and int(value) > MAX_ID:
        raise QueryError(f"{kind}: no {kind} has id {value}")
    return value


def date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    return check_period(blank(date_from), blank(date_to))
