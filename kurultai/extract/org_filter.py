"""What NER and the English head-noun phrases tag that is no institution: page furniture, channels,
datelines, places, common nouns, venues, people's names, plurals naming a kind of body.
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context
from .org_spans import QUOTES_CLOSE, QUOTES_OPEN, head_tokens


def chrome_lines(ctx: Context, capitalised: bool = True) -> list[tuple[int, int]]:
    """Lines of page furniture: menus and breadcrumbs ("Главная / Экономика", "Главная Новости
    Аналитика Контакты"), language switches, prompts (cues.yaml page_chrome). Without `capitalised`,
    a Russian line of capitalised words alone is no menu (a caption: «Судья ЕСПЧ Дмитрий Дедов»)."""
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
            and ctx.lang == "ru" and capitalised
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


def not_an_institution(ctx: Context, first: int, last: int, chrome) -> bool:
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
    if texts[0] in QUOTES_OPEN and not set(texts) & set(QUOTES_CLOSE) or _title_start(ctx, first, last) \
            or _named_event_title(ctx, first):
        return True  # "«Центральная Азия", «Совместное управление малыми реками: опыт ...»: a quoted title
    if any(m.first == first for m in ctx.cues("event_types")) or ctx.lang == "ru" and _office(ctx, first, last):
        return True  # "Конференция ООН": an event of a body; «Специальный представитель ЕС»: an office
    in_places = {i for m in ctx.places for i in range(m.first, m.last)}
    if toks[first].text.islower() and last - first >= 2 and all(i in in_places or _adjective(ctx, toks[i].text)
                                                                 for i in range(first + 1, last)):
        return True  # "центров Казахстана", "власти Баткенской (и Ошской областей)": a common noun of a place
    folded = [ctx.registry.morph.key(t.text.lower().split("-")[0] if k == 0 else t.text.lower())
              for k, t in enumerate(toks[first:last])]
    for group in ("channels", "language_switch"):
        if any(m.first == 0 for m in ctx.registry.cue_index(group).find(folded)):
            return True  # "WhatsApp", "Telegram-канал", "РУС"
    bare = [i for i in range(first, last) if toks[i].text not in QUOTES_OPEN + QUOTES_CLOSE]
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
            and not any(i in head_tokens(ctx) for i in range(first, last)):
        return True  # "Конференц-зал", "Дворец независимости": a hall or a building
    k = first - 1 if first > 0 and toks[first - 1].text in QUOTES_OPEN else first - 2 \
        if toks[first].text in QUOTES_OPEN or first > 0 and toks[first - 1].text in QUOTES_OPEN else first - 1
    if k >= 0 and toks[k].text in QUOTES_OPEN:
        k -= 1
    if k >= 0 and k not in head_tokens(ctx) and any(
            m.values[0] == "offline_venue" for m in ctx.registry.cue_index("formats").find(ctx.keys[k:k + 1])):
        return True  # "в Конгресс-холле «Ташкент Сити»": the venue's own name
    if ctx.lang != "ru":
        return False
    in_place = {i for m in ctx.places for i in range(m.first, m.last)}
    own = [i for i in range(first, last) if i not in in_place]
    words = [toks[i].text for i in own if toks[i].text.isalpha() or "-" in toks[i].text]
    morph = ctx.registry.morph
    if len(words) == 1 and len(own) == 1 and own[0] not in head_tokens(ctx) and (
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
            set(own) & head_tokens(ctx)) and any(
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
                t.text in QUOTES_OPEN for t in toks[first:last]):
            return True  # "совместное управление малыми каналами": a description; names are capitalised
    return False


def _title_start(ctx: Context, first: int, last: int) -> bool:
    """The span opens a quote and stops short of its close, at least two words before it: the first
    words of a quoted title or theme, capitalised only because they open it. A quoted name is
    quoted whole («Казахстан темир жолы»)."""
    toks = ctx.analysis.tokens
    k = first if toks[first].text in QUOTES_OPEN else first - 1
    if k < 0 or toks[k].text not in QUOTES_OPEN or any(t.text in QUOTES_CLOSE for t in toks[k + 1:last]):
        return False
    words = 0
    for t in toks[last:last + 40]:
        if t.text in QUOTES_CLOSE or t.text in QUOTES_OPEN or t.text in (".", "!", "?"):
            return t.text in QUOTES_CLOSE and words >= 2
        words += t.text.isalpha()
    return False


def _named_event_title(ctx: Context, first: int) -> bool:
    """The quote opens right after an event noun or a title cue: конференция «Водно-энергетический
    комплекс ...», 'a round table "Water Diplomacy Forum ..."', «на тему «...»»: the event's name."""
    toks = ctx.analysis.tokens
    k = first if toks[first].text in QUOTES_OPEN else first - 1
    if k < 1 or toks[k].text not in QUOTES_OPEN:
        return False
    events = ctx.cues("event_types")
    if any(m.last == k for m in events):
        return True
    # «семинар на тему «...»», 'a webinar titled "..."' (a project «под названием «Метро»» is a name)
    return any(m.last == k and any(m.first - 3 <= e.last <= m.first for e in events) for m in ctx.cues("title_intro"))


def _office(ctx: Context, first: int, last: int) -> bool:
    """The span opens with a person's role, an adjective («Специальный», «Постоянного») aside."""
    p = ctx.registry.morph.parses(ctx.analysis.tokens[first].text.lower())[:1]
    lead = first + (last - first > 2 and bool(p) and p[0].tag.POS == "ADJF")
    return lead not in head_tokens(ctx) and any(m.first in (first, lead) and m.last <= last for m in ctx.cues("roles"))


def _adjective(ctx: Context, word: str) -> bool:
    """A Russian adjective ('Баткенской'): after a lower-case noun it belongs to a noun the span left
    out («власти Баткенской области»), so the span is no name."""
    if ctx.lang != "ru" or not word.isalpha():
        return False
    p = ctx.registry.morph.parses(word.lower())[:1]
    return bool(p) and p[0].tag.POS == "ADJF"
