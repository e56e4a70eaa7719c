"""Near-duplicates: the same release reprinted by several outlets, found by MinHash LSH.

A document's signature is the MinHash of its 5-word shingles (lowercased words of the cleaned
text, 128 permutations: kurultai/minhash.py). Two documents whose estimated Jaccard similarity is at least
`THRESHOLD` are the same release; the later one is linked to the earliest stored
(`documents.duplicate_of`), and the dashboards count the release once.

THRESHOLD was measured with 128 permutations (estimated similarity, exact Jaccard in brackets):
samples/reports 037, a reprint of 036 under another header with an edited first paragraph, 0.58
(0.52); six samples with an added site header and footer, 0.89-0.95 (0.90-0.94), with their first
paragraph dropped, 0.88-0.98; the other 1,224 pairs of samples/reports at most 0.06; 19,900
pairs of 200 generated reports (kurultai bench corpus, one template family) at most 0.36.
"""
from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from sqlalchemy import select, update

from ..minhash import DTYPE, PERMUTATIONS, SCHEME, signature, similarity
from .db import insert_new
from .schema import documents, signatures

THRESHOLD = 0.45

__all__ = ["THRESHOLD", "Duplicates", "signature", "similarity"]


def _minhash(values: np.ndarray) -> LeanMinHash:
    """A signature as the LSH takes it; lean, because a MinHash computes its 128 permutations anew
    for each one made (half of the writer's dedup time)."""
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


class Duplicates:
    """The canonical documents of a store (those that are no one's reprint), indexed for lookup."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        # banding tuned for recall below the threshold (at 0.45, 25 bands of 5 miss a pair in
        # three); candidates are then checked against the threshold on their whole signatures
        self.lsh = MinHashLSH(threshold=threshold * 2 / 3, num_perm=PERMUTATIONS, weights=(0.1, 0.9))
        self.signatures: dict[int, np.ndarray] = {}

    @classmethod
    def of_store(cls, store, threshold: float = THRESHOLD) -> "Duplicates":
        """The canonical documents' stored signatures, at the start of an ingest run. Documents
        stored before signatures were (migration 0004) get theirs computed and stored, once."""
        index = cls(threshold)
        missing = []
        with store.connect() as conn:
            rows = conn.execute(select(documents.c.id, signatures.c.minhash)
                                .outerjoin(signatures, signatures.c.document_id == documents.c.id)
                                .where(documents.c.duplicate_of.is_(None)).order_by(documents.c.id))
            for doc_id, blob in rows:
                if blob is None:
                    missing.append(doc_id)
                else:
                    index.add(doc_id, np.frombuffer(blob, dtype=DTYPE).copy())
        for chunk in range(0, len(missing), 500):
            ids = missing[chunk:chunk + 500]
            with store.begin() as conn:
                texts = conn.execute(select(documents.c.id, documents.c.text).where(documents.c.id.in_(ids)))
                for doc_id, raw in texts.all():
                    values = signature(raw)
                    index.keep(conn, doc_id, values)
                    index.add(doc_id, values)
        return index

    @staticmethod
    def keep(conn, doc_id: int, values: np.ndarray) -> None:
        """Store a document's signature inside the transaction that writes the document."""
        conn.execute(insert_new(conn, signatures),
                     {"document_id": doc_id, "minhash": np.asarray(values, dtype=DTYPE).tobytes()})

    def canonical(self, values: np.ndarray) -> int | None:
        """The earliest stored document this signature duplicates, if any."""
        found = [(doc_id, similarity(values, self.signatures[doc_id]))
                 for doc_id in self.lsh.query(_minhash(values))]
        found = [doc_id for doc_id, s in found if s >= self.threshold]
        return min(found) if found else None

    def add(self, doc_id: int, values: np.ndarray) -> None:
        if doc_id in self.signatures:
            return
        self.signatures[doc_id] = values
        self.lsh.insert(doc_id, _minhash(values))

    def link(self, conn, doc_id: int, values: np.ndarray) -> int | None:
        """Inside the document's transaction: set its `duplicate_of`; returns the canonical id.
        Call `add` for a document without one once the transaction has committed."""
        canonical = self.canonical(values)
        if canonical is not None and canonical != doc_id:
            conn.execute(update(documents).where(documents.c.id == doc_id).values(duplicate_of=canonical))
            return canonical
        return None
