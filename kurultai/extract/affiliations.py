"""Where each person works: the office they hold, else the institution next to the name, before
it with only role words between ("представитель ИСМИ Мурад Узаков", "IICA Director Javlon
Vakhabov") or after it in apposition ("Н. Николаев, профессор НИУ ВШЭ"), else the delegation
they head, the side they speak for, the ministry their title names or the body the text calls
"the Center".
"""
from __future__ import annotations

import re

from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .offices import new_office, office_at, registry_id_of
from .person_names import place_tokens


def affiliate(ctx: Context) -> None:
    """Each person's institution: adjacent before the name, else in the apposition after it."""
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    for p in ctx.persons:
        # the office of a head of state, minister or ambassador ("президент Таджикистана Эмомали
        # Рахмон", "посол Узбекистана в Туркменистане"): it says where they work, whatever body
        # stands next to the name (a head of state is never the staff of the think tank reporting)
        for s, e in p.mentions:
            office = office_at(ctx, s)
            if office:
                p.country = office.country
                p.affiliation = office.id
                break
        if p.affiliation:
            continue
        for s, e in p.mentions:
            org = _org_before(ctx, s, role_tokens) or _org_after(ctx, e) or _delegation_of(ctx, s, role_tokens)
            if org:
                p.affiliation = org.id
                break
        if not p.affiliation:
            for s, e in p.mentions:
                org = _side_of(ctx, s) or _ministry_of_title(ctx, s) or _definite_body(ctx, s, role_tokens) \
                    or _possessive_body(ctx, s) or _body_by_head(ctx, s)
                if org:
                    p.affiliation = org.id
                    break


_MINISTER = {"minister", "министр", "vazir", "вазир", "министрі"}  # keyed by the language's morphology
_MINISTRY = {"ministry", "министерство", "vazirlik", "вазирлик", "министрлік"}
_TITLE_GLUE = {"of", "the", "for", "and", ",", "и", "-", "–"}


def _ministry_of_title(ctx: Context, start: int):
    """'Minister of National Economy Serik Zhumangarin', «министр энергетики Казахстана X»: a minister
    works at the ministry the text names with the same words ("Ministry of National Economy of
    Kazakhstan"), the title's state aside."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    i = a.token_index(start)
    lo = max(sent.first, i - (12 if ctx.lang == "en" else 8))  # English titles run longer
    key = ctx.registry.morph.key
    minister, ministry = {key(w) for w in _MINISTER}, {key(w) for w in _MINISTRY}
    k = next((j for j in range(i - 1, lo - 1, -1) if ctx.keys[j] in minister), None)
    if k is None:
        return None
    countries = {j for m in ctx.places for j in range(m.first, m.last)}
    # the minister's field follows the word («министр энергетики»), or precedes it in Uzbek and
    # Kazakh («Suv xo‘jaligi vazirining o‘rinbosari»)
    field = range(k + 1, i) if ctx.lang not in HEAD_FINAL else range(max(sent.first, k - 3), k)
    words = {ctx.keys[j] for j in field if ctx.keys[j] not in _TITLE_GLUE and j not in countries
             and a.tokens[j].text.isalpha()}
    if not words:
        return None
    # 'Uzbek Deputy Minister of Energy X', «министр энергетики Казахстана X»: the title's own state
    # picks among the states' ministries of that name
    states = {v[1] for m in ctx.places if max(sent.first, k - 2) <= m.first < i for v in m.values
              if v[0] in ("country", "adjective")}
    for org in ctx.orgs:
        if (org.kind and org.kind != "ministry") or not org.mentions:
            continue
        s, e = org.mentions[0]
        keys = {ctx.keys[j] for j in range(a.token_index(s), a.token_index(e - 1) + 1)}
        if words <= keys and keys & ministry \
                and (not states or org.country in states):
            return org
    return _ministry_named_by_title(ctx, k, i, countries)


def _ministry_named_by_title(ctx: Context, k: int, i: int, countries: set[int]):
    """'Deputy Minister of Mining Industry and Geology of the Republic of Uzbekistan X', «заместитель
    министра энергетики Республики Казахстан X»: a title of a field and a state, with no such ministry
    named in the text, names it: the registry's, or a new institution of the title's words."""
    if ctx.lang not in ("ru", "en"):
        return None
    a = ctx.analysis
    toks = a.tokens
    stop = i
    while stop > k + 1 and not toks[stop - 1].text.isalnum():
        stop -= 1  # 'Minister of Energy of Kazakhstan, X': the comma before the name
    place = next((m for m in ctx.places if m.last == stop and m.first > k + 1
                  and any(v[0] == "country" for v in m.values)), None)
    if place is None:
        return None
    first = place.first
    if ctx.lang == "en":
        while first > k + 1 and ctx.keys[first - 1] in ("of", "the"):
            first -= 1
    if first <= k + 1 or not all(t.text.isalpha() or t.text in (",", "-") for t in toks[k + 1:first]):
        return None  # no field between the title and its state
    rest = ctx.text[toks[k + 1].start:toks[stop - 1].stop]
    name = f"Ministry {rest}" if ctx.lang == "en" else f"Министерство {rest}"
    code = next(v[1] for v in place.values if v[0] == "country")
    for org in ctx.orgs:
        if org.name == name:
            return org
    return new_office(ctx, name, code, registry_id_of(ctx, name), (toks[k].start, toks[stop - 1].stop),
                       ctx.keys[k])


def _side_of(ctx: Context, start: int):
    """«Со стороны КИСИ в мероприятии приняли участие заместитель директора X, ...», 'On behalf of
    the Institute, Director X ...': the institution a sentence opens with, after such a phrase, is
    where the people it names come from."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    cue = next((m for m in ctx.cues("side_of") if m.first <= sent.first + 1 and m.first >= sent.first), None)
    if cue is None:
        return None
    after = a.tokens[cue.last].start if cue.last < len(a.tokens) else sent.stop
    orgs = [(s, o) for s, e, o in ctx.org_mentions_in(after, start) if o.kind != "generic"]
    if not orgs or a.token_index(orgs[0][0]) - cue.last > 1:
        return None  # the institution stands right after the opening («со стороны казахстанской ...» is a state)
    return orgs[0][1]


def _org_before(ctx: Context, start: int, role_tokens: set[int]):
    a = ctx.analysis
    sent = a.sentence_at(start)
    i = a.token_index(start) - 1
    places = place_tokens(ctx)
    if i > sent.first and a.tokens[i].text == ",":
        # "Director of the Institute for ..., B. Karimov": a title of a body, then the name after a comma
        t = a.tokens[i - 1]
        org = ctx.org_at(t.start, t.stop)
        mention = next(((s, e) for s, e in org.mentions if s < t.stop and t.start < e), None) if org else None
        if mention and org.kind != "generic":
            k = a.token_index(mention[0]) - 1
            while k >= sent.first and a.tokens[k].text.lower() in ("of", "the"):
                k -= 1
            if k >= sent.first and k in role_tokens and k < a.token_index(mention[0]) - 1:
                return _chain_head(ctx, org, t.start)
    for _ in range(8):
        if i < sent.first:
            return None
        t = a.tokens[i]
        org = ctx.org_at(t.start, t.stop)
        if org and org.kind != "generic":
            return _chain_head(ctx, org, t.start)
        if t.text == ")":
            # a short bracket between the body and the name: "(CIIS)", "(Роскомнадзора)"
            k = i - 1
            while k > sent.first and i - k <= 6 and a.tokens[k].text != "(":
                k -= 1
            if a.tokens[k].text == "(" and i - k <= 6:
                inner = ctx.org_at(a.tokens[k + 1].start, a.tokens[i - 1].stop) if k + 1 < i else None
                if inner and inner.kind != "generic":
                    return _chain_head(ctx, inner, a.tokens[k + 1].start)
                i = k - 1
                continue
        # role words, lower-case words that are no verbs, the place of a branch ("представительства
        # FES в Узбекистане Клаус Вебер"), an age ("68-летнего", "52-year-old"), the region one
        # represents ("члена Совета Федерации от Республики Алтай")
        passable = (i in role_tokens or i in places or t.text in ("’s", "'s", "’", "'", "s", "»", "\"", "”", "(")
                    or (t.text.isalpha() and t.text.islower() and not _is_verb(ctx, t.text))
                    or bool(_AGE.match(t.text))
                    # 'Senior Energy Specialist', 'Chief Water Adviser': a field's capitalised word inside a title
                    # ('ADB Country Director': right after the body's name too)
                    or (ctx.lang == "en" and t.text[:1].isupper() and t.text.isalpha() and i + 1 in role_tokens
                        and (i - 1 in role_tokens or i > 0 and ctx.org_at(a.tokens[i - 1].start, a.tokens[i - 1].stop)))
                    or (t.text[:1].isupper() and t.text.isalpha()
                        and any(a.tokens[k].text in ("от", "из", "в", "from") for k in range(max(sent.first, i - 2), i))))
        if not passable:
            return None
        i -= 1
    return None


_AGE = re.compile(r"^\d{1,3}-(?:летн\w+|year-old)$", re.I)


def _definite_body(ctx: Context, start: int, role_tokens: set[int]):
    """'Director Jamshed Rajabzoda briefed the guests on the Center's priorities', 'заведующий
    кафедрой ... Name' after '... нашего института': a bare title whose body the text names by
    its head noun alone ('the Center', 'наш институт'), which fits one institution of the text."""
    a = ctx.analysis
    i = a.token_index(start)
    sent = a.sentence_at(start)
    k = i - 1  # a title right before the name, its dependents lower-case ("кандидат философских наук")
    while k >= sent.first and k not in role_tokens and i - k <= 4 and a.tokens[k].text.isalpha() \
            and a.tokens[k].text.islower():
        k -= 1
    if k < sent.first or k not in role_tokens:
        return None
    prev = [x for x in a.sentences if x.stop <= sent.start][-1:]
    lo = prev[0].first if prev else sent.first
    heads = {a.tokens[k].text.lower() for m in ctx.cues("org_heads") for k in range(m.first, m.last)
             if lo <= m.first < sent.last and k > 0
             and (a.tokens[k - 1].text.lower() == "the" or ctx.keys[k - 1] == "наш")
             and not _inside_a_name(ctx, a.tokens[k])}
    heads = {h.removesuffix("’s").removesuffix("'s") for h in heads}
    return ctx.body_with_head({ctx.registry.morph.key(h) for h in heads}, words=3)


def _inside_a_name(ctx: Context, tok) -> bool:
    """The word is part of a longer institution name (not a head noun said alone, orgs.py's
    definite mention)."""
    return any(s <= tok.start and tok.stop <= e and (s, e) != (tok.start, tok.stop)
               for o in ctx.orgs for s, e in o.mentions)


_OPENING = {"«", "“", "„", '"'}
_APOSTROPHES = {"'", "’"}


def _possessive_body(ctx: Context, start: int):
    """"ESCAP's Chief of Trade Facilitation, Rajiv Menon", "Nazarbayev University's Prof. Emre Kaya":
    the institution in the possessive before the title the name follows."""
    a = ctx.analysis
    toks = a.tokens
    i = a.token_index(start)
    sent = a.sentence_at(start)
    for k in range(i - 1, max(sent.first, i - 10), -1):
        if toks[k].text == "s" and toks[k - 1].text in _APOSTROPHES and k - 2 >= sent.first:
            org = ctx.org_at(toks[k - 2].start, toks[k - 2].stop)
            return org if org and org.kind not in ("generic", "media") else None
        if toks[k].text in (".", ";") and not (k > 0 and len(toks[k - 1].text) <= 4):
            return None  # a sentence's stop ("Prof." and "Dr." aside)
    return None


def _body_by_head(ctx: Context, start: int):
    """«Кітапхана директоры X», «директор библиотеки X», 'the library's director X', «Farg'ona viloyati
    hokimi X» (a hokim heads the hokimlik): a body's head noun, or the body an office heads, in the
    title right before the name, which fits one institution of the text."""
    a = ctx.analysis
    i = a.token_index(start)
    sent = a.sentence_at(start)
    lo = max(sent.first, i - 5)
    # a head followed by a quoted or capitalised name («Института «Ала-Тоо»») names a body of its own
    keys = {ctx.keys[k] for m in ctx.cues("org_heads") for k in range(m.first, m.last)
            if lo <= m.first < i and not ctx.org_at(a.tokens[m.first].start, a.tokens[m.first].stop)
            and (m.last >= i or not (a.tokens[m.last].text[:1].isupper() or a.tokens[m.last].text in _OPENING))}
    keys |= {ctx.registry.morph.key(m.values[0]) for g in ("office_heads", "office_bodies") for m in ctx.cues(g)
             if lo <= m.first < i}
    if not keys or any(ctx.org_at(a.tokens[k].start, a.tokens[k].stop) for k in range(lo, i)):
        return None  # a named body beside the name is for _org_before to read
    return ctx.body_with_head(keys)


_LED_BY = ("во главе с", "led by", "headed by")


def _delegation_of(ctx: Context, start: int, role_tokens: set[int]):
    """'делегация МГИМО во главе с проректором Виктором Соколовским', 'a delegation of RIAC led by
    Program Director Pavel Sorokin': the head of a delegation works where the delegation comes from."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    i = a.token_index(start) - 1

    def title_word(k):  # "проректором по международной деятельности", "Program Director"
        t = a.tokens[k].text
        if " ".join(x.text.lower() for x in a.tokens[max(sent.first, k - 2):k + 1]).endswith(_LED_BY):
            return False
        return k in role_tokens or (t.isalpha() and (t.islower() and not _is_verb(ctx, t)
                                                     or t[:1].isupper() and k + 1 in role_tokens))
    while i >= sent.first and a.token_index(start) - i <= 8 and title_word(i):
        i -= 1
    if i < sent.first:
        return None
    led = " ".join(t.text.lower() for t in a.tokens[max(sent.first, i - 2):i + 1])
    if not led.endswith(_LED_BY):
        return None
    lo = max(sent.first, i - 16)
    orgs = [o for s, e, o in ctx.org_mentions_in(a.tokens[lo].start, a.tokens[i].start) if o.kind != "generic"]
    delegation = any(ctx.keys[k] in ("делегация", "delegation") for k in range(lo, i))
    return orgs[-1] if orgs and delegation else None


def _chain_head(ctx: Context, org, pos: int):
    """'Центра X АНО «Y»' before a name: the person works at the unit X, whose parent is Y."""
    mention = next(((s, e) for s, e in org.mentions if s <= pos < e), None)
    if not mention:
        return org
    for s, e, other in ctx.org_mentions_in(max(0, mention[0] - 200), mention[0]):
        gap = ctx.text[e:mention[0]].strip().lower()
        if other is not org and gap in ("", "of", "of the", "at", "at the"):
            return other
    return org


def _is_verb(ctx: Context, word: str) -> bool:
    if ctx.lang != "ru" or len(word) < 3:
        return False
    parses = ctx.registry.morph.parses(word)
    return bool(parses) and parses[0].tag.POS in ("VERB", "INFN", "GRND", "PRTS")


def _org_after(ctx: Context, stop: int):
    """'Name, role of ORG': the first institution of the apposition, before any verb or name."""
    a = ctx.analysis
    i = a.token_index(stop)
    if i >= len(a.tokens):
        return None
    sent = a.sentence_at(stop)
    if a.tokens[i].text in ("of", "from", "at", "из"):  # "Azamat Toktosunov of the NISS", "X из группы «Y»"
        for j in range(i + 1, min(sent.last, i + 4)):
            org = ctx.org_at(a.tokens[j].start, a.tokens[j].stop)
            if org:
                return org if org.kind != "generic" else None
            if not (a.tokens[j].text.islower() or a.tokens[j].text in ("«", '"', "“")):
                return None
        return None
    if ctx.keys[i] in _WORKS_AT and i + 1 < sent.last:
        return _org_in_predicate(ctx, i + 1, sent)
    if a.tokens[i].text not in (",", "—", "–", "("):
        return None
    for j in range(i + 1, min(sent.last, i + 25)):
        t = a.tokens[j]
        org = ctx.org_at(t.start, t.stop)
        if org and org.kind != "generic":  # "..., сотрудники ведомства": a common noun names no workplace
            return org
        if any(s <= t.start < e for p in ctx.persons for s, e in p.mentions):
            return None
        if t.text.islower() and _is_verb(ctx, t.text):
            return None
    return None


# Verbs that say where someone works: "X возглавляет Y", "X является директором Y", "X heads Y".
_WORKS_AT = {"являться", "возглавлять", "занимать", "работать", "руководить", "служить", "представлять",
             "heads", "head", "leads", "lead", "chairs", "chair", "directs", "works", "serves", "represents", "is"}


def _org_in_predicate(ctx: Context, j: int, sent):
    """The first institution in the predicate, before the clause ends: 'является директором ИСМИ',
    'занимает должность руководителя ...', 'is a senior fellow at the ...'."""
    a = ctx.analysis
    for k in range(j, min(sent.last, j + 12)):
        t = a.tokens[k]
        org = ctx.org_at(t.start, t.stop)
        if org:
            return org if org.kind != "generic" else None
        if t.text in (",", ";", ":", ".", "—", "–") or (t.text.islower() and _is_verb(ctx, t.text)):
            return None
    return None
