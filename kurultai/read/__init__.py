"""Reading documents into text: one reader per format, all returning `Text(raw, source, meta)`,
and a clean-up whose offset map leads every cleaned character back to `raw`.

    text = read("report.pdf")      # Text; raises ReadError("report.pdf: <cause>")
    cleaned = clean(text.raw)      # Cleaned(text, offsets); cleaned.to_raw(start, end)
"""
from .clean import Cleaned, Offsets, clean
from .dispatch import SUFFIXES, load, read, read_bytes
from .error import ReadError
from .limits import MAX_BYTES, MAX_CHARS, MAX_MARKUP, MAX_PAGES, MAX_SECONDS, MAX_UNPACKED, Limits
from .printable import printable
from .text import Text

__all__ = [
    "Cleaned", "Limits", "MAX_BYTES", "MAX_CHARS", "MAX_MARKUP", "MAX_PAGES", "MAX_SECONDS", "MAX_UNPACKED",
    "Offsets", "ReadError", "SUFFIXES", "Text", "clean", "load", "printable", "read", "read_bytes",
]
