"""What was discussed: directions of cooperation, threats, integration frameworks, earlier events.

All four come from phrase lists in the registry matched over lemmas. A cue inside an
institution's name ("Институт стратегических исследований") or in a sentence that describes an
institution rather than the event does not count. A threat counts only in a sentence that
names it a threat, challenge, risk or crisis, unless the phrase is a threat by itself.
"""
from __future__ import annotations

import re

from .context import Context
from .events import Event

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XX": 20, "XXV": 25}
_ORDINAL_WORDS = {
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "одиннадцатый": 11, "двенадцатый": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "inaugural": 1,
}


def usable(ctx: Context, m) -> bool:
    """Whether a topic cue counts where it stands: not masked, not inside an institution's name
    (a framework's excepted), not in the page's header, not in a sentence describing the organiser.
    The contribution tagger (convene/tagging.py) asks the same of a transcript's cues."""
    s, e = ctx.span(m)
    if any(k.first <= m.first < k.last for k in ctx.cues("mask")):
        return False
    if ctx.org_at(s, e) and not _is_framework_org(ctx, s, e):
        return False
    if s < ctx.body_start:
        return False
    sent = ctx.analysis.sentence_at(s)
    return not any(sent.first <= d.first < sent.last for d in ctx.cues("description"))


def _is_framework_org(ctx: Context, s: int, e: int) -> bool:
    org = ctx.org_at(s, e)
    if not org or not org.registry_id:
        return False
    return bool(ctx.registry.institutions[org.registry_id].framework)


def find_topics(ctx: Context, ev: Event, evidence: list, refs: list[dict] = ()) -> dict:
    a = ctx.analysis
    directions, threats, frameworks = [], [], []

    def add(lst, value, field, span):
        if value not in lst:
            lst.append(value)
            evidence.append({"field": field, "value": value, "start": span[0], "end": span[1]})

    for m in ctx.cues("directions"):
        if usable(ctx, m):
            add(directions, m.values[0], "directions", ctx.span(m))
    marker_sents = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("threat_markers")}
    for m in ctx.cues("threats"):
        s, e = ctx.span(m)
        if not usable(ctx, m):
            continue
        phrase = " ".join(k for k in ctx.keys[m.first:m.last] if k)
        if phrase in ctx.registry.intrinsic_threat_keys or a.sentence_at(s).start in marker_sents:
            add(threats, m.values[0], "threats", (s, e))
    for m in ctx.scoped(ctx.frameworks):
        s, e = ctx.span(m)
        if s < ctx.body_start:
            continue
        for fid in m.values:
            add(frameworks, fid, "frameworks", (s, e))
    # a known meeting (the event itself, or one it discusses) brings its framework
    for sid in [ev.series] + [r.get("series") for r in refs]:
        series = ctx.registry.series.get(sid or "")
        if series and series.framework and series.framework not in frameworks:
            frameworks.append(series.framework)
    return {"directions": directions, "threats": threats, "frameworks": frameworks}


def find_references(ctx: Context, ev: Event, evidence: list) -> list[dict]:
    """Earlier meetings of a known series that the report discusses, with the registry's date."""
    refs = []
    a = ctx.analysis
    own = ev.date["value"] if ev.date else None
    for m in ctx.series:
        s, e = ctx.span(m)
        series = ctx.registry.series[m.values[0]]
        n = _ordinal_before(ctx, m.first)
        year = _year_near(ctx, m)
        inst = None
        for i in series.instances:
            if (n and i.n == n) or (year and not n and i.date.startswith(str(year))):
                inst = i
                break
        if inst is None:
            continue
        is_self = (ev.trigger[0] >= s - 40 and ev.trigger[0] <= e) or (own and own == inst.date)
        if is_self:
            ev.series = series.id
            continue
        if own and len(own) >= 7 and not own.startswith("--") and inst.date >= own:
            continue  # a later meeting is not an earlier event discussed
        name = series.name.get(ctx.lang) or series.name.get("ru") or series.id
        title = f"{_roman(inst.n)} {name}".strip() if ctx.lang == "ru" and inst.n else (
            f"{_ordinal_en(inst.n)} {name}".strip() if inst.n else name)
        if all(r["title"] != title for r in refs):
            refs.append({"title": title, "date": inst.date, "series": series.id})
            evidence.append({"field": "references", "value": title, "start": s, "end": e})
    # the event is itself a known meeting: "второй саммит «Центральная Азия – Россия»"
    if ev.series is None:
        for m in ctx.series:
            s, _ = ctx.span(m)
            if abs(s - ev.trigger[0]) < 60:
                ev.series = m.values[0]
                break
    return refs


def _ordinal_before(ctx: Context, first: int) -> int | None:
    toks = ctx.analysis.tokens
    for k in range(first - 1, max(-1, first - 4), -1):
        t = toks[k].text
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
    names = {v: k for k, v in _ORDINAL_WORDS.items() if k.isascii()}
    return names.get(n, "").capitalize()
