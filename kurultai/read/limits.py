"""Default resource limits for one document, and how a size reads in an error message.

A document is untrusted input: the limits keep one bad file from exhausting memory or time.
`read()` takes each reading limit as a keyword argument; `kurultai ingest` exposes them all as
--max-bytes, --max-pages, --max-unpacked, --max-markup, --max-chars and --max-seconds, and
`Limits` carries them as one value through ingest, the web upload and the Dask workers.

What the defaults bound, measured on one core (tests/test_bad_input.py and the module notes in
bench/RESULTS.md): extraction costs about 60 us and 2 KB of memory per character of text, and
more on dense lists of names, so 500,000 characters take up to ~30 s and ~0.9 GB; parsing HTML
costs ~1.5 s and ~60 MB per MB of dense markup, a .docx's XML ~0.15 s and ~10 MB per MB. The
time limit stops whatever the size limits let through (a 150,000-character list of institutions
takes minutes to extract).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1_000_000

MAX_BYTES = 50 * MB
"""Largest file `read()` opens, in bytes on disk."""

MAX_PAGES = 2000
"""Most pages a PDF may have."""

MAX_UNPACKED = 200 * MB
"""Largest total size of a .docx's members once decompressed, and of everything inside an archive
that is itself inside an archive (guards against zip bombs)."""

MAX_NESTING = 3
"""Most archives inside one another below the one given (a zip in a zip in a zip in a zip): a
zip bomb's layers nest deeper than any archive of reports."""

MAX_MARKUP = 10 * MB
"""Largest HTML page, and largest XML part of a .docx once decompressed: markup is parsed into
a tree whose memory is many times its size."""

MAX_CHARS = 500_000
"""Most characters of text a document may have (about 150 pages); extraction time and memory
grow with it."""

MAX_SECONDS = 60.0
"""Longest time reading and extracting one document may take (see kurultai.deadline)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Every limit on one document, as one value passed from the command line to the readers."""

    max_bytes: int = MAX_BYTES
    max_pages: int = MAX_PAGES
    max_unpacked: int = MAX_UNPACKED
    max_markup: int = MAX_MARKUP
    max_chars: int = MAX_CHARS
    max_seconds: float = MAX_SECONDS

    def reading(self) -> dict:
        """The keyword arguments of `read()` and `read_bytes()`."""
        limits = asdict(self)
        del limits["max_seconds"]
        return limits

    def too_slow(self, work: str) -> str:
        """Why a document was given up: `work` ("extraction", ...) ran past max_seconds."""
        return f"{work} took longer than {self.max_seconds:g} s, the limit per document (--max-seconds)"


def size_text(n: int) -> str:
    """`n` bytes as people read it: "120.0 MB", "2.0 KB", "512 bytes" (decimal units, as in
    the limits: 1 MB is 1,000,000 bytes)."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1000:
        return f"{n / 1000:.1f} KB"
    return f"{n} bytes"


def limit_text(n: int) -> str:
    """A limit as set, without a spurious decimal: "50 MB", "52.4 MB", "1 KB", "999 bytes"."""
    if n >= MB:
        return f"{round(n / MB, 1):g} MB"
    if n >= 1000:
        return f"{round(n / 1000, 1):g} KB"
    return f"{n} bytes"
