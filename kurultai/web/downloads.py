"""Files the pages offer (calendars, letters, releases, briefings, CSV tables): registered twice,
where the pages link to them and under /api where they are documented and their errors answer in
JSON, each with a Content-Disposition whose file names are safe. A CSV goes out through
`csv_download`, whose cells cannot run as spreadsheet formulas."""
from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

from typing import Iterable, Sequence

from fastapi import FastAPI
from fastapi.responses import Response, StreamingResponse

from ..store import csvsafe


def attachment(name: str, fallback: str | None = None, inline: bool = False) -> str:
    """A Content-Disposition for a download: an ASCII file name (`fallback`, or `name` stripped of
    what is not ASCII), and the UTF-8 one beside it for the clients that read it."""
    def ascii_(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._-]+", "_", text)

    stem, suffix = os.path.splitext(fallback or name)
    stem = ascii_(stem).strip("._")
    plain = (stem if re.search(r"[A-Za-z0-9]", stem) else "download") + ascii_(suffix)
    return f"{'inline' if inline else 'attachment'}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(app: FastAPI, path: str, summary: str):
    """Register a file download at `path` (where the pages link to it) and at /api{path}, where
    it is documented and its errors answer in JSON."""
    def deco(fn):
        app.get("/api" + path, summary=summary, tags=["sessions"], response_class=Response)(fn)
        app.get(path, include_in_schema=False, response_class=Response)(fn)
        return fn
    return deco


def csv_download(name: str, fields: Sequence[str], records: Iterable[dict]) -> StreamingResponse:
    """A CSV file streamed row by row (a large result set never sits in memory), its cells
    neutralised against formula injection as `kurultai export` writes them (store/csvsafe.py)."""
    return StreamingResponse(csvsafe.rows(fields, records), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": attachment(name)})
