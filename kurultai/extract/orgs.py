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
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


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
    bodies = {m.first for m in ctx.cues("generic_bodies")}
    for e in a.entities:
        if e.type == "LOC":
            continue
        first, last = a.token_index(e.start), a.token_index(e.stop - 1) + 1
        # "поддержке посольств Италии": a tagger's span opened by a lower-case word that is neither a
        # body's head noun nor a common-noun body starts at the name proper
        while e.type == "ORG" and first < last - 1 and toks[first].text.isalpha() and toks[first].text.islower() \
                and first not in heads and first not in bodies:
            first += 1
        # "Академии Мирлан Эсенов": natasha glued a person's name onto the institution before it
        if e.type == "ORG" and ctx.lang == "ru" and last - first >= 3 and _trailing_name(ctx, last):
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
        extended = _country_tail(ctx, first, _extend(ctx, first, last))
        spans.append((first, extended, None))
        if extended != last:
            spans.append((first, last, None))  # natasha's own span stays a (nested) mention

    if ctx.lang == "ru":
        for first, last, name in _generic_bodies(ctx):
            rid = "~generic" if name is None else f"~body:{name}" if name else "~body"
            same = [k for k, (f, l, r) in enumerate(spans) if f == first and l <= last and r is None]
            if same:
                # the tagger's «правительство», «посольств Италии» are the body noun's still
                spans[same[0]] = (first, last, rid)
            elif not any(i in covered for i in range(first, last)) and not any(
                    f <= first < l for f, l, _ in spans):
                spans.append((first, last, rid))
    if ctx.lang != "ru":
        for first, last in _english_phrases(ctx, heads):
            if not any(i in covered for i in range(first, last)):
                spans.append((first, last, None))
        spans.extend((i, i + 1, None) for i in _listed_abbreviations(ctx, spans))

    chrome = _chrome_lines(ctx)
    kept = []
    for first, last, rid in spans:
        if rid is None:
            first, last = _trim(ctx, first, last)
            if last <= first or _not_an_institution(ctx, first, last, chrome):
                continue
        kept.append((first, last, rid))
    spans = _dedupe(kept)
    _build(ctx, spans)
    # a body named by a common noun alone ("власти", "правительства", "ведомства") stays a mention of
    # kind "generic" (NER corpora tag them, NEREL among them), never an organiser or participant
    for n, org in enumerate(ctx.orgs, 1):
        org.id = f"o{n}"  # ids stay unique once merged and dropped institutions are gone


def _trim(ctx: Context, first: int, last: int) -> tuple[int, int]:
    """Cut what is glued onto a name: a date or number before it ("28.10.2020 РТСУ"), a person
    written with initials after it ("КазНУ им. аль-Фараби Г. Шалабаева", "МИЦА З. Хамидова"),
    an English "Dushanbe-based" before it."""
    toks = ctx.analysis.tokens
    while first < last and (not any(c.isalpha() for c in toks[first].text) and toks[first].text not in _QUOTES_OPEN
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


def _chrome_lines(ctx: Context) -> list[tuple[int, int]]:
    """Lines of page furniture: menus and breadcrumbs ("Главная / Экономика", "Главная Новости
    Аналитика Контакты"), language switches, prompts (cues.yaml page_chrome)."""
    text = ctx.text
    out = []
    chrome = {m.first for m in ctx.cues("page_chrome")}
    toks = ctx.analysis.tokens
    for line in re.finditer(r"[^\n]+", text):
        body = line.group()
        words = re.findall(r"[^\W\d_][^\s/|›»•·]*", body)
        i = ctx.analysis.token_index(line.start())
        starts_chrome = i in chrome and i < len(toks) and toks[i].start < line.end()
        crumbs = len(re.findall(r"\s[/|›»•·]\s|\S\s{3,}\S", body))
        menu = len(words) >= 4 and all(w[:1].isupper() for w in words) and not re.search(r"[.,:;!?«»\"]", body) \
            and ctx.lang == "ru"
        switches = sum(1 for w in re.findall(r"[^\W\d_]+", body) if w.lower() in _switch_words(ctx.registry))
        if starts_chrome and len(words) <= 8 or crumbs >= 1 or menu or switches >= 2:
            out.append((line.start(), line.end()))
    return out


def _loc_keys(ctx: Context) -> set[tuple[str, ...]]:
    cached = ctx.__dict__.get("_orgs_loc_keys")
    if cached is not None:
        return cached
    a = ctx.analysis
    out = set()
    for e in a.entities:
        if e.type == "LOC":
            i, j = a.token_index(e.start), a.token_index(e.stop - 1) + 1
            out.add(tuple(k for k in ctx.keys[i:j] if k))
    ctx.__dict__["_orgs_loc_keys"] = out
    return out


def _switch_words(reg) -> set[str]:
    cache = reg.__dict__.setdefault("_orgs_cache", {})
    if "switch" not in cache:
        spec = reg.cues.get("language_switch") or {}
        cache["switch"] = {w.lower() for ws in spec.values() for w in ws}
    return cache["switch"]


def _not_an_institution(ctx: Context, first: int, last: int, chrome) -> bool:
    """What NER and the English head-noun phrases tag that is no institution: page furniture,
    platforms used as channels ("Telegram", "WhatsApp"), a city dateline ("ДУШАНБЕ"), a place,
    a common noun or adjective alone ("Конференция", "Консультативной", "IT-услуг"), a venue
    ("Дворец независимости", "Конференц-зал"), a person's name, a plural ("Аналитические центры")."""
    toks = ctx.analysis.tokens
    start, stop = toks[first].start, toks[last - 1].stop
    if any(s <= start < e for s, e in chrome):
        return True
    keys = [ctx.keys[i] for i in range(first, last) if ctx.keys[i]]
    if not keys or sum(c.isalpha() for c in ctx.text[start:stop]) < 2:
        return True  # nothing, or a lone letter a tagger took for a name («alert('x')»)
    texts = [t.text for t in toks[first:last]]
    if texts[0] in _QUOTES_OPEN and not set(texts) & set(_QUOTES_CLOSE):
        return True  # "«Центральная Азия": a quoted title cut short, not a name
    if any(m.first == first for m in ctx.cues("event_types")):
        return True  # "Конференция ООН", "Conference of ...": an event of a body, not a body the registry lacks
    in_places = {i for m in ctx.places for i in range(m.first, m.last)}
    if toks[first].text.islower() and last - first >= 2 and all(i in in_places for i in range(first + 1, last)):
        return True  # "центров Казахстана", "власти Баткенской": a common noun of a place
    folded = [ctx.registry.morph.key(t.text.lower().split("-")[0] if k == 0 else t.text.lower())
              for k, t in enumerate(toks[first:last])]
    for group in ("channels", "language_switch"):
        if any(m.first == 0 for m in ctx.registry.cue_index(group).find(folded)):
            return True  # "WhatsApp", "Telegram-канал", "РУС"
    bare = [i for i in range(first, last) if toks[i].text not in _QUOTES_OPEN + _QUOTES_CLOSE]
    if bare and any(m.first == bare[0] and m.last == bare[-1] + 1 for m in ctx.places):
        return True  # "ЦА", "Бишкек"
    if bare and bare[0] > first and tuple(ctx.keys[i] for i in bare) in _loc_keys(ctx):
        return True  # "«Центральная Азия»": a quoted place (a title's start), tagged a place elsewhere
    if all(t.text.isupper() or not t.text.isalpha() for t in toks[first:last]):
        folded = [ctx.registry.morph.key(t.text.capitalize()) for t in toks[first:last]]
        if any(m.first == 0 and m.last == len(folded) for m in ctx.registry.place_index.find(folded)):
            return True  # a dateline in capitals: "ДУШАНБЕ", "ЧОЛПОН-АТА"
    venue = [m for m in ctx.registry.cue_index("formats").find(ctx.keys[first:last]) if m.values[0] == "offline_venue"]
    if any(m.first == 0 or m.first == 1 and toks[first].text[:1].isupper() for m in venue) \
            and not any(i in _head_tokens(ctx) for i in range(first, last)):
        return True  # "Конференц-зал", "Дворец независимости": a hall or a building
    k = first - 1 if first > 0 and toks[first - 1].text in _QUOTES_OPEN else first - 2 \
        if toks[first].text in _QUOTES_OPEN or first > 0 and toks[first - 1].text in _QUOTES_OPEN else first - 1
    if k >= 0 and toks[k].text in _QUOTES_OPEN:
        k -= 1
    if k >= 0 and k not in _head_tokens(ctx) and any(
            m.values[0] == "offline_venue" for m in ctx.registry.cue_index("formats").find(ctx.keys[k:k + 1])):
        return True  # "в Конгресс-холле «Ташкент Сити»": the venue's own name
    if ctx.lang != "ru":
        return False
    in_place = {i for m in ctx.places for i in range(m.first, m.last)}
    own = [i for i in range(first, last) if i not in in_place]
    words = [toks[i].text for i in own if toks[i].text.isalpha() or "-" in toks[i].text]
    morph = ctx.registry.morph
    if len(words) == 1 and len(own) == 1 and own[0] not in _head_tokens(ctx) and (
            not is_abbreviation(words[0]) or words[0].split("-")[-1].islower()):
        # a head noun alone ("Академии") refers back to a name given in full, which _build merges
        part = words[0].split("-")[-1]  # "IT-услуг": a common noun, whatever precedes its hyphen
        p = morph.parses(part.lower())[:1]
        event_word = any(m.first == own[0] for m in ctx.cues("event_types") + ctx.cues("event_generic"))
        # an adjective alone ("Консультативной"), a lower-case noun after a hyphen, an event noun
        # ("Конференция"); a capitalised noun alone may be a body ("Сенат", "Минобороны")
        if p and p[0].is_known and not {"Orgn", "Geox", "Name", "Surn", "Abbr"} & p[0].tag.grammemes and (
                p[0].tag.POS in ("ADJF", "PRTF") or "-" in words[0] and part.islower() or event_word):
            return True
    if words and all(w[:1].isupper() for w in words) and 2 <= len(words) <= 3 and not (
            set(own) & _head_tokens(ctx)) and any(
            {"Surn", "Patr"} & {g for p in morph.parses(w)[:3] for g in p.tag.grammemes} for w in words[1:]) and all(
            {"Name", "Surn", "Patr"} & {g for p in morph.parses(w)[:3] for g in p.tag.grammemes}
            or not morph.parses(w)[0].is_known for w in words):
        return True  # "Жылдыз Мамбетова"
    first_noun = next((w for w in words if (p := morph.parses(w.lower())[:1]) and p[0].tag.POS == "NOUN"), None)
    if first_noun:
        p = morph.parses(first_noun.lower())[0]
        if "plur" in p.tag.grammemes and "nomn" in p.tag.grammemes and len(morph.parses(first_noun.lower())) <= 2 \
                and "Pltm" not in p.tag.grammemes and p.is_known:
            return True  # "Аналитические центры Центральной Азии" name a kind, not one body
        if all(t.text.islower() or not t.text.isalpha() for t in toks[first:last]) and not any(
                t.text in _QUOTES_OPEN for t in toks[first:last]):
            return True  # "совместное управление малыми каналами": a description; names are capitalised
    return False


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
            while last < len(toks) and toks[last].text.isalpha() and toks[last].text.islower() and last - m.last < 3:
                p = morph.parses(toks[last].text)[:1]
                if not p or "gent" not in p[0].tag.grammemes:
                    break
                last += 1
        head_last = last
        country = _country_at(ctx, last, places)
        if country is None:
            owner = _possessor(ctx, first, places)
            named = m.first in named_heads or any(f in named_heads for f in range(first, m.first))
            if owner and named:
                # "организованы при содействии его дипломатического представительства": his = the state's
                state = _country_name(ctx, owner)
                yield first, last, f"{_body_name(ctx, first, last)} {' '.join(morph.genitive_phrase(state.split()))}"
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
            head = _canonical(ctx, first, head_last).split()
            head[-1 if first < m.first else 0] = ctx.keys[m.first]
            name = " ".join(head)
            name = name[:1].upper() + name[1:]
            yield j + 1, end, f"{name} {ctx.text[toks[j + 1].start:toks[end - 1].stop]}"
            j = end


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


def _country_tail(ctx: Context, first: int, last: int) -> int:
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
    key = ("_orgs_heads", ctx.scope)
    if key not in ctx.__dict__:
        ctx.__dict__[key] = {m.first for m in ctx.cues("org_heads")}
    return ctx.__dict__[key]


def _extend_left(ctx: Context, first: int, heads: set[int]) -> int:
    """'НКО «Яшил Водий»', 'ОФ «...»': take in the opening quote and the kind of body before it."""
    toks = ctx.analysis.tokens
    if first > 0 and toks[first - 1].text in _QUOTES_OPEN:
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
    in_heads = {i for m in ctx.cues("org_heads") for i in range(m.first, m.last)}
    place_tokens = {i for m in ctx.places for i in range(m.first, m.last)}
    for h in sorted(heads):
        if not _CAP.match(toks[h].text):
            continue
        first = h
        while first > 0 and (_CAP.match(toks[first - 1].text) and not _sentence_start(ctx, first - 1)
                             or toks[first - 1].text in ("-",)
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
        if last - 1 > h and last - 1 in _event_noun_tokens(ctx):
            continue  # 'the Think Tank Forum', 'the University Rectors' Summit': a named event, not a body
        if last - first >= 2 or is_abbreviation(toks[first].text):
            yield first, last


def _event_noun_tokens(ctx: Context) -> set[int]:
    key = "_event_noun_tokens"
    if key not in ctx.__dict__:
        ctx.__dict__[key] = {i for m in ctx.cues("event_types") for i in range(m.first, m.last)}
    return ctx.__dict__[key]


def _listed_abbreviations(ctx: Context, spans) -> list[int]:
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
            name = rid.partition(":")[2] if rid.startswith("~body:") else _body_name(ctx, first, last)
            if rid.startswith("~body:"):
                key = morph_key_phrase(ctx, name)
            org = by_key.get(key)
            if org is None:
                country = _country_of(ctx, first, last)
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


def morph_key_phrase(ctx: Context, name: str) -> str:
    return " ".join(ctx.registry.morph.key(w) for w in name.split())


def _body_name(ctx: Context, first: int, last: int) -> str:
    """The nominative name of a body named by a common noun: its head noun in the singular
    ("посольств Италии" is one "Посольство Италии"), what follows as written."""
    words = _canonical(ctx, first, last).split()
    for k, i in enumerate(range(first, last)):
        text = ctx.analysis.tokens[i].text
        if text.isalpha():
            p = ctx.registry.morph.parses(text.lower())[:1]
            if p and p[0].tag.POS == "NOUN":
                # the first noun is the head; what follows it («энергетики» in «Министерство
                # энергетики») depends on it and stays as written
                if k < len(words) and "plur" in p[0].tag.grammemes:
                    form = p[0].normal_form
                    words[k] = form[:1].upper() + form[1:] if text[:1].isupper() else form
                break
    name = " ".join(words)
    return name[:1].upper() + name[1:]


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
    return None
