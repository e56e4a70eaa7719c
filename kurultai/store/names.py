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


# One coarse Latin skeleton for every script a name of the region is written in: Russian, Uzbek
# and Kazakh Cyrillic, Uzbek Latin (x, q, o‘, g‘), the Kazakh Latin alphabets of 2017-2021
# (apostrophes, acute accents, Turkish-style letters) and English transliterations (kh, zh, yu).
# Letters one script tells apart and another does not are one letter here (х/ҳ/x/kh/h, ж/j/zh,
# қ/q/k, ғ/g‘/gh/ğ/g, и/й/ы/і/ı/y, the vowels ә/ө/ұ/ү/ў with their base vowels): equality of the
# folds says two spellings may be one name; it is not a readable transliteration.
_FOLD_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "s", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "o",
    "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
    # Latin letters of the Kazakh (2018: á ǵ ń ó ú ý ı; 2021: ä ğ ñ ö ü ū ş ç ı) and Uzbek alphabets
    "x": "h", "q": "k", "w": "v", "ş": "sh", "ç": "ch", "ı": "i", "ý": "u",
    "ʻ": "", "‘": "", "’": "", "'": "", "`": "", "ʼ": "", "´": "",
}
_FOLD_TABLE = str.maketrans(_FOLD_LETTERS)
_FOLD_PAIRS = re.compile(r"kh|zh|dj|ts|gh|y")
_FOLD_PAIR = {"kh": "h", "zh": "j", "dj": "j", "ts": "s", "gh": "g", "y": "i"}
_MARKS = re.compile(r"[\u0300-\u036f]")
# the glide Latin spellings write before e and Cyrillic does not (Ерлан/Yerlan, Токаев/Tokayev)
_GLIDE = re.compile(r"\by(?=e)|(?<=[aeiou])y(?=e)")
_DOUBLE = re.compile(r"([a-z])\1+")  # Kassym/Қасым, Nurmukhammed/Нурмухамед


def fold(s: str | None) -> str:
    """'Фаррух Турсунов', 'Farrux Tursunov' and 'Farrukh Tursunov' -> 'farruh tursunov';
    'Тоқаев', 'Токаев', 'Toqaev' and 'Tokayev' differ by a letter at most ('tokaev', 'tokaiev')."""
    s = norm(unicodedata.normalize("NFKC", s or "").lower().replace("ё", "yo")).translate(_FOLD_TABLE)
    s = _MARKS.sub("", unicodedata.normalize("NFD", s))  # á ó ú ń ǵ ä ö ü ū ğ: their base letters
    s = _GLIDE.sub("", s)
    return _DOUBLE.sub(r"\1", _FOLD_PAIRS.sub(lambda m: _FOLD_PAIR[m.group()], s))
