"""What reading adds to an extraction record."""
from __future__ import annotations


def with_warnings(record: dict, text) -> dict:
    """`record` with what the reader warned of (`text.meta["warnings"]`: a charset the page
    declared wrongly, NUL bytes, PDF pages without a readable text layer) as
    `document.warnings`, so that a stored record and `kurultai extract`'s output say how the
    text was read."""
    if text.meta.get("warnings"):
        record["document"]["warnings"] = list(text.meta["warnings"])
    return record
