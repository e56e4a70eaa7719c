"""The ingest stage: where documents come from (files, folders, glob patterns, zip archives),
how each is read and extracted once (`extract_document` -> `pipeline.Extraction`), and how the
batch is stored (`ingest`). `kurultai extract`, `kurultai ingest`, the web upload, the watcher
and the Dask engine find, read and extract documents through these same functions.

Only `sources` is imported here: discovery must not load the store or the extractor."""
from .sources import Source, discover

__all__ = ["Source", "discover"]
