"""The web application: pages for analysts over one store, each with a JSON twin under /api/.

    app = create_app("kurultai.db")          # a FastAPI application (or a postgresql:// URL)

(`kurultai serve` runs it through serving.py: its settings, worker processes.)

create_app only assembles the application: what every route shares is site.py, and each concern
adds its own routes (search_page, documents, dashboards, upload, convene, watch, review, auth,
admin).

Pages are rendered on the server (Jinja2 with autoescape; charts are inline SVG from report/charts.py)
and work without JavaScript. static/app.js only adds highlighting evidence without a reload,
the network's hover and drag-and-drop upload with progress. Nothing comes from the internet, and
the Content-Security-Policy allows no inline script or style.
"""
from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..i18n import LANGS, Labels
from ..store import Store
from ..store.views import stats
from . import admin, auth, convene, dashboards, documents, review, search_page, upload, watch
from .site import HERE, MAX_FILE_BYTES, MAX_REQUEST_BYTES, Site, install_errors, install_guard, markdown
from .upload import safe_name

# MAX_FILE_BYTES and MAX_REQUEST_BYTES, the upload limits, are read from this module at each request
# (site.upload_limits): a deployment, or a test, sets them here.
__all__ = ["create_app", "safe_name", "MAX_FILE_BYTES", "MAX_REQUEST_BYTES"]


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
    # auto_reload off: Jinja would otherwise stat every template a page uses (base, macros, the page)
    # on every request, to see whether it changed on disk; an installed package's templates do not
    env = Environment(loader=PackageLoader("kurultai.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
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
    install_errors(app, site)
    auth.install(app, secure_cookies=secure_cookies, read_role=read_role, trusted_proxies=trusted_proxies)
    admin.install(app)  # the users' page, for admins
    install_guard(app, site)
    _meta(app, site)
    documents.install(app, site)  # a document, an event, an institution, a person, the lists
    dashboards.install_timeline(app, site)
    search_page.install(app, site)
    dashboards.install(app, site)
    upload.install(app, site)
    convene.install(app, site)  # the expert dialogue's sessions, and the briefing
    watch.install(app, site)  # the Sources and Alerts pages, and the Atom feeds
    review.install(app, site)  # the review queue of possible duplicates, for editors
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("kurultai")
    except PackageNotFoundError:
        return "0"


def _meta(app: FastAPI, site: Site) -> None:
    """The application's own pages: the home redirect, the API's index and docs, the language."""
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
