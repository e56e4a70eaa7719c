"""Who organised, who took part, who spoke, and which countries were there.

Organisers follow cues such as "организован", "при поддержке", "hosted by" or stand as the
subject before "провел", "hosted"; failing both, the institution at which the event "took
place". Participants are institutions in sentences that say someone took part, and the
institution of every speaker. Countries are those of these institutions, of offices held by
speakers ("президент Таджикистана"), and country names in sentences about who took part.
"""
from __future__ import annotations

from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .events import Event, venue_institution


def assign_roles(ctx: Context, ev: Event, evidence: list) -> dict:
    a = ctx.analysis
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
        for os_, oe, org in _listed(ctx, m.last, sent, first_gap=4):
            add(organizers, org, "organizers", (os_, oe))
    # the institution is the subject: "ИМЭП провел", "IICA ... convened"
    for m in ctx.cues("organizer_after"):
        s, e = ctx.span(m)
        sent = a.sentence_at(s)
        if not _mentions_event(ctx, sent) or (m.last < len(ctx.keys) and ctx.keys[m.last] in ("участие", "part")):
            continue
        before = [x for x in ctx.org_mentions_in(sent.start, s) if not _inside_cue_clause(ctx, x[0], sent)]
        if before and ctx.lang in HEAD_FINAL and a.token_index(s) - a.token_index(before[-1][1] - 1) <= 2:
            # «X tomonidan», «X ko‘magida», «X ұйымдастыруымен»: the name right before the postposition
            os_, oe, org = before[-1]
            add(organizers, org, "organizers", (os_, oe))
        elif before and _subject_like(ctx, before[0], s):
            os_, oe, org = before[0]
            add(organizers, org, "organizers", (os_, oe))
    # the speakers
    speakers = _speakers(ctx, ev, evidence)
    # a summit is organised by the office whose holder chaired or invited
    for m in ctx.cues("chair"):
        sent = a.sentence_at(ctx.span(m)[0])
        for ps, pe, p in ctx.person_mentions_in(sent.start, sent.stop):
            org = ctx.org(p.affiliation)
            if org:
                add(organizers, org, "organizers", org.evidence or (ps, pe))
                break
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
        listed = _listed(ctx, m.last, sent)
        for os_, oe, org in listed:
            if org.id not in organizers:
                add(participants, org, "participants", (os_, oe))
    for pid in speakers:
        p = next(p for p in ctx.persons if p.id == pid)
        for org in [ctx.org(p.affiliation), *_apposition_orgs(ctx, p)]:
            if org and org.kind != "generic" and org.id not in organizers and org.id not in participants:
                participants.append(org.id)
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


def _listed(ctx: Context, i: int, sent, first_gap: int = 6, gap: int = 5):
    """Institutions in the list that starts at token i: only role words, adjectives and list glue
    may stand between them, and a verb ends the list ("эксперты рассмотрели ... ЕАЭС" lists none)."""
    a = ctx.analysis
    out, budget, j = [], first_gap, i
    while j < sent.last and budget >= 0:
        t = a.tokens[j]
        org = ctx.org_at(t.start, t.stop)
        if org:
            mention = next((s, e) for s, e in org.mentions if s < t.stop and t.start < e)
            parent = out and ctx.text[out[-1][1]:mention[0]].strip().lower() in ("", "of", "of the", "(")
            if not parent and org not in [o for _, _, o in out]:
                out.append((mention[0], mention[1], org))
            while j < sent.last and a.tokens[j].start < mention[1]:
                j += 1
            budget = gap
            continue
        if _is_verbish(ctx, j) and t.text.lower() not in _LIST_GLUE:
            break
        if t.text in (".", "!", "?"):
            break
        if t.text.lower() not in _LIST_GLUE:
            budget -= 1
        j += 1
    return out


def _visit_host(ctx: Context, ev: Event):
    a = ctx.analysis
    sent = ev.sentence
    guests = {"делегация", "delegation", "from", "из", "гость", "визит"}
    for os_, oe, org in ctx.org_mentions_in(sent.start, sent.stop):
        i = a.token_index(os_)
        before = {ctx.keys[k] for k in range(max(sent.first, i - 2), i)}
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
        for j in range(i + 1, min(sent.last, i + 40)):
            t = a.tokens[j]
            if any(ps <= t.start < pe for q in ctx.persons for ps, pe in q.mentions) or \
                    (t.text.islower() and _is_verbish(ctx, j)):
                break
            org = ctx.org_at(t.start, t.stop)
            # only a body the person holds a position in: "депутат Государственной Думы", not "проекта X"
            if org and org not in out and any(r in roles for r in range(j - 2, j + 1)):
                out.append(org)
    return out


def _agreement_parties(ctx: Context):
    """Institutions named in sentences that record an agreement or a memorandum."""
    a = ctx.analysis
    sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes") if m.values[0] == "agreement"
             and ctx.keys[m.first] in ("меморандум", "соглашение", "подписать", "memorandum", "signed", "agreement",
                                       "заключить", "договор")}
    for sent in a.sentences:
        if sent.start in sents:
            yield from ctx.org_mentions_in(sent.start, sent.stop)


_COPULAS = {"быть", "стать", "являться", "составить", "оказаться"}


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
