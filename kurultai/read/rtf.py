"""RTF: the text of a Rich Text Format document, without its control words, font tables,
pictures or field codes (striprtf).

RTF is 7-bit markup whose non-ASCII letters are escapes (\\'ca, \\u1048?) in the code page the
header names (\\ansicpg1251); some writers put raw 8-bit bytes in that code page too, so the
markup is decoded with it before striprtf reads the escapes. `raw` is the text striprtf gives:
paragraphs end in "\\n".
"""
from __future__ import annotations

import codecs
import re

from striprtf.striprtf import rtf_to_text

from .error import ReadError
from .limits import limit_text, size_text
from .meta import describe
from .text import Text

MAGIC = b"{\\rtf"
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def read_rtf(data: bytes, source: str, *, max_markup: int) -> Text:
    """The document's text; `max_markup` bounds the markup read (a pure-Python parser's time
    grows with it)."""
    if len(data) > max_markup:
        raise ReadError(source, f"{size_text(len(data))} of RTF exceeds the {limit_text(max_markup)} limit for "
                                "markup (--max-markup)")
    encoding = _code_page(data)
    try:
        text = rtf_to_text(data.decode(encoding, errors="replace"), encoding=encoding, errors="replace")
    except (ValueError, IndexError, KeyError, LookupError, UnicodeError) as error:
        raise ReadError(source, f"not a valid RTF document ({type(error).__name__}: {error})") from None
    return Text(text, source, describe("rtf", data, encoding))


def _code_page(data: bytes) -> str:
    """The code page the header declares (\\ansicpg1251 -> cp1251), or cp1252, RTF's default."""
    match = _CODE_PAGE.search(data[:4096])
    if match:
        try:
            return codecs.lookup(f"cp{match.group(1).decode()}").name
        except LookupError:
            pass
    return "cp1252"
