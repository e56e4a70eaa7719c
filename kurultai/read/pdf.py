"""PDF: the text layer pdfium reads, page by page.

`raw` is the pages' text joined by "\\n\\f\\n", so the page of an offset is
`raw.count("\\f", 0, offset) + 1` and the clean-up sees a paragraph break between pages.
Two changes to what pdfium returns: its "\\r\\n" line ends become "\\n", and the U+FFFE it
puts where a line ended in a hyphen (joining the two lines) becomes "-".
Scanned pages have no text layer; OCR is out of scope. A text layer can also be garbage: a font
without a Unicode map gives private-use code points or symbols for its glyphs. A page whose
characters are mostly neither letters nor digits has no readable layer; a PDF with no readable
page is refused (`no readable text layer`), and one with some is read with a warning naming the
others.
"""
from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .error import ReadError
from .meta import describe
from .text import Text

PAGE_BREAK = "\n\f\n"


def read_pdf(data: bytes, source: str, *, max_pages: int, max_chars: int | None = None) -> Text:
    """The text layer of every page; reading stops as soon as the text passes `max_chars`, so a
    long PDF costs no more than the characters it may have."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ReadError(source, _load_failure(error)) from None
    try:
        count = len(document)
        if count > max_pages:
            raise ReadError(source, f"{count} pages exceed the {max_pages}-page limit (--max-pages)")
        pages, damaged, chars = [], 0, 0
        for index in range(count):
            try:
                pages.append(_page_text(document, index))
            except pdfium.PdfiumError:
                pages.append("")
                damaged += 1
            chars += len(pages[-1]) + len(PAGE_BREAK)
            if max_chars is not None and chars > max_chars + len(PAGE_BREAK):
                raise ReadError(source, f"more than {max_chars:,} characters by page {index + 1} of {count}, over "
                                        f"the {max_chars:,}-character limit (--max-chars)")
        info = _metadata(document)
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        if damaged:
            raise ReadError(source, f"damaged PDF (none of its {count} pages could be read)")
        raise ReadError(source, "no text layer (scanned PDF? OCR is not supported)")
    judged = [_readable(page) for page in pages]
    unreadable = [index + 1 for index, readable in enumerate(judged) if readable is False]
    if unreadable and True not in judged:
        raise ReadError(source, "no readable text layer (its characters are mostly symbols or private-use glyphs: "
                                "fonts without a Unicode map; OCR is not supported)")
    extra = {"warnings": [f"no readable text layer on page{'s' if len(unreadable) > 1 else ''} "
                          f"{_pages(unreadable)} of {count}"]} if unreadable else {}
    meta = describe("pdf", data, None, info.get("Title"), info.get("CreationDate"), pages=count, **extra)
    return Text(PAGE_BREAK.join(pages), source, meta)


MIN_READABLE = 0.5
"""Least share of letters and digits among a page's visible characters for its text to count
as read (prose has about 80%, a table of figures more; a layer of unmapped glyphs far less)."""


def _readable(page: str) -> bool | None:
    """Whether a page's text layer reads as text; None when it has too few characters to tell
    (a blank page, a picture with a page number)."""
    visible = [ch for ch in page[:100_000] if not ch.isspace()]
    if len(visible) < 20:
        return None
    return sum(1 for ch in visible if ch.isalnum()) >= MIN_READABLE * len(visible)


def _pages(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _load_failure(error: Exception) -> str:
    code = getattr(error, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "encrypted PDF (password required)"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "encrypted PDF (unsupported security scheme)"
    if code == pdfium_c.FPDF_ERR_FORMAT:
        return "not a valid PDF (damaged or truncated)"
    return f"not a valid PDF ({error})"


def _page_text(document, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")


def _metadata(document) -> dict:
    try:
        return document.get_metadata_dict()
    except pdfium.PdfiumError:
        return {}
