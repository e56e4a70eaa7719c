"""Token spans of institutions: the registry's matches, natasha's spans carried over the tails it
stops short of ("при Президенте Республики Таджикистан", "имени К. Дикамбаева", a quoted proper
name), English capitalised phrases around a head noun, and abbreviations listed among them.
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context


_CAP = re.compile(r"^[A-ZА-ЯЁ]")
_EN_LINK = {"of", "for", "on", "and", "the", "in", "under", "&"}
_RU_TAIL_START = {"при", "имени", "им", "под"}
QUOTES_OPEN = "«\"“„"
QUOTES_CLOSE = "»\"”“"


def registry_spans(ctx: Context):
    reg = ctx.registry
    out, weak = [], []
    for m in reg.org_index.find(ctx.keys):
        strong = [v for v in m.values if v[0] in ("org", "abbr")]
        if strong:
            out.append((m.first, m.last, strong[0][1]))
        else:
            weak.append((m.first, m.last, m.values[0][1]))
    strong_ids = {r for _, _, r in out}
    out.extend(w for w in weak if w[2] in strong_ids)
    return out


def coverage(spans) -> set[int]:
    return {i for f, l, _ in spans for i in range(f, l)}


def head_tokens(ctx: Context) -> set[int]:
    key = ("_orgs_heads", ctx.scope)
    if key not in ctx.__dict__:
        ctx.__dict__[key] = {m.first for m in ctx.cues("org_heads")}
    return ctx.__dict__[key]


def trailing_name(ctx: Context, last: int) -> bool:
    toks = ctx.analysis.tokens
    given, family = toks[last - 2].text, toks[last - 1].text
    if not (given[:1].isupper() and family[:1].isupper() and given.isalpha() and family.isalpha()):
        return False
    if is_abbreviation(given) or is_abbreviation(family):
        return False
    morph = ctx.registry.morph
    return any("Name" in p.tag.grammemes for p in morph.parses(given)[:2]) and \
        not any(p.tag.POS == "ADJF" for p in morph.parses(given)[:1])


def extend_left(ctx: Context, first: int, heads: set[int]) -> int:
    """'НКО «Яшил Водий»', 'ОФ «...»': take in the opening quote and the kind of body before it."""
    toks = ctx.analysis.tokens
    if first > 0 and toks[first - 1].text in QUOTES_OPEN:
        first -= 1
        kind = toks[first - 1].text if first > 0 else ""
        plural = kind.islower() and any("plur" in p.tag.grammemes for p in ctx.registry.morph.parses(kind)[:1])
        if first > 0 and (first - 1 in heads and not plural or is_abbreviation(kind)):
            first -= 1
            # "общественный фонд «...»": adjectives of the kind word
            while first > 0 and toks[first - 1].text.isalpha() and toks[first - 1].text.islower() \
                    and ctx.registry.morph.parses(toks[first - 1].text)[0].tag.POS in ("ADJF", "PRTF"):
                first -= 1
    return first


def close_quote(ctx: Context, first: int, last: int) -> int:
    toks = ctx.analysis.tokens
    if first > 0 and toks[first - 1].text in QUOTES_OPEN and last < len(toks) and toks[last].text in QUOTES_CLOSE:
        return last + 1
    return last


def extend_span(ctx: Context, first: int, last: int) -> int:
    """Carry a span over the tails natasha leaves out; returns the new `last`."""
    toks = ctx.analysis.tokens
    n = len(toks)
    # an opening quote inside the span is closed right after it: ОФ «Арал-Жасыл Болашак»
    inside = [t.text for t in toks[first:last]]
    if sum(1 for t in inside if t in "«„") > sum(1 for t in inside if t == "»") and last < n \
            and toks[last].text in QUOTES_CLOSE:
        last += 1
    # a quoted proper name right after: Центр стратегических решений «Аппликата»
    if last < n and toks[last].text in QUOTES_OPEN and toks[last - 1].key in _HEAD_OF_QUOTED(ctx, last - 1):
        close = {"«": "»", "“": "”", "„": "“", '"': '"'}[toks[last].text]
        j = last + 1
        while j < n and j - last < 7 and toks[j].text != close and toks[j].text not in ".,;":
            j += 1
        stop = toks[j].start if j < n else toks[-1].stop  # a quote left open to the end of the text
        separate = any(e.type == "ORG" and toks[last].stop <= e.start < stop for e in ctx.analysis.entities
                       if e.start >= toks[last].stop)
        if j < n and toks[j].text == close and j > last + 1 and toks[last + 1].text[:1].isupper() and not separate:
            last = j + 1
    # при Президенте Республики Таджикистан / имени Ж. Баласагына / им. К. Дикамбаева
    if last < n and toks[last].text.lower() in _RU_TAIL_START:
        j = last + 1
        if j < n and toks[j].text == ".":
            j += 1
        k = j
        people = {i for e in ctx.analysis.entities if e.type == "PER"
                  for i in range(ctx.analysis.token_index(e.start), ctx.analysis.token_index(e.stop - 1) + 1)}
        while k < n and k - j < 6 and k not in people and (
                _CAP.match(toks[k].text) or toks[k].text == "." and len(toks[k - 1].text) == 1):
            k += 1
            # «при Министерстве водного хозяйства Республики Узбекистан»: the body's lower-case words
            # between capitalised ones, when a capitalised one follows them
            b = k
            while b < n and b - k < 3 and toks[b].text.isalpha() and toks[b].text.islower():
                b += 1
            if k - j == 1 and b > k and b < n and _CAP.match(toks[b].text) and b not in people:
                k = b
        if k > j and toks[k - 1].text != ".":
            last = k
        elif k > j + 1:
            last = k - 1
    return last


def _HEAD_OF_QUOTED(ctx: Context, i: int) -> set[str]:
    """A quoted name belongs to the span before it when that span ends in a noun of the name
    ("Центр стратегических решений «Аппликата»"), not a place ("Лондонский «Арсенал»")."""
    word = ctx.analysis.tokens[i].text
    if not word.isalpha() or not word.islower() and not word[:1].isupper():
        return set()
    parses = ctx.registry.morph.parses(word.lower())
    return {ctx.analysis.tokens[i].key} if parses and parses[0].tag.POS == "NOUN" else set()


def english_phrases(ctx: Context, heads: set[int]):
    """Capitalised phrases around an institution head noun: 'Centre for Comprehensive ... Studies'."""
    toks = ctx.analysis.tokens
    n = len(toks)
    in_heads = {i for m in ctx.cues("org_heads") for i in range(m.first, m.last)}
    place_tokens = {i for m in ctx.places for i in range(m.first, m.last)}
    for h in sorted(heads):
        if not _CAP.match(toks[h].text):
            continue
        first = h
        while first > 0 and (_CAP.match(toks[first - 1].text) and not _sentence_start(ctx, first - 1)
                             or toks[first - 1].text in ("-",)
                             # 'U.S. Embassy', 'E.U. Delegation': initials with their stops
                             or toks[first - 1].text == "." and first > 1 and len(toks[first - 2].text) == 1
                             and toks[first - 2].text.isupper() and toks[first - 1].start == toks[first - 2].stop
                             or toks[first].text == "." and len(toks[first - 1].text) == 1  # the initial itself
                             and toks[first - 1].text.isupper() and toks[first].start == toks[first - 1].stop
                             or toks[first - 1].text in ("'s", "’s", "s") and first > 2
                             and toks[first - 2].text in ("'", "’") and _CAP.match(toks[first - 3].text)
                             and first - 3 not in place_tokens  # "Uzbekistan's Center": the state, not the name
                             or toks[first - 1].text in ("'", "’") and first > 1 and _CAP.match(toks[first - 2].text)
                             and toks[first].text == "s"):  # "People's Friendship University"
            if toks[first - 1].text.lower() in ("the", "in", "at", "on"):
                break
            first -= 1
        last = h + 1
        roles = {m.first for m in ctx.cues("roles")}
        while last < n:
            t = toks[last].text
            if last in roles:
                break  # "IAIS Director Sardor ...": a title ends the name
            if (_CAP.match(t) or t in ("-",)) and last - 1 == h and last not in in_heads \
                    and not is_abbreviation(t) and last + 1 < n and _CAP.match(toks[last + 1].text) \
                    and last + 1 not in in_heads:
                break  # "the Rector of the Institute Mergen Annayev": a name after the head is a person's
            if (_CAP.match(t) and last - 1 in place_tokens and last not in place_tokens and last not in in_heads
                    and toks[last - 2].text.lower() in ("of", "the") and _CAP.match(toks[last + 1].text if last + 1 < n else "")):
                break  # 'Chamber of Commerce of Turkmenistan Merdan Ataev': the state ends the name, a person follows
            if _CAP.match(t) or t in ("-",):
                last += 1
            elif t.lower() in _EN_LINK and last + 1 < n and (_CAP.match(toks[last + 1].text) or
                                                            toks[last + 1].text.lower() == "the"):
                if t.lower() in ("and", "&") and _another_name(ctx, last + 1, heads):
                    break  # "the X Centre and the Y Council": two names, not one
                j = last + 1
                if toks[j].text.lower() == "the":
                    j += 1
                if j < n and _CAP.match(toks[j].text) and toks[j].text != "(":
                    last = j + 1
                else:
                    break
            else:
                break
        while last - 1 > h and toks[last - 1].text.lower() in _EN_LINK:
            last -= 1
        if last - 1 > h and last - 1 in event_noun_tokens(ctx):
            continue  # 'the Think Tank Forum', 'the University Rectors' Summit': a named event, not a body
        if last - first >= 2 or is_abbreviation(toks[first].text):
            yield first, last


def event_noun_tokens(ctx: Context) -> set[int]:
    key = "event_noun_tokens"
    if key not in ctx.__dict__:
        ctx.__dict__[key] = {i for m in ctx.cues("event_types") for i in range(m.first, m.last)}
    return ctx.__dict__[key]


def listed_abbreviations(ctx: Context, spans) -> list[int]:
    """'the Islamic Development Bank, FAO, UNIDO, UNEP, ESCAP': an abbreviation in a list of
    institutions is one (English has no NER here to tag it)."""
    toks = ctx.analysis.tokens
    taken = {i for f, l, _ in spans for i in range(f, l)}
    taken |= {i for m in ctx.places for i in range(m.first, m.last)}
    taken |= {i for m in ctx.frameworks for i in range(m.first, m.last)}
    cands = [i for i, t in enumerate(toks) if i not in taken and t.text.isupper() and t.text.isalpha()
             and 2 < len(t.text) <= 8]
    out: list[int] = []
    changed = True
    while changed:
        changed = False
        for i in cands:
            if i in out:
                continue
            near = [k for k in (i - 2, i + 2) if 0 <= k < len(toks)]
            for k in near:
                between = toks[min(i, k) + 1].text if abs(i - k) == 2 else ""
                if between in (",", "and") and (k in taken or k in out):
                    out.append(i)
                    changed = True
                    break
    return out


def _another_name(ctx: Context, i: int, heads: set[int]) -> bool:
    """Whether the capitalised run from token i holds a head noun of its own."""
    toks = ctx.analysis.tokens
    if toks[i].text.lower() == "the":
        return True
    while i < len(toks) and (_CAP.match(toks[i].text) or toks[i].text.lower() in ("of", "for", "on")):
        if i in heads:
            return True
        i += 1
    return False


def _sentence_start(ctx: Context, i: int) -> bool:
    s = ctx.analysis.sentence_at(ctx.analysis.tokens[i].start)
    return s.first == i


def dedupe(spans):
    """One span per token range (the registry's reading first); nested spans stay, as names do
    nest ("Высшая партийная школа при ЦК КПСС")."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]), s[2] is None))
    out, seen = [], set()
    for s in spans:
        if (s[0], s[1]) in seen:
            continue
        seen.add((s[0], s[1]))
        out.append(s)
    return out
