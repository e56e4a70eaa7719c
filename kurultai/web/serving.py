"""Running the web application: its settings, read from KURULTAI_* environment variables, an
application factory that uvicorn's worker processes call, and serve(), which `kurultai serve` runs.

    serve(Settings(db="demo.db", workers=4))        # four processes on one port
    uvicorn kurultai.web.serving:app_from_env --factory --workers 4   # the same, by hand

One process answers on one core; `workers` starts that many processes, each with a listening
socket of its own on the port, so that the kernel spreads the connections evenly (web/workers.py:
it restarts one that dies), each with its own connections to the store: SQLite in WAL mode lets
them all read while one writes, and PostgreSQL is built for it. Each worker loads the registry and, on
its first upload, natasha's models, so memory grows with the count.

A reverse proxy (nginx, Caddy) in front terminates TLS and passes X-Forwarded-For and
X-Forwarded-Proto; they are believed only from the addresses in `trusted_proxies`, since a client
that could set them itself could claim a new address for every password it guesses.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace

from fastapi import FastAPI

from . import auth, workers

LOOPBACK = ("127.0.0.1", "localhost")
ENV = {"db": "KURULTAI_DB", "host": "KURULTAI_HOST", "secure_cookies": "KURULTAI_SECURE_COOKIES",
       "open_reading": "KURULTAI_OPEN_READING", "trusted_proxies": "KURULTAI_TRUSTED_PROXIES"}


@dataclass(frozen=True, slots=True)
class Settings:
    """How `kurultai serve` runs; the same values travel to worker processes as environment variables."""

    db: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: bool = False
    open_reading: bool = False
    trusted_proxies: tuple[str, ...] = ()
    workers: int = 1

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK

    @property
    def read_role(self) -> str | None:
        """Reading is open on loopback (or when asked); beyond it, it needs a viewer's login."""
        return None if self.loopback or self.open_reading else "viewer"

    @property
    def allowed_hosts(self) -> list[str] | None:
        """On loopback, only this machine's names in the Host header (against DNS rebinding)."""
        return list(LOOPBACK) if self.loopback else None

    def environ(self) -> dict[str, str]:
        """These settings as the environment variables app_from_env() reads."""
        values = asdict(self)
        out = {ENV["host"]: self.host, ENV["secure_cookies"]: str(int(self.secure_cookies)),
               ENV["open_reading"]: str(int(self.open_reading)),
               ENV["trusted_proxies"]: ",".join(values["trusted_proxies"])}
        if self.db:
            out[ENV["db"]] = self.db
        return out

    @classmethod
    def from_environ(cls, environ=None) -> Settings:
        env = os.environ if environ is None else environ

        def flag(name: str) -> bool:
            value = env.get(ENV[name], "").strip().lower()
            if value not in ("", "0", "1", "true", "false", "yes", "no"):
                raise ValueError(f"{ENV[name]}={value!r}: give 1 or 0")
            return value in ("1", "true", "yes")

        return cls(db=env.get(ENV["db"]) or None, host=env.get(ENV["host"]) or "127.0.0.1",
                   secure_cookies=flag("secure_cookies"), open_reading=flag("open_reading"),
                   trusted_proxies=auth.check_proxies(env.get(ENV["trusted_proxies"], "")))


def build(settings: Settings) -> FastAPI:
    from .app import create_app
    return create_app(settings.db, allowed_hosts=settings.allowed_hosts, secure_cookies=settings.secure_cookies,
                      read_role=settings.read_role, trusted_proxies=settings.trusted_proxies)


def app_from_env() -> FastAPI:
    """The application as KURULTAI_DB, KURULTAI_HOST, KURULTAI_SECURE_COOKIES, KURULTAI_OPEN_READING
    and KURULTAI_TRUSTED_PROXIES describe it: what each worker process builds."""
    return build(Settings.from_environ())


def serve(settings: Settings) -> None:
    """Serve until Ctrl-C: in this process, or in `settings.workers` processes sharing the port.
    The store is opened here first, so that one that cannot be served fails before any worker starts."""
    import uvicorn

    from ..store import Store
    store = Store.open(settings.db)
    try:
        settings, users = replace(settings, db=store.url), auth.has_users(store)
    finally:
        store.close()
    many = settings.workers > 1
    print(f"kurultai: serving {settings.db} on http://{settings.host}:{settings.port}/"
          f"{f' with {settings.workers} worker processes' if many else ''}"
          f"{' (reading needs a login)' if settings.read_role else ''}"
          f"{'; proxy headers trusted from ' + ', '.join(settings.trusted_proxies) if settings.trusted_proxies else ''}",
          flush=True)
    if not users:
        print("kurultai: no users yet; writes need one: kurultai user add NAME --role admin", flush=True)
    # proxy headers are the application's business (auth.install), never uvicorn's own default
    options = dict(host=settings.host, port=settings.port, log_level="info", proxy_headers=False)
    if many and workers.balanced():
        try:
            sockets = workers.listening(settings.host, settings.port, settings.workers)
        except OSError as exc:
            raise SystemExit(f"kurultai: error: cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc})")
        status = workers.run(f"{__name__}:app_from_env", sockets, settings.environ())
        if status:
            raise SystemExit(status)
    elif many:  # not Linux: uvicorn's own workers, sharing one socket
        os.environ.update(settings.environ())
        uvicorn.run(f"{__name__}:app_from_env", factory=True, workers=settings.workers, **options)
    else:
        uvicorn.run(build(settings), **options)
