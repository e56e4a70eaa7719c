"""Offices of a state as institutions: "президент Таджикистана", "Kazakh Foreign Minister", "посол
Узбекистана в Туркменистане" name the body the holder works for, and the office named alone
later ("Президент отметил") is that holder.
"""
from __future__ import annotations

from pymorphy2.analyzer import Parse

from ..knowledge.phrases import phrase_keys
from .context import Context, Person


def office_at(ctx: Context, start: int):
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
        # (and the possessive before the office: "Tajikistan's Minister of Foreign Affairs")
        return len(gap) <= 1 or (len(gap) <= 2 and all(ctx.keys[k] in ("of", "the") for k in gap)) \
            or p_last <= o_first and [ctx.analysis.tokens[k].text for k in gap] in (["'", "s"], ["’", "s"])
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
    body = next((m.values[0] for m in ctx.registry.cue_index("office_bodies").find(ctx.keys[o_first:o_last])), None)
    name, stop = _office_name(ctx, words, code, body, p_last, max(o_last, p_last))
    for org in ctx.orgs:
        if org.kind == "state_office" and org.name == name:
            return org
    if body:
        # the ministry is a known institution: the one the text names elsewhere, or the registry's
        rid = registry_id_of(ctx, name)
        known = next((o for o in ctx.orgs if rid and o.registry_id == rid), None)
        if known:
            _office_keys(ctx).setdefault(known.id, _office_key(ctx, o_first, o_last))
            return known
    else:
        rid = None
    span = (a.tokens[min(o_first, p_first)].start, a.tokens[stop - 1].stop)
    return new_office(ctx, name, code, rid, span, _office_key(ctx, o_first, o_last))


def _office_name(ctx: Context, words: list[str], code: str, body: str | None, p_last: int,
                 stop: int) -> tuple[str, int]:
    """The office's name as an institution ("Министерство иностранных дел Республики Казахстан",
    "Embassy of Japan in Uzbekistan", "President of Turkmenistan"), and where its mention ends."""
    official = _official(ctx, code)
    morph = ctx.registry.morph
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
    return name, stop


def new_office(ctx: Context, name: str, code: str, rid: str | None, span: tuple[int, int], key: str):
    """The office, or the registry's ministry it is, as an institution of its own under an id never used."""
    from .context import Org
    taken = {o.id for o in ctx.orgs}
    n = len(ctx.orgs) + 1
    while f"o{n}" in taken:  # ids of institutions dropped earlier leave gaps: never reuse one
        n += 1
    inst = ctx.registry.institutions.get(rid) if rid else None
    org = Org(id=f"o{n}", name=inst.label(ctx.lang) if inst else name, short=inst.short(ctx.lang) if inst else None,
              country=code, registry_id=rid, kind=inst.kind if inst else "state_office")
    org.evidence = span
    ctx.orgs.append(org)
    _office_keys(ctx)[org.id] = key
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


def office_references(ctx: Context) -> None:
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


def title_references(ctx: Context) -> None:
    """«Аким области отметил ...», «По словам хокима, ...», «Министр отметил», 'The Ambassador said':
    a title said alone, after the text gave it before one person's name («встреча акима области
    Нуржана Сейдахметова»), is that person, when one person holds it. Counted where the sentence
    tells what was said, and only in a paragraph where the person has said nothing by name yet (a
    page of several meetings names the minister once and his words in each)."""
    a = ctx.analysis
    toks = a.tokens
    found = [m for g in ("offices", "office_heads") for m in ctx.registry.cue_index(g).find(ctx.keys)]
    single = [m for m in found if m.last - m.first == 1]
    if not single:
        return
    titled: dict[str, list[Person]] = {}
    for p in ctx.persons:
        first = a.token_index(min(x for x, _ in p.mentions))
        # the title word a few words before the first mention: «акима области Нуржана», «хокимом
        # Ташкентской области Республики Узбекистан Зафаром», 'Minister of Energy Almasadam Satkaliyev'
        for m in single:
            if 0 < first - m.first <= 6 and all(t.text.isalpha() for t in toks[m.last:first]) \
                    and all(t.text[:1].isupper() or ctx.keys[k] in _TITLE_GLUE or ctx.lang != "ru" and t.text.islower()
                            for k, t in enumerate(toks[m.last:first], m.last)):
                holders = titled.setdefault(ctx.keys[m.first], [])
                if p not in holders:
                    holders.append(p)
    if not titled:
        return
    speaking = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("speech")}
    told = {m.last for m in ctx.cues("attribution")}  # «По словам хокима»: the title right after
    taken = [(x, y) for p in ctx.persons for x, y in p.mentions]
    for m in single:
        people = titled.get(ctx.keys[m.first], [])
        if len(people) != 1:
            continue
        p = people[0]
        s, e = toks[m.first].start, toks[m.first].stop
        nxt = toks[m.last] if m.last < len(toks) else None
        if any(x < e + 40 and s < y for x, y in taken) or nxt is not None and nxt.text[:1].isupper() \
                and nxt.text.isalpha() and not a.sentence_at(nxt.start).first == m.last:
            continue  # a title before a name: that name's, found already
        if s < min(x for x, _ in p.mentions):
            continue
        sent = a.sentence_at(s)
        attributed = m.first in told or m.first - 1 in told
        subject = m.first - sent.first <= 2 and (ctx.lang != "ru" or _nominative(ctx, toks[m.first].text))
        if not (attributed or subject and sent.start in speaking):
            continue
        para = ctx.text.rfind("\n", 0, s) + 1
        if any(para <= x < s and a.sentence_at(x).start in speaking for x, _ in p.mentions):
            continue
        p.mentions.append((s, e))
        p.mentions.sort()


# words that may stand between a title and its holder's name: «акима области Нуржана»
_TITLE_GLUE = {"область", "город", "район", "республика", "край", "столица", "регион"}


def _official(ctx: Context, code: str) -> str:
    """A state's official name as it stands after 'of': 'the Republic of Kazakhstan', 'Turkmenistan'."""
    official = ctx.registry.official_name(code, ctx.lang)
    if ctx.lang == "en" and not official.startswith("the "):
        short = next((e.get("en", {}).get("name") for e in ctx.registry.raw.get("countries") or () if e["code"] == code), None)
        if short and short != official:
            official = "the " + official
    return official


def registry_id_of(ctx: Context, name: str) -> str | None:
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
