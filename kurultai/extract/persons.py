"""People: natasha's PER spans, names given as initials, and English names beside a role or a verb.

Mentions of one person are merged (a bare surname joins the full name it shortens); the name
kept is the fullest form, in the nominative (person_names.py). Affiliation comes from the
institution standing next to the name (affiliations.py) or from the office a head of state,
minister or ambassador holds (offices.py).
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .affiliations import affiliate
from .context import Context, Person
from .english_names import english_names
from .org_filter import chrome_lines
from .offices import office_references, title_references
from .person_names import fullness, oblique, same_person


_INITIALS = re.compile(
    r"\b(?:(?:Дж|[А-ЯЁA-Z])\.\s?){1,2}[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
    r"|\b[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?\s(?:[А-ЯЁA-Z]\.\s?){1,2}(?=[\s,;:)]|$)")


def find_persons(ctx: Context) -> None:
    a = ctx.analysis
    spans = []
    for e in a.entities:
        if e.type != "PER":
            continue
        stop = e.stop
        # "Рустам Сулейменов (КИМЭП)": natasha's span can swallow the affiliation in brackets
        bracket = ctx.text.find("(", e.start, e.stop)
        if bracket > e.start:
            stop = bracket
            while stop > e.start and ctx.text[stop - 1].isspace():
                stop -= 1
        if ctx.org_at(e.start, stop):
            continue
        start = e.start
        # "«Центр развития Приаралья» Ерболат Кенжегулов": the end of a quoted name is not the person's
        close = max(ctx.text.rfind(q, e.start, e.stop) for q in "»”\"")
        if close >= 0:
            start = close + 1
            while start < e.stop and ctx.text[start].isspace():
                start += 1
        start, stop = _trim(ctx, start, stop)
        stop = _through_middle_initial(ctx, start, stop)
        if _not_a_name(ctx, start, stop):
            continue
        spans.append((start, stop))
    for m in _INITIALS.finditer(ctx.text):
        stop = _through_middle_initial(ctx, m.start(), m.end())
        if not ctx.org_at(m.start(), stop) and not any(s < stop and m.start() < e for s, e in spans) \
                and not _not_a_name(ctx, m.start(), stop):
            spans.append((m.start(), stop))
    if ctx.lang != "ru":
        spans.extend(english_names(ctx, spans))
    # no one is named in a menu or a breadcrumb line ('Menu | U.S. Citizen Services | Visas')
    chrome = chrome_lines(ctx, capitalised=False)
    spans = sorted(s for s in spans if not any(cs <= s[0] < ce for cs, ce in chrome))
    _merge(ctx, spans)
    affiliate(ctx)
    office_references(ctx)
    title_references(ctx)


_ENDS_IN_INITIAL = re.compile(r"[A-Za-z]\s[A-Z]\.\s?$")
_SURNAME_AFTER_INITIAL = re.compile(r"[ \t]*([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def _through_middle_initial(ctx: Context, start: int, stop: int) -> int:
    """'Daniel R. Whitfield', 'Mary K. Lee': a Latin given name and a middle initial go on to the
    surname after them (not to a word that opens the next sentence: 'said Smith J. The ...')."""
    if not _ENDS_IN_INITIAL.search(ctx.text, start, stop):
        return stop
    m = _SURNAME_AFTER_INITIAL.match(ctx.text, stop)
    if not m or ctx.org_at(m.start(1), m.end(1)):
        return stop
    k = ctx.analysis.token_index(m.start(1))
    if any(f.first == k for f in ctx.cues("function_words")):
        return stop
    return m.end(1)

# Titles written before a name are not part of it: "Д-р Иван Петров", "г-н Ли", "Dr. Smith".
_TITLE = re.compile(r"^(?:д-р|г-н|г-жа|проф\.|акад\.|dr\.?|mr\.?|mrs\.?|ms\.?|prof\.?|sir|h\.e\.)\s+", re.I)
# A name inside the name of an institution: "университет им. Е. М. Примакова", "named after".
_NAMED_AFTER = re.compile(r"(?:\bим\.|\bимени|\bnamed after|\bатындағы|\bnomidagi)\s*$", re.I)


def _past_title(text: str, start: int, stop: int) -> int:
    m = _TITLE.match(text[start:stop])
    return start + m.end() if m and start + m.end() < stop else start


def _trim(ctx: Context, start: int, stop: int) -> tuple[int, int]:
    """natasha's PER span as the name alone: not past a line break ("Игорь Малашенко\nОстанкинская"),
    without a dash or bracket after it, without a title or kinship word before it ("Император
    Акихито", "Кронпринц Нарухито", "Сын А.Лукашенко", "Д-р Иван Петров")."""
    text = ctx.text
    nl = text.find("\n", start, stop)
    if nl > start:
        stop = nl
    while stop > start and not (text[stop - 1].isalnum() or text[stop - 1] == "."):
        stop -= 1
    start = _past_title(text, start, stop)
    first = re.match(r"\S+", text[start:stop])
    if first and first.end() < stop - start and ctx.lang == "ru" and _common_noun(ctx, first.group()):
        start += first.end()
        while start < stop and text[start].isspace():
            start += 1
    return start, stop


def _common_noun(ctx: Context, word: str) -> bool:
    """A capitalised dictionary noun that is never a name: a title or a kinship word."""
    if not word[:1].isupper() or not word.replace("-", "").isalpha():
        return False
    vocab = ctx.registry.morph.vocab
    low = word.lower()
    if not vocab.word_is_known(low):
        return False
    parses = vocab.parse(low)
    # a person's title is an animate noun in the singular nominative; short words ("Пан", "Ар",
    # "Мин") are too often parts of foreign names to be taken for one
    return len(low) >= 4 and bool(parses) and all(
        p.tag.POS == "NOUN" and not ({"Name", "Surn", "Patr", "Geox", "Orgn"} & p.tag.grammemes) for p in parses) \
        and any({"anim", "sing", "nomn"} <= p.tag.grammemes for p in parses)


def _not_a_name(ctx: Context, start: int, stop: int) -> bool:
    """Spans that look like names and are not a person's: nothing left, an abbreviation ("РУз"),
    a word cut off by the end of the page, or the namesake of an institution."""
    words = ctx.text[start:stop].split()
    if not words or (len(words) == 1 and words[0].isalpha() and is_abbreviation(words[0])):
        return True
    if not ctx.text[stop:].strip():
        return True  # the page ends inside the name: "... К.Имн"
    toks = ctx.analysis.tokens
    roles = {k for m in ctx.cues("roles") for k in range(m.first, m.last)}
    k = ctx.analysis.token_index(start)
    inside = []
    while k < len(toks) and toks[k].start < stop:
        if toks[k].start >= start:
            inside.append(k)
        k += 1
    if inside and all(k in roles or len(toks[k].text) == 1 and not toks[k].text.isalpha()
                      or toks[k].text.isupper() and len(toks[k].text) == 1 for k in inside):
        return True  # 'U.S. Ambassador', 'U.N. Coordinator': initials and a title, no name
    return bool(_NAMED_AFTER.search(ctx.text[max(0, start - 12):start]))


def _merge(ctx: Context, spans) -> None:
    morph = ctx.registry.morph
    people: list[Person] = []
    # a bare surname written as in a full name elsewhere in the text is that person's, as written
    last_words = {ctx.text[s:e].split()[-1] for s, e in spans if len(ctx.text[s:e].split()) > 1}
    for s, e in spans:
        words = ctx.text[s:e].split()
        if ctx.lang in ("ru", "uz", "kk") and not (len(words) == 1 and words[0] in last_words):
            # Russian by its dictionary; Uzbek and Kazakh surnames lose their case ending
            words = morph.nominative_name(words, oblique(ctx, s) if ctx.lang == "ru" else None)
        name = " ".join(words)
        target = None
        for p in people:
            if same_person(p.name, name) or (len(words) == 1 and any(
                    ctx.text[ms:me].split()[-1] == words[0] for ms, me in p.mentions)):
                target = p
                break
        if target is None:
            target = Person(id=f"p{len(ctx.persons) + 1}", name=name)
            ctx.persons.append(target)
            people.append(target)
        elif fullness(name) > fullness(target.name) or (
                fullness(name) == fullness(target.name) and len(name) < len(target.name)):
            target.name = name  # the fullest form; of equally full ones the shortest, the nominative
        target.mentions.append((s, e))
