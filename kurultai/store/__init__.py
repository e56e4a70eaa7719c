"""The knowledge base: records stored, entities resolved across documents, searched.

    store = Store.open("kurultai.db")            # or "postgresql://user@host/db"
    report = ingest(store, ["reports/"], extractor)
    hits = search(store, "водные ресурсы", country="KZ")
"""
from .db import Store, default_url

__all__ = ["Store", "default_url"]
