"""Result sets to take away: a page's rows as CSV or JSON, streamed as they are read, so that a
large result neither waits for its last row nor sits whole in memory.

CSV cells that a spreadsheet would run as a formula (beginning with = + - @, or a tab or carriage
return before one) are written with a leading apostrophe (neutralise_cell): a title or a name
copied from a web page is untrusted text.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from fastapi.responses import StreamingResponse

from .downloads import attachment

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading "'"."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_chunks(fields: tuple[str, ...], rows: Iterable[dict]) -> Iterator[str]:
    """The header, then each row as a CSV line (with a BOM first, so that spreadsheets read UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise_cell(row.get(f)) for f in fields])
        yield buffer.getvalue()


def json_chunks(head: dict, rows: Iterable[dict], key: str = "items") -> Iterator[str]:
    """`head` as a JSON object whose `key` is the rows, written one row at a time."""
    opening = json.dumps({**head, key: []}, ensure_ascii=False)
    yield opening[:-2]  # the object without its closing "]}"
    for k, row in enumerate(rows):
        yield ("" if k == 0 else ",") + json.dumps(row, ensure_ascii=False, default=str)
    yield "]}"


def table_response(kind: str, name: str, fields: tuple[str, ...], head: dict, rows: Iterable[dict],
                   key: str = "items") -> StreamingResponse:
    """The rows as a streamed download: `kind` "csv" or "json", saved as NAME.csv / NAME.json."""
    if kind == "csv":
        return StreamingResponse(csv_chunks(fields, rows), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": attachment(f"{name}.csv")})
    return StreamingResponse(json_chunks(head, rows, key), media_type="application/json",
                             headers={"Content-Disposition": attachment(f"{name}.json")})
