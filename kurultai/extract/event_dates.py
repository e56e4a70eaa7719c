"""The event's date and the document's own: resolved from the text, the page's date line and
dateline, relative days counted from them, and a missing year from a known event it is tied to."""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .context import Context

if TYPE_CHECKING:
    from .events import Event

from ..nlp.dates import DateMention, as_date, resolve, valid


def date_event(ctx: Context, ev: Event, dates: list[DateMention]) -> None:
    """The event's date: in its sentence, else the nearest before it in its paragraph, else relative."""
    ref = as_date(ctx.published)
    cands, explicit, relative = _sentence_dates(ctx, ev, dates, ref)
    if not explicit and relative and ref:
        _counted_from_document(ctx, ev, relative[0], ref)
        return
    if not explicit and ctx.dateline_day and not ref and _counted_from_dateline(ctx, ev, cands):
        return
    if not explicit:
        explicit = _date_before(ctx, ev.sentence, dates)
    if explicit:
        _stated(ctx, ev, explicit[0], ref)
        return
    if not relative and ref:
        relative = _relative_day_before(ctx, ev, dates)
    if relative and ref:
        _counted_from_document(ctx, ev, relative[0], ref)
        return
    _date_after(ctx, ev, dates, ref)


def _sentence_dates(ctx: Context, ev: Event, dates: list[DateMention], ref):
    """The dates of the event's sentence (the page's own date aside), and of them the explicit and
    the relative one that belong to the event."""
    sent = ev.sentence
    cands = [d for d in dates if sent.start <= d.start < sent.stop and (ctx.published_span is None or
                                                                        d.start != ctx.published_span[0])]
    explicit = [d for d in cands if d.kind in ("date", "month")]
    relative = [d for d in cands if d.kind in ("day", "weekday")]
    # several dates in the sentence: the one nearest the event's noun is its own ("Вчера ... провел
    # круглый стол по итогам встречи, состоявшейся 21 июля": 21 July is the other meeting's)
    usable = explicit + (relative if ref else [])
    if len(usable) > 1:
        nearest = min(usable, key=lambda d: min(abs(d.start - ev.trigger[0]), abs(d.stop - ev.trigger[0])))
        explicit = [nearest] if nearest in explicit else []
        relative = [nearest] if nearest in relative else []
    return cands, explicit, relative


def _counted_from_document(ctx: Context, ev: Event, d: DateMention, ref) -> None:
    ev.date_span = (d.start, d.stop)
    ev.date = {"value": resolve(d, ref), "year_inferred": False,
               "basis": f"'{ctx.text[d.start:d.stop]}' counted from the document's date {ctx.published}"}


def _counted_from_dateline(ctx: Context, ev: Event, cands: list[DateMention]) -> bool:
    """A relative day counted from a dateline with a day and no year: "--MM-DD", in a common year."""
    day = next((d for d in cands if d.kind == "day"), None)
    if day is None:
        return False
    month, dom = ctx.dateline_day
    value = resolve(day, dt.date(2001, month, dom)) if valid(2001, month, dom) else None
    if not value:
        return False
    ev.date_span = (day.start, day.stop)
    ev.date = {"value": "--" + value[5:], "year_inferred": False,
               "basis": f"'{ctx.text[day.start:day.stop]}' counted from the dateline's day, no year in the text"}
    return True


def _date_before(ctx: Context, sent, dates: list[DateMention]) -> list[DateMention]:
    """A date earlier in the same paragraph ("28-30 августа в Кабуле ... В рамках поездки ..."),
    else in one of the two sentences before."""
    a = ctx.analysis
    para_start = ctx.text.rfind("\n\n", 0, sent.start)
    para_start = 0 if para_start < 0 else para_start
    before = [d for d in dates if para_start <= d.start < sent.start and d.kind in ("date", "month")
              and d.start >= ctx.body_start]
    if not before:
        prev = [s for s in a.sentences if s.stop <= sent.start and s.start >= ctx.body_start]
        for s in reversed(prev[-2:]):
            before = [d for d in dates if s.start <= d.start < s.stop and d.kind in ("date", "month")]
            if before:
                break
    return before[-1:] if before else []


def _stated(ctx: Context, ev: Event, d: DateMention, ref) -> None:
    ev.own_date = d
    ev.date_span = (d.start, d.stop)
    if d.year:
        ev.date = {"value": d.text_value, "year_inferred": False, "basis": "stated in the text"}
    elif ref:
        ev.date = {"value": resolve(d, ref), "year_inferred": True,
                   "basis": f"year from the document's date {ctx.published}"}
    else:
        ev.date = {"value": d.text_value, "year_inferred": False, "basis": "no year in the text"}


def _relative_day_before(ctx: Context, ev: Event, dates: list[DateMention]) -> list[DateMention]:
    """A relative day in one of the two sentences before that names an event of the same kind:
    "Today the Informal Summit ... was held ... The summit took place under the theme ..."."""
    a = ctx.analysis
    sent = ev.sentence
    same = {m.first for m in ctx.cues("event_types") if m.values[0] == ev.type}
    prev = [s for s in a.sentences if s.stop <= sent.start and s.start >= ctx.body_start][-2:]
    for s in reversed(prev):
        rel = [d for d in dates if s.start <= d.start < s.stop and d.kind in ("day", "weekday")]
        if rel and any(s.first <= i < s.last for i in same):
            return rel[:1]
    # «Вчера хоким принял делегацию. ... В ходе встречи ...», «Kecha ... qabul qildi. ... Uchrashuvda ...»:
    # a relative day opening the paragraph's first sentence dates what the paragraph reports
    para_start = ctx.text.rfind("\n\n", 0, sent.start)
    lead = next((s for s in a.sentences if s.start >= max(para_start, ctx.body_start) and s.start < sent.start), None)
    if lead is not None:
        opening = [d for d in dates if lead.start <= d.start < sent.start and d.kind in ("day", "weekday")
                   and a.token_index(d.start) - lead.first <= 1]
        return opening[:1]
    return []


def _date_after(ctx: Context, ev: Event, dates: list[DateMention], ref) -> None:
    """A date in one of the three sentences after that names an event of the same kind, else none:
    "... have convened for a meeting. ... attended the ninth meeting ... on Thursday"."""
    a = ctx.analysis
    later = [s for s in a.sentences if s.start > ev.sentence.start][:3]
    same_kind = {m.first for m in ctx.cues("event_types") if m.values[0] == ev.type}
    same_kind |= {m.first for m in ctx.cues("event_generic")}
    for s in later:
        if not any(s.first <= i < s.last for i in same_kind):
            continue
        found = [d for d in dates if s.start <= d.start < s.stop and d.kind in ("date", "month")]
        if found:
            d = found[0]
            ev.own_date, ev.date_span = d, (d.start, d.stop)
            value = resolve(d, ref) if not d.year else d.text_value
            ev.date = {"value": value, "year_inferred": bool(ref and not d.year),
                       "basis": "stated in the text" if d.year else (
                           f"year from the document's date {ctx.published}" if ref else "no year in the text")}
            return
        if ref:
            rel = [d for d in dates if s.start <= d.start < s.stop and d.kind in ("day", "weekday")]
            if rel:
                _counted_from_document(ctx, ev, rel[0], ref)
                return
    ev.date = None


# the words of a "published" line in the four languages (ru, en, kk, uz in both scripts)
_PUBLISHED = re.compile(r"^\s*(Опубликовано|Обновлено|Дата публикации|Дата|Published|Updated|Posted|Last updated"
                        r"|Жарияланды|Жарияланған|Жаңартылды|Chop etildi|Чоп этилди|E[’'‘ʼ]lon qilindi|Эълон қилинди"
                        r"|Nashr etildi|Нашр этилди)\b", re.I)
_DATELINE = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ\-]{2,}(?:\s[A-ZА-ЯЁ\-]{3,})?,\s*$")


def _place_dateline(ctx: Context, line_start: int, date_start: int) -> bool:
    """«Ташкент, 22 мая», 'Tashkent, 22 May 2024.', «Astana, 5-may»: a line opening with a known place
    and a comma, right before the date, is a dateline as an upper-case city is."""
    head = ctx.text[line_start:date_start]
    if not head.rstrip().endswith(",") or len(head) > 40:
        return False
    toks = ctx.analysis.tokens
    return any(ctx.span(m)[0] == line_start and not ctx.text[ctx.span(m)[1]:date_start].strip(" ,")
               for m in ctx.places if toks[m.first].start == line_start)


def _dated_place_line(ctx: Context, line_start: int, d) -> bool:
    """«12 марта 2026 г., Ташкент –», '14 May 2026, Astana.': a line opening with the date, then a
    comma and a known place ending the phrase, is the dateline written date first."""
    text = ctx.text
    if text[line_start:d.start].strip() or not text[d.stop:].lstrip(" ").startswith(","):
        return False
    toks = ctx.analysis.tokens
    for m in ctx.places:
        s, e = ctx.span(m)
        if d.stop < s <= d.stop + 6 and not text[d.stop:s].strip(" ,") and toks[m.first].start == s:
            return re.match(r"\s*([.:—–-]|\n|$)", text[e:e + 3]) is not None
    return False


def _tells_an_event(ctx: Context, start: int, stop: int) -> bool:
    """«12 марта 2026 года в ИСМИ прошел круглый стол.», 'On 12 March 2026 IICA held a round table.':
    a short line with a verb of holding is the report's first sentence, not a date line."""
    return any(start <= ctx.span(m)[0] < stop for m in ctx.cues("held"))


_RANGE = re.compile(r"\d\s*[-–—]\s*\d")


def find_document_date(ctx: Context, dates: list[DateMention]) -> None:
    """The page's own date: a date line or byline near the top, a dateline opening the report
    ("АСТАНА, 9 августа 2024 года."), or a "Published/Обновлено" line anywhere."""
    text = ctx.text
    head_end = min(len(text), 700)
    dateline_md = None
    for d in dates:
        if d.kind != "date":
            continue
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.stop)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        rest = (text[line_start:d.start] + text[d.stop:line_end]).strip()
        parts = [p.strip() for p in re.split(r"\s[|•·]\s|\s{3,}", line) if p.strip()]
        dateline = bool(_DATELINE.match(text[line_start:d.start])) or _place_dateline(ctx, line_start, d.start) \
            or _dated_place_line(ctx, line_start, d)
        published = bool(_PUBLISHED.match(line))
        if dateline and not d.year and d.start <= head_end:
            dateline_md = dateline_md or (d, line_end)
            continue
        if not d.year or not (d.start <= head_end or published):
            continue
        if _RANGE.search(text[d.start:d.stop]):
            continue  # «Хроника недели: 11–15 мая 2026», 'Forum, 3-5 June 2026': a period, not the page's day
        if dateline or published or (len(parts) > 1 and all(len(p) <= 45 for p in parts)) \
                or len(rest) <= 40 and not _tells_an_event(ctx, line_start, line_end):
            ctx.published = d.text_value
            ctx.published_span = (d.start, d.stop)
            if d.start <= head_end:
                ctx.body_start = max(ctx.body_start, d.stop if dateline else line_end)
            break
    if dateline_md:
        d, _ = dateline_md
        ctx.body_start = max(ctx.body_start, d.stop)
        year = int(ctx.published[:4]) if ctx.published else None
        if year:
            ctx.published = f"{year:04d}-{d.month:02d}-{d.day:02d}"
            ctx.published_span = (d.start, d.stop)
        elif not ctx.published:
            ctx.dateline_day = (d.month, d.day)  # «Самарқанд, 4 апрель. Бугун ...»: today is 4 April


def resolve_with_registry(ctx: Context, ev: Event, refs: list[dict]) -> None:
    """A date without a year takes it from a known event it is tied to: the event's own series
    instance with the same day, or the latest earlier event the report discusses."""
    if not ev.date or not ev.date["value"].startswith("--"):
        return
    month, day = int(ev.date["value"][2:4]), int(ev.date["value"][5:7])
    if ev.series:
        s = ctx.registry.series.get(ev.series)
        for inst in s.instances if s else ():
            if inst.date[5:10] == f"{month:02d}-{day:02d}":
                ev.date = {"value": inst.date, "year_inferred": True,
                           "basis": f"the {_ordinal(inst.n)} {s.name.get('en') or s.id} was held on {inst.date}"}
                return
    dated = [r for r in refs if r.get("date") and len(r["date"]) >= 7]
    if dated:
        r = max(dated, key=lambda r: r["date"])
        year = int(r["date"][:4])
        if (month, day) < (int(r["date"][5:7]), int(r["date"][8:10] or 1)):
            year += 1
        ev.date = {"value": f"{year:04d}-{month:02d}-{day:02d}", "year_inferred": True,
                   "basis": f"year inferred from the earlier event it discusses: {r['title']} ({r['date']})"}


def _ordinal(n) -> str:
    if not n:
        return ""
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def opening_date(ctx: Context, sent, dates: list[DateMention]) -> DateMention | None:
    """The day the sentence opens with («14 мая ...», 'On 14 May, ...', «В четверг ...», 'On Thursday, ...')."""
    lead = ctx.text[sent.start:sent.start + 4].lower()
    skip = 3 if lead.startswith("on ") else 0
    return next((d for d in dates if d.start == sent.start + skip and d.kind == "date" and d.day
                 or d.start == sent.start and d.kind == "weekday"), None)


def _headline_line(line: str) -> bool:
    """A headline: a short line of words that ends no sentence ('Deputy Minister meets Head of OSCE
    Programme Office', «Таджикистан и Казахстан обсудили промышленную кооперацию»)."""
    line = line.strip()
    return 15 <= len(line) <= 140 and line[-1].isalnum() and sum(c.isalpha() for c in line) > len(line) / 2 \
        and not re.search(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", line)


def heading_date(ctx: Context, sent, dates: list[DateMention]) -> DateMention | None:
    """«13 апреля» / 'On 15 April:' alone on the line above the sentence: a digest's item opens
    under its own date line, and the sentence opens the item."""
    text = ctx.text
    line_start = text.rfind("\n", 0, sent.start) + 1
    if text[line_start:sent.start].strip() or line_start == 0:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    line = text[prev_start:line_start - 1]
    if _headline_line(line) and prev_start > 0:
        # a news list: the item's date line, its headline, then its text
        line_start = prev_start
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start:line_start - 1]
    for d in dates:
        if prev_start <= d.start < line_start and d.kind in ("date",) and d.start >= ctx.body_start \
                and not _LINE_EXTRAS.sub("", line[:d.start - prev_start] + line[d.stop - prev_start:]).strip(" .,:–—-"):
            return d
    return None


# what a news list's date line carries beside the date: the time and the count of views
# ('March 9, 2026 / 17:40', '05.02.2026 11:20 | 842', '14.05.2026 | 1 380 views')
_LINE_EXTRAS = re.compile(r"\b\d{1,2}:\d{2}\b|[|/•·]|\b\d[\d\s]*\b(?:views|просмотр\w*)?", re.I)
