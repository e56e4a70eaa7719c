"""A person's grammatical gender from the name, so that a release or a letter agrees with it
(«выступила», «Уважаемая») instead of writing «выступил(а)».

The name is read as the region writes it: a patronymic (-ович/-овна, -улы/-кызы, o‘g‘li/qizi), a
Slavic-form surname (Касымова, Сулейменов; Kasymova, Suleimenov), or a given name pymorphy reads
as a masculine or feminine name in the nominative. 'x' when none of them says: the caller then
uses a phrasing that needs no gender.
"""
from __future__ import annotations

import re

_PATRONYMIC = (("f", r"(ов|ев|ин|ич)на|кызы|қызы|гызы|qizi|kyzy|kizi|(ov|ev)na"),
               ("m", r"(ов|ев)ич|ьич|улы|ұлы|уулу|угли|ўғли|o['‘ʻ]?g['‘ʻ]?li|ugli|uly|uulu|(ov|ev)ich"))
_SURNAME = (("f", r"\w{2,}(ова|ева|ёва|ина|ына|ская|цкая|ова-\w+|ova|eva|yova|ina|yna|skaya|tskaya)"),
            ("m", r"\w{2,}(ов|ев|ёв|ин|ын|ский|цкий|ov|ev|yov|in|yn|sky|skiy|tsky)"))


def gender_of(morph, name: str) -> str:
    """'m', 'f' or 'x' for a person's `name` (first name first or surname first)."""
    words = [w.strip(".,") for w in name.split() if len(w.strip(".,")) > 1]
    if not words:
        return "x"
    for gender, pattern in _PATRONYMIC:
        if any(re.fullmatch(r"\w+" + f"(?:{pattern})", w.lower()) or w.lower() in pattern.split("|")
               for w in words[1:]):
            return gender
    if len(words) > 1:
        for gender, pattern in _SURNAME:
            if any(re.fullmatch(pattern, w.lower()) for w in (words[-1], words[0])):
                return gender
    for word in words:
        for p in morph.vocab.parse(word):
            if "Name" in p.tag.grammemes and "nomn" in p.tag.grammemes and p.tag.gender in ("masc", "femn"):
                return "m" if p.tag.gender == "masc" else "f"
    return "x"
