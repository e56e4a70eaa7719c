"""Default resource limits for reading, and how a size reads in an error message.

A document is untrusted input: the limits keep one bad file from exhausting memory or time.
`read()` takes each as a keyword argument; the CLI exposes them as --max-bytes, --max-pages
and --max-unpacked.
"""
from __future__ import annotations

MB = 1_000_000

MAX_BYTES = 50 * MB
"""Largest file `read()` opens, in bytes on disk."""

MAX_PAGES = 2000
"""Most pages a PDF may have."""

MAX_UNPACKED = 200 * MB
"""Largest total size of a .docx's members once decompressed (guards against zip bombs)."""


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
