"""The sources a store follows: add, list, pause, remove, and what each run left of them.

The one Python API the CLI (kurultai/cli_watch.py) and the web (kurultai/web/watch.py) share.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import delete, distinct, func, insert, select, update

from ..store.db import Store
from ..store.schema import documents, watch_items, watch_sources

KINDS = ("auto", "feed", "sitemap", "listing", "telegram")
MIN_EVERY_S = 60
RETRY_S = 300  # a failed source is tried again after this, doubling with each failure in a row, up to its period
LATEST_CAUSES = 3  # the unreadable items' causes shown per source, newest first


class SourceError(ValueError):
    """A source that cannot be added or found; the message names the value and the cause."""


class NoSource(SourceError, LookupError):
    """No source has that id."""


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    url: str
    name: str
    kind: str
    every_s: int
    allow_private: bool
    depth: int
    match: str | None
    paused: bool
    etag: str | None
    last_modified: str | None
    next_run_at: str
    last_run_at: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    failures: int
    documents_found: int
    created_at: str

    @property
    def local(self) -> bool:
        """A Telegram export on this machine's disk, not a URL."""
        return self.kind == "telegram"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def stamp(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def parse_every(value: str | int) -> int:
    """'6h', '30m', '1d', '90s' or a number of seconds, as seconds (at least a minute)."""
    text = str(value).strip().lower()
    match = re.fullmatch(r"(\d+)\s*([smhd]?)", text)
    if not match:
        raise SourceError(f"--every: {value!r} is not a period (e.g. 30m, 6h, 1d)")
    seconds = int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds < MIN_EVERY_S:
        raise SourceError(f"--every: {value!r} is shorter than a minute; be polite to the sites you follow")
    return seconds


def add(store: Store, url: str, name: str | None = None, every: str | int = "6h", allow_private: bool = False,
        depth: int = 1, match: str | None = None, kind: str = "auto") -> Source:
    """Follow `url`: a feed, sitemap or listing page (http/https), or a Telegram Desktop export's
    folder or result.json. Nothing is fetched here; the first `watch run` reads it."""
    url = url.strip()
    if kind not in KINDS:
        raise SourceError(f"--kind: {kind!r} is not one of {', '.join(KINDS)}")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.hostname:
            raise SourceError(f"{url}: no host in the URL")
        if kind == "telegram":
            raise SourceError(f"{url}: a Telegram source is the folder of a Telegram Desktop export, not a URL")
    else:
        path = Path(url.removeprefix("file://")).expanduser()
        if parts.scheme not in ("", "file") or not (path / "result.json").is_file() and path.name != "result.json":
            raise SourceError(f"{url}: not an http(s) URL, nor a folder holding a Telegram Desktop export (result.json)")
        url, kind = str(path.resolve()), "telegram"
    if match:
        try:
            re.compile(match)
        except re.error as exc:
            raise SourceError(f"--match: {match!r} is not a regular expression ({exc})") from None
    if depth < 1:
        raise SourceError(f"--depth: {depth} is less than 1 (the listing page itself)")
    values = dict(url=url, name=(name or "").strip() or (parts.hostname if parts.hostname else Path(url).name),
                  kind=kind, every_s=parse_every(every), allow_private=allow_private, depth=depth, match=match or None,
                  paused=False, next_run_at=stamp(now()), created_at=stamp(now()), failures=0, documents_found=0)
    with store.begin() as conn:
        if conn.execute(select(watch_sources.c.id).where(watch_sources.c.url == url)).first():
            raise SourceError(f"{url}: already followed (see `kurultai watch list`)")
        new_id = conn.execute(insert(watch_sources).values(**values)).inserted_primary_key[0]
    return get(store, new_id)


def get(store: Store, source_id: int) -> Source:
    with store.connect() as conn:
        row = conn.execute(select(watch_sources).where(watch_sources.c.id == source_id)).mappings().first()
    if row is None:
        raise NoSource(f"no source has id {source_id} (see `kurultai watch list`)")
    return Source(**row)


def all_sources(store: Store) -> list[Source]:
    with store.connect() as conn:
        return [Source(**r) for r in conn.execute(select(watch_sources).order_by(watch_sources.c.id)).mappings()]


def due(store: Store, at: dt.datetime | None = None) -> list[Source]:
    """The sources not paused whose next run is due."""
    at = stamp(at or now())
    return [s for s in all_sources(store) if not s.paused and s.next_run_at <= at]


def remove(store: Store, source_id: int) -> Source:
    """Stop following a source: its seen items go, its documents stay (without their source id)."""
    source = get(store, source_id)
    with store.begin() as conn:
        conn.execute(update(documents).where(documents.c.watch_source_id == source_id).values(watch_source_id=None))
        conn.execute(delete(watch_items).where(watch_items.c.source_id == source_id))
        conn.execute(delete(watch_sources).where(watch_sources.c.id == source_id))
    return source


def pause(store: Store, source_id: int, paused: bool = True) -> Source:
    get(store, source_id)
    values = {"paused": paused} if paused else {"paused": False, "next_run_at": stamp(now())}
    with store.begin() as conn:
        conn.execute(update(watch_sources).where(watch_sources.c.id == source_id).values(**values))
    return get(store, source_id)


def succeeded(store: Store, source: Source, kind: str, etag: str | None, last_modified: str | None) -> None:
    at = now()
    with store.begin() as conn:
        found = conn.execute(select(func.count()).select_from(documents)
                             .where(documents.c.watch_source_id == source.id)).scalar()
        conn.execute(update(watch_sources).where(watch_sources.c.id == source.id).values(
            kind=kind, etag=etag, last_modified=last_modified, last_run_at=stamp(at), last_success_at=stamp(at),
            next_run_at=stamp(at + dt.timedelta(seconds=source.every_s)), failures=0, documents_found=found))


def failed(store: Store, source: Source, reason: str) -> None:
    """Record why a run of the source failed; it is tried again sooner than its period, later with
    each failure in a row."""
    at = now()
    wait = min(source.every_s, RETRY_S * 2 ** min(source.failures, 10))
    with store.begin() as conn:
        conn.execute(update(watch_sources).where(watch_sources.c.id == source.id).values(
            last_run_at=stamp(at), last_error=reason[:2000], last_error_at=stamp(at), failures=source.failures + 1,
            next_run_at=stamp(at + dt.timedelta(seconds=wait))))


def as_dict(source: Source) -> dict:
    return {k: getattr(source, k) for k in Source.__slots__ if k not in ("etag", "last_modified")}


@dataclass(frozen=True, slots=True)
class Items:
    """What the runs made of a source's items. fetched: every item tried (stored + unchanged +
    unreadable + failed); stored: documents stored from it (a redirected item's two URLs count
    once); unchanged: bytes already stored; unreadable: fetched or refused for good, with the
    cause (its `causes`: the latest few, newest first, each {url, cause, at}); failed: could not
    be fetched, tried again in the next runs."""
    fetched: int = 0
    stored: int = 0
    unchanged: int = 0
    unreadable: int = 0
    failed: int = 0
    causes: tuple[dict, ...] = ()

    def as_dict(self) -> dict:
        return {k: getattr(self, k) if k != "causes" else list(self.causes) for k in Items.__slots__}


def items(store: Store) -> dict[int, Items]:
    """Each source's Items, by source id (a source nothing was tried from has none)."""
    c = watch_items.c
    with store.connect() as conn:
        counts = conn.execute(select(c.source_id, c.status, func.count(), func.count(distinct(c.document_id)))
                              .group_by(c.source_id, c.status)).all()
        ranked = select(c.source_id, c.url, c.error, c.fetched_at, func.row_number().over(
            partition_by=c.source_id, order_by=(c.fetched_at.desc(), c.id.desc())).label("n")) \
            .where(c.status == "unreadable").subquery()
        latest = conn.execute(select(ranked).where(ranked.c.n <= LATEST_CAUSES)
                              .order_by(ranked.c.source_id, ranked.c.n)).all()
    tally: dict[int, dict] = {}
    for source_id, status, rows, docs in counts:
        kind = {"new": "stored"}.get(status, status)
        if kind in ("stored", "unchanged", "unreadable", "failed"):
            one = tally.setdefault(source_id, {"causes": []})
            one[kind] = docs if kind == "stored" else rows
    for row in latest:
        tally.setdefault(row.source_id, {"causes": []})["causes"].append(
            {"url": row.url, "cause": _cause(row.url, row.error or ""), "at": row.fetched_at})
    out = {}
    for source_id, one in tally.items():
        fetched = sum(one.get(k, 0) for k in ("stored", "unchanged", "unreadable", "failed"))
        out[source_id] = Items(fetched=fetched, **{**one, "causes": tuple(one["causes"])})
    return out


def _cause(url: str, error: str) -> str:
    """The error without the item's URL in front (a fetch error names it; the URL is shown beside)."""
    return error[len(url) + 2:] if error.startswith(url + ": ") else error


def status(store: Store) -> list[dict]:
    """Every source as as_dict() gives it, with its `items` (Items.as_dict()): what the Sources
    page, its JSON twin and `kurultai watch list` show."""
    tally = items(store)
    return [{**as_dict(s), "items": tally.get(s.id, Items()).as_dict()} for s in all_sources(store)]
