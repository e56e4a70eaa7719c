"""People: natasha's PER spans, names given as initials, and English names beside a role or a verb.

Mentions of one person are merged (a bare surname joins the full name it shortens); the name
kept is the fullest form, in the nominative. Affiliation comes from the institution standing
next to the name: before it with only role words between ("представитель ИСМИ Мурад Узаков",
"IICA Director Javlon Vakhabov"), or after it in apposition ("Н. Николаев, профессор НИУ ВШЭ").
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context, Person

_INITIALS = re.compile(
    r"\b(?:[А-ЯЁA-Z]\.\s?){1,2}[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
    r"|\b[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?\s(?:[А-ЯЁA-Z]\.\s?){1,2}(?=[\s,;:)]|$)")
_CAPWORD = re.compile(r"^[A-Z][a-z'’\-]+$|^[A-Z][a-z]+[A-Z][a-z]+$")


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
        words = ctx.text[start:stop].split()
        if not words:
            continue
        spans.append((start, stop))
    for m in _INITIALS.finditer(ctx.text):
        if not ctx.org_at(m.start(), m.end()) and not any(s < m.end() and m.start() < e for s, e in spans):
            spans.append((m.start(), m.end()))
    if ctx.lang != "ru":
        spans.extend(_english_names(ctx, spans))
    spans.sort()
    _merge(ctx, spans)
    _affiliate(ctx)


def _english_names(ctx: Context, taken):
    """Two to four capitalised words next to a role word or a speech verb."""
    toks = ctx.analysis.tokens
    roles = {m.last for m in ctx.cues("roles")}
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    speech = {m.first for m in ctx.cues("speech")}
    places = {i for m in ctx.places for i in range(m.first, m.last)}
    i, n = 0, len(toks)
    out = []
    while i < n:
        if not _CAPWORD.match(toks[i].text) or ctx.org_at(toks[i].start, toks[i].stop) or i in places \
                or i in role_tokens:
            i += 1
            continue
        j = i
        while j < n and j - i < 4 and _CAPWORD.match(toks[j].text) and not ctx.org_at(toks[j].start, toks[j].stop) \
                and j not in places and toks[j].key not in _NOT_NAMES and j not in role_tokens:
            j += 1
        if j - i >= 2:
            after = toks[j].text if j < n else ""
            sent = ctx.analysis.sentence_at(toks[i].start)
            speaking = any(sent.first <= k < sent.last for k in speech)
            # "Madina Alimova, an analyst with ...", "Azamat Toktosunov of the NISS described ..."
            cue = i in roles or j in speech or after == "," and j + 1 < n and toks[j + 1].text[:1].islower() \
                or (speaking and after in (",", "of", "(", "from") and (i == sent.first or toks[i - 1].text in (",", "while", "and")))
            if cue and toks[i].key not in _NOT_NAMES:
                s, e = toks[i].start, toks[j - 1].stop
                if not any(a < e and s < b for a, b in taken):
                    out.append((s, e))
        i = max(j, i + 1)
    # bare surnames of people already found: "Yilmaz said"
    surnames = {ctx.text[s:e].split()[-1] for s, e in out}
    for k, t in enumerate(toks):
        if t.text in surnames and not any(s <= t.start < e for s, e in out) and (k in speech or k + 1 in speech):
            out.append((t.start, t.stop))
    return out


_NOT_NAMES = {"the", "in", "on", "at", "during", "according", "participants", "central", "asia", "asian",
              "president", "minister", "secretary", "director", "professor", "state", "states", "foreign",
              "ministry", "university", "republic", "united", "nations", "photo", "read", "more", "news",
              "events", "building", "regarding", "expanding", "continuing", "in turn", "he", "she", "they",
              "programme", "program", "project", "sea", "basin", "river", "lake", "fund", "forum", "summit",
              "conference", "initiative", "corridor", "road", "belt", "union", "council", "bank", "office"}


def _merge(ctx: Context, spans) -> None:
    morph = ctx.registry.morph
    people: list[Person] = []
    # a bare surname written as in a full name elsewhere in the text is that person's, as written
    last_words = {ctx.text[s:e].split()[-1] for s, e in spans if len(ctx.text[s:e].split()) > 1}
    for s, e in spans:
        words = ctx.text[s:e].split()
        if ctx.lang in ("ru", "uz", "kk") and not (len(words) == 1 and words[0] in last_words):
            # Russian by its dictionary; Uzbek and Kazakh surnames lose their case ending
            words = morph.nominative_name(words, _oblique(ctx, s) if ctx.lang == "ru" else None)
        name = " ".join(words)
        target = None
        for p in people:
            if _same_person(p.name, name) or (len(words) == 1 and any(
                    ctx.text[ms:me].split()[-1] == words[0] for ms, me in p.mentions)):
                target = p
                break
        if target is None:
            target = Person(id=f"p{len(ctx.persons) + 1}", name=name)
            ctx.persons.append(target)
            people.append(target)
        elif _fullness(name) > _fullness(target.name):
            target.name = name
        target.mentions.append((s, e))


_OBLIQUE_CASES = {"gent", "datv", "accs", "ablt", "loct"}


def _oblique(ctx: Context, start: int) -> bool | None:
    """Whether a name stands in an oblique case, told by the title or preposition that governs it:
    'директором КИСИ Ерланом Кариным' is oblique, 'Заместитель директора Секретариата Карим
    Хаснуддинов' is not (genitive words between belong to the title). None when nothing tells."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    morph = ctx.registry.morph
    i = a.token_index(start) - 1
    genitive_chain = False
    while i >= sent.first and a.token_index(start) - i <= 14:
        t = a.tokens[i]
        word = t.text
        if ctx.org_at(t.start, t.stop) or word in ("«", "»", '"', "(", ")", ".") or is_abbreviation(word):
            i -= 1
            continue
        if not word.isalpha():
            return None
        if word[:1].isupper():
            if i != sent.first:
                return None
            word = word.lower()
        p = (morph.parses(word) or [None])[0]
        if p is None:
            return None
        if p.tag.POS == "PREP":
            return True
        if p.tag.POS == "NOUN":
            if "gent" in p.tag.grammemes and "nomn" not in p.tag.grammemes:
                genitive_chain = True  # a dependent of the title: keep looking for its head
                i -= 1
                continue
            return bool(_OBLIQUE_CASES & p.tag.grammemes)
        if p.tag.POS not in ("ADJF", "PRTF", "CONJ"):
            return None
        i -= 1
    if i < sent.first:
        return None if genitive_chain else False
    return None


def _fullness(name: str) -> tuple:
    parts = name.replace(".", ". ").split()
    return (sum(1 for p in parts if not p.endswith(".")), len(parts))


def _same_person(a: str, b: str) -> bool:
    pa, pb = a.replace(".", ". ").split(), b.replace(".", ". ").split()
    sa = [p for p in pa if not p.endswith(".")]
    sb = [p for p in pb if not p.endswith(".")]
    if not sa or not sb:
        return False
    if sa[-1].lower() != sb[-1].lower() and sa[0].lower() != sb[-1].lower() and sa[-1].lower() != sb[0].lower():
        return False
    if len(sa) == 1 or len(sb) == 1:
        return True
    # first names (or initials) must agree
    fa, fb = pa[0][0].lower(), pb[0][0].lower()
    return fa == fb or sa[0].lower() == sb[-1].lower()


def _affiliate(ctx: Context) -> None:
    """Each person's institution: adjacent before the name, else in the apposition after it."""
    toks = ctx.analysis.tokens
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    for p in ctx.persons:
        for s, e in p.mentions:
            org = _org_before(ctx, s, role_tokens) or _org_after(ctx, e)
            if org:
                p.affiliation = org.id
                break
        # the office of a head of state or minister: "президент Таджикистана Эмомали Рахмон"
        for s, e in p.mentions:
            office = _office(ctx, s)
            if office:
                p.country = office.country
                if not p.affiliation:
                    p.affiliation = office.id
                break


def _org_before(ctx: Context, start: int, role_tokens: set[int]):
    a = ctx.analysis
    sent = a.sentence_at(start)
    i = a.token_index(start) - 1
    for _ in range(6):
        if i < sent.first:
            return None
        t = a.tokens[i]
        org = ctx.org_at(t.start, t.stop)
        if org:
            return _chain_head(ctx, org, t.start)
        passable = (i in role_tokens or t.text in ("’s", "'s", "’", "'", "s", "»", "\"", "”")
                    or (t.text.isalpha() and t.text.islower() and not _is_verb(ctx, t.text)))
        if not passable:
            return None
        i -= 1
    return None


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
    if i >= len(a.tokens) or a.tokens[i].text not in (",", "—", "–", "("):
        return None
    sent = a.sentence_at(stop)
    for j in range(i + 1, min(sent.last, i + 25)):
        t = a.tokens[j]
        org = ctx.org_at(t.start, t.stop)
        if org:
            return org
        if any(s <= t.start < e for p in ctx.persons for s, e in p.mentions):
            return None
        if t.text.islower() and _is_verb(ctx, t.text):
            return None
    return None


def _office(ctx: Context, start: int):
    """'президент Таджикистана Name', 'Kazakh Foreign Minister Name': the office as an institution."""
    a = ctx.analysis
    i = a.token_index(start)
    lo = max(a.sentence_at(start).first, i - 6)
    def outside_orgs(m):  # "ЦСИ при Президенте РТ" names an institution, not an office holder
        toks = a.tokens[lo + m.first:lo + m.last]
        return not any(ctx.org_at(t.start, t.stop) for t in toks)
    offices = [m for m in ctx.registry.cue_index("offices").find(ctx.keys[lo:i]) if outside_orgs(m)]
    if not offices:
        return None
    office = offices[-1]
    places = [m for m in ctx.registry.place_index.find(ctx.keys[lo:i])
              if any(v[0] in ("country", "adjective") for v in m.values) and outside_orgs(m)]
    if not places:
        return None
    code = next(v[1] for v in places[-1].values if v[0] in ("country", "adjective"))
    country = ctx.registry.countries.get(code)
    if not country:
        return None
    o_first, o_last = lo + office.first, lo + office.last
    p_first, p_last = lo + places[-1].first, lo + places[-1].last
    if abs(p_first - o_last) > 1 and abs(o_first - p_last) > 1:
        return None  # the country belongs to something else in the window
    words = [t.text for t in a.tokens[o_first:o_last]]
    official = ctx.registry.official_name(code, ctx.lang)
    if ctx.lang == "ru":
        role = " ".join(ctx.registry.morph.nominative_phrase([w.lower() for w in words])).capitalize()
        name = f"{role} {' '.join(ctx.registry.morph.genitive_phrase(official.split()))}"
    else:
        role = " ".join(w.capitalize() for w in words)
        name = f"{role} of {official}" if not official.startswith("the ") else f"{role} of {official}"
    for org in ctx.orgs:
        if org.kind == "state_office" and org.name == name:
            return org
    from .context import Org
    s = a.tokens[min(o_first, p_first)].start
    e = a.tokens[max(o_last, p_last) - 1].stop
    org = Org(id=f"o{len(ctx.orgs) + 1}", name=name, short=None, country=code, kind="state_office")
    org.evidence = (s, e)
    ctx.orgs.append(org)
    return org
