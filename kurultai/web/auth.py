"""Signing in and out, and who may write: the login cookie, CSRF tokens, roles (the users' admin
page is web/admin.py).

A route that writes declares what it needs, and gets the user:

    @app.post("/api/thing")
    def thing(request: Request, user: Annotated[dict, Depends(require("editor"))]): ...

`require(role)` lets a request through only with a valid login cookie of that role or a higher one
(viewer < editor < admin) and, on a write, the login's CSRF token in the `X-CSRF-Token` header or
the form field `csrf` (templates write it with `{{ csrf_field() }}`). Without a login an /api
request gets 401 and a page is sent to /login?next=... (a local path only); the wrong role or a
missing or wrong CSRF token gets 403 with a message that says which.

The cookie is HttpOnly and SameSite=Strict, Secure over https (or with `secure_cookies`, behind a
TLS proxy). The sign-in form has a CSRF token of its own (a short-lived cookie it must match), so a
foreign site cannot sign a visitor in as someone else. Reading stays open unless `read_role` is
given (serve() asks for a viewer login when it listens beyond loopback).
"""
from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Form, HTTPException, Path as PathParam, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from .. import auth
from ..auth import ROLES
from .throttle import Throttle

COOKIE = "kurultai_login"
SIGNIN_COOKIE = "kurultai_signin"  # the sign-in form's own CSRF token, before there is a login
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
OPEN_PATHS = ("/login", "/logout", "/api/login", "/api/logout", "/api/me")  # answer even where reading is closed
UserName = Annotated[str, PathParam(max_length=auth.MAX_NAME, description="The user's name.")]

class Routes:
    """Routes declared at module level (`@routes.get(path, ...)`), added to each application by
    `add_to`. Not an APIRouter: FastAPI includes one as a single lazy entry of app.routes, and the
    checks of every write route (tests/test_auth.py) read app.routes flat."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, str, object, dict]] = []

    def get(self, path: str, **options):
        return self._declare("GET", path, options)

    def post(self, path: str, **options):
        return self._declare("POST", path, options)

    def _declare(self, method: str, path: str, options: dict):
        def deco(fn):
            self.routes.append((method, path, fn, options))
            return fn
        return deco

    def add_to(self, app: FastAPI) -> None:
        for method, path, fn, options in self.routes:
            app.add_api_route(path, fn, methods=[method], **options)


router = Routes()  # the sign-in routes


@dataclass(frozen=True, slots=True)
class Settings:
    secure_cookies: bool = False  # Secure even when the request came over http (a TLS proxy in front)
    read_role: str | None = None  # None: reading is open; "viewer": every page needs a login
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For/-Proto are believed


class LoginRequired(Exception):
    """A page that needs a login, asked for without one: answered by a redirect to /login."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def check_proxies(values) -> tuple[str, ...]:
    """Trusted proxy addresses: IPs or networks (127.0.0.1, 10.0.0.0/8, ::1), given as a list or
    comma-separated; '*' trusts every peer (only where nothing but the proxy can connect)."""
    found = tuple(v.strip() for value in ([values] if isinstance(values, str) else values or ())
                  for v in value.split(",") if v.strip())
    for value in found:
        if value == "*":
            continue
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"trusted proxy {value!r}: not an IP address or network (e.g. 127.0.0.1, "
                             "10.0.0.0/8, ::1)") from None
    return found


def install(app: FastAPI, secure_cookies: bool = False, read_role: str | None = None,
            trusted_proxies=()) -> None:
    """Add the sign-in routes and the login check to `app` (before its guard
    middleware, so that the guard's headers reach these answers too).

    A client's address (which the sign-in throttle counts) is the socket's peer. Only a peer
    listed in `trusted_proxies` may name another one in X-Forwarded-For (and the scheme in
    X-Forwarded-Proto); otherwise anyone could claim a fresh address for every guess."""
    if read_role is not None:
        auth.check_role(read_role)
    proxies = check_proxies(trusted_proxies)
    app.state.auth = Settings(secure_cookies, read_role, proxies)
    if proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(proxies))
    app.state.sign_in_throttle = Throttle(app.state.site.store)  # shared by every process on the store
    router.add_to(app)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired):
        return RedirectResponse("/login?next=" + quote(exc.target, safe="/"), status_code=303)

    @app.middleware("http")
    async def gate(request: Request, call_next):
        settings: Settings = request.app.state.auth
        path = request.url.path
        if settings.read_role and path not in OPEN_PATHS and not path.startswith(("/static/", "/lang/")):
            found = await run_in_threadpool(login_of, request)
            if found is None:
                if path.startswith("/api"):
                    return JSONResponse({"detail": _sign_in_first(request)}, status_code=401)
                return RedirectResponse("/login?next=" + quote(_target(request), safe="/"), status_code=303)
            if not auth.at_least(found[0]["role"], settings.read_role):
                message = _wrong_role(found[0], settings.read_role)
                if path.startswith("/api"):
                    return JSONResponse({"detail": message}, status_code=403)
                return site_of(request).render(request, "error.html", status=403, status_code=403, message=message)
        response = await call_next(request)
        if COOKIE in request.cookies or path in OPEN_PATHS or path.startswith("/admin"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def has_users(store) -> bool:
    return auth.count_users(store) > 0


def site_of(request: Request):
    """The application's Site (web/site.py)."""
    return request.app.state.site


# -- the login of a request -----------------------------------------------------------------------------------------

_UNSEEN = object()


def login_of(request: Request) -> tuple[dict, str] | None:
    """(user, csrf) of the request's login cookie, looked up once per request."""
    found = getattr(request.state, "kurultai_login", _UNSEEN)
    if found is _UNSEEN:
        found = auth.find_login(site_of(request).store, request.cookies.get(COOKIE))
        request.state.kurultai_login = found
    return found


def current_user(request: Request) -> dict | None:
    found = login_of(request)
    return found[0] if found else None


def csrf_field(token: str | None) -> Markup:
    """The hidden form field every write form carries (empty when nobody is signed in)."""
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="csrf" value="{}">').format(escape(token))


def template_context(request: Request) -> dict:
    """What every template gets: `user` (or None), its `csrf` token and `csrf_field()`."""
    found = login_of(request)
    user, csrf = found if found else (None, None)
    return {"user": user, "csrf": csrf, "csrf_field": lambda: csrf_field(csrf)}


def safe_next(value: str | None, default: str = "/search") -> str:
    """Where to go after signing in: a path on this site, never another site (no scheme, no
    host, no '//' or backslash that a browser would read as one, no control characters)."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return default
    return value


def _target(request: Request) -> str:
    """The page to come back to after signing in: this one for a read; for a write, the page
    it was sent from (when that is on this site), since the write's URL may answer no GET."""
    if request.method in SAFE_METHODS:
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc == request.headers.get("host"):
        return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""), request.url.path)
    return request.url.path


def _sign_in_first(request: Request) -> str:
    if request.cookies.get(COOKIE):
        return "the login has expired or was signed out: sign in again (POST /api/login with name and password)"
    return ("sign in first: POST /api/login with name and password, then send its cookie, and on writes the "
            "X-CSRF-Token header it returned")


def _wrong_role(user: dict, role: str) -> str:
    return f"this needs the {role} role or higher; {user['name']} is {user['role']}"


def require(role: str):
    """A dependency that answers with the signed-in user of at least `role`, and on a write
    (any method but GET, HEAD, OPTIONS) also checks the login's CSRF token."""
    auth.check_role(role)

    async def dependency(request: Request) -> dict:
        found = await run_in_threadpool(login_of, request)
        if found is None:
            if request.url.path.startswith("/api"):
                raise HTTPException(401, _sign_in_first(request))
            raise LoginRequired(_target(request))
        user, expected = found
        if not auth.at_least(user["role"], role):
            raise HTTPException(403, _wrong_role(user, role))
        if request.method not in SAFE_METHODS:
            given = request.headers.get("x-csrf-token")
            kind = request.headers.get("content-type", "").lower()
            if given is None and kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
                value = (await request.form()).get("csrf")
                given = value if isinstance(value, str) else None
            if not given:
                raise HTTPException(403, "CSRF token missing: send the X-CSRF-Token header (or the form field "
                                         "'csrf') with the token /api/login or /api/me gave")
            if not auth.same_token(expected, given):
                raise HTTPException(403, "CSRF token does not match this login: reload the page (or take the "
                                         "token from /api/me) and try again")
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


# -- cookies --------------------------------------------------------------------------------------------------------

def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.auth.secure_cookies


def _set_login_cookie(request: Request, response: Response, login: auth.Login) -> None:
    response.set_cookie(COOKIE, login.token, max_age=int(auth.LOGIN_HOURS * 3600), path="/", httponly=True,
                        samesite="strict", secure=_secure(request))


def _clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=_secure(request))


def _signed_in(request: Request, user: dict) -> auth.Login:
    login = auth.start_login(site_of(request).store, user)
    request.state.kurultai_login = (user, login.csrf)
    return login


def _authenticate(request: Request, name: str, password: str) -> tuple[dict | None, int]:
    """(the user or None, 0), or (None, seconds to wait) while this address has failed too often;
    then the password is not even checked."""
    throttle: Throttle = request.app.state.sign_in_throttle
    address = request.client.host if request.client else "?"
    wait, taken = throttle.take(address, name)
    if wait:
        return None, wait
    user = auth.authenticate(site_of(request).store, name, password)
    if user is not None:
        throttle.succeeded(address, name, taken)
    return user, 0


# -- the sign-in page -----------------------------------------------------------------------------------------------

def _login_page(request: Request, next_: str, status: int = 200, error: str | None = None, name: str = ""):
    site = site_of(request)
    token = request.cookies.get(SIGNIN_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
    response = site.render(request, "login.html", status=status, form_csrf=token, next=next_, error=error,
                           name=name, no_users=auth.count_users(site.store) == 0)
    response.set_cookie(SIGNIN_COOKIE, token, max_age=3600, path="/", httponly=True, samesite="strict",
                        secure=_secure(request))
    return response


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "/search"):
    return _login_page(request, safe_next(next))


@router.post("/login", include_in_schema=False)
def login_submit(request: Request, name: Annotated[str, Form(max_length=200)] = "",
                 password: Annotated[str, Form(max_length=auth.MAX_PASSWORD)] = "",
                 next: Annotated[str, Form(max_length=2000)] = "/search",
                 csrf: Annotated[str, Form(max_length=200)] = ""):
    lang = site_of(request).lang(request)
    t = site_of(request).labels.t
    target = safe_next(next)
    if not auth.same_token(request.cookies.get(SIGNIN_COOKIE), csrf):
        return _login_page(request, target, 403, t("login_form_expired", lang), name)
    user, wait = _authenticate(request, name, password)
    if wait:
        response = _login_page(request, target, 429, t("login_throttled", lang, minutes=math.ceil(wait / 60)), name)
        response.headers["Retry-After"] = str(wait)
        return response
    if user is None:
        return _login_page(request, target, 401, t("login_failed", lang), name)
    login = _signed_in(request, user)
    response = RedirectResponse(target, status_code=303)
    _set_login_cookie(request, response, login)
    _clear_cookie(request, response, SIGNIN_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
async def logout_submit(request: Request):
    found = await run_in_threadpool(login_of, request)
    if found is not None:
        given = (await request.form()).get("csrf")
        if not auth.same_token(found[1], given if isinstance(given, str) else None):
            raise HTTPException(403, "CSRF token missing or wrong: sign out from a page of this site")
        await run_in_threadpool(auth.end_login, site_of(request).store, request.cookies.get(COOKIE))
    response = RedirectResponse("/search", status_code=303)
    _clear_cookie(request, response, COOKIE)
    return response


# -- the same in JSON -----------------------------------------------------------------------------------------------

class Credentials(BaseModel):
    name: str = Field(max_length=200, description="The user name.")
    password: str = Field(max_length=auth.MAX_PASSWORD, description="The password.")


@router.post("/api/login", summary="Sign in: sets the login cookie, returns the CSRF token for writes", tags=["users"])
def api_login(request: Request, credentials: Credentials):
    """Send `{"name", "password"}` as JSON. The answer sets the HttpOnly login cookie (12 hours) and
    returns `csrf`: send it as the `X-CSRF-Token` header with every write."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise HTTPException(415, f"send the name and password as application/json (got {kind or 'no content type'})")
    user, wait = _authenticate(request, credentials.name, credentials.password)
    if wait:
        raise HTTPException(429, f"too many failed sign-ins as {credentials.name[:64]!r} from this address: try again "
                                 f"in {math.ceil(wait / 60)} min", headers={"Retry-After": str(wait)})
    if user is None:
        raise HTTPException(401, "wrong name or password, or the user is disabled")
    login = _signed_in(request, user)
    response = JSONResponse({"user": user, "csrf": login.csrf, "expires_at": login.expires_at.isoformat()})
    _set_login_cookie(request, response, login)
    return response


@router.get("/api/login", summary="How to sign in, and who is signed in", tags=["users"])
def api_login_help(request: Request) -> dict:
    """The JSON twin of the sign-in page: POST `{"name", "password"}` here to sign in."""
    user = current_user(request)
    return {"user": user, "post": "/api/login", "fields": ["name", "password"], "login_hours": auth.LOGIN_HOURS}


@router.post("/api/logout", summary="Sign out: the login cookie stops working", tags=["users"])
def api_logout(request: Request, user: Annotated[dict, Depends(require("viewer"))]):
    auth.end_login(site_of(request).store, request.cookies.get(COOKIE))
    response = JSONResponse({"signed_out": user["name"]})
    _clear_cookie(request, response, COOKIE)
    return response


@router.get("/api/me", summary="Who is signed in, and the CSRF token for writes", tags=["users"])
def api_me(request: Request) -> dict:
    """`user` is null when nobody is signed in (or the login has expired)."""
    user, csrf = login_of(request) or (None, None)
    return {"user": user, "csrf": csrf, "roles": list(ROLES)}
