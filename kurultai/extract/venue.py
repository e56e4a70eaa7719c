"""Where and how an event was held: its format (online, hybrid, offline) and its place, and the
institution it was held at, which hosts it when no organiser is named."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..nlp.turkic import HEAD_FINAL
from .context import Context

if TYPE_CHECKING:
    from .events import Event

_LOCATIVE = ("da", "de", "ta", "te")  # in the skeleton of nlp/turkic.py


def find_format(ctx: Context, ev: Event) -> None:
    """online / hybrid / offline / unknown from cue words outside forward-looking sentences."""
    a = ctx.analysis
    future_sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("future")}
    commit_sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("outcomes")
                    if m.values[0] == "commitment"}
    found = {}
    for m in ctx.cues("formats"):
        kind = m.values[0]
        s, e = ctx.span(m)
        if s < ctx.body_start:
            continue  # a menu's 'Virtual tour', «Онлайн-приёмная»: the site's chrome, not the event
        sent = a.sentence_at(s)
        if sent.start in future_sents or (kind != "offline_venue" and sent.start in commit_sents
                                         and ev.sentence.start != sent.start):
            continue
        if kind == "offline_venue":
            if not _venue_of_event(ctx, m, sent):
                continue
            kind = "offline"
        found.setdefault(kind, (s, e))
    # the event's own noun is an online one ("вебинар", "онлайн-конференция"), wherever the first cue stands
    online_kind = any(m.values[0] == "online" and ctx.span(m)[0] <= ev.trigger[0] < ctx.span(m)[1]
                      for m in ctx.cues("formats")) or _online_compound(ctx, ev)
    if "offline" not in found and ev.place_span:
        found["offline"] = ev.place_span
    if "offline" not in found:
        venue = venue_institution(ctx, ev)
        if venue and venue.mentions:
            found["offline"] = venue.mentions[0]
    if "offline" not in found:
        # 'The course took place at the Institute of ...', «Мероприятие прошло в ...»: a later sentence
        # that opens with the event's noun says where it was held
        for sent in _retold(ctx, ev):
            venue = _named_venue(ctx, sent)
            if venue and venue.mentions:
                found["offline"] = venue.mentions[0]
                break
    if "offline" not in found and "hybrid" not in found and not online_kind:
        # 'met in Geneva ... Several delegations joined remotely': a place where people met, and an
        # online cue besides, is hybrid
        where = _located_in_held_sentence(ctx, ev)
        if where:
            found["offline"] = where
    if "offline" not in found and ev.type == "visit":
        found["offline"] = ev.trigger  # a visit is made in person
    if online_kind and "hybrid" not in found:
        found.pop("offline", None)  # a webinar held "at" an institute is still a webinar
    if "hybrid" in found:
        ev.format, ev.format_span = "hybrid", found["hybrid"]
    elif "online" in found and "offline" in found:
        ev.format, ev.format_span = "hybrid", found["online"]
    elif "online" in found:
        ev.format, ev.format_span = "online", found["online"]
    elif "offline" in found:
        ev.format, ev.format_span = "offline", found["offline"]


def _online_compound(ctx: Context, ev: Event) -> bool:
    """«онлайн-лекция», «онлайн-семинар», 'e-conference': the event's noun joined to an online word."""
    a = ctx.analysis
    word = a.tokens[a.token_index(ev.trigger[0])].text
    if "-" not in word:
        return False
    first = ctx.registry.morph.key(word.split("-")[0].lower())
    return any(m.values[0] == "online" for m in ctx.registry.cue_index("formats").find([first]))


def _retold(ctx: Context, ev: Event) -> list:
    """Later sentences of the event's scope that open with a noun of its kind (or 'the event')
    and say it was held."""
    a = ctx.analysis
    held = ctx.cues("held")
    out = []
    for m in ctx.cues("event_types") + ctx.cues("event_generic"):
        sent = a.sentence_at(ctx.span(m)[0])
        if sent.start <= ev.sentence.start or m.first - sent.first > 1:
            continue
        if m.values[0] not in (ev.type, "event_generic") or not any(sent.first <= h.first < sent.last for h in held):
            continue
        if sent not in out:
            out.append(sent)
    return sorted(out, key=lambda s: s.start)


_IN = {"в", "во", "in"}


def _located_in_held_sentence(ctx: Context, ev: Event) -> tuple[int, int] | None:
    """'В российском городе Новосибирск состоялся форум', '3 апреля в Вене прошла встреча', 'was held
    in Geneva': the event's sentence says it happened at a named place, so people met there. Any
    place name counts (natasha's LOC in Russian, a capitalised word after 'held in' in English), not
    only the registry's cities; a text with any online or hybrid cue never gets here."""
    a = ctx.analysis
    sent = ev.sentence
    held = [m for m in ctx.cues("held") if sent.first <= m.first < sent.last]
    if not held:
        return None
    toks = a.tokens
    if ctx.lang == "ru":
        for ent in a.entities:
            if ent.type != "LOC" or not (sent.start <= ent.start < sent.stop) or ctx.org_at(ent.start, ent.stop):
                continue
            i = a.token_index(ent.start)
            # "в Вене", "в российском городе Новосибирск": "в" and at most two lower-case words before
            for k in range(i - 1, max(sent.first - 1, i - 4), -1):
                if toks[k].text.lower() in _IN:
                    return ent.start, ent.stop
                if not (toks[k].text.isalpha() and toks[k].text.islower()):
                    break
        return None
    if ctx.lang == "en":
        calendar = {c.first for c in ctx.cues("calendar")}
        for m in held:
            j = m.last
            if j + 1 < sent.last and toks[j].text == "in" and toks[j + 1].text[:1].isupper() \
                    and toks[j + 1].text.isalpha() and j + 1 not in calendar \
                    and not ctx.org_at(toks[j + 1].start, toks[j + 1].stop):
                return toks[j + 1].start, toks[j + 1].stop
        # 'hosted the Roundtable ... at the Hyatt Regency Tashkent', 'held a seminar on water in
        # Almaty': a named place further on in the sentence that reports it held
        places = {m.first for m in ctx.places}
        first_held = min(m.last for m in held)
        for j in range(first_held, sent.last - 1):
            w = toks[j].text
            k = j + 2 if toks[j + 1].text == "the" else j + 1
            if k >= sent.last or not (toks[k].text[:1].isupper() and toks[k].text.isalpha()) or k in calendar:
                continue
            if w == "in" and k in places or w == "at" and k == j + 2:
                return toks[k].start, toks[k].stop
    return None


_AT_PLACE = ("в", "во", "на", "in", "at", "on", "the")


def _venue_of_event(ctx: Context, m, sent) -> bool:
    """A hall or office counts when the sentence says the event happened there ("в ... прошел")."""
    toks = ctx.analysis.tokens
    held = any(sent.first <= h.first < sent.last for h in ctx.cues("held"))
    if ctx.lang in HEAD_FINAL:
        # «елордада ... өтті», «kutubxonada bo‘lib o‘tdi», «кітапханасында өтті»: Uzbek and Kazakh put
        # "in" on the venue noun itself, as a locative ending
        return held and ctx.registry.morph.form(toks[m.last - 1].text).endswith(_LOCATIVE)
    k = m.first - 1
    while k > sent.first and m.first - k <= 6 and (toks[k].text.isalpha() or toks[k].text in ("’", "'")) \
            and toks[k].text.lower() not in _AT_PLACE:
        k -= 1  # "в региональном офисе", "in the university's main auditorium", 'held on campus'
    if k < 0 or toks[k].text.lower() not in _AT_PLACE:
        return False
    return held


def find_place(ctx: Context, ev: Event) -> None:
    """A city where the event was held: 'в Душанбе состоялся', 'In Tashkent, ... convened'."""
    a = ctx.analysis
    sent = ev.sentence
    held = [m for m in ctx.cues("held") if sent.first <= m.first < sent.last]
    sentences = [sent]
    if ev.date_span and not (sent.start <= ev.date_span[0] < sent.stop):
        dsent = a.sentence_at(ev.date_span[0])
        sentences.append(dsent)
        held += [m for m in ctx.cues("held") if dsent.first <= m.first < dsent.last]
    for m in ctx.places:
        city = next((v for v in m.values if v[0] == "city"), None)
        if not city:
            continue
        s, e = ctx.span(m)
        if ctx.org_at(s, e):
            continue
        in_sent = any(x.start <= s < x.stop for x in sentences)
        prev = a.tokens[m.first - 1].text.lower() if m.first > 0 else ""
        if prev == "," and m.first > 1:
            prev = a.tokens[m.first - 2].text.lower()
        capital_of = m.first > 1 and a.tokens[m.first - 1].text.lower() == "capital"
        # Uzbek and Kazakh say "in" with a locative ending: «Toshkentda», «Астанада», «Ташкентте»
        located = ctx.lang in HEAD_FINAL and ctx.registry.morph.form(a.tokens[m.last - 1].text).endswith(_LOCATIVE)
        if in_sent and (prev in ("в", "во", "in", "at") or capital_of or located) and (held or ev.type == "summit"):
            ev.place, ev.place_span = ctx.registry.city_name(city, ctx.lang), (s, e)
            return
    # "в столице Казахстана", "in the Kyrgyz capital"
    for m in ctx.places:
        s, e = ctx.span(m)
        if not any(x.start <= s < x.stop for x in sentences) or not (held or ev.type == "summit"):
            continue
        near = {ctx.keys[k] for k in range(max(0, m.first - 2), min(len(ctx.keys), m.last + 1))}
        country = next((v for v in m.values if v[0] in ("country", "adjective")), None)
        if country and near & {"столица", "capital"}:
            ev.place, ev.place_span = ctx.registry.capital(country[1], ctx.lang), (s, e)
            return


def venue_institution(ctx: Context, ev: Event):
    """'В Дипломатической академии ... прошёл круглый стол', 'на факультете ... университета состоялась';
    else the institution named by its head noun alone where the event's paragraph says it happened."""
    sent = ev.sentence
    if not any(sent.first <= m.first < sent.last for m in ctx.cues("held")):
        return _venue_by_head(ctx, ev)
    return _named_venue(ctx, sent) or _venue_by_head(ctx, ev)


def _named_venue(ctx: Context, sent):
    a = ctx.analysis
    mentions = ctx.org_mentions_in(sent.start, sent.stop)
    if ctx.lang in HEAD_FINAL:
        # «... universitetida bo‘lib o‘tdi», «... академиясында өтті»: the name's head in the locative
        for os_, oe, org in mentions:
            last = a.tokens[a.token_index(oe - 1)]
            if ctx.registry.morph.form(last.text).endswith(_LOCATIVE) and org.kind not in ("media", "state_office", "generic"):
                return org
        return None
    triggers = {m.first for m in ctx.cues("event_types") + ctx.cues("event_generic")}
    for n, (os_, oe, org) in enumerate(mentions):
        i = a.token_index(os_)
        window = range(max(sent.first, i - 5), i)
        # "IAIS at the University ...": one institution named through another, not a venue
        after_org = n > 0 and ctx.text[mentions[n - 1][1]:os_].strip(" )").lower() in ("at", "at the", "в", "при")
        at = max((k for k in window if a.tokens[k].text.lower() in _AT), default=None)
        # «в режиме видеоконференции состоялось заседание Комитета»: the preposition governs something
        # else when a verb or the event's noun stands between it and the name
        governed = at is not None and not any(k in triggers or _verb(ctx, k) or a.tokens[k].text.lower() in _NEAR
                                              for k in range(at + 1, i))
        # a comma between the preposition and the name governs a list; one before the preposition
        # ends a dateline («15 января 2026 г., Ташкент – в Министерстве транспорта прошло ...»)
        listed = governed and any(a.tokens[k].text == "," for k in range(at + 1, i))
        if governed and org.kind not in ("media", "state_office", "generic") and not listed and not after_org:
            return org
    return None


def _verb(ctx: Context, k: int) -> bool:
    w = ctx.analysis.tokens[k].text
    if ctx.lang != "ru" or not w.isalpha():
        return w.lower() in ("held", "met", "took", "was", "were", "hosted")
    p = ctx.registry.morph.parses(w.lower())
    return bool(p) and p[0].tag.POS in ("VERB", "PRTS", "GRND")


_AT = {"в", "во", "на", "at", "in"}
_NEAR = {"у", "около", "возле", "рядом", "near", "beside", "outside"}  # «на площади у Дома дружбы»: by it, not in it


def _venue_by_head(ctx: Context, ev: Event):
    """«Kecha viloyat hokimligida ...», «облыс әкімдігінде», «в здании хокимията», 'at the Ministry':
    a place named by an institution's head noun alone, in the event's sentence or its paragraph's
    first, is the one institution of the text whose name has that head (none when two have)."""
    a = ctx.analysis
    toks = a.tokens
    para = ctx.text.rfind("\n\n", 0, ev.sentence.start)
    lead = next((s for s in a.sentences if s.start >= max(para, ctx.body_start)), ev.sentence)
    sents = [ev.sentence] + ([lead] if lead.start < ev.sentence.start else [])
    venues = {m.first for m in ctx.cues("formats") if m.values[0] == "offline_venue"}
    for sent in sents:
        for h in ctx.cues("org_heads"):
            s, e = ctx.span(h)
            if not sent.first <= h.first < sent.last or ctx.org_at(s, e):
                continue
            if ctx.lang in HEAD_FINAL:
                here = ctx.registry.morph.form(toks[h.last - 1].text).endswith(_LOCATIVE)
            else:
                k = h.first - 1
                k -= toks[k].text.lower() == "the" if k >= 0 else 0
                k -= 1 if k in venues else 0  # «в здании хокимията», 'in the building of the Ministry'
                here = k >= 0 and toks[k].text.lower() in _AT
            if not here:
                continue
            named = ctx.body_with_head({ctx.keys[h.first]})
            if named:
                return named
    return None
