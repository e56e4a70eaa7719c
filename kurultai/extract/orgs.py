"""Institutions: registry names first, then natasha's ORG spans and English head-noun phrases.

Registry matches give the canonical name, abbreviation and country. Spans the registry lacks
become institutions of their own: extended over tails natasha stops short of (org_spans.py),
given an abbreviation defined in brackets right after them, named in the nominative
(org_names.py), and placed in a country when their name or the adjective before them tells it
(org_countries.py); what NER tags that is no institution is left out (org_filter.py).
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..nlp.analyse import Entity
from ..nlp.morph import is_abbreviation
from .context import Context, Org
from .org_countries import country_of, country_tail, english_body_lists, generic_bodies
from .org_filter import chrome_lines, not_an_institution
from .org_names import body_name, canonical, institution_label, morph_key_phrase
from .org_spans import (QUOTES_OPEN, close_quote, coverage, dedupe, english_phrases, event_noun_tokens, extend_left,
                        extend_span, head_tokens, listed_abbreviations, registry_spans, trailing_name)


_ABBR = re.compile(r"^[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё&+\-]*[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё]*$")
_KIND_WORDS = {"НКО", "ОО", "ОФ", "АНО", "НПО", "ННО", "ngo", "ngos", "СМИ"}


def find_orgs(ctx: Context) -> None:
    """Fill ctx.orgs with every institution mention of the document."""
    a = ctx.analysis
    spans: list[tuple[int, int, str | None]] = []  # token ranges: (first, last, registry id or None)

    reg = [(f, extend_span(ctx, f, l), rid) for f, l, rid in registry_spans(ctx)]
    spans.extend(reg)
    covered = coverage(reg)
    # initiatives and formats are frameworks, not institutions: "ОПОП", "C5+1"
    covered |= {i for m in ctx.frameworks for i in range(m.first, m.last)}

    heads = head_tokens(ctx)
    bodies = {m.first for m in ctx.cues("generic_bodies")}
    cut_at = ctx.cues("organizer_before") + ctx.cues("backing")
    for e in list(a.entities):
        if e.type == "LOC" or e.type == "PER" and a.token_index(e.start) not in heads:
            continue
        first, last = _tagged_span(ctx, e, heads, bodies, cut_at)
        overlap = sum(1 for i in range(first, last) if i in covered)
        if overlap and overlap >= 0.6 * (last - first):
            continue
        if overlap and all(i in covered for i in range(first, last)):
            continue
        extended = country_tail(ctx, first, extend_span(ctx, first, last))
        spans.append((first, extended, None))
        if extended != last:
            spans.append((first, last, None))  # natasha's own span stays a (nested) mention

    if ctx.lang == "ru":
        for first, last, name in generic_bodies(ctx):
            rid = "~generic" if name is None else f"~body:{name}" if name else "~body"
            same = [k for k, (f, l, r) in enumerate(spans) if f == first and l <= last and r is None]
            if same:
                # the tagger's «правительство», «посольств Италии» are the body noun's still
                spans[same[0]] = (first, last, rid)
            elif not any(i in covered for i in range(first, last)) and not any(
                    f <= first < l for f, l, _ in spans):
                spans.append((first, last, rid))
    if ctx.lang == "en":
        for first, last, name in english_body_lists(ctx):
            if not any(i in covered for i in range(first, last)):
                spans.append((first, last, f"~body:{name}"))
    if ctx.lang != "ru":
        for first, last in english_phrases(ctx, heads):
            if not any(i in covered for i in range(first, last)) or _unit_of_known(ctx, first, last, covered):
                spans.append((first, last, None))
        spans.extend((i, i + 1, None) for i in listed_abbreviations(ctx, spans))

    chrome = chrome_lines(ctx)
    kept = []
    for first, last, rid in spans:
        if rid is None:
            first, last = _trim(ctx, first, last)
            if last <= first or not_an_institution(ctx, first, last, chrome):
                continue
        kept.append((first, last, rid))
    spans = dedupe(kept)
    _build(ctx, spans)
    _definite_mentions(ctx)
    # a body named by a common noun alone ("власти", "правительства", "ведомства") stays a mention of
    # kind "generic" (NER corpora tag them, NEREL among them), never an organiser or participant
    for n, org in enumerate(ctx.orgs, 1):
        org.id = f"o{n}"  # ids stay unique once merged and dropped institutions are gone


def _unit_of_known(ctx: Context, first: int, last: int, covered: set[int]) -> bool:
    """'Diplomatic Academy of the Ministry of Foreign Affairs of the Kyrgyz Republic', 'Scientific
    Information Center of ICWC': a body of its own whose name ends in 'of' a known institution's name;
    'Nazarbayev University Graduate School of Public Policy': one whose name begins with it. The
    known one stays a nested mention."""
    toks = ctx.analysis.tokens
    inside = [i for i in range(first, last) if i in covered]
    if inside and inside == list(range(first, inside[-1] + 1)) and last - inside[-1] > 2:
        own = range(inside[-1] + 1, last)
        # (a school, an institute or a centre of a university; its departments and offices stand for it)
        if not (_CAP_WORD.match(toks[own[0]].text) and any(ctx.keys[i] in _UNIT_HEADS for i in own)):
            return False
    elif inside and inside[0] - first >= 2 and inside == list(range(inside[0], last)):
        k = inside[0] - (toks[inside[0] - 1].text.lower() == "the")
        own = range(first, k)
        if toks[k - 1].text.lower() != "of" or any(i in covered for i in own):
            return False
    else:
        return False
    heads = {i for m in ctx.cues("org_heads") for i in range(m.first, m.last)}
    # not 'Research Centers of the Member States of the OTS' (a kind of bodies, plural), nor 'the
    # Think Tank Forum of the CICA' (an event of the body)
    return not any(i in heads and toks[i].text.lower() != ctx.keys[i] or i in event_noun_tokens(ctx) for i in own)


_CAP_WORD = re.compile(r"[A-Z][a-z]")
_UNIT_HEADS = {"school", "institute", "center", "centre", "college", "faculty", "laboratory", "academy", "observatory"}


def _tagged_span(ctx: Context, e, heads: set[int], bodies: set[int], cut_at: list) -> tuple[int, int]:
    """The token range of a tagger's institution span, mended where taggers go wrong."""
    a = ctx.analysis
    toks = a.tokens
    first, last = a.token_index(e.start), a.token_index(e.stop - 1) + 1
    # "поддержке посольств Италии": a tagger's span opened by a lower-case word that is neither a
    # body's head noun nor a common-noun body starts at the name proper
    while e.type == "ORG" and first < last - 1 and toks[first].text.isalpha() and toks[first].text.islower() \
            and first not in heads and first not in bodies:
        first += 1
    # "Академии Мирлан Эсенов": natasha glued a person's name onto the institution before it
    if e.type == "ORG" and ctx.lang == "ru" and last - first >= 3 and trailing_name(ctx, last):
        person = Entity(toks[last - 2].start, toks[last - 1].stop, "PER")
        a.entities.append(person)
        last -= 2
    # "Фонда борьбы с коррупцией (ФБК)": the name, and its abbreviation as a mention of its own
    if last - first >= 4 and toks[last - 1].text == ")" and "(" in [t.text for t in toks[first:last]]:
        k = max(i for i in range(first, last) if toks[i].text == "(")
        if k > first:
            last = k
    # «Министерство при содействии ...», «Министерства совместно с ...»: a tagger's span ends
    # where a role cue begins; what follows is another body
    last = min([c.first for c in cut_at if first < c.first < last], default=last)
    return first, last


def _definite_mentions(ctx: Context) -> None:
    """'the Institute hosted', «в нашем университете»: an institution's head noun said alone and
    definite is a mention of the one institution of the text with that head (the site's own among
    several), so that the roles read around it find it."""
    a = ctx.analysis
    toks = a.tokens
    morph = ctx.registry.morph
    for h in ctx.cues("org_heads"):
        t = toks[h.first]
        if h.last - h.first != 1 or h.first == 0 or ctx.org_at(t.start, t.stop):
            continue
        nxt = toks[h.first + 1].text if h.first + 1 < len(toks) else ""
        if ctx.lang == "en":
            definite = toks[h.first - 1].text.lower() == "the" and t.text[:1].isupper() \
                and nxt not in ("of", "for", "on", "in") and not nxt[:1].isupper()
        elif ctx.lang == "ru":
            # «нашего института», «в нашем университете»; not «наш институт экономики»
            genitive = nxt.isalpha() and nxt.islower() and any("gent" in p.tag.grammemes for p in morph.parses(nxt)[:1])
            definite = ctx.keys[h.first - 1] == "наш" and not genitive
        else:
            continue
        # the head among a name's first words ('United Nations Regional Centre for ...': the fourth)
        org = ctx.body_with_head({ctx.keys[h.first]}, words=4) if definite else None
        if org:
            org.add(t.start, t.stop)


def _trim(ctx: Context, first: int, last: int) -> tuple[int, int]:
    """Cut what is glued onto a name: a date or number before it ("28.10.2020 РТСУ"), a person
    written with initials after it ("КазНУ им. аль-Фараби Г. Шалабаева", "МИЦА З. Хамидова"),
    an English "Dushanbe-based" before it."""
    toks = ctx.analysis.tokens
    while first < last and (not any(c.isalpha() for c in toks[first].text) and toks[first].text not in QUOTES_OPEN
                            or toks[first].text.lower().endswith(("-based", "-headquartered"))):
        first += 1
    if last - first >= 2 and ctx.keys[first] in ("делегация", "delegation"):
        first += 1  # "Делегация МГИМО": the delegation's body is the institution
    nl = next((i for i in range(first + 1, last) if "\n" in ctx.text[toks[i - 1].stop:toks[i].start]), None)
    if nl is not None:
        last = nl  # a name does not run over a line break
    # "... Г. Шалабаева": initials and a surname end the span, unless "им." / "имени" names it after them
    k = last - 1
    if k - 2 >= first and toks[k].text[:1].isupper() and toks[k].text.isalpha() and toks[k - 1].text == ".":
        j = k - 1
        while j - 1 >= first and toks[j].text == "." and len(toks[j - 1].text) == 1 and toks[j - 1].text.isupper():
            j -= 2
        if j < k - 1 and j >= first and toks[j].text.lower() not in ("им", "имени", ".") and \
                toks[j].text.lower().rstrip(".") not in ("им", "имени"):
            last = j + 1
    return first, last


def _abbreviation_after(ctx: Context, last: int) -> tuple[str, int, int] | None:
    """'... (ИМЭП)' or '(HSE University, Russia)': the bracketed short name right after a span."""
    toks = ctx.analysis.tokens
    if last + 2 < len(toks) and toks[last].text == "(":
        j = last + 1
        # "(далее – ИСМИ)", "(hereinafter – IWEP)", "(далее «ЦИВР»)": a definition names the short form
        if toks[j].text.lower() in ("далее", "hereinafter", "hereafter"):
            j += 1
            while j < len(toks) and j - last < 5 and toks[j].text in ("-", "–", "—", ",", ":", "«", '"', "“", "the", "as"):
                j += 1
        if j + 1 < len(toks):
            t = toks[j]
            after = toks[j + 1].text if toks[j + 1].text not in "»\"”" else (toks[j + 2].text if j + 2 < len(toks) else "")
            if _ABBR.match(t.text) and after in (")", ","):
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
        if rid and rid.startswith("~"):
            key = " ".join(ctx.keys[i] for i in range(first, last) if ctx.keys[i])
            name = rid.partition(":")[2] if rid.startswith("~body:") else body_name(ctx, first, last)
            if rid.startswith("~body:"):
                key = morph_key_phrase(ctx, name)
            org = by_key.get(key)
            if org is None:
                country = country_of(ctx, first, last)
                if rid.startswith("~body:"):  # the state is in the name given, not in the span
                    country = next((v[1] for m in ctx.registry.place_index.find(key.split())
                                    for v in m.values if v[0] == "country"), country)
                org = new_org(name=name, short=None, country=country,
                              kind="generic" if rid == "~generic" else "")
                by_key[key] = org
            org.add(start, stop)
            continue
        if rid:
            org = by_key.get(rid)
            if org is None:
                inst = reg.institutions[rid]
                org = new_org(name=institution_label(ctx, inst), short=inst.short(ctx.lang), country=inst.country,
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
            name = canonical(ctx, extend_left(ctx, first, head_tokens(ctx)), close_quote(ctx, first, last))
            org = new_org(name=name, short=words[0] if len(words) == 1 and is_abbreviation(words[0]) else None,
                          country=country_of(ctx, first, last))
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
    kinds = {ctx.keys[i] for i in head_tokens(ctx)} | _KIND_WORDS
    ctx.orgs[:] = [o for o in ctx.orgs if o.registry_id or ctx.registry.morph.key(o.name) not in kinds
                   or len(o.name.split()) > 1]
    for org in ctx.orgs:
        org.mentions.sort()


def _merge_short_forms(ctx: Context) -> None:
    """'Дипломатической академии' after 'Дипломатическая академия МИД КР': a shortened second
    mention of an institution already named in full is that institution."""
    a = ctx.analysis
    heads = {ctx.keys[i] for i in head_tokens(ctx)}
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
        spelt = _spelt_out(ctx, org)
        if spelt is not None:  # 'ТПП Узбекистана', 'ТПП КР' after 'Торгово-промышленная палата Республики ...'
            for m in org.mentions:
                spelt.add(*m)
            spelt.short = spelt.short or org.name.split()[0]
            ctx.orgs.remove(org)
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
            # (the fuller name stays, with its state: «Комитет ... при Правительстве Республики Таджикистан»)
            keep, drop = (org, similar) if len(org.name) > len(similar.name) else (similar, org)
            for m in drop.mentions:
                keep.add(*m)
            keep.country = keep.country or drop.country
            ctx.orgs.remove(drop)
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


_INITIAL_SKIP = {"и", "по", "в", "на", "для", "of", "and", "the", "for", "on", "in", "va", "və", "және", "мен"}


def _spelt_out(ctx: Context, org):
    """The institution an abbreviation (three letters or more) stands for: «ТПП Узбекистана», «ТПП КР»,
    'ТПП' alone after «Торгово-промышленная палата Республики Узбекистан», whose words' initials begin
    with it (a hyphenated word gives each part's), of the same state when both have one; None when no
    institution or more than one of the text spells it."""
    words = org.name.split()
    abbr = words[0]
    if not is_abbreviation(abbr) or len(abbr) < 3 or not abbr.isalpha() or len(words) > 3:
        return None

    def initials(name):
        parts = [p for w in name.replace("«", " ").replace("»", " ").split() if w.lower() not in _INITIAL_SKIP
                 for p in w.split("-") if p]
        return "".join(p[0] for p in parts).upper()
    found = [o for o in ctx.orgs if o is not org and len(o.name.split()) > len(words)
             and not is_abbreviation(o.name.split()[0]) and initials(o.name).startswith(abbr.upper())
             and (not org.country or not o.country or o.country == org.country)]
    return found[0] if len(found) == 1 else None
