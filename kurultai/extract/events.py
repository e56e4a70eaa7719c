"""Which events a report describes, and each one's type, title, date, format and place.

An event is anchored on a trigger noun ("круглый стол", "summit", "встреча"); the anchor is the
trigger that best looks like the report's subject: one with a theme attached, in a sentence that
says it took place, early in the text, named specifically rather than as a "meeting", not in a
headline, not dated months before the page. Up to two further events are reported: another
trigger of a different kind with its own past-tense sentence and date within a month, or one
the page's layout sets apart whatever its kind (a digest's item under its own date line or
opening with its date, talks on the sidelines or an event 'the next day' opening a paragraph),
dated from the event reported just before it; never one told in someone's words.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..knowledge.phrases import Match
from ..nlp.dates import DateMention, as_date, resolve
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .event_dates import date_event, heading_date, opening_date
from .event_titles import title_after, title_before



@dataclass
class Event:
    type: str
    trigger: tuple[int, int]  # cleaned offsets of the trigger phrase
    sentence: object
    scope: tuple[tuple[int, int], ...] | None = None  # the stretches of text that report this event
    title: str | None = None
    title_span: tuple[int, int] | None = None
    date: dict | None = None
    date_span: tuple[int, int] | None = None
    format: str = "unknown"
    format_span: tuple[int, int] | None = None
    place: str | None = None
    place_span: tuple[int, int] | None = None
    evidence: list[dict] = field(default_factory=list)
    own_date: DateMention | None = None
    series: str | None = None  # registry series the event itself belongs to


def find_events(ctx: Context, dates: list[DateMention]) -> list[Event]:
    """The report's subject first, then its further events in the text's order."""
    cands = _candidates(ctx, dates)
    if not cands:
        return []
    # «На следующий день ...», 'Later that day ...' open a sequel to an event told before: not the subject
    cands.sort(key=lambda c: -c["score"] + (4 if c["sequel"] else 0))
    main = cands[0]
    cands = [main] + sorted(cands[1:], key=lambda c: -c["score"])
    if not main["title"]:
        main = {**main, "title": _title_of_coreferent(ctx, main, cands)}
    events = [_event(ctx, main, dates)]
    main_value = (events[0].date or {}).get("value")
    def cue_sents(group):
        return {ctx.analysis.sentence_at(ctx.span(m)[0]).start for m in ctx.cues(group)}
    same_day, sidelines, next_day = cue_sents("same_day"), cue_sents("sidelines"), cue_sents("next_day")
    told = cue_sents("attribution")
    # «Затем ...», 'He also met ...': the next thing done, told at the sentence's start
    a = ctx.analysis
    same_day |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("sequence")
                 if m.first - a.sentence_at(ctx.span(m)[0]).first <= 2}
    types, values, sents = {main["type"]}, {main_value}, {main["sent"].start}
    for c in cands[1:]:
        if len(events) == _MOST_EVENTS:
            break
        start = c["sent"].start
        # a digest's item under its own date line, or talks on the sidelines, may be of the first one's kind
        heading = heading_date(ctx, c["sent"], dates)
        # talks on the sidelines, an event the next day: reported as their own when they open a
        # paragraph ('... also held bilateral meetings on the sidelines.' closing one is a detail)
        opens = start == 0 or ctx.text[start - 1] == "\n"
        sidelines_here, next_day_here = start in sidelines and opens, start in next_day and opens
        # «14 мая в ИСМИ прошёл круглый стол», 'On 14 May, the Institute held ...' opening a paragraph:
        # a digest's item with its date inline
        inline = None if heading or not (opens and c["held"]) else opening_date(ctx, c["sent"], dates)
        tied = heading is not None or inline is not None or sidelines_here
        # «В тот же день министр встретился с ...», 'The next day ...' opening a paragraph: another
        # event, even of the kind of the one before
        sequel = next_day_here or (start in same_day and opens)
        heading = heading or inline
        if (c["type"] in types and not (tied or sequel and not c["within"])) or start in sents or c.get("results_of"):
            continue
        if not tied and start in told:
            continue  # «Оның айтуынша, 16 сәуірде өткен консультацияларда ...»: an event someone speaks of
        if not (c["held"] or heading is not None) or c["score"] < (0 if tied else 2):
            continue
        # the day is counted from the event reported right before it (the report's subject failing one)
        before = max((e for e in events if e.sentence.start < start), key=lambda e: e.sentence.start, default=events[0])
        before_value = (before.date or {}).get("value")
        if (start in same_day or sidelines_here) and before_value:
            # «В тот же день в здании хокимията состоялась встреча», 'Later that day ...', «На полях
            # заседания ... провел переговоры», «В первый день визита»: another event on that one's day
            ev = _event(ctx, c, dates)
            ev.date = {"value": before_value, "year_inferred": False, "basis": "the same day as the event before it"}
            ev.date_span = before.date_span
        elif next_day_here and before_value and as_date(before_value):
            # «На следующий день ... начался тренинг», 'The next day ...': the day after that one
            ev = _event(ctx, c, dates)
            value = (as_date(before_value) + _ONE_DAY).isoformat()
            if value in values:
                continue
            ev.date = {"value": value, "year_inferred": False, "basis": "the day after the event before it"}
            ev.date_span = before.date_span
            values.add(value)
        else:
            own = heading or _date_in(ctx, c["sent"], dates, relative=True)
            if not own:
                continue
            value = own.text_value if own.kind in ("date", "month") and own.year else resolve(own, as_date(ctx.published))
            value = value or own.text_value
            # a further event is reported beside the first (the next day, the same month: a digest's
            # items); an event months or years earlier is background the report discusses
            if not (value and main_value and value not in values and _within_days(value, main_value, 31)):
                continue
            ev = _event(ctx, c, dates)
            values.add(value)
        events.append(ev)
        types.add(c["type"])
        sents.add(c["sent"].start)
    if len(events) > 1:
        _split_scopes(ctx, events)
    return events[:1] + sorted(events[1:], key=lambda e: e.sentence.start)


def _compound_triggers(ctx: Context) -> list:
    """«выставка-ярмарка», «конференция-семинар», «семинар-тренинг»: a hyphenated pair of event nouns
    names one event, of its first part's kind («конгресс-холл», a building, is no pair of them); a
    hyphenated word ending in an event noun («бизнес-форум») is of that noun's kind."""
    ix = ctx.registry.cue_index("event_types")
    whole = {m.first for m in ctx.cues("event_types")}
    out = []
    for i, t in enumerate(ctx.analysis.tokens):
        parts = t.text.split("-")
        if i in whole or len(parts) != 2 or not all(p.isalpha() and len(p) > 3 for p in parts):
            continue
        found = [ix.find([ctx.registry.morph.key(part.lower())]) for part in parts]
        if all(found):
            out.append(Match(i, i + 1, found[0][0].values))
        elif found[1]:
            # «бизнес-форум», «онлайн-семинар», 'e-conference': a word before the event noun says
            # what kind of it, the noun says what it is
            out.append(Match(i, i + 1, found[1][0].values))
    return ctx.scoped(out)


_MOST_EVENTS = 3  # a report of more is a digest, whose further items are rarely written as events
_ONE_DAY = dt.timedelta(days=1)


def _title_of_coreferent(ctx: Context, main: dict, cands: list[dict]):
    """«Вчера прошли парламентские слушания. Слушания на тему «...» открыл ...», 'The summit took
    place under the theme "..."': the same kind of noun opening one of the next two sentences
    names the event again, with its theme."""
    a = ctx.analysis
    after = [s.start for s in a.sentences if s.start > main["sent"].start][:2]
    for c in cands:
        first = c["sent"].first
        if c["title"] and c["type"] == main["type"] and c["sent"].start in after and not c.get("results_of") \
                and c["match"].first - first <= 1:
            return c["title"]
    return None


def _within_days(a: str, b: str, days: int) -> bool:
    da, db = as_date(a), as_date(b)
    if da is None or db is None:
        return a[-5:] != b[-5:] and a[:-3] == b[:-3]  # "--06-02" and "--06-03": the same month
    return abs((da - db).days) <= days


def _split_scopes(ctx: Context, events: list[Event]) -> None:
    """Each event owns the paragraphs from its own to the next event's; a paragraph that recalls the
    past («Напомним, ...», 'Earlier, ...') is about the first event, the report's subject."""
    text = ctx.text
    order = sorted(events, key=lambda e: e.sentence.start)
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    background = background_sentences(ctx)
    owner_of, spans = [], []
    for k, p in enumerate(starts):
        owner = next((e for e in reversed(order) if (text.rfind("\n", 0, e.sentence.start) + 1) <= p), order[0])
        if p in background and owner is not events[0]:
            owner = events[0]
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        if spans and owner_of[-1] is owner:
            spans[-1] = (spans[-1][0], stop)
        else:
            owner_of.append(owner)
            spans.append((p, stop))
    for ev in events:
        ev.scope = tuple(span for o, span in zip(owner_of, spans) if o is ev)


def background_sentences(ctx: Context) -> set[int]:
    """Sentences opening with «Напомним, что ...», 'As reported earlier, ...': what happened before."""
    key = "background_sentences"
    if key not in ctx.__dict__:
        a = ctx.analysis
        ctx.__dict__[key] = {a.sentence_at(ctx.span(b)[0]).start for b in ctx.cues("background")
                             if b.first - a.sentence_at(ctx.span(b)[0]).first <= 1}
    return ctx.__dict__[key]


def _candidates(ctx: Context, dates: list[DateMention]) -> list[dict]:
    a = ctx.analysis
    held = {m.first: m for m in ctx.cues("held") if not _future_form(ctx, m)}
    # 'the next day', «на следующий день», «келесі күні» tell a past day after another, not the future
    after = {i for c in ctx.cues("next_day") for i in range(c.first, c.last)}
    future = [f for f in ctx.cues("future") if f.first not in after]
    background = background_sentences(ctx)
    previous = ctx.cues("previous")
    out = []
    triggers = [(m, m.values[0]) for m in ctx.cues("event_types") + _compound_triggers(ctx)]
    triggers += [(m, None) for m in ctx.cues("event_generic")]
    receptions = _receptions(ctx)
    triggers += [(m, "meeting") for m in receptions]
    description = ctx.cues("description")
    formats = [f for f in ctx.cues("formats") if f.last - f.first > 1]
    event_starts = {t.first: t for t, _ in triggers}
    for m, etype in triggers:
        start, stop = ctx.span(m)
        if ctx.org_at(start, stop):
            continue  # "Форум ..." inside an institution's name
        if any(f.first < m.first and m.last <= f.last for f in formats):
            continue  # "в режиме видеоконференции", "by video conference": how it was held, not what
        if _named_body_after_event(ctx, m, event_starts):
            continue  # "заседание Форума ОБСЕ по ...": the capitalised noun names the body that meets
        sent = a.sentence_at(start)
        score = 1.0
        has_held = any(sent.first <= i < sent.last for i in held) or _object_of_held(ctx, m, sent) \
            or any(r is m for r in receptions) and not _future_form(ctx, m)
        if has_held:
            score += 2
            # "в Душанбе прошла конференция": the verb's own noun is the event
            if any(abs(i - m.first) <= 2 or abs(i - m.last) <= 1 for i in held):
                score += 0.5
        if any(sent.first <= f.first < sent.last for f in future) and not has_held:
            continue  # «состоится круглый стол», 'will host a forum': planned events are no events
        if any(sent.first <= d.first < sent.last for d in description):
            score -= 2
        title = title_after(ctx, m.last, sent)
        if title:
            score += 3
        # an Uzbek or Kazakh weekday or month alone («seshanba kuni», «sentyabrda») dates the chosen
        # event or an earlier one but does not choose it: letting them vote chose the wrong event on
        # an Uzbek page of the blind set
        own_dates = [d for d in dates if sent.start <= d.start < sent.stop and d.kind in ("date", "month", "day", "weekday")
                     and d.start >= ctx.body_start and not (ctx.lang in HEAD_FINAL and (
                         d.kind == "weekday" or d.kind == "month" and d.year is None))]
        if own_dates:
            score += 1.5
        if _long_before_the_page(ctx, own_dates):
            score -= 4  # 'the conference which the Institute held in Osh in March 2025': what a report recalls
        score -= _where_penalty(ctx, sent, start, background)
        if _after_the_page(ctx, own_dates):
            continue  # an announcement: the event's date is after the page's own
        if etype is None:
            score -= 1.5
        elif etype == "meeting":
            score -= 0.5
        # earlier is likelier the subject
        rank = sum(1 for s in a.sentences if s.start < sent.start and s.start >= ctx.body_start)
        score += max(0.0, 1.0 - 0.15 * rank)
        if _dialogue_noun_in_name(ctx, m) and not _took_place(ctx, sent):
            score -= 2
        if any(m.first - 2 <= p.last <= m.first for p in previous):
            continue  # «предыдущий форум», 'the previous forum, held in Bishkek': an earlier event
        if any(0 <= m.first - x.last <= 2 and not any(x.last <= i < m.first for i in held)
               or 0 <= x.first - m.last <= 1 for x in ctx.cues("sidelines")):
            continue  # «на полях заседания», 'on the sidelines of the conference': the event named before
        results_of = reviewed(ctx, m)
        if results_of:
            score -= 4
            if any(m.first - 3 <= p.last <= m.first for p in ctx.cues("previous")):
                continue  # «итоги прошлогоднего заседания», 'results of the previous meeting': a reference
        if _theme_of_other(ctx, m):
            score -= 4
        sequel = any(sent.first <= x.first <= sent.first + 1 for g in ("same_day", "next_day") for x in ctx.cues(g))
        # «в рамках выставки», «forum doirasida»: the event another one is held within
        within = any(0 <= m.first - x.last <= 1 if ctx.lang not in HEAD_FINAL else 0 <= x.first - m.last <= 1
                     for x in ctx.cues("within"))
        out.append({"match": m, "type": etype or "other", "sent": sent, "held": has_held, "sequel": sequel, "within": within,
                    "score": score, "title": title, "span": (start, stop), "results_of": results_of})
    # a generic "мероприятие" takes the type of a specific trigger elsewhere in the text
    specific = [c for c in out if c["match"].values[0] != "event_generic"]
    for c in out:
        if c["match"].values[0] == "event_generic" and specific:
            c["type"] = max(specific, key=lambda s: s["score"])["type"]
    return out


def _where_penalty(ctx: Context, sent, start: int, background: set[int]) -> float:
    """How much where the noun stands speaks against it being the report's subject."""
    penalty = 4.0 if sent.start in background else 0.0  # «Напомним, ...»: what happened before
    if any(sent.first <= x.first < sent.last for x in ctx.cues("sidelines")):
        penalty += 2  # held on the sidelines of another event: that one is what the report is about
    if list_item_headline(ctx, start):
        penalty += 4  # '› В Ашхабаде открылась выставка «...»', '• Kazakhstan takes part in ...': related links
    elif headline(ctx, sent):
        penalty += 1  # the page's headline sums up what the report's own sentences tell
    return penalty


_TOOK_PLACE = {"состояться", "пройти", "открыться", "проводиться", "took", "held", "convened", "принять"}


def modifiers_before(ctx: Context, first: int, floor: int) -> int:
    """Where the event noun's own name begins: the adjectives before it that name the event
    («Душанбинской водной конференции», «Астанинского международного форума») or the capitalised
    words of an English or Turkic name ('the Tashkent International Conference', «Toshkent xalqaro
    konferensiyasi»), at most three, never the sentence's first word alone."""
    toks = ctx.analysis.tokens
    k = first
    while k > floor and first - k < 3:
        w = toks[k - 1].text
        if ctx.lang == "ru":
            p = ctx.registry.morph.parses(w.lower()) if w.isalpha() else []
            if not (p and p[0].tag.POS == "ADJF" and "Apro" not in p[0].tag.grammemes):
                break
        elif not (w[:1].isupper() and w.isalpha() and not w.isupper()) or k - 1 == floor \
                or ctx.org_at(toks[k - 1].start, toks[k - 1].stop):
            break
        k -= 1
    return k


def _future_form(ctx: Context, m) -> bool:
    """«проведет», «откроется», 'will hold': a held verb in the future says what is planned; so does
    one in the infinitive («договорились провести форум», 'agreed to hold the next round')."""
    toks = ctx.analysis.tokens
    if ctx.lang == "ru":
        for t in toks[m.first:m.first + 1]:
            parses = ctx.registry.morph.parses(t.text.lower()) if t.text.isalpha() else []
            if parses and (parses[0].tag.POS == "VERB" and "futr" in parses[0].tag.grammemes or parses[0].tag.POS == "INFN"):
                return True
        return False
    if ctx.lang == "en":
        return m.first > 0 and ctx.keys[m.first - 1] in ("will", "shall", "to")
    return False


def _long_before_the_page(ctx: Context, own_dates: list) -> bool:
    """The sentence dates its event, year and all, months before the day the page shows: a report is
    written days after what it reports, so this is an earlier event it recalls."""
    page = as_date(ctx.published)
    if page is None:
        return False
    for d in own_dates:
        value = d.text_value if d.year else None
        day = as_date(value) if value and len(value) == 10 else as_date(f"{value}-01") if value else None
        if day and (page - day).days > _RECALLED_AFTER:
            return True
    return False


_RECALLED_AFTER = 120  # days


def _after_the_page(ctx: Context, own_dates: list) -> bool:
    """The sentence dates its event after the day the page itself shows."""
    if not ctx.published or len(ctx.published) != 10:
        return False
    for d in own_dates:
        if d.kind == "date" and d.month and d.day:
            year = d.year or int(ctx.published[:4])
            if f"{year:04d}-{d.month:02d}-{d.day:02d}" > ctx.published:
                return True
    return False


_BULLETS = ("›", "»", "•", "·", "▪", "►", "–", "—", "-", "*")


def list_item_headline(ctx: Context, pos: int) -> bool:
    """A line that opens with a bullet and ends with no full stop is a list item of headlines (related
    news, other events), not a sentence of the report."""
    start = ctx.text.rfind("\n", 0, pos) + 1
    stop = ctx.text.find("\n", pos)
    line = ctx.text[start:stop if stop >= 0 else len(ctx.text)].strip()
    return line.startswith(_BULLETS) and not line.endswith((".", "!", "?", ":", ";"))


def headline(ctx: Context, sent) -> bool:
    """A line of its own without a final stop is a headline ('Депутаты Мажилиса встретились с
    узбекскими парламентариями'), not a sentence of the report; the page's last line is a sentence
    cut off mid-way when it is as long as one."""
    line_start = ctx.text.rfind("\n", 0, sent.start) + 1
    line_end = ctx.text.find("\n", sent.stop)
    line = ctx.text[line_start:len(ctx.text) if line_end < 0 else line_end].strip()
    if line != ctx.text[sent.start:sent.stop].strip() or line.endswith((".", "!", "?", "…", ":", ";", "»", '"', "”")):
        return False
    last = not ctx.text[sent.stop:].strip()
    return not (last and len(line.split()) >= 8)


def reviewed(ctx: Context, m) -> bool:
    """'итоги форума', 'посвященный итогам встречи', 'the outcomes of the Samarkand International
    Forum', 'a follow-up to the meeting', 'building on the decisions of the Gabala Summit': what an
    earlier event left (cue group `reviewed`) stands right before the noun and its modifiers, so
    the noun is an earlier event the report reviews."""
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    first = modifiers_before(ctx, m.first, sent.first)
    if first > sent.first and ctx.keys[first - 1] in ("the", "a", "an"):
        first -= 1
    if ctx.lang in HEAD_FINAL:
        # «forumi yakunlari», «форумның қорытындылары»: the results follow the noun; in the locative
        # («yakunida», «қорытындысында»: at its end) they are the event's own close
        toks = ctx.analysis.tokens
        return any(m.last <= c.first <= m.last + 1 and c.last <= sent.last
                   and not toks[c.last - 1].text.lower().endswith(("da", "de", "ta", "te", "да", "де", "та", "те"))
                   for c in ctx.cues("reviewed"))
    return any(first - 3 <= c.last <= first and c.first >= sent.first for c in ctx.cues("reviewed"))


_THEME_STOPS = {".", ",", ";", ":", "!", "?", "(", ")", "«", "»", '"', "“", "”"}


def _theme_of_other(ctx: Context, m) -> bool:
    """An event noun that is what another event was about, or that lies ahead, is not the reported
    event: 'встреча, посвящённая значению предстоящего форума', 'a meeting dedicated to the upcoming
    summit', 'в преддверии анонсированного форума'. A dedication word or a future attributive stands
    a few words before the noun with no punctuation between."""
    toks = ctx.analysis.tokens
    if ctx.lang in HEAD_FINAL:
        # «forumga bag‘ishlangan seminar», «форум алдында кездесу өтті», «sammit arafasida»: the
        # dedication or 'ahead' word follows the noun it is about; the noun after it is the event
        # held («студенттер алдында дәріс оқыды», a lecture before students, is this one); a future
        # word before the noun is its attribute there too («бўлажак саммит»)
        if any(c.first in (m.last, m.last + 1) for g in ("dedicated", "ahead") for c in ctx.cues(g)):
            return True
        timed = {i for g in ("calendar", "next_day") for c in ctx.cues(g) for i in range(c.first, c.last)}
        return any(m.first - 2 <= f.last <= m.first and f.first not in timed for f in ctx.cues("future"))
    future = {f.last for f in ctx.cues("future")}
    dedicated = {c.last - 1 for c in ctx.cues("dedicated")}
    # "на следующий день состоялся форум", "the next day the forum opened": a time, not the noun's attribute
    blocked = {i for g in ("calendar", "held") for c in ctx.cues(g) for i in range(c.first, c.last)}
    for k in range(m.first - 1, max(-1, m.first - 6), -1):
        if toks[k].text in _THEME_STOPS or k in blocked:
            return False
        if k in dedicated:
            return True
        if (k + 1 in future or ahead(ctx, k + 1)) and m.first - k <= 3:
            return True
    return False


def ahead(ctx: Context, first: int) -> bool:
    """An 'ahead' cue ends right before token `first`: «в преддверии», «подготовка к», 'ahead of'."""
    return any(c.last == first for c in ctx.cues("ahead"))


def _named_body_after_event(ctx: Context, m, event_starts: dict) -> bool:
    """'пленарное заседание Форума ОБСЕ', 'сессия Совещания по взаимодействию', 'a meeting of the
    Forum for Security Co-operation': an event noun written with a capital right after another event
    noun (in the genitive, or after 'of the') is the name of the body whose meeting is reported."""
    toks = ctx.analysis.tokens
    if not toks[m.first].text[:1].isupper():
        return False
    sent = ctx.analysis.sentence_at(toks[m.first].start)
    if m.first == sent.first:
        return False
    j = m.first - 1
    if ctx.keys[j] == "the" and j > 0 and ctx.keys[j - 1] == "of":
        j -= 2
    return any(t.last == j + 1 and t.first != m.first for t in event_starts.values())


def _receptions(ctx: Context) -> list:
    """«Президент принял посла Республики Корея», 'The President received Minister ...', «... vazirini
    qabul qildi»: a reception verb whose object is a person, an office or a delegation (in Uzbek and
    Kazakh before it) reports a meeting; «принял участие», «принял решение» take no such object."""
    toks = ctx.analysis.tokens
    people = {i for p in ctx.persons for s, e in p.mentions
              for i in range(ctx.analysis.token_index(s), ctx.analysis.token_index(e - 1) + 1)}
    offices = {i for g in ("offices", "office_heads", "roles", "reception_objects") for c in ctx.cues(g)
               for i in range(c.first, c.last)}
    out = []
    for m in ctx.cues("reception"):
        if ctx.lang in HEAD_FINAL:
            near = range(max(0, m.first - 4), m.first)
        else:  # right after the verb, an article aside: «принял посла», 'received a delegation'
            k = m.last + (m.last < len(toks) and ctx.keys[m.last] in ("a", "the"))
            near = range(k, k + 1)
        if any(i in people or i in offices for i in near):
            out.append(m)
    return out


def _object_of_held(ctx: Context, m, sent) -> bool:
    """'delivered a guest lecture', «прочитал открытую лекцию»: a verb of cue group `held_object`
    stands at most three words before the event noun, nothing but words between them."""
    toks = ctx.analysis.tokens
    for c in ctx.cues("held_object"):
        if sent.first <= c.first and 0 <= m.first - c.last <= 3 \
                and all(t.text.isalpha() for t in toks[c.last:m.first]) and not _future_form(ctx, c):
            return True
    return False


def _took_place(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last and ctx.keys[m.first] in _TOOK_PLACE for m in ctx.cues("held"))


def _dialogue_noun_in_name(ctx: Context, m) -> bool:
    """'платформы Консультативной встречи' or 'C5+1 format' names a framework, not this event."""
    return any(f.first <= m.first < f.last for f in ctx.frameworks)


def _date_in(ctx: Context, sent, dates: list[DateMention], relative: bool = False) -> DateMention | None:
    kinds = ("date", "month", "day", "weekday") if relative else ("date", "month")
    for d in dates:
        if sent.start <= d.start < sent.stop and d.kind in kinds and d.start >= ctx.body_start:
            return d
    return None


def _heads_of_state_in(ctx: Context, sent) -> int:
    """How many states' heads the sentence names: people whose office (a state office) is a head of
    state's (cues.yaml `head_of_state_offices`)."""
    ix = ctx.registry.cue_index("head_of_state_offices")
    key = ctx.registry.morph.key
    states = set()
    for _, _, p in ctx.person_mentions_in(sent.start, sent.stop):
        org = ctx.org(p.affiliation)
        if org and org.kind == "state_office" and org.country and ix.find([key(w) for w in org.name.split()]):
            states.add(org.country)
    return len(states)


def _event(ctx: Context, c: dict, dates: list[DateMention]) -> Event:
    sent = c["sent"]
    etype = c["type"]
    if etype == "meeting" and (any(sent.first <= m.first < sent.last for m in ctx.cues("heads_of_state"))
                               or _heads_of_state_in(ctx, sent) >= 2):
        # the heads of state met: «мүше елдердің басшылары ... жиын өткізіп», «переговоры Президента
        # Республики Узбекистан ... и Президента Кыргызской Республики ...»
        etype = "summit"
    ev = Event(type=etype, trigger=c["span"], sentence=sent)
    title = c["title"]
    if not title and ctx.lang in HEAD_FINAL:
        title = title_before(ctx, c["match"].first, sent)
    if title:
        ev.title, s, e = title
        ev.title_span = (s, e)
    date_event(ctx, ev, dates)
    if ev.date and not ev.date.get("value"):
        ev.date, ev.date_span = None, None  # an impossible day ("31 июня") resolves to nothing
    return ev
