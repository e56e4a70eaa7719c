"""Atom feeds (feedgen) of kurultai's own listings: an alert's matches, search results, an
institution's events. Readable in any feed reader; every value is escaped by the XML writer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # unique within the feed: "doc-12", "event-7"
    title: str
    link: str  # absolute URL of its page
    updated: str | None  # ISO 8601 date or date-time
    summary: str = ""


def when(value: str | None) -> dt.datetime:
    """An ISO date or date-time (a YYYY or YYYY-MM too) as an aware datetime; the epoch when unknown."""
    if not value:
        return EPOCH
    value = value.strip()
    for size, suffix in ((4, "-01-01"), (7, "-01")):
        if len(value) == size:
            value += suffix
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return EPOCH
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def feed(feed_id: str, title: str, self_link: str, alternate: str, entries: list[Entry]) -> bytes:
    """The Atom document: `feed_id` a stable URI, `self_link` where it is read, `alternate` its page."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title or "kurultai")
    fg.author({"name": "kurultai"})
    fg.link(href=self_link, rel="self")
    fg.link(href=alternate, rel="alternate")
    fg.generator("kurultai")
    fg.updated(max((when(e.updated) for e in entries), default=dt.datetime.now(dt.timezone.utc)))
    for e in reversed(entries):  # feedgen prepends: the first entry given ends up first
        fe = fg.add_entry()
        fe.id(f"{feed_id}:{e.key}")
        fe.title(_clean(e.title) or e.key)
        fe.link(href=e.link)
        fe.updated(when(e.updated))
        if e.summary:
            fe.summary(_clean(e.summary))
    return fg.atom_str(pretty=True)


def _clean(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold (a PDF's text may carry some)."""
    return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20).strip()
