"""CSV that a spreadsheet opens as data: a text cell that begins with `=`, `+`, `-` or `@` (or a
tab or carriage return, which some spreadsheets skip before reading one of those) would be run
as a formula — `=HYPERLINK(...)` in a report's title is enough — so it is written with a `'`
before it, as OWASP advises for CSV injection. Numbers stay numbers. Every CSV kurultai writes
(`kurultai export`, the web's downloads) goes through `rows`."""
from __future__ import annotations

import csv
import io
from itertools import chain
from typing import Any, Iterable, Iterator, Sequence

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def neutral(value: Any) -> Any:
    """The cell as it is safe to write: text that a spreadsheet would take for a formula gets a
    leading `'`; a list becomes its items joined by `; `; None an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def rows(fields: Sequence[str], records: Iterable[dict]) -> Iterator[str]:
    """The CSV text line by line, header first (`records` are dicts keyed by `fields`): for a
    streamed download, or a file."""
    buffer = io.StringIO()
    w = csv.writer(buffer)
    for cells in chain([list(fields)], ([record.get(name) for name in fields] for record in records)):
        w.writerow([neutral(c) for c in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write(f, fields: Sequence[str], records: Iterable[dict]) -> None:
    """Write the header and `records` to the open text file `f` (opened with newline="")."""
    for line in rows(fields, records):
        f.write(line)
