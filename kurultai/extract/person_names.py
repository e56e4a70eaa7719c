"""A person's name: whether the text puts it in an oblique case, how full a form is, and whether
two forms name one person ("Мередову" and "А. Мередов").
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context


_OBLIQUE_CASES = {"gent", "datv", "accs", "ablt", "loct"}


def oblique(ctx: Context, start: int) -> bool | None:
    """Whether a name stands in an oblique case, told by the title or preposition that governs it:
    'директором КИСИ Ерланом Кариным' is oblique, 'Заместитель директора Секретариата Карим
    Хаснуддинов' is not (genitive words between belong to the title). None when nothing tells."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    morph = ctx.registry.morph
    i = a.token_index(start) - 1
    genitive_chain = title_gent = False
    while i >= sent.first and a.token_index(start) - i <= 14:
        t = a.tokens[i]
        word = t.text
        if ctx.org_at(t.start, t.stop) or word in ("«", "»", '"', "(", ")", ".") or is_abbreviation(word):
            i -= 1
            continue
        if not word.isalpha():
            return None
        if word[:1].isupper():
            if i in place_tokens(ctx):
                i -= 1  # "Президента Казахстана Касым-Жомарта Токаева": the country names the office
                continue
            if i != sent.first and i not in _title_tokens(ctx):
                return None
            word = word.lower()
        p = (morph.parses(word) or [None])[0]
        if p is None:
            return None
        if p.tag.POS == "PREP":
            return True
        if p.tag.POS == "NOUN":
            if title_gent and i not in _title_tokens(ctx):
                return True  # "встреча Президента Казахстана Name": the title in the genitive is the head
            if "gent" in p.tag.grammemes and "nomn" not in p.tag.grammemes:
                # a dependent of the title ("Заместитель директора Секретариата"): keep looking for
                # its head; a title word itself may be that head
                title_gent = title_gent or (not genitive_chain and i in _title_tokens(ctx))
                genitive_chain = True
                i -= 1
                continue
            if "ablt" in p.tag.grammemes and i - 1 >= sent.first and i - 1 in _title_tokens(ctx):
                # «заведующая отделом», «заведующий кафедрой»: the title governs the instrumental,
                # the title itself is the name's head
                i -= 1
                continue
            return bool(_OBLIQUE_CASES & p.tag.grammemes)
        if p.tag.POS not in ("ADJF", "PRTF", "CONJ"):
            return None
        i -= 1
    if i < sent.first:
        return True if title_gent else None if genitive_chain else False
    return None


def fullness(name: str) -> tuple:
    parts = name.replace(".", ". ").split()
    return (sum(1 for p in parts if not p.endswith(".")), len(parts))


def same_person(a: str, b: str) -> bool:
    pa, pb = a.replace(".", ". ").split(), b.replace(".", ". ").split()
    sa = [p for p in pa if not p.endswith(".")]
    sb = [p for p in pb if not p.endswith(".")]
    if not sa or not sb:
        return False
    if not (_same_word(sa[-1], sb[-1]) or _same_word(sa[0], sb[-1]) or _same_word(sa[-1], sb[0])):
        return False
    if len(sa) == 1 or len(sb) == 1:
        return True
    # first names (or initials) must agree
    fa, fb = pa[0][0].lower(), pb[0][0].lower()
    return fa == fb or _same_word(sa[0], sb[-1])


# Case endings of Russian names: "Мередова", "Мередову", "Мередовым" are "Мередов"; "Юсуповой" is "Юсупова".
_NAME_ENDING = re.compile(r"(?:ыми|ими|ому|ему|ого|его|ой|ей|ым|им|ом|ем|ую|юю|ая|яя|а|я|у|ю|е|ы|и)$")


def _same_word(a: str, b: str) -> bool:
    a, b = a.lower().replace("ё", "е"), b.lower().replace("ё", "е")
    if a == b:
        return True
    if not (_CYRILLIC_WORD.match(a) and _CYRILLIC_WORD.match(b)) or min(len(a), len(b)) < 4:
        return False
    return _NAME_ENDING.sub("", a) == _NAME_ENDING.sub("", b)


_CYRILLIC_WORD = re.compile(r"^[а-яе-]+$")


def _title_tokens(ctx: Context) -> set[int]:
    """Tokens of role words and offices, which texts often capitalise ("Министра", "Посла")."""
    cache = ctx.__dict__.get("_title_tokens")
    if cache is None:
        cache = ctx.__dict__["_title_tokens"] = {i for g in ("roles", "offices") for m in ctx.cues(g)
                                                 for i in range(m.first, m.last)}
    return cache


def place_tokens(ctx: Context) -> set[int]:
    cache = ctx.__dict__.get("_place_tokens")
    if cache is None:
        cache = ctx.__dict__["_place_tokens"] = {i for m in ctx.places for i in range(m.first, m.last)}
    return cache
