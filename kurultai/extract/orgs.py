"""Institutions: registry names first, then natasha's ORG spans and English head-noun phrases.

Registry matches give the canonical name, abbreviation and country. Spans the registry lacks
become institutions of their own: extended over tails natasha stops short of ("при Президенте
Республики Таджикистан", "имени К. Дикамбаева", a quoted proper name), given an abbreviation
defined in brackets right after them, named in the nominative, and placed in a country when
their name or the adjective before them tells it.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..nlp.analyse import Entity
from ..nlp.morph import is_abbreviation
from ..nlp.turkic import HEAD_FINAL
from .context import Context, Org

_ABBR = re.compile(r"^[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё&+\-]*[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё]*$")
_CAP = re.compile(r"^[A-ZА-ЯЁ]")
_EN_LINK = {"of", "for", "on", "and", "the", "in", "under", "&"}
_RU_TAIL_START = {"при", "имени", "им", "под"}
_KIND_WORDS = {"НКО", "ОО", "ОФ", "АНО", "НПО", "ННО", "ngo", "ngos", "СМИ"}
_QUOTES_OPEN = "«\"“„"
_QUOTES_CLOSE = "»\"”“"


def find_orgs(ctx: Context) -> None:
    """Fill ctx.orgs with every institution mention of the document."""
    a = ctx.analysis
    toks = a.tokens
    spans: list[tuple[int, int, str | None]] = []  # token ranges: (first, last, registry id or None)

    reg = [(f, _extend(ctx, f, l), rid) for f, l, rid in _registry_spans(ctx)]
    spans.extend(reg)
    covered = _coverage(reg)
    # initiatives and formats are frameworks, not institutions: "ОПОП", "C5+1"
    covered |= {i for m in ctx.frameworks for i in range(m.first, m.last)}

    heads = _head_tokens(ctx)
    for e in a.entities:
        if e.type == "LOC":
            continue
        first, last = a.token_index(e.start), a.token_index(e.stop - 1) + 1
        # "Академии Мирлан Эсенов": natasha glued a person's name onto the institution before it
        if e.type == "ORG" and last - first >= 3 and _trailing_name(ctx, last):
            person = Entity(toks[last - 2].start, toks[last - 1].stop, "PER")
            a.entities.append(person)
            last -= 2
        # "Фонда борьбы с коррупцией (ФБК)": the name, and its abbreviation as a mention of its own
        if last - first >= 4 and toks[last - 1].text == ")" and "(" in [t.text for t in toks[first:last]]:
            k = max(i for i in range(first, last) if toks[i].text == "(")
            if k > first:
                last = k
        if e.type == "PER" and first not in heads:
            continue
        overlap = sum(1 for i in range(first, last) if i in covered)
        if overlap and overlap >= 0.6 * (last - first):
            continue
        if overlap and all(i in covered for i in range(first, last)):
            continue
        extended = _extend(ctx, first, last)
        spans.append((first, extended, None))
        if extended != last:
            spans.append((first, last, None))  # natasha's own span stays a (nested) mention

    if ctx.lang == "ru":
        for first, last in _generic_bodies(ctx):
            if not any(i in covered for i in range(first, last)) and not any(
                    f <= first < l for f, l, _ in spans):
                spans.append((first, last, "~generic"))
    if ctx.lang != "ru":
        for first, last in _english_phrases(ctx, heads):
            if not any(i in covered for i in range(first, last)):
                spans.append((first, last, None))

    spans = _dedupe(spans)
    _build(ctx, spans)


def _trailing_name(ctx: Context, last: int) -> bool:
    toks = ctx.analysis.tokens
    given, family = toks[last - 2].text, toks[last - 1].text
    if not (given[:1].isupper() and family[:1].isupper() and given.isalpha() and family.isalpha()):
        return False
    if is_abbreviation(given) or is_abbreviation(family):
        return False
    morph = ctx.registry.morph
    return any("Name" in p.tag.grammemes for p in morph.parses(given)[:2]) and \
        not any(p.tag.POS == "ADJF" for p in morph.parses(given)[:1])


def _generic_bodies(ctx: Context):
    """'правительство Мали', 'министерство культуры Польши', 'Верховный суд Испании', 'полиции'."""
    toks = ctx.analysis.tokens
    places = {m.first: m for m in ctx.places}
    morph = ctx.registry.morph
    for m in ctx.cues("generic_bodies"):
        first, last = m.first, m.last
        # capitalised adjectives before: "Верховный суд"
        while first > 0 and toks[first - 1].text[:1].isupper() and toks[first - 1].text.isalpha() and \
                any(p.tag.POS == "ADJF" for p in morph.parses(toks[first - 1].text.lower())[:1]):
            first -= 1
        # genitive complements: "министерство культуры", "министерства иностранных дел"
        if ctx.keys[m.first] == "министерство":
            while last < len(toks) and toks[last].text.isalpha() and toks[last].text.islower() and last - m.last < 3:
                p = morph.parses(toks[last].text)[:1]
                if not p or "gent" not in p[0].tag.grammemes:
                    break
                last += 1
        if last in places and any(v[0] == "country" for v in places[last].values):
            last = places[last].last
        yield first, last


def _registry_spans(ctx: Context):
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


def _coverage(spans) -> set[int]:
    return {i for f, l, _ in spans for i in range(f, l)}


def _head_tokens(ctx: Context) -> set[int]:
    return {m.first for m in ctx.cues("org_heads")}


def _extend_left(ctx: Context, first: int, heads: set[int]) -> int:
    """'НКО «Яшил Водий»', 'ОФ «...»': take in the opening quote and the kind of body before it."""
    toks = ctx.analysis.tokens
    if first > 0 and toks[first - 1].text in _QUOTES_OPEN:
        first -= 1
        if first > 0 and (first - 1 in heads or is_abbreviation(toks[first - 1].text)):
            first -= 1
            # "общественный фонд «...»": adjectives of the kind word
            while first > 0 and toks[first - 1].text.isalpha() and toks[first - 1].text.islower() \
                    and ctx.registry.morph.parses(toks[first - 1].text)[0].tag.POS in ("ADJF", "PRTF"):
                first -= 1
    return first


def _close_quote(ctx: Context, first: int, last: int) -> int:
    toks = ctx.analysis.tokens
    if first > 0 and toks[first - 1].text in _QUOTES_OPEN and last < len(toks) and toks[last].text in _QUOTES_CLOSE:
        return last + 1
    return last


def _extend(ctx: Context, first: int, last: int) -> int:
    """Carry a span over the tails natasha leaves out; returns the new `last`."""
    toks = ctx.analysis.tokens
    n = len(toks)
    # an opening quote inside the span is closed right after it: ОФ «Арал-Жасыл Болашак»
    inside = [t.text for t in toks[first:last]]
    if sum(1 for t in inside if t in "«„") > sum(1 for t in inside if t == "»") and last < n \
            and toks[last].text in _QUOTES_CLOSE:
        last += 1
    # a quoted proper name right after: Центр стратегических решений «Аппликата»
    if last < n and toks[last].text in _QUOTES_OPEN and toks[last - 1].key in _HEAD_OF_QUOTED(ctx, last - 1):
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


def _english_phrases(ctx: Context, heads: set[int]):
    """Capitalised phrases around an institution head noun: 'Centre for Comprehensive ... Studies'."""
    toks = ctx.analysis.tokens
    n = len(toks)
    for h in sorted(heads):
        if not _CAP.match(toks[h].text):
            continue
        first = h
        while first > 0 and (_CAP.match(toks[first - 1].text) and not _sentence_start(ctx, first - 1)
                             or toks[first - 1].text in ("-",)):
            if toks[first - 1].text.lower() in ("the", "in", "at", "on"):
                break
            first -= 1
        last = h + 1
        roles = {m.first for m in ctx.cues("roles")}
        while last < n:
            t = toks[last].text
            if last in roles:
                break  # "IAIS Director Sardor ...": a title ends the name
            if _CAP.match(t) or t in ("-",):
                last += 1
            elif t.lower() in _EN_LINK and last + 1 < n and (_CAP.match(toks[last + 1].text) or
                                                            toks[last + 1].text.lower() == "the"):
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
        if last - first >= 2 or is_abbreviation(toks[first].text):
            yield first, last


def _sentence_start(ctx: Context, i: int) -> bool:
    s = ctx.analysis.sentence_at(ctx.analysis.tokens[i].start)
    return s.first == i


def _dedupe(spans):
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


def _abbreviation_after(ctx: Context, last: int) -> tuple[str, int, int] | None:
    """'... (ИМЭП)' or '(HSE University, Russia)': the bracketed short name right after a span."""
    toks = ctx.analysis.tokens
    if last + 2 < len(toks) and toks[last].text == "(":
        t = toks[last + 1]
        if _ABBR.match(t.text) and toks[last + 2].text in (")", ","):
            return t.text, t.start, t.stop
    return None


def _build(ctx: Context, spans) -> None:
    a, reg = ctx.analysis, ctx.registry
    toks = a.tokens
    by_key: dict[str, Org] = {}
    abbrs: dict[str, Org] = {}

    def new_org(**kw) -> Org:
        org = Org(id=f"o{len(ctx.orgs) + 1}", **kw)
        ctx.orgs.append(org)
        return org

    for first, last, rid in spans:
        start, stop = toks[first].start, toks[last - 1].stop
        if rid == "~generic":
            key = " ".join(ctx.keys[i] for i in range(first, last) if ctx.keys[i])
            org = by_key.get(key)
            if org is None:
                org = new_org(name=_canonical(ctx, first, last), short=None,
                              country=_country_of(ctx, first, last), kind="generic")
                by_key[key] = org
            org.add(start, stop)
            continue
        if rid:
            org = by_key.get(rid)
            if org is None:
                inst = reg.institutions[rid]
                org = new_org(name=_label(ctx, inst), short=inst.short(ctx.lang), country=inst.country,
                              registry_id=rid, kind=inst.kind)
                by_key[rid] = org
            org.add(start, stop)
            continue
        words = [t.text for t in toks[first:last] if t.text not in "«»\"“”„"]
        key = " ".join(ctx.keys[i] for i in range(first, last) if ctx.keys[i])
        if len(words) == 1 and words[0] in abbrs:
            abbrs[words[0]].add(start, stop)
            continue
        org = by_key.get(key)
        if org is None:
            # the name takes in the kind of body and the quotes ("ОФ «Арал»"); the mention does not
            name = _canonical(ctx, _extend_left(ctx, first, _head_tokens(ctx)), _close_quote(ctx, first, last))
            org = new_org(name=name, short=words[0] if len(words) == 1 and is_abbreviation(words[0]) else None,
                          country=_country_of(ctx, first, last))
            by_key[key] = org
        org.add(start, stop)
        ab = _abbreviation_after(ctx, last)
        if ab and ab[0] not in abbrs:
            org.short = org.short or ab[0]
            abbrs[ab[0]] = org
    # bare uses of a bracket-defined abbreviation elsewhere in the text
    for i, t in enumerate(toks):
        org = abbrs.get(t.text)
        if org and not ctx.org_at(t.start, t.stop):
            org.add(t.start, t.stop)
    _merge_short_forms(ctx)
    # "НКО", "ОО", "NGO" alone name a kind of body, not a body
    kinds = {ctx.keys[i] for i in _head_tokens(ctx)} | _KIND_WORDS
    ctx.orgs[:] = [o for o in ctx.orgs if o.registry_id or ctx.registry.morph.key(o.name) not in kinds
                   or len(o.name.split()) > 1]
    for org in ctx.orgs:
        org.mentions.sort()


def _merge_short_forms(ctx: Context) -> None:
    """'Дипломатической академии' after 'Дипломатическая академия МИД КР': a shortened second
    mention of an institution already named in full is that institution."""
    a = ctx.analysis
    heads = {ctx.keys[i] for i in _head_tokens(ctx)}
    def keys_of(s, e):
        i, j = a.token_index(s), a.token_index(e - 1) + 1
        return [k for k in ctx.keys[i:j] if k]
    def quoted(o):
        names = set()
        for s, e in o.mentions:
            q = re.search(r"[«\"“„]([^»\"”“]{2,})[»\"”“]", ctx.text[max(0, s - 1):e + 1])
            if q:
                names.add(q.group(1).strip().lower())
        return names
    for org in list(ctx.orgs):
        if org not in ctx.orgs or org.registry_id or len(org.mentions) == 0:
            continue
        same = next((o for o in ctx.orgs if o is not org and quoted(o) & quoted(org)), None)
        if same:  # 'общественная организация «X»' and 'ОО «X»'
            keep, drop = (same, org) if len(same.name) >= len(org.name) else (org, same)
            for m in drop.mentions:
                keep.add(*m)
            keep.short = keep.short or drop.short
            ctx.orgs.remove(drop)
            continue
        # a misspelt name ("стратегичеких") of an institution named correctly elsewhere in the text
        head = lambda name: name.lower().split(" при ")[0]  # the body's own name, without "при Президенте ..."
        similar = next((o for o in ctx.orgs if o is not org and fuzz.ratio(head(o.name), head(org.name)) >= 92), None)
        if similar and len(org.name) >= 20:
            for m in org.mentions:
                similar.add(*m)
            ctx.orgs.remove(org)
            continue
        mine = [keys_of(s, e) for s, e in org.mentions]
        for other in ctx.orgs:
            if other is org:
                continue
            theirs = [keys_of(s, e) for s, e in other.mentions]
            # "Академии" after "Академия ОБСЕ в Бишкеке": a head noun alone refers back
            if any((2 <= len(k) or k and k[0] in heads) and len(k) < len(t) and t[:len(k)] == k
                   for k in mine for t in theirs):
                for m in org.mentions:
                    other.add(*m)
                ctx.orgs.remove(org)
                break


def _label(ctx: Context, inst) -> str:
    """A registry institution's name in the document's language and, for Uzbek and Kazakh, in the
    document's own script (Cyrillic or Latin), else its Russian name."""
    if ctx.lang not in HEAD_FINAL:
        return inst.label(ctx.lang)
    cyrillic = _cyrillic_text(ctx)
    forms = [inst.name.get(ctx.lang)] + list(inst.aliases.get(ctx.lang) or [])
    for form in forms:
        if form and bool(re.search(r"[а-яёәғқңөұүһіўҳ]", form, re.I)) == cyrillic:
            return form
    return inst.label("ru")


def _cyrillic_text(ctx: Context) -> bool:
    cache = ctx.__dict__.setdefault("_script", {})
    if "cyr" not in cache:
        sample = ctx.text[:5000]
        cache["cyr"] = len(re.findall(r"[а-яёәғқңөұүһіўҳ]", sample, re.I)) > len(re.findall(r"[a-z]", sample, re.I))
    return cache["cyr"]


def _canonical(ctx: Context, first: int, last: int) -> str:
    toks = ctx.analysis.tokens
    text = ctx.text[toks[first].start:toks[last - 1].stop]
    if ctx.lang in HEAD_FINAL:
        words = text.split()
        return " ".join(ctx.registry.morph.nominative_phrase(words)) if words[-1][-1:].isalpha() else " ".join(words)
    if ctx.lang != "ru":
        return " ".join(text.split()).removeprefix("the ").strip()
    words = [t.text for t in toks[first:last]]
    quote = next((i for i, w in enumerate(words) if w in _QUOTES_OPEN), len(words))
    normal = ctx.registry.morph.nominative_phrase(words[:quote]) + words[quote:]  # a quoted name stays as written
    out, prev = [], None
    for t, w in zip(toks[first:last], normal):
        if prev is not None and t.start > prev.stop and not (t.text in "»)\"”.," or prev.text in "«(\"„"):
            out.append(" ")
        elif prev is not None and t.start > prev.stop and prev.text == ".":
            out.append(" ")
        out.append(w)
        prev = t
    return "".join(out)


def _country_of(ctx: Context, first: int, last: int) -> str | None:
    """The country an unknown institution's name or its qualifying adjective names."""
    places = ctx.registry.place_index.find(ctx.keys[max(0, first - 1):last])
    for m in places:
        for v in m.values:
            if v[0] in ("country", "adjective"):
                return v[1]
    for m in ctx.registry.org_index.find(ctx.keys[first:last]):
        inst = ctx.registry.institutions.get(m.values[0][1])
        if inst and inst.country:
            return inst.country
    return None
