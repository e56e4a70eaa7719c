"""Reading the sentence of a role cue: the institutions listed after it, whether it is passive,
planned, earlier than the event or about something other than the event, and the case a
mention stands in.
"""
from __future__ import annotations

import re

from ..nlp.morph import is_abbreviation
from .context import Context


LIST_GLUE = {",", ";", ":", "и", "а", "также", "and", "as", "well", "from", "of", "the", "из", "от", "—", "–", "-",
             "в", "том", "числе", "including", "such", "как", "например"}


def listed(ctx: Context, i: int, sent, first_gap: int = 6, gap: int = 5, stop_at: str = ""):
    """Institutions in the list that starts at token i: only role words, adjectives and list glue
    may stand between them, and a verb ends the list ("эксперты рассмотрели ... ЕАЭС" lists none)."""
    a = ctx.analysis
    out, budget, j, last_end = [], first_gap, i, None
    others = {m.first for m in ctx.cues(stop_at)} if stop_at else set()
    while j < sent.last and budget >= 0:
        t = a.tokens[j]
        if out and j in others:
            break  # "при организации X и при участии экспертов Y": the other role begins
        org = ctx.org_at(t.start, t.stop)
        if org:
            mention = next((s, e) for s, e in org.mentions if s < t.stop and t.start < e)
            # "the Centre (CCEIS) of the University": the body a named unit belongs to is no list item
            parent = out and ctx.text[last_end:mention[0]].strip(" ()").lower() in ("", "of", "of the")
            if not parent and org not in [o for _, _, o in out] and not in_title(ctx, mention, sent) \
                    and not _states_of(ctx, mention):
                out.append((mention[0], mention[1], org))
            last_end = mention[1]
            while j < sent.last and a.tokens[j].start < mention[1]:
                j += 1
            budget = gap
            continue
        if is_verbish(ctx, j) and t.text.lower() not in LIST_GLUE and not (
                not out and _lemma(ctx, j) in _ROLE_LINKS):
            break
        if t.text in (".", "!", "?"):
            break
        if t.text.lower() not in LIST_GLUE:
            budget -= 1
        j += 1
    return out


def of_another_thing(ctx: Context, m, sent) -> bool:
    """The cue sits in a participle clause of something other than an event: «доклада «...»,
    подготовленного при поддержке МОМ», «проект, реализуемый при содействии ЕС», «Доклад подготовлен
    совместно с ИСМИ», 'a study prepared
    with the support of the EU'. The participle's head is the noun before it that agrees with it
    (Russian) or the nearest noun before it (English), over a quoted title and commas."""
    toks = ctx.analysis.tokens
    k = m.first - 1 if m.first > sent.first else None
    if k is None:
        return False
    word = toks[k].text.lower()
    if ctx.lang == "ru":
        # a short participle's head is its subject: «Доклад подготовлен совместно с ИСМИ»
        parses = [p for p in ctx.registry.morph.parses(word) if p.tag.POS in ("PRTF", "PRTS")] if word.isalpha() else []
        if not parses:
            return False
        parts = [p.tag for p in parses]
    elif ctx.lang == "en":
        if not (word.isalpha() and word.endswith("ed")):
            return False
        if k > sent.first and toks[k - 1].text.lower() in _AUXILIARIES:
            return False  # 'was convened at the initiative of': a finite passive, the event's own verb
        parts = None
    else:
        return False
    events = {i for g in ("event_types", "event_generic") for c in ctx.cues(g) for i in range(c.first, c.last)}
    j, depth = k - 1, 0
    while j >= sent.first and k - j <= 25:
        t = toks[j].text
        if t in ("»", "”") or (t == '"' and depth == 0):
            depth += 1
        elif t in ("«", "“") or (t == '"' and depth):
            depth -= 1
        elif depth == 0 and t.isalpha():
            if j in events:
                return False
            if parts is None:
                return not t[:1].isupper() and t not in ("the", "a", "an", "and")
            heads = [p.tag for p in ctx.registry.morph.parses(t.lower()) if p.tag.POS == "NOUN"]
            if any((h.case == q.case or q.POS == "PRTS" and h.case == "nomn") and h.number == q.number
                   and (q.number == "plur" or h.gender == q.gender) for h in heads for q in parts):
                return True
        j -= 1
    return False


_AUXILIARIES = {"was", "were", "is", "are", "been", "be", "being", "has", "have", "had"}


def planned(ctx: Context, sent, at=None) -> bool:
    """A sentence about what is to come, is recommended or did not happen («принять участие не смог»,
    'was unable to attend'), not about the event held. With a cue `at`, its clause and the predicate
    that governs it ('recommended that it become an annual event under the auspices of ...')."""
    first, last = (sent.first, sent.last) if at is None else clause_tokens(ctx, at, sent, governor=True)
    if any(first <= m.first < last for g in ("future", "declined") for m in ctx.cues(g)):
        return True
    return any(first <= m.first < last and m.values[0] == "recommendation"
               and ctx.keys[m.first].startswith(("рекоменд", "recommend")) for m in ctx.cues("outcomes"))


_STATES = {"страна", "государство", "государство-член", "государства-члены", "country", "countries", "state",
           "states", "member", "members"}


def _states_of(ctx: Context, mention) -> bool:
    """'экспертов из стран ЕАЭС', 'представители государств СНГ', 'experts from SCO countries': the
    member states of a union took part, not the union."""
    a = ctx.analysis
    i, j = a.token_index(mention[0]), a.token_index(mention[1] - 1) + 1
    before = ctx.keys[i - 1] if i > 0 else ""
    after = ctx.keys[j] if j < len(ctx.keys) else ""
    return before in _STATES or after in _STATES


def in_title(ctx: Context, mention, sent) -> bool:
    """A name inside a quoted title («Значение партнерства ЕАЭС и ЕС») is what is discussed."""
    text = ctx.text
    s, e = mention[0], mention[1]
    open_ = max(text.rfind("«", sent.start, s), text.rfind("“", sent.start, s))
    if open_ < 0 or text.rfind("»", open_, s) >= 0 or text.rfind("”", open_, s) >= 0:
        return False
    close = min((x for x in (text.find("»", e, sent.stop), text.find("”", e, sent.stop)) if x >= 0), default=-1)
    if close < 0:
        return False
    # the institution's own quoted name: «Караван знаний», ОФ «Евразийское поколение»
    return bool(text[open_ + 1:s].strip()) or bool(text[e:close].strip())


def _lemma(ctx: Context, j: int) -> str:
    w = ctx.analysis.tokens[j].text.lower()
    if ctx.lang != "ru":
        return w
    p = ctx.registry.morph.parses(w)[:1]
    return p[0].normal_form if p else w


def earlier(ctx: Context, sent, ev=None, at=None) -> bool:
    """A sentence about an earlier time: a year before the document's own (or the event's: "меморандум,
    подписанный в 2019 году"), or words that place it back ("ранее", "earlier", "previously"). With a
    cue `at`, only the cue's own clause counts: 'held a workshop ..., building on the meeting held in
    Khiva last year' is this year's workshop."""
    # (a year inside a quoted title dates nothing: 'a webinar entitled "Labour Migrants after 2025"')
    start, stop = _clause_of(ctx, at, sent) if at is not None else (sent.start, sent.stop)
    text = _QUOTED.sub(" ", ctx.text[start:stop])
    own = ctx.published or (ev.date or {}).get("value", "") if ev is not None else ctx.published
    own = int(own[:4]) if own and own[:4].isdigit() else None
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    if own and years and all(y < own for y in years):
        return True
    return bool(re.search(r"\b(?:ранее|прежде|в прошлом году|earlier|previously|last year)\b", text, re.I))


def _clause_of(ctx: Context, m, sent) -> tuple[int, int]:
    """The stretch of the sentence the cue `m` governs: out to the next predicate on either side (a verb,
    participle or gerund, a relative word, a semicolon), where another clause with its own time begins."""
    first, last = clause_tokens(ctx, m, sent)
    toks = ctx.analysis.tokens
    return toks[first].start, toks[last - 1].stop


def clause_tokens(ctx: Context, m, sent, governor: bool = False) -> tuple[int, int]:
    """The token range of the cue's clause; with `governor`, the predicate that governs it too."""
    first, last = m.first, m.last
    # before the cue only a subordinate clause ends it (a participle, gerund or relative word: 'building
    # on the meeting held in Khiva last year, the Office held'); a finite verb there governs the cue
    # («в ноябре 2025 года прошел семинар, организованный совместно с ...»)
    # (the cue's own participle is no edge: «организованный совместно с», 'organized together with')
    while first > sent.first and (first == m.first or not _clause_edge(ctx, first - 1, subordinate=True)):
        first -= 1
    if governor and first > sent.first:
        first -= 1
    elif first > sent.first:
        # the subordinate clause runs to its comma: 'Building on the dialogue launched in Almaty in 2025,
        # the Institute held'
        first = next((k + 1 for k in range(first, m.first) if ctx.analysis.tokens[k].text == ","), first)
    while last < sent.last and not _clause_edge(ctx, last):
        last += 1
    return first, last


def _clause_edge(ctx: Context, j: int, subordinate: bool = False) -> bool:
    """Token j opens or heads another clause: a semicolon, a relative word, a predicate of its own
    (with `subordinate`, only a participle, a gerund or a relative word)."""
    toks = ctx.analysis.tokens
    w = toks[j].text
    if w == ";" or w.lower() in _RELATIVES:
        return True
    if not w.isalpha() or not w.islower():
        return False
    if ctx.lang == "ru":
        p = ctx.registry.morph.parses(w)[:1]
        kinds = ("GRND", "PRTF") if subordinate else ("VERB", "GRND", "PRTF", "PRTS")
        return bool(p) and p[0].tag.POS in kinds and p[0].normal_form not in _COPULAS
    if ctx.lang != "en":
        return False
    if w.endswith("ing") and len(w) > 4 and w != "during":
        return True
    if not (len(w) > 4 and w.endswith("ed") or w in ("held", "met", "took", "made", "gave", "signed")):
        return False
    if not subordinate:
        return True
    # a participle that modifies a noun: no auxiliary before it, a place, time or stop after it
    prev = toks[j - 1].text.lower() if j > 0 else ""
    nxt = toks[j + 1].text.lower() if j + 1 < len(toks) else "."
    return prev not in _AUXILIARIES and nxt in _REDUCED_NEXT


_RELATIVES = {"where", "which", "who", "whose", "когда", "где", "который", "которая", "которое", "которые",
              "которого", "которой", "которых", "котором"}


_QUOTED = re.compile(r'«[^«»]*»|"[^"]*"|“[^“”]*”')
_COPULAS = {"быть", "стать", "являться", "составить", "оказаться"}
# verbs that join a role noun to its holders: "организаторами мероприятия выступили ИМЭП и ..."
_ROLE_LINKS = {"выступить", "выступать", "стать", "являться", "быть", "served", "acted", "were", "was", "are", "is"}


def after_place_preposition(ctx: Context, start: int) -> bool:
    """'В Институте X ... провел': the institution where it happened is no subject."""
    i = ctx.analysis.token_index(start)
    return i > 0 and ctx.analysis.tokens[i - 1].text.lower() in ("в", "во", "на", "in", "at")


def coordinated(ctx: Context, mentions):
    """The first mention and those joined to it by 'и', 'and', commas: one coordinated subject."""
    out = [mentions[0]]
    for m in mentions[1:]:
        # the words between, commas and articles aside: ", together with the", «, совместно с»
        gap = " ".join(w for w in ctx.text[out[-1][1]:m[0]].replace(",", " ").lower().split() if w != "the")
        if gap not in ("", "и", "and", "а также", "as well as", "совместно с", "together with", "jointly with",
                       "with"):
            break
        out.append(m)
    return out


def passive(ctx: Context, m) -> bool:
    toks = ctx.analysis.tokens
    word = toks[m.first].text.lower()
    if ctx.lang == "ru":
        p = ctx.registry.morph.parses(word)[:1]
        return bool(p) and (p[0].tag.POS == "PRTS" or p[0].tag.POS == "PRTF" and "pssv" in p[0].tag.grammemes)
    prev = toks[m.first - 1].text.lower() if m.first > 0 else ""
    if prev in ("was", "were", "been", "be", "being", "is", "are") and word != "hosted":
        return True
    # a reduced relative: 'the meeting of the Commission held in Ashgabat', 'the forum organised
    # last year': the participle takes no object, a place, a time or a stop follows it at once
    nxt = toks[m.last].text.lower() if m.last < len(toks) else "."
    return (word.endswith("ed") or word == "held") and nxt in _REDUCED_NEXT


# what follows a participle that modifies a noun instead of taking an object
_REDUCED_NEXT = {"in", "on", "at", "during", "last", "earlier", "from", "between", "under", "within",
                 "recently", "previously", "back", ".", ",", ";"}


def is_verbish(ctx: Context, j: int) -> bool:
    toks = ctx.analysis.tokens
    if j >= len(toks):
        return False
    w = toks[j].text
    if ctx.lang == "ru":
        if not w.isalpha() or not w.islower():
            return False
        p = ctx.registry.morph.parses(w)
        return bool(p) and p[0].tag.POS in ("VERB", "GRND", "PRTS") and p[0].normal_form not in _COPULAS
    return w.lower() in ("convened", "hosted", "held", "organized", "organised", "brought", "gathered", "met")


def inside_cue_clause(ctx: Context, pos: int, sent) -> bool:
    for m in ctx.cues("organizer_before"):
        s, _ = ctx.span(m)
        if sent.start <= s < pos:
            return True
    return False


def subject_like(ctx: Context, mention, verb_start: int) -> bool:
    """The institution opens the clause: nothing but its descriptors between it and the verb."""
    os_, oe, org = mention
    between = ctx.text[oe:verb_start]
    return len(between) < 300 and not any(ch in between for ch in ";")


def mentions_event(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last for m in ctx.cues("event_types") + ctx.cues("event_generic"))


def is_description(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last for m in ctx.cues("description"))


def mention_case(ctx: Context, start: int) -> set[str]:
    """The cases a mention may stand in: of its first word, or of the kind of body before a quoted
    name ("учреждением «Караван знаний»"); any case for an abbreviation, which does not decline."""
    toks = ctx.analysis.tokens
    i = ctx.analysis.token_index(start)
    if toks[i].text in "«\"„“" or i > 0 and toks[i - 1].text in "«\"„“":
        k = i - 1 if toks[i].text in "«\"„“" else i - 2
        if k >= 0 and toks[k].text.isalpha() and toks[k].text.islower():
            return case_of(ctx, k)
    if is_abbreviation(toks[i].text) or not toks[i].text.isalpha():
        return {"nomn", "gent", "datv", "accs", "ablt", "loct"}
    return case_of(ctx, i)


def case_of(ctx: Context, i: int) -> set[str]:
    w = ctx.analysis.tokens[i].text
    if ctx.lang != "ru":
        return {"gent", "nomn", "ablt"}
    return {c for p in ctx.registry.morph.parses(w)[:3] for c in ("nomn", "gent", "datv", "accs", "ablt", "loct")
            if c in p.tag.grammemes}
