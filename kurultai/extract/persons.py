"""People: natasha's PER spans, names given as initials, and English names beside a role or a verb.

Mentions of one person are merged (a bare surname joins the full name it shortens); the name
kept is the fullest form, in the nominative. Affiliation comes from the institution standing
next to the name: before it with only role words between ("представитель ИСМИ Мурад Узаков",
"IICA Director Javlon Vakhabov"), or after it in apposition ("Н. Николаев, профессор НИУ ВШЭ").
"""
from __future__ import annotations

import re

from pymorphy2.analyzer import Parse

from ..knowledge.phrases import phrase_keys
from ..nlp.morph import is_abbreviation
from ..nlp.turkic import HEAD_FINAL
from .context import Context, Person

_INITIALS = re.compile(
    r"\b(?:(?:Дж|[А-ЯЁA-Z])\.\s?){1,2}[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
    r"|\b[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?\s(?:[А-ЯЁA-Z]\.\s?){1,2}(?=[\s,;:)]|$)")
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЎўҲҳ]")
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
        start, stop = _trim(ctx, start, stop)
        if _not_a_name(ctx, start, stop):
            continue
        spans.append((start, stop))
    for m in _INITIALS.finditer(ctx.text):
        if not ctx.org_at(m.start(), m.end()) and not any(s < m.end() and m.start() < e for s, e in spans) \
                and not _not_a_name(ctx, m.start(), m.end()):
            spans.append((m.start(), m.end()))
    if ctx.lang != "ru":
        spans.extend(_english_names(ctx, spans))
    spans.sort()
    _merge(ctx, spans)
    _affiliate(ctx)
    _office_references(ctx)


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
    return bool(_NAMED_AFTER.search(ctx.text[max(0, start - 12):start]))


def _capword(ctx: Context):
    """A capitalised word that may be a name: ASCII Latin in English; in Uzbek and Kazakh any script
    («Беате», «Iаnzıýn» with its look-alike letters), but never a word of the lexicon (a country,
    a registry's name, a cue word, in any case form: «Qazaqstan», «Prezidenti»)."""
    if ctx.lang not in HEAD_FINAL:
        # 'Kassym-Jomart', 'Erdoğan', 'Türkiye': hyphenated given names and Latin letters with marks
        return lambda w: bool(_CAPWORD.match(w)) or _capitalised_word(w) and not _CYRILLIC.search(w)
    morph = ctx.registry.morph

    def capword(w: str) -> bool:
        return _capitalised_word(w) and not morph.is_known(w) and not morph.is_inflected(w)
    return capword


def _capitalised_word(w: str) -> bool:
    """«Беате», «Iаnzıýn», «Qasym-Jomart», «O‘ktam»: a capital, then lower-case letters, in any script."""
    parts = w.split("-")
    return len(w) > 1 and all(p[:1].isupper() or (k and p.islower()) for k, p in enumerate(parts)) \
        and all(p and all(c.isalpha() or c in "'’‘ʻ" for c in p) and not any(c.isupper() for c in p[1:])
                for p in parts)


def _english_names(ctx: Context, taken):
    """Two to four capitalised words next to a role word or a speech verb."""
    toks = ctx.analysis.tokens
    capword = _capword(ctx)
    roles = {m.last for m in ctx.cues("roles")}
    role_starts = {m.first for m in ctx.cues("roles")}
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    speech = {m.first for m in ctx.cues("speech")}
    said = {m.last for m in ctx.cues("speech")}
    offices = {i for m in ctx.registry.cue_index("offices").find(ctx.keys) for i in range(m.first, m.last)}
    # words of institution names ("Management Board", "Research Center") are never a person's
    places = {i for m in ctx.places for i in range(m.first, m.last)} | {
        i for m in ctx.cues("org_heads") for i in range(m.first, m.last)}
    i, n = 0, len(toks)
    out = []
    while i < n:
        if not capword(toks[i].text) or ctx.org_at(toks[i].start, toks[i].stop) or i in places \
                or i in role_tokens:
            i += 1
            continue
        j = i
        while j < n and j - i < 4 and capword(toks[j].text) and not ctx.org_at(toks[j].start, toks[j].stop) \
                and j not in places and toks[j].key not in _NOT_NAMES and j not in role_tokens:
            j += 1
        if j - i >= 3 and j < n and not capword(toks[j].text) and _title_of_body_before(ctx, i, capword, role_tokens,
                                                                                     offices, places):
            # "Minister of National Economy Serik Zhumangarin", "Minister of Foreign Affairs Murat
            # Nurtleu": the capitalised words end the title's body, the last two are the name
            s, e = toks[j - 2].start, toks[j - 1].stop
            if toks[j - 2].key not in _NOT_NAMES and not any(a < e and s < b for a, b in taken):
                out.append((s, e))
            i = j
            continue
        if j - i >= 2:
            after = toks[j].text if j < n else ""
            sent = ctx.analysis.sentence_at(toks[i].start)
            speaking = any(sent.first <= k < sent.last for k in speech)
            # "Madina Alimova, an analyst with ...", "Azamat Toktosunov of the NISS described ..."
            # "..., said Nikolai Podguzov"; "Tlegen Kuandykov, Communications Officer, ..."
            titled = after in (",", "–", "—", "-") and any(
                k in role_starts and all(capword(toks[x].text) for x in range(j + 1, k))
                for k in range(j + 1, min(n, j + 4)))  # "X – Head of Y", "X, Communications Officer, Y"
            # "President of Turkmenistan Serdar ...", "Kazakh Foreign Minister ...": a title with its state
            of_state = i - 1 in places and any(k in role_tokens or k in offices for k in range(max(0, i - 5), i - 1))
            # "Minister of Foreign Affairs of the Republic of Uzbekistan Bakhtiyor Saidov", "Deputy
            # Secretary of State Christopher Landau": a title with its body right before
            of_state = of_state or _title_of_body_before(ctx, i, capword, role_tokens, offices, places)
            cue = i in roles or j in speech or i in said or titled or of_state \
                or after == "," and j + 1 < n and toks[j + 1].text[:1].islower() \
                or (speaking and after in (",", "of", "(", "from")
                    and (i == sent.first or toks[i - 1].text in (",", ";", "while", "and")))
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


def _title_of_body_before(ctx: Context, i: int, capword, roles: set[int], offices: set[int],
                          places: set[int]) -> bool:
    """A title with its body ends right before token i: a role word, then "of" or "for" and
    capitalised words ("Minister of National Economy", "Special Envoy for Central Asia"), or an
    office whose name holds its body ("Minister of Foreign Affairs")."""
    toks = ctx.analysis.tokens
    linked = False
    for k in range(i - 1, max(-1, i - 8), -1):
        if k in offices:
            return True
        if k in roles:
            return linked
        key = toks[k].key
        if key in ("of", "for"):
            linked = True
        elif not (key == "the" or capword(toks[k].text) or key in _NOT_NAMES or k in places):
            return False
    return False


_NOT_NAMES = {"the", "in", "on", "at", "during", "according", "participants", "central", "asia", "asian",
              "president", "minister", "secretary", "director", "professor", "state", "states", "foreign",
              "ministry", "university", "republic", "united", "nations", "photo", "read", "more", "news",
              "events", "building", "regarding", "expanding", "continuing", "in turn", "he", "she", "they",
              "programme", "program", "project", "sea", "basin", "river", "lake", "fund", "forum", "summit",
              "conference", "initiative", "corridor", "road", "belt", "union", "council", "bank", "office",
              "board", "management", "session", "panel", "report", "keynote", "opening", "welcome"}


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
        elif _fullness(name) > _fullness(target.name) or (
                _fullness(name) == _fullness(target.name) and len(name) < len(target.name)):
            target.name = name  # the fullest form; of equally full ones the shortest, the nominative
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
            if i in _place_tokens(ctx):
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
            return bool(_OBLIQUE_CASES & p.tag.grammemes)
        if p.tag.POS not in ("ADJF", "PRTF", "CONJ"):
            return None
        i -= 1
    if i < sent.first:
        return True if title_gent else None if genitive_chain else False
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


def _affiliate(ctx: Context) -> None:
    """Each person's institution: adjacent before the name, else in the apposition after it."""
    toks = ctx.analysis.tokens
    role_tokens = {i for m in ctx.cues("roles") for i in range(m.first, m.last)}
    for p in ctx.persons:
        # the office of a head of state, minister or ambassador ("президент Таджикистана Эмомали
        # Рахмон", "посол Узбекистана в Туркменистане"): it says where they work, whatever body
        # stands next to the name (a head of state is never the staff of the think tank reporting)
        for s, e in p.mentions:
            office = _office(ctx, s)
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
                org = _side_of(ctx, s) or _ministry_of_title(ctx, s) or _definite_body(ctx, s, role_tokens)
                if org:
                    p.affiliation = org.id
                    break


_MINISTER = {"minister", "министр", "vazir", "вазир", "министрі"}
_TITLE_GLUE = {"of", "the", "for", "and", ",", "и", "-", "–"}


def _ministry_of_title(ctx: Context, start: int):
    """'Minister of National Economy Serik Zhumangarin', «министр энергетики Казахстана X»: a minister
    works at the ministry the text names with the same words ("Ministry of National Economy of
    Kazakhstan"), the title's state aside."""
    a = ctx.analysis
    sent = a.sentence_at(start)
    i = a.token_index(start)
    lo = max(sent.first, i - 8)
    k = next((j for j in range(i - 1, lo - 1, -1) if ctx.keys[j] in _MINISTER), None)
    if k is None:
        return None
    countries = {j for m in ctx.places for j in range(m.first, m.last)}
    words = {ctx.keys[j] for j in range(k + 1, i) if ctx.keys[j] not in _TITLE_GLUE and j not in countries
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
        if words <= keys and keys & {"ministry", "министерство", "vazirlik", "вазирлик", "министрлік"} \
                and (not states or org.country in states):
            return org
    return None


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
    places = _place_tokens(ctx)
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
                    or (ctx.lang == "en" and t.text[:1].isupper() and t.text.isalpha() and i + 1 in role_tokens
                        and i - 1 in role_tokens)
                    or (t.text[:1].isupper() and t.text.isalpha()
                        and any(a.tokens[k].text in ("от", "из", "в", "from") for k in range(max(sent.first, i - 2), i))))
        if not passable:
            return None
        i -= 1
    return None


_AGE = re.compile(r"^\d{1,3}-(?:летн\w+|year-old)$", re.I)


def _title_tokens(ctx: Context) -> set[int]:
    """Tokens of role words and offices, which texts often capitalise ("Министра", "Посла")."""
    cache = ctx.__dict__.get("_title_tokens")
    if cache is None:
        cache = ctx.__dict__["_title_tokens"] = {i for g in ("roles", "offices") for m in ctx.cues(g)
                                                 for i in range(m.first, m.last)}
    return cache


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
             and not ctx.org_at(a.tokens[k].start, a.tokens[k].stop)}
    heads = {h.removesuffix("’s").removesuffix("'s") for h in heads}
    fits = []
    for h in heads:
        key = ctx.registry.morph.key(h)
        fits += [o for o in ctx.orgs if o.kind not in ("generic", "state_office") and o not in fits
                 and key in {ctx.registry.morph.key(w) for w in o.name.split()[:3]}]
    return fits[0] if len(fits) == 1 else None


def _place_tokens(ctx: Context) -> set[int]:
    cache = ctx.__dict__.get("_place_tokens")
    if cache is None:
        cache = ctx.__dict__["_place_tokens"] = {i for m in ctx.places for i in range(m.first, m.last)}
    return cache


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


def _office(ctx: Context, start: int):
    """'президент Таджикистана Name', 'Kazakh Foreign Minister Name': the office as an institution."""
    a = ctx.analysis
    i = a.token_index(start)
    # 'Minister of Foreign Affairs of the Republic of Uzbekistan Name': English puts the state after
    lo = max(a.sentence_at(start).first, i - (10 if ctx.lang == "en" else 6))
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
    # the country next to the office ("посол Узбекистана в Туркменистане": Uzbekistan's)
    o_first, o_last = lo + office.first, lo + office.last

    def next_to(p_first: int, p_last: int) -> bool:  # "of the" may stand between in English
        gap = range(o_last, p_first) if p_first >= o_last else range(p_last, o_first)
        return len(gap) <= 1 or (len(gap) <= 2 and all(ctx.keys[k] in ("of", "the") for k in gap))
    adjacent = [m for m in places if next_to(lo + m.first, lo + m.last)]
    places = adjacent[:1] or places[-1:]
    code = next(v[1] for v in places[-1].values if v[0] in ("country", "adjective"))
    country = ctx.registry.countries.get(code)
    if not country:
        return None
    o_first, o_last = lo + office.first, lo + office.last
    p_first, p_last = lo + places[-1].first, lo + places[-1].last
    if not next_to(p_first, p_last):
        return None  # the country belongs to something else in the window
    words = [t.text for t in a.tokens[o_first:o_last]]
    official = _official(ctx, code)
    morph = ctx.registry.morph
    body = next((m.values[0] for m in ctx.registry.cue_index("office_bodies").find(ctx.keys[o_first:o_last])), None)
    stop = max(o_last, p_last)
    if ctx.lang in ("uz", "kk"):
        # «Qozog‘iston Respublikasi Prezidenti»: the state, then the office with its possessive
        role = " ".join(morph.nominative_phrase([w.capitalize() for w in words]))
        name = f"{official} {role}"
    elif body == "foreign_ministry":
        name = ("Министерство иностранных дел " + " ".join(morph.genitive_phrase(official.split()))
                if ctx.lang == "ru" else f"Ministry of Foreign Affairs of {official}")
    elif body == "embassy":
        name = ("Посольство " + " ".join(morph.genitive_phrase(official.split()))
                if ctx.lang == "ru" else f"Embassy of {official}")
        host = _host_country(ctx, p_last)
        if host:
            host_code, stop = host
            host_name = _official(ctx, host_code)
            name += (" в " + " ".join(_locative_phrase(morph, host_name.split())) if ctx.lang == "ru"
                     else f" in {host_name}")
    elif ctx.lang == "ru":
        role = " ".join(morph.nominative_phrase([w.lower() for w in words])).capitalize()
        name = f"{role} {' '.join(morph.genitive_phrase(official.split()))}"
    else:
        role = " ".join(w if w.lower() in ("of", "the", "and") else w.capitalize() for w in words)
        name = f"{role} of {official}"
    for org in ctx.orgs:
        if org.kind == "state_office" and org.name == name:
            return org
    if body:
        # the ministry is a known institution: the one the text names elsewhere, or the registry's
        rid = _registry_id(ctx, name)
        known = next((o for o in ctx.orgs if rid and o.registry_id == rid), None)
        if known:
            _office_keys(ctx).setdefault(known.id, _office_key(ctx, o_first, o_last))
            return known
    else:
        rid = None
    from .context import Org
    s = a.tokens[min(o_first, p_first)].start
    e = a.tokens[stop - 1].stop
    taken = {o.id for o in ctx.orgs}
    n = len(ctx.orgs) + 1
    while f"o{n}" in taken:  # ids of institutions dropped earlier leave gaps: never reuse one
        n += 1
    inst = ctx.registry.institutions.get(rid) if rid else None
    org = Org(id=f"o{n}", name=inst.label(ctx.lang) if inst else name, short=inst.short(ctx.lang) if inst else None,
              country=code, registry_id=rid, kind=inst.kind if inst else "state_office")
    org.evidence = (s, e)
    ctx.orgs.append(org)
    _office_keys(ctx)[org.id] = _office_key(ctx, o_first, o_last)
    return org


def _office_keys(ctx: Context) -> dict:
    return ctx.__dict__.setdefault("_office_keys", {})


# "глава государства", "глава нашего государства", "head of state" stand for the president
_HEAD_OF_STATE = {"глава государство", "глава наш государство", "head of state", "глава государства"}


def _office_key(ctx: Context, first: int, last: int) -> str:
    key = " ".join(k for k in ctx.keys[first:last] if k)
    return "президент" if key in _HEAD_OF_STATE else "president" if key == "head of state" else key


def _nominative(ctx: Context, word: str) -> bool:
    return any("nomn" in p.tag.grammemes for p in ctx.registry.morph.parses(word.lower()) if p.tag.POS == "NOUN")


def _office_references(ctx: Context) -> None:
    """'Президент отметил ...', 'глава нашего государства подчеркнул', 'the President said': an
    office named without a name is its holder, when the text names exactly one holder of it."""
    keys = _office_keys(ctx)
    holders: dict[str, list[Person]] = {}
    for p in ctx.persons:
        key = keys.get(p.affiliation or "")
        if key:
            holders.setdefault(key, []).append(p)
    if not holders:
        return
    a = ctx.analysis
    toks = a.tokens
    taken = [(s, e) for p in ctx.persons for s, e in p.mentions]
    speaking = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("speech")}
    for m in ctx.registry.cue_index("offices").find(ctx.keys):
        key = _office_key(ctx, m.first, m.last)
        people = holders.get(key, [])
        if len(people) != 1:
            continue
        s, e = toks[m.first].start, toks[m.last - 1].stop
        if ctx.org_at(s, e) or any(x < e + 40 and s < y for x, y in taken):
            continue  # the office in front of a name is that name's title, found already
        nxt = toks[m.last].text if m.last < len(toks) else ""
        if nxt[:1].isupper() or nxt.lower() in ("of", "at", "«", '"'):
            continue  # a title before a name, or an office of some other body ("President of the EDB")
        if ctx.lang == "ru" and not _nominative(ctx, toks[m.first].text):
            continue  # the holder as the subject ("Президент отметил"), not "канцелярия премьер-министра"
        p = people[0]
        if s < min(x for x, _ in p.mentions):
            continue  # the office names its holder only after the name was given
        # only where it tells what the holder said, and only once: an office is no name otherwise
        if a.sentence_at(s).start not in speaking or any(a.sentence_at(x).start in speaking for x, _ in p.mentions):
            continue
        p.mentions.append((s, e))


def _official(ctx: Context, code: str) -> str:
    """A state's official name as it stands after 'of': 'the Republic of Kazakhstan', 'Turkmenistan'."""
    official = ctx.registry.official_name(code, ctx.lang)
    if ctx.lang == "en" and not official.startswith("the "):
        short = next((e.get("en", {}).get("name") for e in ctx.registry.raw.get("countries") or () if e["code"] == code), None)
        if short and short != official:
            official = "the " + official
    return official


def _registry_id(ctx: Context, name: str) -> str | None:
    """The registry's institution whose name or alias is exactly `name`."""
    keys = phrase_keys(name, ctx.registry.morph.key)
    for m in ctx.registry.org_index.find(keys):
        if m.first == 0 and m.last == len(keys):
            return next((v[1] for v in m.values if v[0] == "org"), None)
    return None


def _host_country(ctx: Context, i: int):
    """'посол Узбекистана в Туркменистане', 'Ambassador of Kazakhstan to Japan': the state hosting
    the embassy, named right after the sending one."""
    if i >= len(ctx.keys) or ctx.keys[i] not in ("в", "во", "to", "in"):
        return None
    for m in ctx.registry.place_index.find(ctx.keys[i + 1:i + 5]):
        if m.first == 0:
            code = next((v[1] for v in m.values if v[0] == "country"), None)
            if code and ctx.registry.countries.get(code):
                return code, i + 1 + m.last
    # "посол РУз в РК": an abbreviation several states share is the one the text names elsewhere,
    # else the Central Asian one (the region these reports are about)
    if i + 1 < len(ctx.keys):
        word = ctx.analysis.tokens[i + 1].text
        shared = [e for e in ctx.registry.raw.get("countries") or () if word in (e.get("ambiguous") or ())]
        named = {v[1] for m in ctx.places for v in m.values if v[0] == "country"}
        fits = [e["code"] for e in shared if e["code"] in named] or \
            [e["code"] for e in shared if e.get("region") == "central_asia"]
        if len(fits) == 1:
            return fits[0], i + 2
    return None


def _locative_phrase(morph, words: list[str]) -> list[str]:
    """'Республика Казахстан' -> 'Республике Казахстан': leading adjectives and the head noun."""
    out = list(words)
    for i, w in enumerate(words):
        parses = [p for p in morph.parses(w) if "nomn" in p.tag.grammemes and p.tag.POS in ("NOUN", "ADJF")]
        if not parses:
            break
        form = Parse.inflect(parses[0], {"loct"})
        if form:
            out[i] = form.word.capitalize() if w[:1].isupper() else form.word
        if parses[0].tag.POS == "NOUN":
            break
    return out
