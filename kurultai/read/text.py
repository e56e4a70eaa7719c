"""The record every reader returns."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Text:
    """A document's decoded text. Every offset kurultai reports indexes `raw`.

    `meta` holds "format" ("txt", "pdf", "html", "docx", "rtf"), "encoding" (the text encoding
    the bytes were decoded from; None for PDF), "bytes" (the file size), and "title" and
    "published" (YYYY-MM-DD) when the document states them; PDFs add "pages". "warnings", when
    present, lists what reading had to work around (a charset declared wrongly, NUL bytes, PDF
    pages without a readable text layer, markup too deep for a tree).
    """

    raw: str
    source: str
    meta: dict = field(default_factory=dict)
