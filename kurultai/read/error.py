"""The one exception every reader raises: it names the file and the cause in one line."""
from __future__ import annotations

from .printable import printable


class ReadError(Exception):
    """A document that cannot be read, for a reason a user can act on.

    `str(error)` is `"<path>: <cause>"` on one line, ready for a CLI message or a log: both pass
    through `printable`, so a file name with a newline, ESC or undecodable bytes is shown escaped.
    `args` holds `(path, cause)` so that the error pickles across Dask workers intact.
    """

    def __init__(self, path: str, cause: str) -> None:
        path = printable(path if isinstance(path, (str, bytes)) else str(path))
        cause = printable(" ".join(str(cause).split()))
        super().__init__(path, cause)
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        return f"{self.path}: {self.cause}"
