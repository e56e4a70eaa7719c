"""Who organised, who took part, who spoke, and which countries were there.

Organisers follow cues such as "организован", "при поддержке", "hosted by" or stand as the
subject before "провел", "hosted"; failing both, the institution at which the event "took
place". Participants are institutions in sentences that say someone took part, and the
institution of every speaker (speakers.py). Countries are those of these institutions, of
offices held by speakers and of country names in sentences about who took part
(event_countries.py). How a cue's sentence is read is in role_cues.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..nlp.morph import is_abbreviation
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .event_countries import event_countries
from .event_nouns import infinitive
from .events import Event, headline
from .role_cues import (after_place_preposition, coordinated, earlier, in_title, inside_cue_clause,
                        is_description, is_verbish, listed, mention_case, mentions_event, of_another_thing, passive,
                        planned, subject_like)
from .speakers import find_speakers
from .venue import venue_institution


def assign_roles(ctx: Context, ev: Event, evidence: list) -> dict:
    _office_holders(ctx)
    roles = _Roles(evidence)
    _cued_organizers(ctx, roles)
    speakers = find_speakers(ctx, ev, evidence)
    _hosts(ctx, ev, roles)
    _cued_participants(ctx, ev, roles, speakers)
    organizers, participants = roles.organizers, roles.participants
    # no organiser named, or only backers («при поддержке», 'at the initiative of'): the institution
    # where it took place hosts it
    if not organizers or set(organizers) <= roles.backers:
        org = venue_institution(ctx, ev)
        if org:
            organizers.append(org.id)
            participants[:] = [p for p in participants if p != org.id]
    countries = event_countries(ctx, ev, organizers + participants, speakers)
    return {"organizers": organizers, "participants": participants, "speakers": speakers,
            "countries": countries}


@dataclass(slots=True)
class _Roles:
    """The organisers and participants found so far; each one added leaves its evidence."""
    evidence: list
    organizers: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    backers: set = field(default_factory=set)  # organisers named only by a backing cue

    def organizer(self, org, span) -> None:
        self._add(self.organizers, org, "organizers", span)

    def participant(self, org, span) -> None:
        self._add(self.participants, org, "participants", span)

    def _add(self, lst, org, role, span) -> None:
        if org.kind == "generic":
            return  # "правительство", "полиция": not a named institution
        if org.id not in lst:
            lst.append(org.id)
            self.evidence.append({"field": role, "value": org.name, "start": span[0], "end": span[1]})


def _cued_organizers(ctx: Context, roles: _Roles) -> None:
    """Organisers a cue names: after it ("организованный ИМЭП", "при поддержке ...", "hosted by ...")
    or as its subject ("ИМЭП провел", "IICA ... convened")."""
    a = ctx.analysis
    # cue before the institution: "организованный ИМЭП", "при поддержке ...", "hosted by ..."
    for m in ctx.cues("organizer_before"):
        sent = a.sentence_at(ctx.span(m)[0])
        if planned(ctx, sent, at=m):
            continue  # "recommended that it become an annual event under the auspices of ..."
        if earlier(ctx, sent, at=m):
            continue  # «В ноябре 2025 года прошел семинар, организованный с МАГАТЭ»: an earlier event's
        if of_another_thing(ctx, m, sent):
            continue  # "доклада, подготовленного при поддержке МОМ": the report's sponsor, not the event's
        backing = _backing(ctx, m)
        for os_, oe, org in listed(ctx, m.last, sent, first_gap=4, stop_at="participant"):
            if backing and org.id not in roles.organizers:
                roles.backers.add(org.id)
            elif not backing:
                roles.backers.discard(org.id)
            roles.organizer(org, (os_, oe))
    # the institution is the subject: "ИМЭП провел", "IICA ... convened"
    for m in ctx.cues("organizer_after"):
        s, e = ctx.span(m)
        sent = a.sentence_at(s)
        if not mentions_event(ctx, sent) or (m.last < len(ctx.keys) and ctx.keys[m.last] in ("участие", "part")) \
                or earlier(ctx, sent, at=m) or infinitive(ctx, m):
            continue
        before = [x for x in ctx.org_mentions_in(sent.start, s) if not inside_cue_clause(ctx, x[0], sent)
                  and not in_title(ctx, x, sent) and not after_place_preposition(ctx, x[0])]
        if passive(ctx, m):
            # "который был организован ОФ ...": the agent follows (organizer_before); before a passive
            # verb only an agent in the instrumental organises ("учреждением «X» ... был организован")
            before = [x for x in before if ctx.lang == "ru" and "ablt" in mention_case(ctx, x[0])]
        if before and ctx.lang in HEAD_FINAL and a.token_index(s) - a.token_index(before[-1][1] - 1) <= 2:
            # «X tomonidan», «X ko‘magida», «X ұйымдастыруымен»: the name right before the postposition
            os_, oe, org = before[-1]
            if _backing(ctx, m) and org.id not in roles.organizers:
                roles.backers.add(org.id)
            roles.organizer(org, (os_, oe))
        elif before and subject_like(ctx, before[0], s):
            # "the OSCE Academy and the Friedrich Ebert Foundation co-organized": every coordinated subject
            for os_, oe, org in coordinated(ctx, before):
                roles.organizer(org, (os_, oe))


def _backing(ctx: Context, m) -> bool:
    """The organiser cue names a backer («при поддержке», 'at the initiative of', «ko‘magida»)."""
    return any(b.first <= m.first < b.last or m.first <= b.first < m.last for b in ctx.cues("backing"))


def _hosts(ctx: Context, ev: Event, roles: _Roles) -> None:
    """Organisers by position: the office whose holder chaired or invited, the body whose meeting
    it is, the institution a visit went to."""
    a = ctx.analysis
    organizers = roles.organizers
    # a summit is organised by the office whose holder chaired or invited
    for m in ctx.cues("chair"):
        if passive(ctx, m):
            continue  # "были приглашены", "were invited": the invited took part, they did not chair
        sent = a.sentence_at(ctx.span(m)[0])
        for ps, pe, p in ctx.person_mentions_in(sent.start, sent.stop):
            org = ctx.org(p.affiliation)
            if org:
                roles.organizer(org, org.evidence or (ps, pe))
                break
    # "заседание МКВК", "conference of the Valdai Club": the body whose meeting it is holds it
    if not organizers and ev.type not in ("summit", "visit"):
        own = _event_body(ctx, ev)
        if own:
            roles.organizer(own[2], own[:2])
    # a visit is hosted by the institution visited, not by the delegation
    if ev.type == "visit" and not organizers:
        host = _visit_host(ctx, ev)
        if host:
            roles.organizer(host[2], host[:2])


def _cued_participants(ctx: Context, ev: Event, roles: _Roles, speakers: list[str]) -> None:
    """Participants: institutions listed after a participation cue, the bodies of the speakers and
    of people named where the text says who took part, and parties to what was signed."""
    a = ctx.analysis
    organizers, participants = roles.organizers, roles.participants
    # participation: the institutions listed right after "приняли участие", "представители", "experts from"
    for m in ctx.cues("participant"):
        s, e = ctx.span(m)
        sent = a.sentence_at(s)
        if is_description(ctx, sent) or any(sent.first <= d.first < sent.last for d in ctx.cues("declined")):
            continue
        for os_, oe, org in listed(ctx, m.last, sent, stop_at="organizer_before"):
            if org.id not in organizers:
                roles.participant(org, (os_, oe))
        if ctx.lang in HEAD_FINAL and not headline(ctx, sent):
            # «... vazirligi delegatsiyasi bilan», «X va Y vakillari»: the bodies right before the noun
            # (not in a line of related news: «... markazi delegatsiyasini qabul qildi»)
            for os_, oe, org in _bodies_before(ctx, m, sent):
                if org.id not in organizers:
                    roles.participant(org, (os_, oe))
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
            roles.participant(org, (ps, pe))
    # "в заседании приняли участие министры X и Y", "was attended by X, Director of Y": a person named
    # where the text says who took part brings the body of their office or affiliation
    for m in ctx.cues("took_part"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start < ctx.body_start or planned(ctx, sent, at=m) or earlier(ctx, sent, ev, at=m):
            continue
        for ps, pe, p in ctx.person_mentions_in(sent.start, sent.stop):
            org = _body_of_office(ctx, ctx.org(p.affiliation))
            if org and org.id not in organizers and org.kind != "generic":
                roles.participant(org, (ps, pe))
    # 'Researchers from X, Y and Z attended', «Анжуманда X, Y ва Z ректорлари иштирок этди»: the
    # institutions in the participation verb's own subject, before it
    for m in ctx.cues("attended"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start < ctx.body_start or planned(ctx, sent, at=m) or earlier(ctx, sent, ev, at=m) \
                or is_description(ctx, sent):
            continue
        for os_, oe, org in _subject_bodies(ctx, m, sent):
            if org.id not in organizers:
                roles.participant(org, (os_, oe))
    # "X, Professor, University A; Y, Officer, B; Z, Fellow, C, presented their research": a list
    # split at semicolons shares the verb of its last item
    for org in _semicolon_list_bodies(ctx):
        if org.id not in organizers:
            roles.participant(org, org.mentions[0] if org.mentions else (0, 0))
    # «консультации между министерствами X и Y», 'talks between the Ministries of X and Y', «X мен Y
    # арасында саяси консультациялар», «X va Y o‘rtasida muzokaralar»: the bodies the event was held
    # between took part (cue group `between`; a postposition before the noun in Uzbek and Kazakh)
    after, before = a.token_index(ev.trigger[1] - 1) + 1, a.token_index(ev.trigger[0])
    for b in ctx.cues("between"):
        if ctx.lang in HEAD_FINAL:
            found = _bodies_before(ctx, b, ev.sentence) if ev.sentence.first <= b.first and 0 <= before - b.last <= 2 else []
        else:
            found = listed(ctx, b.last, ev.sentence) if b.first == after else []
        for os_, oe, org in found:
            if org.id not in organizers:
                roles.participant(org, (os_, oe))
    # parties to what was agreed or signed took part
    for os_, oe, org in _agreement_parties(ctx):
        if org.id not in organizers:
            roles.participant(org, (os_, oe))
    for os_, oe, org in _visiting_delegation(ctx, ev):
        if org.id not in organizers:
            roles.participant(org, (os_, oe))


def _delegation_bodies(ctx: Context, m) -> list:
    """The institutions named with a delegation noun: «делегацией Министерства X», 'a delegation of
    the X', «X delegatsiyasi» (before it in Uzbek and Kazakh)."""
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    if ctx.lang in HEAD_FINAL:
        return _bodies_before(ctx, m, sent)
    return listed(ctx, m.last, sent, first_gap=2, gap=2)


def _visiting_delegation(ctx: Context, ev: Event) -> list:
    """«В тот же день узбекская делегация побывала в ...», 'Later the delegation visited ...', «Ertasi
    kuni delegatsiya a’zolari ...»: a delegation the report named by its institution before this
    event's stretch, and names here only by the noun, takes part in this event of its visit too."""
    if not ev.scope or ev.scope[0][0] == 0:
        return []
    here = [m for m in ctx.cues("delegation") if not _delegation_bodies(ctx, m)]
    if not here:
        return []
    scope, ctx.scope = ctx.scope, None
    try:
        start = ev.scope[0][0]
        return [b for m in ctx.cues("delegation") if ctx.span(m)[1] <= start for b in _delegation_bodies(ctx, m)]
    finally:
        ctx.scope = scope


def _bodies_before(ctx: Context, m, sent) -> list:
    """Uzbek and Kazakh: the institutions that end right before the cue noun, and those joined to
    them by «va», «hamda», «және», «мен» or commas («X va Y vakillari»)."""
    a = ctx.analysis
    glue = {",", "va", "hamda", "ва", "ҳамда", "және", "мен", "пен", "бен"}
    out, k, joined = [], m.first - 1, True
    for os_, oe, org in reversed(ctx.org_mentions_in(sent.start, ctx.span(m)[0])):
        if a.token_index(oe - 1) != k or org.kind in ("generic", "media") or not joined:
            break  # (a name right before another with no glue between, «X vazirligida Y delegatsiyasi», is not listed with it)
        out.append((os_, oe, org))
        k, joined = a.token_index(os_) - 1, False
        while k >= sent.first and a.tokens[k].text.lower() in glue:
            k, joined = k - 1, True
    return out


# words that hand a verb back to the noun before them (", которые участвовали", ", who attended")
_RELATIVES = {"которые", "который", "которая", "who", "which", "that"}
_CLAUSE_EDGE = {";", ":", "—", "–"}


def _subject_bodies(ctx: Context, m, sent) -> list:
    """The institutions of the subject a participation verb follows: back from the verb over a
    relative pronoun, to the clause's edge or the previous verb; none at a place ('в Институте',
    'at the University'), none after an organiser's cue, none when the verb is passive ('was
    attended by' looks forward)."""
    a = ctx.analysis
    toks = a.tokens
    be = m.first > 0 and toks[m.first - 1].text.lower() in ("was", "were", "been", "is", "are", "be")
    if (ctx.lang == "ru" and passive(ctx, m)) or be or (m.last < len(toks) and toks[m.last].text.lower() == "by"):
        return []
    j = m.first - 1
    if j > sent.first and toks[j].text.lower() in _RELATIVES:
        j -= 1 + (toks[j - 1].text == ",")
    start = j + 1
    organizer_cues = {c.last for c in ctx.cues("organizer_before")}
    while j >= sent.first and toks[j].text not in _CLAUSE_EDGE and j + 1 not in organizer_cues \
            and not (ctx.lang not in HEAD_FINAL and is_verbish(ctx, j)):
        start = j
        j -= 1
    if start >= m.first or ctx.person_mentions_in(toks[start].start, toks[m.first].start):
        return []  # a person's own institutions come with them (speakers.py, `took_part` above)
    out = []
    for os_, oe, org in ctx.org_mentions_in(toks[start].start, toks[m.first].start):
        if org.kind in ("generic", "media") or after_place_preposition(ctx, os_) or in_title(ctx, (os_, oe), sent):
            continue
        if ctx.lang == "ru" and not mention_case(ctx, os_) & {"nomn", "gent"}:
            continue
        if org not in [o for _, _, o in out]:
            out.append((os_, oe, org))
    return out


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
                    (t.text.islower() and is_verbish(ctx, j)):
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
        if sent.start in sents and not earlier(ctx, sent):
            yield from ctx.org_mentions_in(sent.start, sent.stop)


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
