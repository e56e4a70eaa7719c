"""Uploads: files or .zip archives posted to /upload (the page) or /api/upload (JSON, or NDJSON
streamed as each document is stored). Each file is spooled under a safe name to a temporary
folder, then ingested in a worker thread (ingest.run, one upload at a time: the extractor's
models are shared) and the folder removed.
"""
from __future__ import annotations

import json
import queue
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Callable

from fastapi import Depends, FastAPI, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..ingest.run import ingest_sources
from ..ingest.source import Source
from ..ingest.sources import discover
from .auth import require
from .site import UPLOADED, Site, twin, upload_limits


@dataclass
class Saved:
    name: str
    path: Path | None = None
    error: str | None = None


def safe_name(filename: str | None) -> str:
    """A file name that stays inside the upload folder: the last path component, no leading dots,
    no separators or control characters, at most 120 characters (the suffix kept)."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^\w.\- ()+,]", "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:110] + "." + suffix[:9]) if dot and len(suffix) <= 9 else name[:120]
    return name or "upload"


def _save(files: list[UploadFile], folder: Path) -> list[Saved]:
    out = []
    max_file = upload_limits()[0]
    for i, upload in enumerate(files):
        name = safe_name(upload.filename)
        where = folder / str(i)
        where.mkdir()
        path = where / name
        size = 0
        with open(path, "wb") as f:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > max_file:
                    break
                f.write(chunk)
        if size > max_file:
            path.unlink()
            out.append(Saved(name, error=f"exceeds the {max_file / 1e6:.0f} MB limit"))
        else:
            out.append(Saved(name, path))
    return out


def _ingest_saved(site: Site, saved: list[Saved], folder: Path, emit: Callable[[dict], None]) -> None:
    """Ingest the saved files one by one, telling `emit` of each document (a .zip has several):
    {"file", "source", "status"} as it is stored, then {"..., "reason"} for each failure."""
    try:
        with site.ingest_lock:
            extractor = site.get_extractor()
            for s in saved:
                if s.error:
                    emit({"file": s.name, "source": s.name, "status": "failed", "reason": s.error})
                    continue
                base = str(s.path.parent) + "/"
                # stored as upload/NAME (upload/ARCHIVE.zip/MEMBER), not under the temporary folder
                named = (Source(UPLOADED + (x.name[len(base):] if x.name.startswith(base) else Path(x.name).name),
                                x.load) for x in discover([s.path]))
                shown = lambda source: source[len(UPLOADED):] if source.startswith(UPLOADED) else source
                told = []

                def progress(source: str, status: str, s=s, shown=shown, told=told) -> None:
                    told.append(source)
                    emit({"file": s.name, "source": shown(source), "status": status})

                report = ingest_sources(site.store, named, extractor, progress=progress)
                for source, cause in report.failed:
                    emit({"file": s.name, "source": shown(source), "status": "failed", "reason": cause})
                if not told:
                    emit({"file": s.name, "source": s.name, "status": "failed",
                          "reason": "no documents in the archive" if s.name.lower().endswith(".zip") else "nothing to read"})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _summary(lines: list[dict]) -> dict:
    files: dict[tuple[str, str], dict] = {}
    for line in lines:
        key = (line["file"], line["source"])
        files[key] = {**files.get(key, {}), **line}
    items = list(files.values())
    count = lambda status: sum(1 for f in items if f["status"] == status)
    return {"new": count("new"), "unchanged": count("unchanged"), "reextracted": count("reextracted"),
            "failed": count("failed"), "files": items}


def limits() -> dict:
    """What an upload accepts: the sizes, and the file suffixes the readers know."""
    from ..read.dispatch import SUFFIXES
    max_file, max_request = upload_limits()
    return {"max_file_bytes": max_file, "max_request_bytes": max_request,
            "suffixes": sorted({s for s in SUFFIXES if s} | {".zip"})}


async def received(request: Request) -> tuple[list[Saved], Path]:
    """The files the form sent, saved to a new temporary folder (removed again on failure)."""
    form = await request.form(max_files=1000, max_fields=100)
    files = [f for f in form.getlist("files") if not isinstance(f, str) and f.filename]
    if not files:
        raise HTTPException(400, "no files were sent: post them as multipart/form-data field 'files'")
    folder = Path(tempfile.mkdtemp(prefix="kurultai-upload-"))
    try:
        return await run_in_threadpool(_save, files, folder), folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _streamed(site: Site, saved: list[Saved], folder: Path, told: Callable[[dict], dict]) -> StreamingResponse:
    """NDJSON, one line per document as it is stored and a summary line last, from a worker thread
    (the client reads while the ingest goes on)."""
    q: queue.Queue = queue.Queue()

    def work() -> None:
        lines: list[dict] = []
        try:
            def emit(line: dict) -> None:
                lines.append(told(line))
                q.put(line)
            _ingest_saved(site, saved, folder, emit)
            summary = _summary(lines)
            summary.pop("files")
            q.put({"done": True, **summary})
        except Exception as exc:  # told to the client, which is still reading
            q.put({"done": True, "error": f"{type(exc).__name__}: {exc}"})
            raise
        finally:
            q.put(None)

    threading.Thread(target=work, name="kurultai-upload", daemon=True).start()

    def lines_out():
        while (item := q.get()) is not None:
            yield json.dumps(item, ensure_ascii=False) + "\n"

    return StreamingResponse(lines_out(), media_type="application/x-ndjson")


BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                             "description": "Documents (.txt, .pdf, .html, .docx) or .zip archives of them."}}}}}}


def install(app: FastAPI, site: Site) -> None:
    """Add /upload (the form and its twin) and the uploads themselves to `app`."""
    @twin(app, site, "/upload", "upload.html", "What uploads accept", tags=["upload"])
    def upload_form(request: Request) -> dict:
        return {**limits(), "results": None}

    @app.post("/api/upload", summary="Ingest uploaded files or .zip archives", tags=["upload"],
              openapi_extra={"requestBody": BODY},
              responses={200: {"description": "A summary (JSON), or with `stream` one JSON line per document",
                               "content": {"application/json": {}, "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def upload_api(request: Request, user: Annotated[dict, Depends(require("editor"))],
                         stream: Annotated[bool, Query(description="Answer as NDJSON, one line per document as it "
                                                                   "is stored, then a summary line.")] = False):
        """Each file is saved under a sanitised name in a temporary folder, ingested (a document
        already stored is `unchanged`) and reported with its status: new, unchanged or failed with
        the reason. At most 50 MB per file. Needs an editor's login and its X-CSRF-Token header."""
        saved, folder = await received(request)
        lang = site.lang(request)

        def told(line: dict) -> dict:
            """A failure's reason, and, for a page in another language, `reason_text` in it."""
            if line.get("reason") and lang != "en":
                line["reason_text"] = site.labels.error(line["reason"], lang)
            return line

        if stream:
            return _streamed(site, saved, folder, told)
        lines: list[dict] = []
        await run_in_threadpool(_ingest_saved, site, saved, folder, lambda line: lines.append(told(line)))
        return _summary(lines)

    @app.post("/upload", include_in_schema=False, response_class=HTMLResponse)
    async def upload_page(request: Request, user: Annotated[dict, Depends(require("editor"))]):
        saved, folder = await received(request)
        lines: list[dict] = []
        await run_in_threadpool(_ingest_saved, site, saved, folder, lines.append)
        return site.render(request, "upload.html", data={**limits(), "results": _summary(lines)})
