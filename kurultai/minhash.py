"""A document's MinHash signature: 128 permutations of its 5-word shingles (lowercased words of
the cleaned text). Made once per document with its extraction (pipeline.Extraction, on a Dask
worker when the workers extract) and compared by the store's reprint finder (store/duplicates.py)."""
from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash

from .read import clean

SHINGLE = 5
PERMUTATIONS = 128
SCHEME = "affine32"  # datasketch 2: stated, so that stored values keep their meaning
WORD = re.compile(r"[^\W_]+")
DTYPE = MinHash(num_perm=1, seed=1, scheme=SCHEME).hashvalues.dtype  # as stored in `signatures`


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def of_cleaned(text: str) -> np.ndarray:
    """The MinHash values of a document's cleaned text (what a Dask worker sends back: 1 KB)."""
    m = MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m.hashvalues


def signature(raw: str) -> np.ndarray:
    """The MinHash values of a document's raw text, cleaned first (for documents stored before
    signatures were, whose cleaned text was not kept)."""
    return of_cleaned(clean(raw).text)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)
