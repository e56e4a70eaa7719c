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


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Uzbek, Tajik letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "o",
    "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
}


def translit(s: str) -> str:
    """Cyrillic to Latin, so that 'Бахтиёр Каримов' meets 'Bakhtiyor Karimov' (compared fuzzily,
    since English spellings of Central Asian names vary: -ev/-yev, kh/h)."""
    return "".join(_TRANSLIT.get(c, c) for c in norm(s))
