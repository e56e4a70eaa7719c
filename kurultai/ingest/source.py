"""`Source`: one document to read, as discovery finds it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..read import ReadError
from ..read.printable import printable


@dataclass(frozen=True)
class Source:
    """A document to read. `name` is how it is shown and stored: its path, or ARCHIVE!MEMBER,
    passed through `printable` by discovery. `load()` returns its bytes or raises ReadError.
    `path` is its name on disk or in its archive as the file system gave it (undecodable bytes
    as surrogate escapes), from which `kurultai extract -o` names its output."""

    name: str
    load: Callable[[], bytes]
    path: str | None = None


def failed(name: str, cause: str) -> Source:
    """A source that could not be found or opened: loading it raises ReadError with `cause`, so
    it is reported, and recorded, in the batch like any document that cannot be read."""
    def load() -> bytes:
        raise ReadError(name, cause)
    return Source(printable(name), load)
