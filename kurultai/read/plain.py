"""Plain text files (.txt, .text, .md): the decoded characters, nothing else changed."""
from __future__ import annotations

from .encoding import decode
from .meta import describe
from .text import Text


def read_plain(data: bytes, source: str) -> Text:
    """Decode `data` as it is: newlines, spaces and markup stay, only a byte-order mark goes,
    so that offsets into `raw` are offsets into the file's characters (a NUL byte becomes one
    U+FFFD, with a warning in `meta`)."""
    decoded = decode(data, source)
    extra = {"warnings": list(decoded.warnings)} if decoded.warnings else {}
    return Text(decoded.text, source, describe("txt", data, decoded.encoding, **extra))
