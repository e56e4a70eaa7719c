"""The knowledge base: records stored, entities resolved across documents, searched.

    store = Store.open("kurultai.db")            # or "postgresql://user@host/db"
    report = kurultai.ingest.run.ingest(store, ["reports/"], extractor)
    hits, total = search(store, "водные ресурсы", Filters(country="KZ"))   # store/search.py
"""
from .db import Store, default_url

__all__ = ["Store", "default_url"]
