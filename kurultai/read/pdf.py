"""PDF: the text layer pdfium reads, page by page.

`raw` is the pages' text joined by "\\n\\f\\n", so the page of an offset is
`raw.count("\\f", 0, offset) + 1` and the clean-up sees a paragraph break between pages.
Two changes to what pdfium returns: its "\\r\\n" line ends become "\\n", and the U+FFFE it
puts where a line ended in a hyphen (joining the two lines) becomes "-".
Scanned pages have no text layer; OCR is out of scope.
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
    meta = describe("pdf", data, None, info.get("Title"), info.get("CreationDate"), pages=count)
    return Text(PAGE_BREAK.join(pages), source, meta)


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
