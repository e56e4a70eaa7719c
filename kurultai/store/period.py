"""Dates and periods as users give them (YYYY, YYYY-MM or YYYY-MM-DD), checked in one place for
every page, JSON endpoint and command: search, timeline, dashboards, briefing and agenda.

A date must be one the calendar has (no 2024-02-30) within FIRST_YEAR..LAST_YEAR, so that the
code that turns a period into days (the agenda's previous period, a month's last day) never
meets a year Python's dates cannot hold: `to=9999-12-31` or `from=0000` used to end in a 500.
"""
from __future__ import annotations

import datetime as dt
import re

FIRST_YEAR, LAST_YEAR = 1000, 2999
_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)  # ASCII digits: '２０２４' matched no date


class QueryError(ValueError):
    """A parameter that cannot be used; the message says which and why."""


def check_date(value: str | None, name: str) -> str | None:
    """`value` if it is a real date of the calendar in one of the three forms (None if blank);
    else a QueryError naming the parameter, the value and the forms."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    m = _FORM.fullmatch(value)
    shown = value if len(value) <= 40 else value[:40] + "…"
    if not m:
        raise QueryError(f"{name}: {shown!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise QueryError(f"{name}: {value!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise QueryError(f"{name}: {value!r} is not a date of the calendar ({exc})") from None
    return value


def first_day(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        y, m = parts
        return dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1) - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def check_period(date_from: str | None, date_to: str | None, names: tuple[str, str] = ("from", "to")
                 ) -> tuple[str | None, str | None]:
    """Both ends checked, and the start not after the end (an open end stays None)."""
    date_from, date_to = check_date(date_from, names[0]), check_date(date_to, names[1])
    if date_from and date_to and first_day(date_from) > last_day(date_to):
        raise QueryError(f"{names[0]} {date_from} is after {names[1]} {date_to}")
    return date_from, date_to
