"""What a document says about itself (title, date), as plain strings for `Text.meta`.

Formats state dates in their own ways: PDF "D:20220818100000+06'00'", HTML ISO 8601 strings,
DOCX datetimes. Only the calendar date is kept (YYYY-MM-DD): it is what extraction compares
with the dates in the text, and time zones in such metadata are rarely right.
"""
from __future__ import annotations

import datetime as dt
import re

_ISO_DATE = re.compile(r"(?:D:)?\s*(\d{4})-?(\d{2})-?(\d{2})")


def iso_date(value) -> str | None:
    """`value` (a datetime, a date, or a string starting with a date) as YYYY-MM-DD, or None."""
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def plain_title(value) -> str | None:
    """A title on one line without surrounding spaces, or None when there is none."""
    if not isinstance(value, str):
        return None
    title = " ".join(value.split())
    return title or None


def describe(fmt: str, data: bytes, encoding: str | None = None, title=None, published=None, **extra) -> dict:
    """The `Text.meta` dict: format, encoding, size in bytes, and title/published when known."""
    meta = {"format": fmt, "encoding": encoding, "bytes": len(data)}
    title, published = plain_title(title), iso_date(published)
    if title:
        meta["title"] = title
    if published:
        meta["published"] = published
    meta.update(extra)
    return meta
