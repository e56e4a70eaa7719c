"""File names (and messages that hold them) as kurultai prints and stores them: one line of
valid text that a terminal shows and never acts on.

A Linux file name is bytes. Python decodes one that is not UTF-8 (a cp1251 or KOI8-R name from
an old archive) with surrogate escapes, which neither a terminal, a UTF-8 file nor a database
accepts; a name may also hold a newline (which forges a second error line), ESC (a terminal
escape sequence) or a bidirectional override (which reorders what a reader sees). `printable`
writes each such character as a visible escape, as `ls -b` does: `\\xcf` for an undecodable
byte, `\\n`, `\\x1b`, `\\u202e`. It is the one function through which every name kurultai shows
or stores passes; applied twice it changes nothing more.
"""
from __future__ import annotations

import os
import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls, and the lone
surrogates of undecodable bytes."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str | bytes | os.PathLike) -> str:
    """`text` with every character a terminal, a log line or a database would mishandle escaped.

    Bytes (a raw file name) are decoded as UTF-8 with surrogate escapes first, so an undecodable
    byte 0xCF is shown as `\\xcf` whatever its origin."""
    text = os.fspath(text)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # the byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"
