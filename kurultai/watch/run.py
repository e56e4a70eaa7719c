"""One run over the sources: list each one's items, fetch the new ones, store them through the
same ingest path as `kurultai ingest` (kurultai/ingest/run.py: read, extract, store, reprints
linked), and record what happened.

What is new: an item whose normalised URL was seen is not fetched again; one whose bytes' SHA-256
is a stored document's is not extracted again (it is counted unchanged); a reprint of a stored
document is stored and linked to it, as ingest does. Each item is stored in one transaction with
the row that marks it seen, so a run killed at any point is completed by the next one, nothing
stored twice and nothing lost. A source that fails is recorded with its reason and tried again
later; it never stops the others. An item that fails to fetch is tried again in the next runs,
up to MAX_ATTEMPTS times; one whose bytes cannot be read is recorded among ingest's failures.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ..ingest import run as ingest
from ..ingest.extraction import extract_document
from ..read import Limits, ReadError, load
from ..store.db import Store
from ..store.documents import fail
from ..store.resolve import Index
from ..store.schema import documents, watch_items
from . import discover, sources as S
from .discover import Item, Malformed
from .fetch import LISTING_TYPES, Disallowed, FetchError, Fetcher
from .urls import normalise

MAX_ATTEMPTS = 3
MAX_ITEMS = 5000  # items of one source read in one run; the rest wait for the next


@dataclass
class Summary:
    """What one run did, for its one-line summary."""
    sources: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0  # items that could not be fetched (tried again in the next runs)
    unreadable: int = 0  # items fetched (or refused for good) whose bytes are no document kurultai reads
    sources_failed: int = 0
    refused: int = 0  # items robots.txt disallows
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source name, reason)

    def line(self) -> str:
        bad = f", {self.sources_failed} failed" if self.sources_failed else ""
        extra = f", {self.failed} items failed" if self.failed else ""
        extra += f", {self.unreadable} unreadable" if self.unreadable else ""
        extra += f", {self.refused} refused by robots.txt" if self.refused else ""
        return (f"{self.sources} source{'s' if self.sources != 1 else ''} run{bad}: {self.new} new, "
                f"{self.unchanged} unchanged{extra}")


@dataclass
class Run:
    """A run's shared state: the store, the extractor (loaded on the first new item, since natasha
    takes seconds), the fetch settings and the ingest limits."""
    store: Store
    extractor_factory: Callable[[], object]
    limits: Limits = Limits()
    delay: float = 1.0
    timeout: float = 20.0
    max_retry_after: float = 60.0
    progress: Callable[[str, str], None] | None = None
    _extractor: object | None = None
    _duplicates: object | None = None
    _index: Index = field(default_factory=Index)  # resolution's cache, across the run's documents as ingest keeps it

    @property
    def extractor(self):
        if self._extractor is None:
            self._extractor = self.extractor_factory()
        return self._extractor

    @property
    def duplicates(self):
        if self._duplicates is None:
            from ..store.duplicates import Duplicates
            self._duplicates = Duplicates.of_store(self.store)
        return self._duplicates

    def fetcher(self, source: S.Source) -> Fetcher:
        return Fetcher(allow_private=source.allow_private, delay=self.delay, timeout=self.timeout,
                       max_bytes=self.limits.max_bytes, max_retry_after=self.max_retry_after)

    def all(self, chosen: list[S.Source]) -> Summary:
        summary = Summary()
        for source in chosen:
            self.one(source, summary)
        return summary

    def one(self, source: S.Source, summary: Summary) -> None:
        """Run one source; its failure is recorded and counted, never raised."""
        summary.sources += 1
        try:
            with self.fetcher(source) as fetcher:
                kind, etag, modified, items = self._items(source, fetcher)
                if len(items) > MAX_ITEMS:  # the rest next time: the answer must then not be "not modified"
                    items, etag, modified = items[:MAX_ITEMS], None, None
                for item in items + self._retries(source, items):
                    status = self._item(source, fetcher, item)
                    if self.progress:
                        self.progress(item.url, status)
                    if status == "new":
                        summary.new += 1
                    elif status in ("unchanged", "seen"):
                        summary.unchanged += 1
                    elif status == "refused":
                        summary.refused += 1
                    elif status == "unreadable":
                        summary.unreadable += 1
                    else:
                        summary.failed += 1
        except ingest.STORE_FAULTS:
            raise  # the store itself failed: no other source can be stored either
        except (FetchError, Malformed, OSError) as exc:
            self._failed(source, summary, str(exc))
            return
        except Exception as exc:  # a bug met on one source's answer must not stop the others; kept with its reason
            self._failed(source, summary, f"unexpected error ({type(exc).__name__}: {exc})")
            return
        S.succeeded(self.store, source, kind, etag, modified)

    def _failed(self, source: S.Source, summary: Summary, reason: str) -> None:
        summary.sources_failed += 1
        summary.errors.append((source.name, reason))
        S.failed(self.store, source, reason)

    # -- a source's items -----------------------------------------------------------------------------------------

    def _items(self, source: S.Source, fetcher: Fetcher) -> tuple[str, str | None, str | None, list[Item]]:
        if source.kind == "telegram":
            return "telegram", None, None, discover.telegram_items(Path(source.url), source.match)
        page = fetcher.get(source.url, source.etag, source.last_modified, types=LISTING_TYPES)
        if page.status == 304:
            return source.kind, source.etag, source.last_modified, []
        kind = source.kind if source.kind != "auto" else discover.kind_of(page.data)
        if kind == "feed":
            items = discover.feed_items(page.data, page.url)
        elif kind == "sitemap":
            items = discover.sitemap_items(page.data, page.url, lambda u: fetcher.get(u, types=LISTING_TYPES).data)
        else:
            items = self._listing(source, fetcher, page.data, page.url)
        if source.match and kind != "listing":
            import re
            items = [i for i in items if re.search(source.match, i.url)]
        return kind, page.etag, page.last_modified, items

    def _retries(self, source: S.Source, listed: list[Item]) -> list[Item]:
        """Items of the source that failed before and are due another try, though it lists them no
        more (or answered 304)."""
        keys = {normalise(i.url) if i.url.startswith(("http://", "https://")) else i.url for i in listed}
        with self.store.connect() as conn:
            urls = conn.execute(select(watch_items.c.url).where(
                watch_items.c.source_id == source.id, watch_items.c.status == "failed",
                watch_items.c.attempts < MAX_ATTEMPTS).order_by(watch_items.c.id)).scalars().all()
        return [Item(u) for u in urls if u not in keys and u.startswith(("http://", "https://"))]

    def _listing(self, source: S.Source, fetcher: Fetcher, data: bytes, url: str) -> list[Item]:
        items, read = [], {normalise(url)}
        for page_number in range(source.depth):
            found, following = discover.listing_links(data, url, source.match)
            items += found
            if not following or normalise(following) in read or page_number + 1 >= source.depth:
                break
            read.add(normalise(following))
            url = following
            data = fetcher.get(url, types=LISTING_TYPES).data
        unique = {}
        for item in items:
            unique.setdefault(normalise(item.url), item)
        return list(unique.values())

    # -- one item ---------------------------------------------------------------------------------------------------

    def _item(self, source: S.Source, fetcher: Fetcher, item: Item) -> str:
        key = normalise(item.url) if item.url.startswith(("http://", "https://")) else item.url
        attempts = self._attempts(key)
        if attempts is None:
            return "seen"
        try:
            data, url = self._bytes(fetcher, item)
        except Disallowed:
            return "refused"
        except (FetchError, ReadError) as exc:
            retry = exc.retry if isinstance(exc, FetchError) else False
            return self._mark(source, key, None, "failed" if retry else "unreadable", attempts + 1, str(exc))
        return self._store(source, key, url, item, data, attempts)

    def _attempts(self, key: str) -> int | None:
        """How often the item failed before (0 if never seen); None when it needs no fetch."""
        with self.store.connect() as conn:
            row = conn.execute(select(watch_items.c.status, watch_items.c.attempts)
                               .where(watch_items.c.url == key)).first()
        if row is None:
            return 0
        if row.status == "failed" and row.attempts < MAX_ATTEMPTS:
            return row.attempts
        return None

    def _bytes(self, fetcher: Fetcher, item: Item) -> tuple[bytes, str]:
        if item.data is not None:
            return item.data, item.url
        if item.path is not None:
            return load(item.path, self.limits.max_bytes), item.path
        page = fetcher.get(item.url)
        return page.data, page.url

    def _store(self, source: S.Source, key: str, url: str, item: Item, data: bytes, attempts: int) -> str:
        sha = hashlib.sha256(data).hexdigest()
        known = ingest.stored_document(self.store, sha)
        fetched = S.stamp(S.now())
        origin = dict(watch_source_id=source.id, url=url, fetched_at=fetched)
        if known is not None:
            with self.store.begin() as conn:
                conn.execute(update(documents).where(documents.c.id == known, documents.c.watch_source_id.is_(None))
                             .values(**origin, page_date=item.date))
                return self._seen(conn, source, key, sha, "unchanged", known, attempts, None, fetched)
        name = url
        report = ingest.Report()
        try:
            done = extract_document(data, name, self.extractor, self.limits, sha)
        except ReadError as exc:
            return self._unreadable(source, key, name, sha, exc.cause, attempts, fetched, report)
        except Exception as exc:  # an extractor bug must not stop the run; the reason is kept, as ingest does
            return self._unreadable(source, key, name, sha, f"extraction failed ({type(exc).__name__}: {exc})",
                                    attempts, fetched, report)
        page_date = item.date or done.record["document"].get("published")
        try:
            with self.store.begin() as conn:
                ingest.store_one(self.store, report, name, sha, data, done, self.extractor.registry, self._index,
                                 duplicates=self.duplicates, conn=conn)
                doc_id = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()
                conn.execute(update(documents).where(documents.c.id == doc_id).values(**origin, page_date=page_date))
                if url.startswith(("http://", "https://")) and normalise(url) != key:  # redirected: both are seen
                    self._seen(conn, source, normalise(url), sha, "new", doc_id, 0, None, fetched)
                return self._seen(conn, source, key, sha, "new", doc_id, attempts, None, fetched)
        except IntegrityError:  # another run stored it meanwhile
            self._duplicates = None
            self._index.forget()
            return "unchanged"

    def _unreadable(self, source, key, name, sha, cause, attempts, fetched, report) -> str:
        with self.store.begin() as conn:
            fail(self.store, report, name, sha, cause, conn=conn)
            return self._seen(conn, source, key, sha, "unreadable", None, attempts + 1, cause, fetched)

    def _mark(self, source: S.Source, key: str, sha: str | None, status: str, attempts: int, error: str) -> str:
        with self.store.begin() as conn:
            return self._seen(conn, source, key, sha, status, None, attempts, error, S.stamp(S.now()))

    @staticmethod
    def _seen(conn, source, key, sha, status, doc_id, attempts, error, fetched) -> str:
        values = dict(source_id=source.id, sha256=sha, status=status, document_id=doc_id, attempts=attempts,
                      error=error, fetched_at=fetched)
        changed = conn.execute(update(watch_items).where(watch_items.c.url == key).values(**values)).rowcount
        if not changed:
            conn.execute(insert(watch_items).values(url=key, **values))
        return status
