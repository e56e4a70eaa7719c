"""An institution's state: bodies named by a common noun that one state's name makes an
institution ("правительство Мали", "посольство Казахстана в Афганистане"), the country NER leaves
off a name's end, and the country an unknown institution's name or its neighbours tell.
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context
from .org_names import body_name, canonical


_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def generic_bodies(ctx: Context):
    """'правительство Мали', 'министерство культуры Польши', 'Верховный суд Испании', 'полиции'.

    Yields (first, last, name): a body of a kind that names one institution once its country is
    said ("посольство Казахстана в Афганистане", "МИД Италии") gets a name ("" asks for the
    span's own); the rest (None) stay common nouns. Bodies coordinated over one head share it:
    "посольств Италии и Великобритании" is two embassies."""
    toks = ctx.analysis.tokens
    places = {m.first: m for m in ctx.places}
    morph = ctx.registry.morph
    named_heads = {m.first: m for m in ctx.cues("country_bodies")}
    for m in ctx.cues("generic_bodies"):
        first, last = m.first, m.last
        # capitalised adjectives before: "Верховный суд"
        while first > 0 and toks[first - 1].text[:1].isupper() and toks[first - 1].text.isalpha() and \
                any(p.tag.POS == "ADJF" for p in morph.parses(toks[first - 1].text.lower())[:1]):
            first -= 1
        # genitive complements: "министерство культуры", "министерства иностранных дел"
        if ctx.keys[m.first] == "министерство":
            # «министерства труда, социального обеспечения и миграции»: genitives coordinated by
            # commas and «и» are all the ministry's field
            def genitive(k):
                p = morph.parses(toks[k].text)[:1] if k < len(toks) and toks[k].text.isalpha() and toks[k].text.islower() else []
                return bool(p) and "gent" in p[0].tag.grammemes
            while last < len(toks) and last - m.last < 9:
                if genitive(last):
                    last += 1
                elif toks[last].text in (",", "и") and last > m.last and genitive(last + 1):
                    last += 1
                else:
                    break
        head_last = last
        region = _region_tail(ctx, m, last)
        if region:  # «в акимате Восточно-Казахстанской области», «хокимията города Ташкента»: a region's own body
            yield first, region, ""
            continue
        country = _country_at(ctx, last, places)
        if country is None:
            owner = _possessor(ctx, first, places)
            named = m.first in named_heads or any(f in named_heads for f in range(first, m.first))
            if owner and named:
                # "организованы при содействии его дипломатического представительства": his = the state's
                state = _country_name(ctx, owner)
                yield first, last, f"{body_name(ctx, first, last)} {' '.join(morph.genitive_phrase(state.split()))}"
                continue
            yield first, last, None
            continue
        last = country
        named = m.first in named_heads or any(f in named_heads for f in range(first, m.first))
        if not named:
            yield first, last, None
            continue
        last = _place_tail(ctx, last, places)
        yield first, last, ""
        # "посольств Италии и Великобритании": each further country of the list has its own body
        j = last
        while j + 1 < len(toks) and toks[j].text in (",", "и", "and"):
            end = _country_at(ctx, j + 1, places)
            if end is None:
                break
            end = _place_tail(ctx, end, places)
            head = canonical(ctx, first, head_last).split()
            head[-1 if first < m.first else 0] = ctx.keys[m.first]
            name = " ".join(head)
            name = name[:1].upper() + name[1:]
            yield j + 1, end, f"{name} {ctx.text[toks[j + 1].start:toks[end - 1].stop]}"
            j = end


# the region a local body serves, after it in the genitive: «... Туркестанской области», «... Алтайского края»,
# «... Сырдарьинского района», «... города Шымкента»
_REGION_NOUNS = {"область", "край", "район"}


def _region_tail(ctx: Context, m, last: int) -> int | None:
    """The end of the region named right after a local body of one state's kind (cues.yaml national_bodies:
    an akimat, a hokimiyat), which makes it one institution; None when no region follows."""
    toks = ctx.analysis.tokens
    if not ctx.registry.cue_index("national_bodies").find(ctx.keys[m.first:m.last]) or last + 1 >= len(toks):
        return None
    word = toks[last].text
    if word[:1].isupper() and all(p.isalpha() for p in word.split("-")) and ctx.keys[last + 1] in _REGION_NOUNS:
        return last + 2
    if ctx.keys[last] == "город" and toks[last + 1].text[:1].isupper():
        return last + 2
    return None


_DETERMINERS = {"the", "two", "both", "three", "their", "its", "his", "her", "our", "between", "of", "and", "by",
                "with", "at", "from", "in", "to", "for"}


def english_body_lists(ctx: Context):
    """'the embassies of Japan, Germany and the United States', 'the embassy of Japan': a body noun in
    lower case of the kind one state's name makes an institution, 'of' and a list of states, is one
    body of each state (as «посольств Италии и Великобритании» in generic_bodies). Yields (first,
    last, name); a capitalised 'Embassy of Japan' is a name the capitalised chunks read already."""
    toks = ctx.analysis.tokens
    states = {m.first: m for m in ctx.places if any(v[0] == "country" for v in m.values)}
    for m in ctx.cues("country_bodies"):
        word = toks[m.first].text
        plural = word.lower().endswith("s") and not word.lower().endswith("ss")
        # 'the Ministries of Foreign Affairs of Turkmenistan and Pakistan': a capitalised plural too
        if m.last - m.first != 1 or not (word.islower() or plural and word[:1].isupper()):
            continue
        before = toks[m.first - 1].text if m.first > 0 else ""
        if before.isalpha() and before.lower() not in _DETERMINERS and (before.islower() or before.istitle()):
            continue  # 'the foreign ministries of ...', 'the Foreign Ministries': a name this reading cannot complete
        head = (word[:-3] + "y" if word.endswith("ies") else word[:-1] if plural else word).capitalize()
        j, first = m.last, m.first
        if j >= len(toks) or toks[j].text != "of":
            continue
        j += 1
        # the body's field before its states: 'of Foreign Affairs', 'of culture and information'
        k = j
        while k < len(toks) and k - j < 5 and k not in states and toks[k].text.isalpha() and toks[k].text != "of" \
                and toks[k].text.lower() != "the":
            k += 1
        if k > j and k + 1 < len(toks) and toks[k].text == "of" and (k + 1 in states or toks[k + 1].text == "the"
                                                                       and k + 2 in states):
            body_field = ctx.text[toks[j].start:toks[k - 1].stop]
            head = f"{head} of {body_field if body_field[:1].isupper() else body_field.title()}"
            j = k + 1
        while j < len(toks):
            k = j + (toks[j].text == "the")
            state = states.get(k)
            if state is None:
                break
            yield first, state.last, f"{head} of {ctx.text[toks[j].start:toks[state.last - 1].stop]}"
            j = state.last
            while j < len(toks) and toks[j].text in (",", "and"):
                j += 1
            if j == state.last:
                break
            first = j


def _possessor(ctx: Context, first: int, places) -> str | None:
    """The state a possessive pronoun before a body stands for ("его посольство", "их
    представительства"): the last state named before it in the sentence or the one before."""
    toks = ctx.analysis.tokens
    if first == 0 or toks[first - 1].text.lower() not in ("его", "её", "ее", "их"):
        return None
    a = ctx.analysis
    sent = a.sentence_at(toks[first].start)
    k = a.sentences.index(sent)
    lo = a.sentences[k - 1].first if k > 0 else sent.first
    found = None
    for i in range(lo, first - 1):
        m = places.get(i)
        if m:
            v = next((v for v in m.values if v[0] == "country"), None)
            if v:
                found = v[1]
    return found


def _abbreviation_states(reg) -> dict[str, set[str]]:
    """Each state abbreviation of the registry ("РК", "КР") and the states it may stand for."""
    cache = reg.__dict__.setdefault("_orgs_cache", {})
    if "abbr_states" not in cache:
        out: dict[str, set[str]] = {}
        for e in reg.raw.get("countries") or ():
            for lang in ("ru", "en"):
                d = e.get(lang) or {}
                for w in [*(d.get("other") or ()), d.get("name") or ""]:
                    if " " not in w and is_abbreviation(w):
                        out.setdefault(w, set()).add(e["code"])
        cache["abbr_states"] = out
    return cache["abbr_states"]


def _country_name(ctx: Context, code: str) -> str:
    for e in ctx.registry.raw.get("countries") or ():
        if e["code"] == code:
            return (e.get("ru") or {}).get("name") or code
    return code


def country_tail(ctx: Context, first: int, last: int) -> int:
    """'Кабинета Министров Туркменистана', 'МИД Италии', 'Посольство Казахстана в Афганистане':
    NER stops short of the state a body belongs to; the country in the genitive right after the
    name (and, for a mission, the place it sits in) completes it."""
    if ctx.lang != "ru":
        return last
    places = {m.first: m for m in ctx.places}
    toks = ctx.analysis.tokens
    if last < len(toks) and is_abbreviation(toks[last].text) and toks[last].text not in _country_abbreviations(ctx.registry) \
            and toks[last - 1].text.isalpha() and toks[last - 1].text.islower() \
            and any(m.first == 0 for m in ctx.registry.org_index.find(ctx.keys[last:last + 4])):
        return last + 1  # "Научно-информационного центра МКВК": a unit and the body it belongs to
    if any(m.first <= last - 1 < m.last for m in ctx.places):
        return last  # the name already ends in a place
    end = _country_at(ctx, last, places)
    if end is None:
        loc = next((e for e in ctx.analysis.entities if e.type == "LOC" and e.start == toks[last].start), None) \
            if last < len(toks) else None
        if loc and toks[last - 1].text.isalpha() and toks[last - 1].text.islower():
            p = ctx.registry.morph.parses(toks[last].text)[:3]
            if p and "nomn" not in p[0].tag.grammemes and any("gent" in x.tag.grammemes for x in p):
                return ctx.analysis.token_index(loc.stop - 1) + 1  # "... водных ресурсов Центральной Азии"
        return last
    if any(first <= m.first < last for m in ctx.cues("country_bodies")):
        end = _place_tail(ctx, end, places)
    return end


def _country_at(ctx: Context, i: int, places) -> int | None:
    """The end of a country named at token i in the genitive ("Италии", "Республики Казахстан"),
    or of an abbreviation standing for one ("РК", "РФ")."""
    toks = ctx.analysis.tokens
    if i >= len(toks):
        return None
    m = places.get(i)
    if m and any(v[0] == "country" for v in m.values):
        word = toks[i].text
        if not _CYRILLIC.search(word) or any("gent" in p.tag.grammemes for p in ctx.registry.morph.parses(word)[:3]):
            return m.last
        return None
    if toks[i].text in _country_abbreviations(ctx.registry):
        return i + 1
    return None


def _country_abbreviations(reg) -> set[str]:
    """Abbreviations the registry gives for states ("РК", "РФ", "КНР"), ambiguous ones included:
    after a body noun ("посольство РК") any of them names the body's state."""
    cache = reg.__dict__.setdefault("_orgs_cache", {})
    if "abbr" not in cache:
        cache["abbr"] = {w for e in reg.raw.get("countries") or () for lang in ("ru", "en")
                         for w in [*((e.get(lang) or {}).get("other") or ()), (e.get(lang) or {}).get("name") or ""]
                         if " " not in w and is_abbreviation(w)}
    return cache["abbr"]


def _place_tail(ctx: Context, last: int, places) -> int:
    """'посольство Казахстана в Афганистане', 'Embassy of X in Tashkent': where a mission sits."""
    toks = ctx.analysis.tokens
    if last + 1 < len(toks) and toks[last].text.lower() in ("в", "во", "in", "при", "to"):
        m = places.get(last + 1)
        if m and any(v[0] in ("country", "city") for v in m.values):
            return m.last
        if toks[last].text.lower() in ("при", "to") and last + 1 < len(toks) and is_abbreviation(toks[last + 1].text):
            return last + 2  # "представительство Туркменистана при ОБСЕ"
    return last


def country_of(ctx: Context, first: int, last: int) -> str | None:
    """The country an unknown institution's name or its qualifying adjective names."""
    toks = ctx.analysis.tokens
    lo = first - 1
    if first >= 3 and toks[first - 1].text == "s" and toks[first - 2].text in ("'", "’"):
        lo = first - 3  # "Uzbekistan's Center for ..."
    places = ctx.registry.place_index.find(ctx.keys[max(0, lo):last])
    for m in places:
        for v in m.values:
            if v[0] in ("country", "adjective"):
                return v[1]
    # "посольство РК": an abbreviation that several states share is the one the text names elsewhere
    for i in range(first, last):
        codes = _abbreviation_states(ctx.registry).get(toks[i].text)
        if codes:
            named = [v[1] for m in ctx.places for v in m.values if v[0] in ("country", "adjective") and v[1] in codes]
            if named:
                return named[0]
    # "Social Science Research Center (WZB), Berlin", "Центр «Х» (Бишкек)": the city beside the name
    j = last
    while j < len(toks) and j - last < 4 and (toks[j].text in (",", "(", ")") or is_abbreviation(toks[j].text)):
        j += 1
    if j > last and j < len(toks) and toks[j - 1].text in (",", "("):
        for m in ctx.registry.place_index.find(ctx.keys[j:j + 3]):
            if m.first == 0:
                city = next((v for v in m.values if v[0] in ("city", "country")), None)
                if city:
                    return city[1]
    # "Tashkent State University of Economics": a city in the name places the body, unless the body
    # is a mission, which sits in another state's city ("посольство РК в Ташкенте")
    if not any(first <= m.first < last for m in ctx.cues("country_bodies")):
        for m in ctx.registry.place_index.find(ctx.keys[first:last]):
            city = next((v for v in m.values if v[0] == "city"), None)
            if city:
                return city[1]
    for m in ctx.registry.org_index.find(ctx.keys[first:last]):
        inst = ctx.registry.institutions.get(m.values[0][1])
        if inst and inst.country:
            return inst.country
    # «Акимат Туркестанской области», 'Samarqand viloyati hokimligi': a body only one state has
    for m in ctx.registry.cue_index("national_bodies").find(ctx.keys[first:last]):
        return m.values[0]
    return None
