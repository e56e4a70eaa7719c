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
from ..nlp.analyse import Sentence
from ..nlp.dates import DateMention, as_date, resolve
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .event_dates import date_event, heading_date, opening_date
from .event_nouns import (compound_triggers, dialogue_noun_in_name, future_form, named_body_after_event,
                          object_of_held, receptions, reviewed, theme_of_other, with_counterpart)
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
    items = set()  # the date lines of the news items that gave an event
    same_day, sidelines, next_day, told = _cue_sentences(ctx)
    types, values, sents = {main["type"]}, {main_value}, {main["sent"].start}
    for c in cands[1:]:
        if len(events) == _MOST_EVENTS:
            break
        start = c["sent"].start
        line, heading, sidelines_here, tied, sequel = _ties(ctx, c, dates, same_day, sidelines, next_day)
        if (c["type"] in types and not (tied or sequel and not c["within"])) or start in sents or c.get("results_of"):
            continue
        if not tied and start in told:
            continue  # «Оның айтуынша, 16 сәуірде өткен консультацияларда ...»: an event someone speaks of
        if not (c["held"] or heading is not None) or c["score"] < (0 if tied else 2):
            continue
        # the day is counted from the event reported right before it (the report's subject failing one)
        before = max((e for e in events if e.sentence.start < start), key=lambda e: e.sentence.start, default=events[0])
        before_value = (before.date or {}).get("value")
        if (start in same_day or sidelines_here or c["clause_day"] == "same_day") and before_value:
            # «В тот же день в здании хокимията состоялась встреча», 'Later that day ...', «На полях
            # заседания ... провел переговоры», «В первый день визита»: another event on that one's day
            ev = _event(ctx, c, dates)
            ev.date = {"value": before_value, "year_inferred": False, "basis": "the same day as the event before it"}
            ev.date_span = before.date_span
        elif (start in next_day or c["clause_day"] == "next_day") and before_value and as_date(before_value):
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
            # (a first item under the page's own date line has no date of its own: the page's day anchors)
            anchor = main_value or ctx.published
            # (a news list's items under their own date lines may share a day: two receptions on the 13th)
            own_item = line is not None and line.start > main["sent"].start and line.start not in items
            if not (value and anchor and (value not in values or own_item) and _within_days(value, anchor, 31)):
                continue
            ev = _event(ctx, c, dates)
            _count_from_heading(ctx, ev, dates, heading)
            values.add(value)
            if line is not None:
                items.add(line.start)  # one event per item: its headline and its text tell the same
        events.append(ev)
        types.add(c["type"])
        sents.add(c["sent"].start)
    if len(events) > 1:
        _split_scopes(ctx, events)
    return events[:1] + sorted(events[1:], key=lambda e: e.sentence.start)


def _ties(ctx: Context, c: dict, dates: list[DateMention], same_day: set, sidelines: set, next_day: set) -> tuple:
    """What ties a further candidate to the page as an event of its own: its item's date line, the
    full date it opens with, talks on the sidelines; and whether it opens as a sequel."""
    start = c["sent"].start
    # a digest's item under its own date line, or talks on the sidelines, may be of the first one's kind
    line = heading_date(ctx, c["sent"], dates)
    # talks on the sidelines, an event the next day: reported as their own when they open a
    # paragraph ('... also held bilateral meetings on the sidelines.' closing one is a detail)
    opens = start == 0 or ctx.text[start - 1] == "\n"
    sidelines_here, next_day_here = start in sidelines and opens, start in next_day and opens
    # «14 мая в ИСМИ прошёл круглый стол», 'On 14 May, the Institute held ...' opening a paragraph:
    # a digest's item with its date inline
    inline = None if line or not c["held"] else opening_date(ctx, c["sent"], dates)
    if inline is not None and not opens and inline.kind != "date":
        inline = None  # (inside a paragraph only a full date opens another event: 'On May 13, the Minister met ...')
    # «Затем министр встретился с ...», 'The Minister also met with ...': the next thing done, inside a
    # paragraph too
    # (a meeting with someone: 'Afterwards, a plenary session took place' is a part of the conference)
    step = start in same_day and with_counterpart(ctx, c["match"])
    tied = line is not None or inline is not None or sidelines_here or step
    # «В тот же день министр встретился с ...», 'The next day ...' opening a paragraph: another
    # event, even of the kind of the one before
    # (a sentence or clause opening with its day, 'The same day, the Minister ...', is one inside a paragraph too)
    sequel = next_day_here or (start in same_day and opens) or step or c["sequel"]
    return line, line or inline, sidelines_here, tied, sequel


def _count_from_heading(ctx: Context, ev: Event, dates: list[DateMention], heading: DateMention | None) -> None:
    """'08.04.2026 / ... / Today, the Deputy Minister received ...': a news item's relative day
    counts from its own date line, not from the page's date."""
    if heading is None or heading.kind != "date" or not ev.date_span or not as_date(heading.text_value or ""):
        return
    d = next((d for d in dates if d.start == ev.date_span[0]), None)
    if d is not None and d.kind in ("day", "weekday"):
        value = resolve(d, as_date(heading.text_value))
        if value:
            ev.date = {"value": value, "year_inferred": False, "basis": f"'{ctx.text[d.start:d.stop]}' counted from the item's date line"}


def _cue_sentences(ctx: Context) -> tuple[set, set, set, set]:
    """Starts of the sentences that tell another event the same day, on the sidelines, the next
    day, and those that give someone's words."""
    a = ctx.analysis
    def cue_sents(group):
        return {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues(group)}
    same_day = cue_sents("same_day")
    # «Затем ...», 'He also met ...': the next thing done, told at the sentence's start
    same_day |= {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("sequence")
                 if m.first - a.sentence_at(ctx.span(m)[0]).first <= 2}
    return same_day, cue_sents("sidelines"), cue_sents("next_day"), cue_sents("attribution")


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
    past («Напомним, ...», 'Earlier, ...') is about the first event, the report's subject. Events
    told in one paragraph («... В тот же день министр провел переговоры ...», '; later that day, the
    Ambassador met ...') split it where each one's sentence or clause begins."""
    text = ctx.text
    order = sorted(events, key=lambda e: e.sentence.start)

    def paragraph(pos: int) -> int:
        return text.rfind("\n", 0, pos) + 1

    # where each event's stretch begins: its paragraph, or its own sentence after another's in it
    anchors = []
    for k, e in enumerate(order):
        inside = k > 0 and paragraph(order[k - 1].sentence.start) == paragraph(e.sentence.start)
        # a news list's item begins at its own date line and headline, above its text
        line = heading_date(ctx, e.sentence, ctx.dates) if k > 0 and not inside else None
        if line is not None and line.start > order[k - 1].sentence.stop:
            anchors.append(paragraph(line.start))
        else:
            anchors.append(e.sentence.start if inside else paragraph(e.sentence.start))
    starts = sorted({0, *(m.end() for m in re.finditer(r"\n", text)), *anchors})
    background = background_sentences(ctx)
    owner_of, spans = [], []
    for k, p in enumerate(starts):
        owner = next((e for e, a in zip(reversed(order), reversed(anchors)) if a <= p), order[0])
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
    held = {m.first: m for m in ctx.cues("held") if not future_form(ctx, m)}
    # 'the next day', «на следующий день», «келесі күні» tell a past day after another, not the future
    after = {i for c in ctx.cues("next_day") for i in range(c.first, c.last)}
    future = [f for f in ctx.cues("future") if f.first not in after]
    background = background_sentences(ctx)
    previous = ctx.cues("previous")
    out = []
    triggers = [(m, m.values[0]) for m in ctx.cues("event_types") + compound_triggers(ctx)]
    triggers += [(m, None) for m in ctx.cues("event_generic")]
    received = receptions(ctx)
    triggers += [(m, "meeting") for m in received]
    description = ctx.cues("description")
    formats = [f for f in ctx.cues("formats") if f.last - f.first > 1]
    event_starts = {t.first: t for t, _ in triggers}

    def names_an_event(m) -> bool:
        if ctx.org_at(*_head_span(ctx, m)):
            return False  # "Форум ..." inside an institution's name
        if any(f.first < m.first and m.last <= f.last for f in formats):
            return False  # "в режиме видеоконференции", "by video conference": how it was held, not what
        # "заседание Форума ОБСЕ по ...": the capitalised noun names the body that meets
        return not named_body_after_event(ctx, m, event_starts)
    triggers = [(m, etype) for m, etype in triggers if names_an_event(m)]
    for m, etype in triggers:
        start, stop = ctx.span(m)
        sent = _day_clause(ctx, m, a.sentence_at(start))
        score = 1.0
        has_held = any(sent.first <= i < sent.last for i in held) or object_of_held(ctx, m, sent) \
            or any(r is m for r in received) and not future_form(ctx, m)
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
        own_dates = [d for d in _own_dates(ctx, sent, dates) if not _nearer_other_noun(ctx, d, m, sent, triggers)]
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
        if dialogue_noun_in_name(ctx, m) and not _took_place(ctx, sent):
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
        if theme_of_other(ctx, m):
            score -= 4
        out.append({"match": m, "type": etype or "other", "sent": sent, "held": has_held, "score": score,
                    "title": title, "span": (start, stop), "results_of": results_of, **_sequence_of(ctx, m, sent)})
    # a generic "мероприятие" takes the type of a specific trigger elsewhere in the text
    specific = [c for c in out if c["match"].values[0] != "event_generic"]
    for c in out:
        if c["match"].values[0] == "event_generic" and specific:
            c["type"] = max(specific, key=lambda s: s["score"])["type"]
    return out


def _head_span(ctx: Context, m) -> tuple[int, int]:
    """The event noun's head word: in Uzbek and Kazakh its last, after the body whose session it is, whose
    name ends inside the phrase («Қазақстан-Қырғыз іскерлік кеңесінің отырысы», «... kengashining yig‘ilishi»)."""
    return ctx.span(Match(m.last - 1, m.last, m.values)) if ctx.lang in HEAD_FINAL else ctx.span(m)


def _nearer_other_noun(ctx: Context, d: DateMention, m, sent, triggers: list) -> bool:
    """«Встреча прошла по итогам заседания Совета, состоявшегося в декабре прошлого года»: a date
    nearer another event noun of the sentence than this one dates that event, not this one. A noun
    right beside this one ('the ministerial conference') names the same event."""
    def gap(span):
        return max(0, max(span[0], d.start) - min(span[1], d.stop))
    own = gap(ctx.span(m))
    return any(t is not m and sent.first <= t.first < sent.last and gap(ctx.span(t)) < own
               and not (t.first <= m.last and m.first <= t.last) for t, _ in triggers)


def _own_dates(ctx: Context, sent, dates: list[DateMention]) -> list[DateMention]:
    """The days the sentence gives. An Uzbek or Kazakh weekday or month alone («seshanba kuni»,
    «sentyabrda») dates the chosen event or an earlier one but does not choose it: letting them vote
    chose the wrong event on an Uzbek page of the blind set."""
    return [d for d in dates if sent.start <= d.start < sent.stop and d.kind in ("date", "month", "day", "weekday")
            and d.start >= ctx.body_start and not (ctx.lang in HEAD_FINAL and (
                d.kind == "weekday" or d.kind == "month" and d.year is None))]


_CLAUSE_JOINS = {"а", "и", "and", "while", "whereas", "va", "ал", "және"}


def _day_clause(ctx: Context, m, sent):
    """«..., а на следующий день в Душанбе состоялось заседание», '...; later that day, the Ambassador
    met ...': a clause that opens with its day after a semicolon or a comma and a conjunction tells
    an event of its own, as a sentence would; the noun's clause then stands for its sentence."""
    toks = ctx.analysis.tokens

    def clause_start(c: int) -> int | None:
        """The clause the day cue at token `c` opens: after its «;» or «, а» / ', and'."""
        k = c - 1 if toks[c - 1].text.lower() in _CLAUSE_JOINS and c - 1 > sent.first else c
        return k if toks[k - 1].text in (";", ",") else None
    days = sorted(c.first for g in ("same_day", "next_day") for c in ctx.cues(g) if sent.first < c.first < sent.last)
    opens = [k for k in (clause_start(c) for c in days if c < m.first) if k is not None]
    if not opens:
        return sent
    ends = [k - 1 for k in (clause_start(c) for c in days if c >= m.last) if k is not None]
    last = ends[0] if ends else sent.last
    stop = toks[last - 1].stop if last < sent.last else sent.stop
    return Sentence(toks[max(opens)].start, stop, max(opens), last)


def _sequence_of(ctx: Context, m, sent) -> dict:
    """Whether the sentence opens as a sequel («На следующий день», 'Later that day'), and whether
    the noun names the event another is held within («в рамках выставки», «forum doirasida»)."""
    day = next((g for g in ("same_day", "next_day") for x in ctx.cues(g) if sent.first <= x.first <= sent.first + 1), None)
    within = any(0 <= m.first - x.last <= 1 if ctx.lang not in HEAD_FINAL else 0 <= x.first - m.last <= 1
                 for x in ctx.cues("within"))
    clause = sent != ctx.analysis.sentence_at(sent.start)
    return {"sequel": day is not None, "within": within, "clause_day": day if clause else None}


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


def _took_place(ctx: Context, sent) -> bool:
    return any(sent.first <= m.first < sent.last and ctx.keys[m.first] in _TOOK_PLACE for m in ctx.cues("held"))


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
