"""What a writer checks once it holds the store's write lock (db.Store.begin), when another
process may have written since it last looked: two ingests, an upload and a watcher at once
leave the store one writer would have left."""
from __future__ import annotations

import numpy as np
from sqlalchemy import select

from .schema import documents, signatures


def stored_by_now(conn, sha: str) -> bool:
    """Inside the write lock: whether a document with these bytes is stored (by another writer
    since this one looked, or earlier in this batch's transaction)."""
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).first() is not None


def catch_up(conn, duplicates) -> None:
    """Add to `duplicates` the canonical documents other writers stored since it was loaded (ids
    are given under the write lock, so theirs are above every one it knows), so that a reprint
    is linked to its original whichever process stored that."""
    from ..minhash import DTYPE, signature as minhash
    newest = max(duplicates.signatures, default=0)
    rows = conn.execute(select(documents.c.id, signatures.c.minhash)
                        .outerjoin(signatures, signatures.c.document_id == documents.c.id)
                        .where(documents.c.id > newest, documents.c.duplicate_of.is_(None))
                        .order_by(documents.c.id)).all()
    for doc_id, blob in rows:
        if blob is None:  # stored by a run without dedup
            values = minhash(conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar_one())
            duplicates.keep(conn, doc_id, values)
        else:
            values = np.frombuffer(blob, dtype=DTYPE).copy()
        duplicates.add(doc_id, values)
