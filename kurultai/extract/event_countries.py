"""The countries of an event: of its institutions and its speakers' offices, and those the text
names as taking part, as chairing or initiating, or as the states of the officials present.
"""
from __future__ import annotations

from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .events import Event
from .role_cues import LIST_GLUE, case_of, earlier, is_description, is_verbish, mentions_event, planned
from .topics import listed_countries


def event_countries(ctx: Context, ev: Event, org_ids: list[str], speakers: list[str]) -> list[str]:
    """Countries of the institutions and speakers' offices, and countries named as taking part:
    listed after a participation cue ("представители ... Кыргызстана и России", "experts from"),
    qualifying one ("казахстанские эксперты", "the Turkish delegation"), or before "met"."""
    out = _of_roles(ctx, org_ids, speakers)
    for code in _joint_adjectives(ctx, ev):
        if code not in out:
            out.append(code)
    places = _named_countries(ctx)
    taken: set[str] = set()
    _participants(ctx, places, taken)
    _took_part(ctx, ev, places, taken)
    _in_a_role(ctx, places, taken)
    _of_officials(ctx, places, taken)
    _met(ctx, places, taken)
    for code in sorted(taken, key=lambda c: min((k for k, (pm, v) in places.items() if v[1] == c), default=0)):
        if code not in out:
            out.append(code)
    return out


def _joint_adjectives(ctx: Context, ev: Event) -> list[str]:
    """«заседание туркмено-казахстанской комиссии», «заседание Узбекско-казахстанского делового
    совета», 'the Kazakh-Kyrgyz business forum': a joint adjective on the event's noun, or on the body
    whose meeting it is, names both countries' sides. (In an institution's own name it does not: the
    Kazakh-German University is a Kazakh university.)"""
    a = ctx.analysis
    lo, hi = a.token_index(ev.trigger[0]), a.token_index(ev.trigger[1] - 1) + 1
    out = []
    for t in a.tokens[max(0, lo - 2):hi + 4]:
        parts = t.text.split("-")
        if len(parts) != 2 or not all(p.isalpha() for p in parts) or not _joint_side(ctx, t):
            continue
        codes = [_adjective_country(ctx, p, k == 0) for k, p in enumerate(parts)]
        if all(codes) and codes[0] != codes[1]:
            out += [c for c in codes if c not in out]
    return out


def _joint_side(ctx: Context, t) -> bool:
    """The adjective stands outside an institution's name, or inside that of a joint body (a commission,
    a council, a working group: cue group `joint_bodies`) whose sides meet."""
    org = ctx.org_at(t.start, t.stop)
    if org is None:
        return True
    s, e = next(((s, e) for s, e in org.mentions if s <= t.start < e), (t.start, t.stop))
    return any(s <= ctx.span(m)[0] < e for m in ctx.cues("joint_bodies"))


def _adjective_country(ctx: Context, part: str, shortened: bool) -> str | None:
    """The country of a joint adjective's part: «туркмено» is «туркменский», «узбекско» «узбекский»."""
    forms = [part]
    if shortened and ctx.lang == "ru" and part.lower().endswith("о"):
        forms = [part[:-1] + end for end in ("ий", "ый", "ский")]
    for form in forms:
        for m in ctx.registry.place_index.find([ctx.registry.morph.key(form)]):
            if m.values[0][0] == "adjective":
                return m.values[0][1]
    return None


def _of_roles(ctx: Context, org_ids: list[str], speakers: list[str]) -> list[str]:
    """The countries of the event's institutions, then of its speakers' offices."""
    out = []
    for oid in org_ids:
        org = ctx.org(oid)
        if org and org.country and org.country not in out:
            out.append(org.country)
    for pid in speakers:
        p = next(p for p in ctx.persons if p.id == pid)
        if p.country and p.country not in out:
            out.append(p.country)
    return out


def _named_countries(ctx: Context) -> dict:
    """Countries and their adjectives named outside institution names, by their first token."""
    places = {}
    for m in ctx.scoped(ctx.places):
        s, e = ctx.span(m)
        if ctx.org_at(s, e):
            continue
        v = next((v for v in m.values if v[0] in ("country", "adjective")), None)
        if v:
            places[m.first] = (m, v)
    return places


def _participants(ctx: Context, places: dict, taken: set[str]) -> None:
    """Countries listed after a participation cue ("представители ... Кыргызстана и России",
    "experts from") or qualifying one ("казахстанские эксперты")."""
    a = ctx.analysis
    for m in ctx.cues("participant"):
        sent = a.sentence_at(ctx.span(m)[0])
        if is_description(ctx, sent) or any(sent.first <= d.first < sent.last for d in ctx.cues("declined")):
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


def _took_part(ctx: Context, ev: Event, places: dict, taken: set[str]) -> None:
    """A list of three or more countries where the text says who took part: "officials of
    Azerbaijan, Georgia, Kazakhstan and Mongolia took part", «в работе приняли участие делегации ...»."""
    a = ctx.analysis
    in_list = listed_countries(ctx)
    for m in ctx.cues("took_part"):
        sent = a.sentence_at(ctx.span(m)[0])
        if is_description(ctx, sent) or planned(ctx, sent, at=m) or earlier(ctx, sent, ev, at=m):
            continue
        taken.update(v[1] for k, (pm, v) in places.items() if sent.first <= k < sent.last and k in in_list
                     and v[0] == "country")


def _in_a_role(ctx: Context, places: dict, taken: set[str]) -> None:
    """A state in a role: "под председательством Таджикистана", "инициированы Туркменистаном",
    "Туркменистан стал инициатором встречи"."""
    a = ctx.analysis
    subject_cues = {m.first for m in ctx.cues("organizer_after")}
    for m in ctx.cues("organizer_before") + ctx.cues("chair") + ctx.cues("organizer_after"):
        sent = a.sentence_at(ctx.span(m)[0])
        if not mentions_event(ctx, sent) and not any(sent.first <= x.first < sent.last for x in ctx.cues("held")):
            continue
        after = places.get(m.last)
        if after and after[1][0] == "country" and case_of(ctx, m.last) & {"gent", "ablt", "nomn"}:
            taken.add(after[1][1])
        if m.first in subject_cues or ctx.keys[m.first] in ("инициатор", "организатор"):
            for k, (pm, v) in places.items():
                if pm.last == m.first and v[0] == "country" and "nomn" in case_of(ctx, pm.first):
                    taken.add(v[1])


def _of_officials(ctx: Context, places: dict, taken: set[str]) -> None:
    """The states of the officials present: listed after their office ("министры иностранных дел
    Китая, России и Индии") or qualifying it ("узбекский посол", "Kazakhstan's Foreign Minister")."""
    a = ctx.analysis
    present = {a.sentence_at(ctx.span(x)[0]).start for g in ("participant", "held", "speech", "event_types", "chair")
               for x in ctx.cues(g)}
    for m in ctx.cues("roles"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start not in present or is_description(ctx, sent):
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


def _met(ctx: Context, places: dict, taken: set[str]) -> None:
    """The states named before "met" ("встретиться") in its sentence."""
    a = ctx.analysis
    for m in ctx.cues("held"):
        if ctx.keys[m.first] in ("met", "встретиться"):
            sent = a.sentence_at(ctx.span(m)[0])
            for k, (pm, v) in places.items():
                if sent.first <= pm.first < m.first:
                    taken.add(v[1])


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
        if t.text in (".", "!", "?") or (is_verbish(ctx, j) and t.text.lower() not in LIST_GLUE):
            return
        if t.text.lower() in _TOPIC and j + 1 in places:
            return  # «эксперты по Афганистану», 'experts on China': the country is what they know of
        if ctx.org_at(t.start, t.stop):
            budget = gap
        elif t.text.lower() not in LIST_GLUE:
            budget -= 1
        j += 1


def _country_list(ctx: Context, i: int, sent, places):
    """Countries in a list right after a role noun and its genitive complement ("министры
    иностранных дел Китая, России и Индии", "ambassadors of Kazakhstan and Uzbekistan")."""
    toks = ctx.analysis.tokens
    j = i
    while j < sent.last and j - i < 3 and j not in places and (
            toks[j].text.isalpha() and toks[j].text.islower() and toks[j].text not in ("в", "во", "in", "at", "из")):
        if toks[j].text in _TOPIC:
            return  # 'an expert on Afghanistan', «специалист по Китаю», 'expert dialogue on ...': what, not whose
        j += 1  # "иностранных дел", "of"
    while j < sent.last and j in places:
        pm, v = places[j]
        if v[0] != "country" or "loct" in case_of(ctx, j) and "gent" not in case_of(ctx, j):
            return
        yield v[1]
        j = pm.last
        if j < sent.last and toks[j].text in (",", "и", "and"):
            j += 1
            if j < sent.last and toks[j].text in ("и", "and"):
                j += 1
        else:
            return


# Prepositions that open what a role or its talk is about, never whose it is.
_TOPIC = frozenset({"on", "about", "regarding", "concerning", "по", "о", "об", "относительно"})
