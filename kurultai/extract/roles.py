"""Who organised, who took part, who spoke, and which countries were there.

Organisers follow cues such as "организован", "при поддержке", "hosted by" or stand as the
subject before "провел", "hosted"; failing both, the institution at which the event "took
place". Participants are institutions in sentences that say someone took part, and the
institution of every speaker. Countries are those of these institutions, of offices held by
speakers ("президент Таджикистана"), and country names in sentences about who took part.
"""
from __future__ import annotations

import re

from ..nlp.dates import as_date, resolve
from ..nlp.morph import is_abbreviation
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .events import Event
from .venue import venue_institution
from .topics import listed_countries


def assign_roles(ctx: Context, ev: Event, evidence: list) -> dict:
    a = ctx.analysis
    _office_holders(ctx)
    organizers: list[str] = []
    participants: list[str] = []

    def add(lst, org, field, span):
        if org.kind == "generic":
            return  # "правительство", "полиция": not a named institution
        if org.id not in lst:
            lst.append(org.id)
            evidence.append({"field": field, "value": org.name, "start": span[0], "end": span[1]})

    # cue before the institution: "организованный ИМЭП", "при поддержке ...", "hosted by ..."
    for m in ctx.cues("organizer_before"):
        sent = a.sentence_at(ctx.span(m)[0])
        if _planned(ctx, sent):
            continue  # "recommended that it become an annual event under the auspices of ..."
        if _of_another_thing(ctx, m, sent):
            continue  # "доклада, подготовленного при поддержке МОМ": the report's sponsor, not the event's
        for os_, oe, org in _listed(ctx, m.last, sent, first_gap=4, stop_at="participant"):
            add(organizers, org, "organizers", (os_, oe))
    # the institution is the subject: "ИМЭП провел", "IICA ... convened"
    for m in ctx.cues("organizer_after"):
        s, e = ctx.span(m)
        sent = a.sentence_at(s)
        if not _mentions_event(ctx, sent) or (m.last < len(ctx.keys) and ctx.keys[m.last] in ("участие", "part")):
            continue
        before = [x for x in ctx.org_mentions_in(sent.start, s) if not _inside_cue_clause(ctx, x[0], sent)
                  and not _in_title(ctx, x, sent) and not _after_place_preposition(ctx, x[0])]
        if _passive(ctx, m):
            # "который был организован ОФ ...": the agent follows (organizer_before); before a passive
            # verb only an agent in the instrumental organises ("учреждением «X» ... был организован")
            before = [x for x in before if ctx.lang == "ru" and "ablt" in _mention_case(ctx, x[0])]
        if before and ctx.lang in HEAD_FINAL and a.token_index(s) - a.token_index(before[-1][1] - 1) <= 2:
            # «X tomonidan», «X ko‘magida», «X ұйымдастыруымен»: the name right before the postposition
            os_, oe, org = before[-1]
            add(organizers, org, "organizers", (os_, oe))
        elif before and _subject_like(ctx, before[0], s):
            # "the OSCE Academy and the Friedrich Ebert Foundation co-organized": every coordinated subject
            for os_, oe, org in _coordinated(ctx, before):
                add(organizers, org, "organizers", (os_, oe))
    # the speakers
    speakers = _speakers(ctx, ev, evidence)
    # a summit is organised by the office whose holder chaired or invited
    for m in ctx.cues("chair"):
        if _passive(ctx, m):
            continue  # "были приглашены", "were invited": the invited took part, they did not chair
        sent = a.sentence_at(ctx.span(m)[0])
        for ps, pe, p in ctx.person_mentions_in(sent.start, sent.stop):
            org = ctx.org(p.affiliation)
            if org:
                add(organizers, org, "organizers", org.evidence or (ps, pe))
                break
    # "заседание МКВК", "conference of the Valdai Club": the body whose meeting it is holds it
    if not organizers and ev.type not in ("summit", "visit"):
        own = _event_body(ctx, ev)
        if own:
            add(organizers, own[2], "organizers", own[:2])
    # a visit is hosted by the institution visited, not by the delegation
    if ev.type == "visit" and not organizers:
        host = _visit_host(ctx, ev)
        if host:
            add(organizers, host[2], "organizers", host[:2])
    # participation: the institutions listed right after "приняли участие", "представители", "experts from"
    for m in ctx.cues("participant"):
        s, e = ctx.span(m)
        sent = a.sentence_at(s)
        if _is_description(ctx, sent):
            continue
        for os_, oe, org in _listed(ctx, m.last, sent, stop_at="organizer_before"):
            if org.id not in organizers:
                add(participants, org, "participants", (os_, oe))
    for pid in speakers:
        p = next(p for p in ctx.persons if p.id == pid)
        for org in [_body_of_office(ctx, ctx.org(p.affiliation)), *_apposition_orgs(ctx, p)]:
            if org and org.kind != "generic" and org.id not in organizers and org.id not in participants:
                participants.append(org.id)
    # people named in the sentence that reports the event took part: "встреча послов ... с Генеральным
    # секретарем ОБСЕ Феридуном Синирлиоглу", "the round table brought together X, director of Y"
    for ps, pe, p in ctx.person_mentions_in(ev.sentence.start, ev.sentence.stop):
        org = _body_of_office(ctx, ctx.org(p.affiliation))
        if org and org.id not in organizers:
            add(participants, org, "participants", (ps, pe))
    # "в заседании приняли участие министры X и Y", "was attended by X, Director of Y": a person named
    # where the text says who took part brings the body of their office or affiliation
    for m in ctx.cues("took_part"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start < ctx.body_start or _planned(ctx, sent) or _earlier(ctx, sent, ev):
            continue
        for ps, pe, p in ctx.person_mentions_in(sent.start, sent.stop):
            org = _body_of_office(ctx, ctx.org(p.affiliation))
            if org and org.id not in organizers and org.kind != "generic":
                add(participants, org, "participants", (ps, pe))
    # "X, Professor, University A; Y, Officer, B; Z, Fellow, C, presented their research": a list
    # split at semicolons shares the verb of its last item
    for org in _semicolon_list_bodies(ctx):
        if org.id not in organizers:
            add(participants, org, "participants", org.mentions[0] if org.mentions else (0, 0))
    # parties to what was agreed or signed took part
    for os_, oe, org in _agreement_parties(ctx):
        if org.id not in organizers:
            add(participants, org, "participants", (os_, oe))
    # no organiser named: the institution where it took place
    if not organizers:
        org = venue_institution(ctx, ev)
        if org:
            organizers.append(org.id)
            participants[:] = [p for p in participants if p != org.id]
    countries = _countries(ctx, ev, organizers + participants, speakers)
    return {"organizers": organizers, "participants": participants, "speakers": speakers,
            "countries": countries}


_LIST_GLUE = {",", ";", ":", "и", "а", "также", "and", "as", "well", "from", "of", "the", "из", "от", "—", "–", "-",
              "в", "том", "числе", "including", "such", "как", "например"}


_HEADS_OF_STATE = ("президент", "премьер", "вице-президент", "глава государства", "president", "prime", "vice")
# "foreign affairs" in the names of foreign ministers and ministries, in each extracted language
_FOREIGN = ("иностранных дел", "foreign", "tashqi ishlar", "ташқи ишлар", "сыртқы істер", "syrtqy ister")


def _office_holders(ctx: Context) -> None:
    """A head of state or government works for the state's office ("Президент Республики
    Узбекистан"), never for the think tank or agency whose report names them; a minister keeps
    a ministry the text gives, else the office. The office is the one named right before them."""
    offices = [o for o in ctx.orgs if o.kind == "state_office" and o.evidence]
    if not offices:
        return
    for p in ctx.persons:
        if not p.country:
            continue
        near = [(s - o.evidence[1], o) for o in offices if o.country == p.country for s, _ in p.mentions
                if 0 <= s - o.evidence[1] <= 3]
        if not near:
            continue
        office = min(near, key=lambda x: x[0])[1]
        current = ctx.org(p.affiliation)
        if current is office:
            continue
        head = office.name.lower().startswith(_HEADS_OF_STATE)
        if head or current is None or current.kind not in ("ministry", "government", "state_office"):
            p.affiliation = office.id


def _body_of_office(ctx: Context, org):
    """A foreign minister's office stands for the foreign ministry when the text names it."""
    if org is None or org.kind != "state_office" or not any(w in org.name.lower() for w in _FOREIGN):
        return org
    named = next((o for o in ctx.orgs if o.kind == "ministry" and o.country == org.country
                  and any(w in o.name.lower() for w in _FOREIGN)), None)
    if named:
        return named
    rid, inst = next(((rid, i) for rid, i in ctx.registry.institutions.items() if i.kind == "ministry"
                      and i.country == org.country and any(w in i.label(ctx.lang).lower() for w in _FOREIGN)),
                     (None, None))
    if inst is None:
        return org
    from .context import Org
    body = Org(id=f"o{len(ctx.orgs) + 1}", name=inst.label(ctx.lang), short=inst.short(ctx.lang),
               country=inst.country, registry_id=rid, kind=inst.kind)
    body.evidence = org.evidence
    ctx.orgs.append(body)
    return body


def _listed(ctx: Context, i: int, sent, first_gap: int = 6, gap: int = 5, stop_at: str = ""):
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
            if not parent and org not in [o for _, _, o in out] and not _in_title(ctx, mention, sent) \
                    and not _states_of(ctx, mention):
                out.append((mention[0], mention[1], org))
            last_end = mention[1]
            while j < sent.last and a.tokens[j].start < mention[1]:
                j += 1
            budget = gap
            continue
        if _is_verbish(ctx, j) and t.text.lower() not in _LIST_GLUE and not (
                not out and _lemma(ctx, j) in _ROLE_LINKS):
            break
        if t.text in (".", "!", "?"):
            break
        if t.text.lower() not in _LIST_GLUE:
            budget -= 1
        j += 1
    return out


def _of_another_thing(ctx: Context, m, sent) -> bool:
    """The cue sits in a participle clause of something other than an event: «доклада «...»,
    подготовленного при поддержке МОМ», «проект, реализуемый при содействии ЕС», 'a study prepared
    with the support of the EU'. The participle's head is the noun before it that agrees with it
    (Russian) or the nearest noun before it (English), over a quoted title and commas."""
    toks = ctx.analysis.tokens
    k = m.first - 1 if m.first > sent.first else None
    if k is None:
        return False
    word = toks[k].text.lower()
    if ctx.lang == "ru":
        parses = [p for p in ctx.registry.morph.parses(word) if p.tag.POS == "PRTF"] if word.isalpha() else []
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
            if any(h.case == q.case and h.number == q.number and (q.number == "plur" or h.gender == q.gender)
                   for h in heads for q in parts):
                return True
        j -= 1
    return False


_AUXILIARIES = {"was", "were", "is", "are", "been", "be", "being", "has", "have", "had"}


def _planned(ctx: Context, sent) -> bool:
    """A sentence about what is to come or is recommended, not about the event held."""
    if any(sent.first <= m.first < sent.last for m in ctx.cues("future")):
        return True
    return any(sent.first <= m.first < sent.last and m.values[0] == "recommendation"
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


def _in_title(ctx: Context, mention, sent) -> bool:
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


def _visit_host(ctx: Context, ev: Event):
    """The institution visited: named right after the visit word ("visited the Institute ...",
    "посетила Институт ..."), else the first one not introduced as the guests' ("делегация КИСИ",
    "a delegation of the ...")."""
    a = ctx.analysis
    sent = ev.sentence
    guests = {"делегация", "delegation", "from", "из", "гость", "визит", "делегат", "delegate", "visitor"}
    mentions = ctx.org_mentions_in(sent.start, sent.stop)
    j = a.token_index(ev.trigger[1])
    for os_, oe, org in mentions:
        i = a.token_index(os_)
        if j <= i <= j + 2 and all(a.tokens[k].text.lower() in ("the", "в", "во", "с", "of") for k in range(j, i)):
            return os_, oe, org
    for os_, oe, org in mentions:
        i = a.token_index(os_)
        k = i - 1
        while k >= sent.first and i - k <= 4 and ctx.keys[k] in ("of", "the", "a", ""):
            k -= 1
        before = {ctx.keys[x] for x in range(max(sent.first, k - 1), k + 1)}
        if not before & guests:
            return os_, oe, org
    return None


def _apposition_orgs(ctx: Context, p) -> list:
    """'Н. Николаев, профессор НИУ ВШЭ, депутат Государственной Думы': every body of the apposition."""
    a = ctx.analysis
    out = []
    for s, e in p.mentions:
        i = a.token_index(e)
        if i >= len(a.tokens) or a.tokens[i].text not in (",", "—", "–", "("):
            continue
        sent = a.sentence_at(s)
        roles = {m.last for m in ctx.cues("roles")}
        prev = None  # the last institution seen in the apposition
        for j in range(i + 1, min(sent.last, i + 40)):
            t = a.tokens[j]
            if any(ps <= t.start < pe for q in ctx.persons for ps, pe in q.mentions) or \
                    (t.text.islower() and _is_verbish(ctx, j)):
                break
            org = ctx.org_at(t.start, t.stop)
            if org is None or org is prev:
                continue
            # only a body the person holds a position in: "депутат Государственной Думы", not "проекта X",
            # nor the body that one belongs to ("Думы Федерального собрания")
            follows = prev is not None and ctx.org_at(a.tokens[j - 1].start, a.tokens[j - 1].stop) is prev
            if org not in out and any(r in roles for r in range(j - 2, j + 1)) and not follows:
                out.append(org)
            prev = org
    return out


def _semicolon_list_bodies(ctx: Context):
    a = ctx.analysis
    cued = {a.sentence_at(ctx.span(m)[0]).start for g in ("speech", "participant") for m in ctx.cues(g)}
    out = []
    for p in ctx.persons:
        org = ctx.org(p.affiliation)
        if org is None or org.kind == "generic" or org in out:
            continue
        for s, _ in p.mentions:
            k = a.sentences.index(a.sentence_at(s))
            n = 0
            while k + 1 < len(a.sentences) and n < 6 and ctx.text[a.sentences[k].start:a.sentences[k].stop].rstrip().endswith(";"):
                k, n = k + 1, n + 1
            if n and a.sentences[k].start in cued:
                out.append(org)
                break
    return out


def _agreement_parties(ctx: Context):
    """Institutions named in sentences that record an agreement or a memorandum."""
    a = ctx.analysis
    sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes") if m.values[0] == "agreement"
             and ctx.keys[m.first] in ("меморандум", "соглашение", "подписать", "memorandum", "signed", "agreement",
                                       "заключить", "договор")}
    for sent in a.sentences:
        if sent.start in sents and not _earlier(ctx, sent):
            yield from ctx.org_mentions_in(sent.start, sent.stop)


def _earlier(ctx: Context, sent, ev=None) -> bool:
    """A sentence about an earlier time: a year before the document's own (or the event's: "меморандум,
    подписанный в 2019 году"), or words that place it back ("ранее", "earlier", "previously")."""
    text = ctx.text[sent.start:sent.stop]
    own = ctx.published or (ev.date or {}).get("value", "") if ev is not None else ctx.published
    own = int(own[:4]) if own and own[:4].isdigit() else None
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    if own and years and all(y < own for y in years):
        return True
    return bool(re.search(r"\b(?:ранее|прежде|в прошлом году|earlier|previously|last year)\b", text, re.I))


_COPULAS = {"быть", "стать", "являться", "составить", "оказаться"}
# verbs that join a role noun to its holders: "организаторами мероприятия выступили ИМЭП и ..."
_ROLE_LINKS = {"выступить", "выступать", "стать", "являться", "быть", "served", "acted", "were", "was", "are", "is"}


def _after_place_preposition(ctx: Context, start: int) -> bool:
    """'В Институте X ... провел': the institution where it happened is no subject."""
    i = ctx.analysis.token_index(start)
    return i > 0 and ctx.analysis.tokens[i - 1].text.lower() in ("в", "во", "на", "in", "at")


def _coordinated(ctx: Context, mentions):
    """The first mention and those joined to it by 'и', 'and', commas: one coordinated subject."""
    out = [mentions[0]]
    for m in mentions[1:]:
        gap = ctx.text[out[-1][1]:m[0]].strip().lower()
        if gap not in ("и", "and", ",", "and the", ", the", ", and", ", and the", "а также", "as well as",
                       "совместно с", "together with", "jointly with", "with", "with the"):
            break
        out.append(m)
    return out


def _passive(ctx: Context, m) -> bool:
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


def _event_body(ctx: Context, ev: Event):
    """An institution named right after the event noun, in the genitive or after "of":
    'заседание Форума ОБСЕ', 'конференции ШОС', 'the annual conference of the Valdai Club'."""
    a = ctx.analysis
    j = a.token_index(ev.trigger[1])
    toks = a.tokens
    k = j
    if ctx.lang != "ru":
        while k < len(toks) and toks[k].text.lower() in ("of", "the") and k - j < 2:
            k += 1
        if k == j:
            return None
    if k >= len(toks):
        return None
    t = toks[k]
    org = ctx.org_at(t.start, t.stop)
    if not org or org.kind in ("media", "state_office", "generic"):
        return None
    mention = next(((s, e) for s, e in org.mentions if s <= t.start < e), None)
    if not mention or mention[0] != t.start:
        return None
    if ctx.lang == "ru":
        p = ctx.registry.morph.parses(t.text)[:3]
        if not is_abbreviation(t.text) and not any("gent" in x.tag.grammemes for x in p):
            return None
    return mention[0], mention[1], org


def _is_verbish(ctx: Context, j: int) -> bool:
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


def _inside_cue_clause(ctx: Context, pos: int, sent) -> bool:
    for m in ctx.cues("organizer_before"):
        s, _ = ctx.span(m)
        if sent.start <= s < pos:
            return True
    return False


def _subject_like(ctx: Context, mention, verb_start: int) -> bool:
    """The institution opens the clause: nothing but its descriptors between it and the verb."""
    os_, oe, org = mention
    between = ctx.text[oe:verb_start]
    return len(between) < 300 and not any(ch in between for ch in ";")


def _mentions_event(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last for m in ctx.cues("event_types") + ctx.cues("event_generic"))


def _is_description(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last for m in ctx.cues("description"))


def _speakers(ctx: Context, ev: Event, evidence: list) -> list[str]:
    a = ctx.analysis
    out: list[str] = []
    speech = ctx.cues("speech")
    speech_sents = {a.sentence_at(ctx.span(m)[0]).start: m for m in speech}
    for p in ctx.persons:
        for s, e in p.mentions:
            sent = a.sentence_at(s)
            m = speech_sents.get(sent.start)
            if m and _dated_before(ctx, ev, sent):
                m = None  # 'the text of the President's speech at the conference held on 15-16 July'
            by_list = _in_speaker_list(ctx, s)
            if (m or by_list) and p.id not in out:
                out.append(p.id)
                evidence.append({"field": "speakers", "value": p.name, "start": s, "end": e})
                break
    # "... обратился директор НИСИ Талант Абдыкеримов. Он подчеркнул, что ...": the pronoun's person
    sents = a.sentences
    for k in range(1, len(sents)):
        sent = sents[k]
        first = a.tokens[sent.first].text.lower() if sent.first < len(a.tokens) else ""
        if first not in ("он", "она", "he", "she") or sent.start not in speech_sents:
            continue
        if ctx.scope and not (ctx.scope[0] <= sent.start < ctx.scope[1]):
            continue
        prev = ctx.person_mentions_in(sents[k - 1].start, sents[k - 1].stop)
        if prev:
            ps, pe, p = prev[-1]
            if p.id not in out:
                out.append(p.id)
                evidence.append({"field": "speakers", "value": p.name, "start": ps, "end": pe})
    return out


def _dated_before(ctx: Context, ev: Event, sent) -> bool:
    """The sentence dates what it tells before the event's own day: a speech so dated was made at
    another, earlier event."""
    own = ev.date["value"] if ev.date else None
    if not own:
        return False
    for d in ctx.dates:
        if sent.start <= d.start < sent.stop and d.kind in ("date", "month") \
                and not (ev.date_span and d.start == ev.date_span[0]):
            if own.startswith("--"):
                v = d.text_value if not d.year else None  # no year known: days of the year compare
            else:
                v = resolve(d, as_date(own if len(own) == 10 else None))
            if v and v.startswith("--") == own.startswith("--") and v < own[:len(v)]:
                return True
    return False


def _in_speaker_list(ctx: Context, pos: int) -> bool:
    """A list item under a line ending 'выступили:' / 'speakers included:'."""
    text = ctx.text
    line_start = text.rfind("\n", 0, pos) + 1
    if not text[line_start:pos].lstrip().startswith(("-", "•", "–", "—", "*")) and line_start != 0:
        pass
    prev_end = line_start - 1
    while prev_end > 0:
        prev_start = text.rfind("\n", 0, prev_end) + 1
        line = text[prev_start:prev_end].strip()
        if line.endswith(":"):
            low = line.lower()
            return any(w in low for w in ("выступ", "доклад", "speaker", "spoke", "приветств", "presentations"))
        if not line.lstrip().startswith(("-", "•", "–", "—", "*")):
            return False
        prev_end = prev_start - 1
    return False


def _countries(ctx: Context, ev: Event, org_ids: list[str], speakers: list[str]) -> list[str]:
    """Countries of the institutions and speakers' offices, and countries named as taking part:
    listed after a participation cue ("представители ... Кыргызстана и России", "experts from"),
    qualifying one ("казахстанские эксперты", "the Turkish delegation"), or before "met"."""
    a = ctx.analysis
    out = []
    for oid in org_ids:
        org = ctx.org(oid)
        if org and org.country and org.country not in out:
            out.append(org.country)
    for pid in speakers:
        p = next(p for p in ctx.persons if p.id == pid)
        if p.country and p.country not in out:
            out.append(p.country)
    places = {}
    for m in ctx.scoped(ctx.places):
        s, e = ctx.span(m)
        if ctx.org_at(s, e):
            continue
        v = next((v for v in m.values if v[0] in ("country", "adjective")), None)
        if v:
            places[m.first] = (m, v)
    taken = set()
    for m in ctx.cues("participant"):
        sent = a.sentence_at(ctx.span(m)[0])
        if _is_description(ctx, sent):
            continue
        # a country or its adjective right before the cue noun: "казахстанские эксперты"
        for k, (pm, v) in places.items():
            if pm.last == m.first or (pm.last <= m.first and m.first - pm.last <= 2 and v[0] == "adjective"):
                taken.add(v[1])
        for code in _countries_listed(ctx, m.last, sent, places):
            taken.add(code)
        if ctx.lang in HEAD_FINAL:
            # «O‘zbekiston, Qozog‘iston va Tojikiston ekspertlari», «Қытай, Ресей ... елдерінен сарапшылар
            # қатысты»: the list stands before the cue, back to the clause's start
            start = max([sent.first] + [h.last for h in ctx.cues("held") + ctx.cues("speech")
                                        if sent.first <= h.last <= m.first])
            taken.update(v[1] for k, (pm, v) in places.items() if start <= pm.first < m.first
                         and m.first - pm.last <= 12)
    # "officials of Azerbaijan, Georgia, Kazakhstan and Mongolia took part", «в работе приняли участие
    # делегации ...»: a list of three or more countries where the text says who took part
    in_list = listed_countries(ctx)
    for m in ctx.cues("took_part"):
        sent = a.sentence_at(ctx.span(m)[0])
        if _is_description(ctx, sent) or _planned(ctx, sent) or _earlier(ctx, sent, ev):
            continue
        taken.update(v[1] for k, (pm, v) in places.items() if sent.first <= k < sent.last and k in in_list
                     and v[0] == "country")
    # a state in a role: "под председательством Таджикистана", "инициированы Туркменистаном",
    # "Туркменистан стал инициатором встречи"
    subject_cues = {m.first for m in ctx.cues("organizer_after")}
    for m in ctx.cues("organizer_before") + ctx.cues("chair") + ctx.cues("organizer_after"):
        sent = a.sentence_at(ctx.span(m)[0])
        if not _mentions_event(ctx, sent) and not any(sent.first <= x.first < sent.last for x in ctx.cues("held")):
            continue
        after = places.get(m.last)
        if after and after[1][0] == "country" and _case_of(ctx, m.last) & {"gent", "ablt", "nomn"}:
            taken.add(after[1][1])
        if m.first in subject_cues or ctx.keys[m.first] in ("инициатор", "организатор"):
            for k, (pm, v) in places.items():
                if pm.last == m.first and v[0] == "country" and "nomn" in _case_of(ctx, pm.first):
                    taken.add(v[1])
    # countries listed after the office of those present: "министры иностранных дел Китая, России и Индии"
    present = {a.sentence_at(ctx.span(x)[0]).start for g in ("participant", "held", "speech", "event_types", "chair")
               for x in ctx.cues(g)}
    for m in ctx.cues("roles"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start not in present or _is_description(ctx, sent):
            continue
        for code in _country_list(ctx, m.last, sent, places):
            taken.add(code)
        # "узбекский посол", "Kazakh Foreign Minister", "российские политологи": the holder's state
        for k, (pm, v) in places.items():
            if pm.last == m.first and v[0] == "adjective" and not ctx.org_at(*ctx.span(pm)):
                taken.add(v[1])
            # "Kazakhstan's Foreign Minister", "Uzbekistan's ambassador"
            elif v[0] == "country" and pm.last + 2 <= m.first <= pm.last + 4 and a.tokens[pm.last].text in ("'", "’") \
                    and a.tokens[pm.last + 1].text == "s" and all(t.text.isalpha() for t in a.tokens[pm.last + 2:m.first]):
                taken.add(v[1])
    for m in ctx.cues("held"):
        if ctx.keys[m.first] in ("met", "встретиться"):
            sent = a.sentence_at(ctx.span(m)[0])
            for k, (pm, v) in places.items():
                if sent.first <= pm.first < m.first:
                    taken.add(v[1])
    for code in sorted(taken, key=lambda c: min((k for k, (pm, v) in places.items() if v[1] == c), default=0)):
        if code not in out:
            out.append(code)
    return out


def _countries_listed(ctx: Context, i: int, sent, places, first_gap: int = 6, gap: int = 4):
    a = ctx.analysis
    budget, j = first_gap, i
    while j < sent.last and budget >= 0:
        if j in places:
            pm, v = places[j]
            yield v[1]
            j = pm.last
            budget = gap
            continue
        t = a.tokens[j]
        if t.text in (".", "!", "?") or (_is_verbish(ctx, j) and t.text.lower() not in _LIST_GLUE):
            return
        if ctx.org_at(t.start, t.stop):
            budget = gap
        elif t.text.lower() not in _LIST_GLUE:
            budget -= 1
        j += 1


def _mention_case(ctx: Context, start: int) -> set[str]:
    """The cases a mention may stand in: of its first word, or of the kind of body before a quoted
    name ("учреждением «Караван знаний»"); any case for an abbreviation, which does not decline."""
    toks = ctx.analysis.tokens
    i = ctx.analysis.token_index(start)
    if toks[i].text in "«\"„“" or i > 0 and toks[i - 1].text in "«\"„“":
        k = i - 1 if toks[i].text in "«\"„“" else i - 2
        if k >= 0 and toks[k].text.isalpha() and toks[k].text.islower():
            return _case_of(ctx, k)
    if is_abbreviation(toks[i].text) or not toks[i].text.isalpha():
        return {"nomn", "gent", "datv", "accs", "ablt", "loct"}
    return _case_of(ctx, i)


def _case_of(ctx: Context, i: int) -> set[str]:
    w = ctx.analysis.tokens[i].text
    if ctx.lang != "ru":
        return {"gent", "nomn", "ablt"}
    return {c for p in ctx.registry.morph.parses(w)[:3] for c in ("nomn", "gent", "datv", "accs", "ablt", "loct")
            if c in p.tag.grammemes}


def _country_list(ctx: Context, i: int, sent, places):
    """Countries in a list right after a role noun and its genitive complement ("министры
    иностранных дел Китая, России и Индии", "ambassadors of Kazakhstan and Uzbekistan")."""
    toks = ctx.analysis.tokens
    j = i
    while j < sent.last and j - i < 3 and j not in places and (
            toks[j].text.isalpha() and toks[j].text.islower() and toks[j].text not in ("в", "во", "in", "at", "из")):
        j += 1  # "иностранных дел", "of"
    while j < sent.last and j in places:
        pm, v = places[j]
        if v[0] != "country" or "loct" in _case_of(ctx, j) and "gent" not in _case_of(ctx, j):
            return
        yield v[1]
        j = pm.last
        if j < sent.last and toks[j].text in (",", "и", "and"):
            j += 1
            if j < sent.last and toks[j].text in ("и", "and"):
                j += 1
        else:
            return
