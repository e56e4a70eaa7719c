"""Reading and extracting one document within its limits: the step `kurultai extract`,
`kurultai ingest`, the web upload, the watcher and the Dask workers share. What comes out is one
`pipeline.Extraction`, made once; the store takes it as it is."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..deadline import TimeLimit, time_limit
from ..read import Limits, ReadError, Text, read_bytes
from .record import with_warnings

if TYPE_CHECKING:  # the extractor is loaded by whoever passes one
    from ..pipeline import Extraction


def read_document(data: bytes, source: str, limits: Limits = Limits()) -> Text:
    """The text of `data` (named `source`), within `limits`; raises ReadError naming the cause."""
    return read_bytes(data, source, **limits.reading())


def extract_text(text: Text, extractor, sha256: str | None = None) -> Extraction:
    """The extraction of `text`, with what the reader warned of kept in its record
    (`document.warnings`); `sha256` (its original's bytes') names the document a store keeps."""
    done = extractor.extraction(text, sha256)
    with_warnings(done.record, done.text)
    return done


def extract_document(data: bytes, source: str, extractor, limits: Limits = Limits(),
                     sha256: str | None = None) -> Extraction:
    """Read and extract one document within `limits`; one that takes longer than
    `limits.max_seconds` raises ReadError saying so."""
    try:
        with time_limit(limits.max_seconds):
            return extract_text(read_document(data, source, limits), extractor, sha256)
    except TimeLimit:
        raise ReadError(source, limits.too_slow("reading and extraction")) from None
