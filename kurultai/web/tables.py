"""Result sets to take away: a page's rows as CSV or JSON, streamed as they are read, so that a
large result neither waits for its last row nor sits whole in memory.

CSV cells that a spreadsheet would run as a formula (beginning with = + - @, or a tab or carriage
return before one) are written with a leading apostrophe (store/csvsafe.py): a title or a name
copied from a web page is untrusted text.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from fastapi.responses import StreamingResponse

from ..store import csvsafe
from .downloads import attachment


def csv_chunks(fields: tuple[str, ...], rows: Iterable[dict]) -> Iterator[str]:
    """The header, then each row as a CSV line (with a BOM first, so that spreadsheets read UTF-8);
    cells neutralised as every CSV kurultai writes (store/csvsafe.py)."""
    for k, line in enumerate(csvsafe.rows(fields, rows)):
        yield "\ufeff" + line if k == 0 else line


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
