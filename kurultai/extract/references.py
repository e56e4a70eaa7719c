"""Earlier events a report discusses: meetings of the registry's series (with their known dates)
and one-off events (a forum, a visit, a round table) the text dates before the report's own."""
from __future__ import annotations

import datetime as dt
import re

from ..knowledge.phrases import Match, PhraseIndex
from ..nlp.dates import as_date, resolve
from ..nlp.turkic import HEAD_FINAL
from .context import Context
from .event_nouns import ahead, modifiers_before, reviewed
from .events import Event, background_sentences
from .role_cues import clause_tokens

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XX": 20, "XXV": 25}
_ORDINAL_WORDS = {
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "одиннадцатый": 11, "двенадцатый": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "inaugural": 1,
}


def find_references(ctx: Context, ev: Event, evidence: list) -> list[dict]:
    """Earlier events the report discusses: meetings of a known series, with the registry's date,
    and one-off events (a forum, a visit, a round table) the text dates before this one."""
    refs = []
    own = ev.date["value"] if ev.date else None
    before = _reference_date(ctx, own)
    earlier = {m.last for m in ctx.cues("earlier")}
    last_year = {m.last for m in ctx.cues("last_year")}
    previous = {m.last for m in ctx.cues("previous")}
    series_mentions = _series_mentions(ctx)
    known = []  # the mentions a known meeting accounts for: the event itself or a reference
    for m in series_mentions:
        s, e = ctx.span(m)
        series = ctx.registry.series[m.values[0]]
        n = _ordinal_before(ctx, m.first)
        year = _year_near(ctx, m)
        if year is None and before and _marked(m.first, last_year):
            year = int(before[:4]) - 1  # "прошлогоднего саммита": the year before the report's
        inst = None
        for i in series.instances:
            if (n and i.n == n) or (year and not n and i.date.startswith(str(year))):
                inst = i
                break
        if inst is None and not n and not year:
            inst = _by_place(ctx, m, series, before)
        if inst is None and not n and not year and len(series.instances) == 1 and (
                not before or series.instances[0].date <= before):
            inst = series.instances[0]  # a meeting held once: its title names it («Markaziy va Janubiy Osiyo: ...»)
        if inst is None and not n and not year and before and _marked(m.first, earlier):
            # "прошедшего саммита ШОС", "the previous summit": the latest one before the report
            past = [i for i in series.instances if i.date < before]
            inst = max(past, key=lambda i: i.date) if past else None
        if inst is None or not n and not year and _to_come(ctx, m):
            continue  # a meeting the registry does not hold: dated from the text below, as one-offs are
        known.append((s, e))
        sent = ctx.analysis.sentence_at(s)
        was_reviewed = _marked(m.first, previous) or reviewed(ctx, m)
        same_day = own and (own == inst.date or own.startswith("--") and own[1:] == inst.date[4:])
        beside = s - 40 <= ev.trigger[0] <= e and sent.start <= ev.trigger[0] < sent.stop
        is_self = (beside and not was_reviewed) or same_day
        if is_self:
            ev.series = series.id
            continue
        if own and len(own) >= 7 and not own.startswith("--") and inst.date >= own:
            continue  # a later meeting is not an earlier event discussed
        name = series.name.get(ctx.lang) or series.name.get("ru") or series.id
        n = inst.n if len(series.instances) > 1 else None  # a meeting held once has no number
        title = f"{_roman(n)} {name}".strip() if ctx.lang == "ru" and n else (
            f"{_ordinal_en(n)} {name}".strip() if n else name)
        if all(r["title"] != title for r in refs):
            refs.append({"title": title, "date": inst.date, "series": series.id})
            evidence.append({"field": "references", "value": title, "start": s, "end": e})
    # the event is itself a known meeting: "второй саммит «Центральная Азия – Россия»"
    if ev.series is None:
        for m in series_mentions:
            s, _ = ctx.span(m)
            if abs(s - ev.trigger[0]) < 60:
                ev.series = m.values[0]
                break
    for ref, span in _one_off(ctx, ev, before, last_year, known):
        # (one event named twice shares its day or month; two events may share a year)
        if all(r["title"] != ref["title"] and not (r.get("date") and len(r["date"]) > 4 and r["date"] == ref["date"])
               for r in refs):
            refs.append(ref)
            evidence.append({"field": "references", "value": ref["title"], "start": span[0], "end": span[1]})
    return refs


_DASHED = re.compile(r"(?<=\w)([-–—])(?=\w)")


def _series_mentions(ctx: Context) -> list[Match]:
    """Known series' names, also where a dash joins two words with no space ("Центральная
    Азия-Россия", "Asia–China Summit", "ШОС-2024"), which the tokenizer keeps as one word."""
    found = ctx.scoped(ctx.series)
    keys, owner = [], []
    for i, t in enumerate(ctx.analysis.tokens):
        parts = _DASHED.split(t.text) if _DASHED.search(t.text) else None
        if not parts:
            keys.append(ctx.keys[i])
            owner.append(i)
            continue
        for part in parts:
            keys.append("-" if _DASHED.fullmatch(part) else ctx.registry.morph.key(part))
            owner.append(i)
    if len(keys) == len(ctx.keys):
        return found
    for m in _split_series_index(ctx.registry).find(keys):
        first, last = owner[m.first], owner[m.last - 1] + 1
        if not any(f.first < last and first < f.last for f in found):
            found.append(Match(first, last, m.values))
    return ctx.scoped(sorted(found, key=lambda m: m.first))


def _split_series_index(registry) -> PhraseIndex:
    """The series' names keyed with their dashed words split, as `_series_mentions` splits the text."""
    ix = registry.__dict__.get("_split_series_index")
    if ix is None:
        ix = registry.__dict__["_split_series_index"] = PhraseIndex(registry.morph.key)
        for e in registry.raw.get("series") or ():
            for lang_names in (e.get("names") or {}).values():
                for phrase in lang_names:
                    ix.add(_DASHED.sub(r" \1 ", phrase), e["id"])
    return ix


def _by_place(ctx: Context, m, series, before: str | None):
    """'саммит ШОС в Самарканде', 'Самаркандский саммит ШОС', 'the Astana summit of the SCO': a
    series' meeting named by its city is the latest one held there before the report (no meeting
    there yet: none). The city stands within a few words of the name, as a place or as the
    adjective made from it, which shares the city's stem."""
    if not before:
        return None
    toks = ctx.analysis.tokens
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    lo, hi = max(sent.first, m.first - 3), min(sent.last, m.last + 3)
    named = {n.lower() for c in ctx.places if lo <= c.first < hi and c.values[0][0] == "city"
             for _, n in c.values[0][2]}
    words = [toks[k].text.lower() for k in range(lo, hi) if not (m.first <= k < m.last)]
    past = [i for i in series.instances if i.place_names and i.date < before]
    hits = []
    for i in past:
        names = {n.lower() for n in i.place_names}
        stems = {n[:-1] if len(n) > 5 else n for n in names}
        if names & named or any(w.startswith(st) and len(w) > len(st) + 2 for w in words for st in stems if len(st) >= 5):
            hits.append(i)
    return max(hits, key=lambda i: i.date) if hits else None


def _to_come(ctx: Context, m) -> bool:
    """The mention is of a meeting still to come: its sentence speaks of the future, or a word such as
    'upcoming', «предстоящий», 'ahead of' stands before it."""
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    return any(sent.first <= f.first < sent.last for f in ctx.cues("future")) or any(
        ahead(ctx, k) for k in range(max(sent.first, m.first - 3), m.first + 1))


def _marked(first: int, ends: set[int]) -> bool:
    """A marker phrase ends right before the mention, or one word before it ("прошедшего в Астане")."""
    return any(first - 3 <= k <= first for k in ends)


def _reference_date(ctx: Context, own: str | None) -> str | None:
    """The day the report stands on: the event's own date, else the page's."""
    if own and not own.startswith("--"):
        return own
    if own and ctx.published:
        return ctx.published[:4] + own[1:]
    return ctx.published


def _one_off(ctx: Context, ev: Event, before: str | None, last_year: set[int], taken: list):
    """'по итогам форума «...», который прошел 14-15 мая', 'the round table held on 3 March',
    'прошлогодний визит': an event noun with a date (or a year) before the report's own event.
    The event itself, events to come and known series' meetings (found above) are not these."""
    if not before:
        return
    a = ctx.analysis
    dates = ctx.dates
    ref_day = as_date(before if len(before) == 10 else None)
    future = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("future")}
    previous = {m.last for m in ctx.cues("previous")}
    nouns = ctx.cues("event_types")
    for m in nouns:
        s, e = ctx.span(m)
        if s < ctx.body_start or (s < ev.trigger[1] and ev.trigger[0] < e) or any(x < e and s < y for x, y in taken):
            continue
        if ctx.org_at(s, e) or any(f.first <= m.first < f.last for f in ctx.frameworks):
            continue  # "Совет министров", "платформа Консультативной встречи": a body or a format
        sent = a.sentence_at(s)
        if sent.start in future and _planned(ctx, m, sent):
            continue
        np_first = modifiers_before(ctx, m.first, sent.first)
        if any(ahead(ctx, k) for k in range(max(sent.first, np_first - 1), np_first + 1)):
            continue  # «подготовка к очередной встрече», 'ahead of the summit': an event to come
        value, stolen, back_in_time, said_last = None, False, False, False
        _, title_stop = _ref_title(ctx, m)
        said_last_year = _said_last_year(ctx, m, sent, nouns, last_year, title_stop)
        last_year_value = str(int(before[:4]) - 1) if said_last_year and before[:4].isdigit() else None
        for d in dates:
            # the date stands next to the noun: "форум, который прошел 14-15 мая", "on 3 March, the forum"
            before_noun = 100 if ctx.lang in HEAD_FINAL else 40  # «2024 жылғы 6 қарашада Бішкекте өткен ... саммитінің»
            if not (sent.start <= d.start < sent.stop) or not (-60 <= d.start - e <= 90 or 0 <= d.start - title_stop <= 40
                                                               or 0 <= s - d.stop <= before_noun) \
                    or ctx.published_span and d.start == ctx.published_span[0]:
                continue
            if d.start >= e and any(e <= ctx.span(o)[0] < d.start for o in nouns):
                continue  # 'the meeting built on the Gabala Summit held on 7 October': the nearer noun's date
            if d.kind in ("week", "relmonth", "day") and ref_day and not (ev.date_span and d.start == ev.date_span[0]):
                # "на прошлой неделе", "в прошлом месяце", "вчера": a time before the report's
                back = resolve(d, ref_day) if d.kind != "week" else (ref_day - dt.timedelta(days=7)).isoformat()[:7]
                if back and back < before:
                    value, back_in_time = back, True  # said to be before the report, whatever the month
                    break
                continue
            if d.kind not in ("date", "month"):
                continue
            if ev.date_span and d.start == ev.date_span[0]:
                # "брифинг, посвященный итогам форума, который прошел 14-15 мая": the date is the
                # forum's, whose results the event reviews, and not the event's own
                if not reviewed(ctx, m) or _nearer_to_trigger(ev, d, s, e) or _opens_clause_of(ctx, ev, d, e):
                    continue
                stolen = True
            value = resolve(d, as_date(ctx.published)) if stolen else resolve(d, ref_day)
            if value and not value.startswith("--"):
                said_last = d.shift < 0  # 'last December', 'last May': said to be before
                break
            value, stolen = None, False
        if not value and not last_year_value:  # (the page's own year only for results reviewed)
            value = _bare_year(ctx, m, sent, title_stop)
            back_in_time = bool(value) and value == before[:4] and reviewed(ctx, m)
        if last_year_value and stolen and (ctx.published or "")[:4].isdigit():
            last_year_value = str(int(ctx.published[:4]) - 1)  # the date was the reference's: the page's year
        if last_year_value and not (value and value.startswith(last_year_value)):
            value, stolen = last_year_value, False  # «прошлогоднего форума»: last year, or its day if given
        if not value:
            yield from _undated(ctx, ev, m, previous)
            continue
        if stolen:
            ev.date, ev.date_span = None, None
            before = ctx.published
        elif value[:len(min(value, before, key=len))] >= before[:len(min(value, before, key=len))] and not back_in_time:
            continue  # on the event's own day or later («өткен аптада»: last week, in the event's own month, is earlier)
        elif m.values[0] == ev.type and not _marked(m.first, last_year) and not _reviewed_meeting(ctx, m) \
                and not _marked(m.first, previous) and sent.start not in background_sentences(ctx) \
                and not said_last and not _months_before(ev, sent, value):
            continue  # a dated noun of the event's own kind is the event itself, whose date may be missed
            # (not in a background sentence: «Напомним, вторая ярмарка прошла в сентябре прошлого года»)
        title, stop = _ref_title(ctx, m)
        yield {"title": title, "date": value if len(value) in (4, 7, 10) else None}, (s, stop)


def _said_last_year(ctx: Context, m, sent, nouns: list, last_year: set[int], title_stop: int) -> bool:
    """«прошлогоднего форума», 'the previous forum, held in Baku last year': the year before the report's.
    In Uzbek and Kazakh only before its noun, in its clause: «o‘tgan yil sentyabrda Andijonda o‘tkazilgan
    ... forumida», not «кездесуде өткен жылы ... өткен форумының»."""
    s = ctx.span(m)[0]
    if _marked(m.first, last_year):
        return True
    if ctx.lang not in HEAD_FINAL:
        # (after the noun or after its title: 'the meeting of Central Asian ministers of culture held in
        # Khiva last year')
        end = max(m.last, ctx.analysis.token_index(title_stop - 1) + 1)
        return any(m.last <= c.first <= end + 6 and c.last <= sent.last
                   and not any(m.last <= o.first <= c.last for o in nouns) for c in ctx.cues("last_year"))
    return any(sent.first <= c.first and c.last <= m.first and not any(c.last <= o.first < m.first for o in nouns)
               and "," not in ctx.text[ctx.span(c)[1]:s] for c in ctx.cues("last_year"))


def _planned(ctx: Context, m, sent) -> bool:
    """A word of the future in the noun's clause, the predicate ending it included («Следующее заседание
    комитета планируется провести»), not elsewhere in its sentence: '..., the visit of the President in
    2025; they agreed to hold the next round' plans no earlier visit."""
    first, last = clause_tokens(ctx, m, sent, governor=True)
    return any(first <= f.first <= last for f in ctx.cues("future"))


# a year alone that dates the event noun beside it: 'held in 2024', 'the 2025 SPECA Economic Forum',
# «состоявшемся в 2024 году», «конференции 2026 года» (the year's own words: «году», «года», 'in')
# (a place may come first: 'held in Tokyo in 2024', «состоявшемся в Душанбе в 2024 году»)
_YEAR_AFTER = re.compile(r"\s*(?:(?:held|organi[sz]ed|took place|hosted)\s+)?(?:(?:in|at|в|во)\s+[A-ZА-ЯЁ][\w-]*\s+)?"
                         r"(?:in|в|во)\s+((?:19|20)\d\d)\b(?!\s*[-–/.]\d)|\s*((?:19|20)\d\d)\s+год[ау]\b")
_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)(?:\s+(?:[A-Z][\w'’-]*|annual|regional|international|ministerial))*\s*$")


def _bare_year(ctx: Context, m, sent, title_stop: int) -> str | None:
    """The year an earlier event noun is dated by when no day or month is given: right after the noun or
    its name (a participle between: «..., состоявшемся в 2024 году», 'held in 2024'), or in English as the
    first word of its noun phrase ('the 2025 SPECA Economic Forum'). The caller keeps years before the page's."""
    if ctx.lang in HEAD_FINAL:
        return None
    s, e = ctx.span(m)
    stop = max(e, title_stop)
    after = ctx.text[stop:min(sent.stop, stop + 40)]
    after = re.sub(r"^,?\s*(?:состоявш\w+|прошедш\w+|проведенн\w+|проведённ\w+|организованн\w+)", "", after)
    hit = _YEAR_AFTER.match(after)
    if hit:
        return hit.group(1) or hit.group(2)
    if ctx.lang == "en":
        before = _YEAR_BEFORE.search(ctx.text[max(sent.start, s - 60):s])
        if before:
            return before.group(1)
    return None


def _body_before_relative(ctx: Context, m) -> int | None:
    """«решений Евразийского межправительственного совета, заседание которого состоялось ...», 'the
    SPECA Governing Council, which met in Baku': a meeting of the body named right before it, joined
    by a relative pronoun; the body's first token."""
    toks = ctx.analysis.tokens
    sent = ctx.analysis.sentence_at(ctx.span(m)[0])
    k = m.first
    if ctx.lang == "en" and k > sent.first and ctx.keys[k - 1] in ("which", "that"):
        k -= 1
    elif not (ctx.lang == "ru" and m.last < sent.last and ctx.keys[m.last] == "который"):
        return None
    if k - 2 < sent.first or toks[k - 1].text != ",":
        return None
    # the body's name: back from the comma over at most five words, to a preposition, an article or
    # what the body left («решений», 'recommendations of the'); a name has a capital in it
    left = {c.last for c in ctx.cues("reviewed")}
    i = k - 1
    while i > sent.first and k - 1 - i < 5 and toks[i - 1].text.isalpha() and i not in left \
            and ctx.keys[i - 1] not in _NAME_EDGE:
        i -= 1
    return i if i < k - 1 and any(t.text[:1].isupper() for t in toks[i:k - 1]) else None


def _reviewed_meeting(ctx: Context, m) -> bool:
    """What an earlier event left stands before the noun, or before the body whose meeting it is
    ('the recommendations of the SPECA Governing Council, which met ...')."""
    body = _body_before_relative(ctx, m)
    return reviewed(ctx, m) or body is not None and any(
        body - 3 <= c.last <= body for c in ctx.cues("reviewed"))


def _months_before(ev: Event, sent, value: str) -> bool:
    """'The meeting followed the consultation held in Almaty in September 2025', «первый диалог,
    прошедший в ноябре 2025 года»: a noun of the event's own kind, outside the event's sentence,
    dated to a month before the event's own dated month, is an earlier meeting, not the event."""
    own = (ev.date or {}).get("value") or ""
    if len(own) < 7 or own.startswith("--") or not value[:4].isdigit() or ev.sentence.start <= sent.start < ev.sentence.stop:
        return False
    months = (int(own[:4]) - int(value[:4])) * 12 + int(own[5:7]) - int(value[5:7] or own[5:7])
    # (a month or less before may be a news list's other item, an event of its own that was missed)
    return months >= 2


def _undated(ctx: Context, ev: Event, m, previous: set[int]):
    """«по итогам прошлого заседания», 'the previous session', «в развитие договорённостей
    государственного визита Президента ...»: an earlier event said to be the previous one, or a named
    one of another kind whose results are reviewed, though the text gives no date."""
    s, e = ctx.span(m)
    title, stop = _ref_title(ctx, m)
    if _marked(m.first, previous) or (m.values[0] != ev.type and stop > e and reviewed(ctx, m)):
        yield {"title": title, "date": None}, (s, stop)


def _opens_clause_of(ctx: Context, ev: Event, d, e: int) -> bool:
    """«В развитие договоренностей, достигнутых в ходе визита ..., 9 июня состоялось заседание»: a date
    after the reviewed event's phrase and its comma, with no verb of that event between, opens the
    clause of the event reported."""
    held = [ctx.span(h)[0] for h in ctx.cues("held")]
    return e <= d.start < ev.trigger[0] and "," in ctx.text[e:d.start] and not any(e <= h < d.start for h in held)


def _nearer_to_trigger(ev: Event, d, s: int, e: int) -> bool:
    def gap(a, b):
        return max(0, max(a[0], b[0]) - min(a[1], b[1]))
    return gap((d.start, d.stop), ev.trigger) < gap((d.start, d.stop), (s, e))


def _ref_title(ctx: Context, m) -> tuple[str, int]:
    """The event noun as written and what names it right after: a quoted name ('форума «Центральная
    Азия — Европейский союз»') or a few words up to a verb, a comma or a date ('визита Президента
    Узбекистана в Казахстан'). The scorer compares word stems, so case forms do not matter."""
    toks = ctx.analysis.tokens
    s, e = ctx.span(m)
    sent = ctx.analysis.sentence_at(s)
    first = modifiers_before(ctx, m.first, sent.first)
    body = _body_before_relative(ctx, m)
    if body is not None:
        first = body  # 'the SPECA Governing Council, which met in Baku': the body names the meeting
    elif ctx.lang == "en":
        # 'the C5+1 ministerial meeting', 'the C5+1 health ministers' consultation': an English noun
        # phrase's words between its determiner or preposition and the noun name the event
        k = m.first
        framework = {i for f in ctx.frameworks for i in range(f.first, f.last)}
        while k > sent.first and m.first - k < 8 and (k - 1 in framework or ctx.keys[k - 1] not in _EN_NP_EDGE
                                                      and toks[k - 1].text not in ",;:()\"“”«»"
                                                      and not _verbish(ctx, toks[k - 1].text)):
            k -= 1
        first = min(first, k)
    s = toks[first].start
    if ctx.lang in HEAD_FINAL:
        # «Каспий порттары форумында»: what names it stands before the noun, a quoted name too
        # («Орталық Азия – Жапония» диалогының, «...» халқаро конференцияси: a word or two between)
        q = next((j for j in range(first - 1, max(sent.first, first - 3) - 1, -1)
                  if toks[j].text in _QUOTES.values()), None)
        if q is not None and all(t.text.isalpha() and t.text.islower() for t in toks[q + 1:first]):
            k = next((k for k in range(q - 1, max(sent.first, q - 24) - 1, -1)
                      if _QUOTES.get(toks[k].text) == toks[q].text), None)
            if k is not None:
                s = toks[k].start
        return ctx.text[s:e], e
    j = m.last
    while j < sent.last and j - m.last < 3 and toks[j].text.isalpha() and toks[j].text.islower() \
            and not _verbish(ctx, toks[j].text):
        j += 1
    if j < sent.last and toks[j].text in _QUOTES:
        close = _QUOTES[toks[j].text]
        k = j + 1
        while k < sent.last and k - j < 25 and toks[k].text != close:
            k += 1
        if k < sent.last and toks[k].text == close:
            return ctx.text[s:toks[k].stop], toks[k].stop
    j = m.last
    while j < sent.last and j - m.last < 8 and toks[j].text[:1].isalpha() and not _verbish(ctx, toks[j].text) \
            and ctx.keys[j] not in _TITLE_STOP:
        if not (len(toks[j].text) <= 3 and toks[j].text.islower()):
            e = toks[j].stop  # a preposition or an article never ends the name: 'visit of the President to'
        j += 1
    return ctx.text[s:e], e


# a relative pronoun or a conjunction ends the words that name an earlier event: «форума и
# результаты визита», 'the forum and the visit', 'the summit which ...'
_TITLE_STOP = {"который", "which", "that", "who", "и", "а", "или", "and", "or", "but", "но", "va", "hamda", "және", "мен"}


def _verbish(ctx: Context, word: str) -> bool:
    if ctx.lang != "ru":
        return word.lower().endswith("ed") or word.lower() in ("was", "were", "is", "are", "took", "held")
    p = ctx.registry.morph.parses(word.lower())
    return bool(p) and p[0].tag.POS in ("VERB", "INFN", "PRTF", "PRTS", "GRND")


_EN_NP_EDGE = {"the", "a", "an", "of", "at", "on", "in", "to", "for", "with", "by", "from", "during", "after",
               "before", "since", "his", "her", "its", "their", "our", "this", "that", "these", "those", "and", "or",
               "last", "previous", "first", "next"}
# where a body's name before a relative pronoun begins: after an article or a preposition
_NAME_EDGE = _EN_NP_EDGE | {"в", "на", "с", "по", "о", "об"}
_QUOTES = {"«": "»", "“": "”", '"': '"', "„": "“"}


def _ordinal_before(ctx: Context, first: int) -> int | None:
    toks = ctx.analysis.tokens
    # "первого в истории прошлогоднего саммита": a few words may stand between, never a stop or comma
    for k in range(first - 1, max(-1, first - 5), -1):
        t = toks[k].text
        if t in (".", ",", ";", ":", "!", "?"):
            return None
        if t in _ROMAN:
            return _ROMAN[t]
        if re.fullmatch(r"\d{1,2}", t):
            return int(t)
        m = re.fullmatch(r"(\d{1,2})-?(?:й|я|го|ой|ей|th|st|nd|rd)", t)
        if m:
            return int(m.group(1))
        key = ctx.keys[k]
        if key in _ORDINAL_WORDS:
            return _ORDINAL_WORDS[key]
    return None


def _year_near(ctx: Context, m) -> int | None:
    s, e = ctx.span(m)
    window = ctx.text[max(0, s - 30):e + 30]
    y = re.search(r"\b(20[0-3]\d)\b", window)
    return int(y.group(1)) if y else None


def _roman(n: int | None) -> str:
    if not n:
        return ""
    return next(k for k, v in _ROMAN.items() if v == n) if n in _ROMAN.values() else str(n)


def _ordinal_en(n: int | None) -> str:
    names = {v: k for k, v in _ORDINAL_WORDS.items() if k.isascii() and k != "inaugural"}
    return names.get(n, "").capitalize()
