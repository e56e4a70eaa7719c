"""Normalised names: the one form under which aliases, keys and queries are compared."""
from __future__ import annotations

import re
import unicodedata

_QUOTES = re.compile(r"[«»\"“”„'`’]")
_INITIAL = re.compile(r"\b(\w)\.\s*(?=\w)")


def norm(s: str | None) -> str:
    """'ИМЭП' -> 'имэп'; '«Яшил  Водий»' -> 'яшил водий'; 'А.Насиров' -> 'а. насиров'."""
    s = unicodedata.normalize("NFKC", s or "").lower().replace("ё", "е")
    s = _QUOTES.sub("", s)
    s = _INITIAL.sub(r"\1. ", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:-–—()")


def surname_and_initial(name: str) -> tuple[str, str]:
    """('каримов', 'б') for 'Бахтиёр Каримов', 'Б. Каримов' and 'Б.Каримов'."""
    parts = norm(name).replace(".", ". ").split()
    words = [p for p in parts if not p.endswith(".")]
    if not words:
        return "", ""
    return words[-1], parts[0][0] if parts else ""
