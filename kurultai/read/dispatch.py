"""`read()`: open a file within the limits, choose its reader, and refuse what has no text.

The suffix chooses the reader. The bytes decide when the suffix is unknown or missing (a
downloaded "report" or "file.bin"), and when a text suffix hides a PDF, a .docx, RTF or a legacy
.doc, whose magic numbers a text file cannot plausibly start with.
"""
from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import PurePath

from .docx import OLE_MAGIC, read_docx
from .error import ReadError
from .html import read_html
from .limits import MAX_BYTES, MAX_CHARS, MAX_MARKUP, MAX_PAGES, MAX_UNPACKED, limit_text, size_text
from .pdf import read_pdf
from .plain import read_plain
from .rtf import MAGIC as RTF_MAGIC, read_rtf
from .text import Text

SUFFIXES = {
    ".txt": "txt", ".text": "txt", ".md": "txt", "": "txt",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
    ".rtf": "rtf",
}
"""Formats by file suffix (lower case). Files without a suffix are read as text unless their
bytes say otherwise."""

_HTML_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_VISIBLE = re.compile(r"[^\s\u00ad\u200b-\u200d\u2060\ufeff\x00-\x1f\x7f-\x9f]")


def read(
    path: str | os.PathLike,
    *,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
    max_unpacked: int = MAX_UNPACKED,
    max_markup: int = MAX_MARKUP,
    max_chars: int = MAX_CHARS,
) -> Text:
    """Read the document at `path` into a `Text`, or raise ReadError naming the file and why.

    `max_bytes` bounds the file size, `max_pages` a PDF's page count, `max_unpacked` a .docx's
    decompressed size, `max_markup` an HTML page's size and a .docx's XML parts, `max_chars`
    the characters of text.
    """
    source = os.fspath(path)
    source = source if isinstance(source, str) else os.fsdecode(source)
    data = load(source, max_bytes)
    return read_bytes(data, source, max_bytes=max_bytes, max_pages=max_pages, max_unpacked=max_unpacked,
                      max_markup=max_markup, max_chars=max_chars)


def read_bytes(
    data: bytes,
    source: str,
    *,
    suffix: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
    max_unpacked: int = MAX_UNPACKED,
    max_markup: int = MAX_MARKUP,
    max_chars: int = MAX_CHARS,
) -> Text:
    """Read a document already in memory (an upload, an archive member). `source` names it in
    errors and in `Text.source`; `suffix` defaults to the suffix of `source`."""
    if len(data) > max_bytes:
        raise ReadError(source, f"{size_text(len(data))} exceeds the {limit_text(max_bytes)} limit (--max-bytes)")
    if not data:
        raise ReadError(source, "empty file")
    fmt = _format(data, PurePath(source).suffix if suffix is None else suffix, source)
    if fmt == "pdf":
        text = read_pdf(data, source, max_pages=max_pages, max_chars=max_chars)
    elif fmt == "docx":
        text = read_docx(data, source, max_unpacked=max_unpacked, max_markup=max_markup)
    elif fmt == "html":
        if len(data) > max_markup:
            raise ReadError(source, f"{size_text(len(data))} of HTML exceeds the {limit_text(max_markup)} limit "
                                    "for markup (--max-markup)")
        text = read_html(data, source)
    elif fmt == "rtf":
        text = read_rtf(data, source, max_markup=max_markup)
    else:
        text = read_plain(data, source)
    if len(text.raw) > max_chars:
        raise ReadError(source, f"{len(text.raw):,} characters exceed the {max_chars:,}-character limit (--max-chars)")
    if not _VISIBLE.search(text.raw):
        raise ReadError(source, "no text")
    return text


def _format(data: bytes, suffix: str, source: str) -> str:
    """"txt", "pdf", "html", "docx" or "rtf": the suffix's format, or what the bytes show."""
    fmt = SUFFIXES.get(suffix.lower())
    if fmt not in (None, "txt"):
        return fmt
    unknown = fmt is None or not suffix  # a .txt that starts like a web page is still a .txt
    if data.startswith(b"%PDF-") or (unknown and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith(RTF_MAGIC):  # a Word "Save as .txt" that kept RTF, or a downloaded "report"
        return "rtf"
    if data.startswith(OLE_MAGIC):
        raise ReadError(source, "a legacy Word .doc or another OLE file (not supported; save it as .docx)")
    if data.startswith(b"PK\x03\x04"):
        if not _has_word_document(data):
            raise ReadError(source, "a zip archive, not a .docx (not supported)")
        return "docx"
    if unknown and _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return "html"
    return "txt"


def _has_word_document(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        return False


def load(source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing what is not a regular file (a FIFO or a device would block or
    never end) and reading at most `max_bytes` + 1 bytes even if the file grows meanwhile."""
    try:
        info = os.stat(source)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(source, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(source, "not a regular file")
        if info.st_size > max_bytes:
            raise ReadError(source, f"{size_text(info.st_size)} exceeds the {limit_text(max_bytes)} limit (--max-bytes)")
        with open(source, "rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise ReadError(source, "no such file") from None
    except PermissionError:
        raise ReadError(source, "permission denied") from None
    except OSError as error:
        raise ReadError(source, (error.strerror or str(error)).lower()) from None
    if len(data) > max_bytes:
        raise ReadError(source, f"more than {limit_text(max_bytes)} (--max-bytes); the file grew while read")
    return data
