"""The ingest stage: where documents come from (files, folders, glob patterns, zip archives)
and, as it moves here from kurultai/store/ingest.py, how they are read, extracted and stored.
`kurultai extract`, `kurultai ingest`, the web upload and the Dask engine find documents
through the one `discover()`."""
from .sources import Source, discover

__all__ = ["Source", "discover"]
