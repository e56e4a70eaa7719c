"""The agenda suggestion: what changed in a period, with the evidence behind each item.

    agenda = suggest(store, registry, "2024-01", "2024-06", countries=["KZ", "UZ"])
    agenda.to_dict()  # JSON: items, each with kind, id/phrase, label {ru, en}, why {ru, en}, stats, evidence

Five kinds of item, each tested against what came before rather than read off raw counts:
- `rising`: a direction raised at a larger share of the period's events than of the previous
  period's (the same length, just before), by the exact conditional binomial test, one-sided,
  Benjamini–Hochberg across the directions at `q`, with at least `min_count` events now;
- `multi_country`: a direction raised at events whose organisers and participants come from three
  or more countries, more countries than in the previous period (a convergence that is new);
- `quiet`: a direction on a past session's agenda or in its contributions (`since_session`, by
  default the latest session before `date_from`), or frequent before it, raised at a significantly
  smaller share of the events since (lower tail, BH within each of the two families);
- `framework`: an integration framework discussed at `min_count` events or more, at a
  significantly larger share than before (the debate around it is growing);
- `new_direction`: a recurring phrase near words of cooperation that no vocabulary id covers
  (emerging.py).

Every kind is driven by a change, so a corpus in which nothing changed suggests nothing: a
direction that all five countries raise every period is on every agenda already and is shown by
the briefing's convergence matrix, not proposed again. Where the previous period has no events,
nothing can be compared and `notes` says so.

Periods are YYYY, YYYY-MM or YYYY-MM-DD, as in store/analytics.py; events select by their own
date. `countries` keeps the events at least one of whose countries is among them (and, for
`multi_country`, counts only their institutions). Items come grouped by kind in the order above,
strongest evidence first within a kind (smallest p-value; for `multi_country`, most countries).
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import exists, select

from ..i18n import LANGS
from ..store import Store
from ..store.analytics import MEETING_ROLES, check_country, event_conditions
from ..store.period import FIRST_YEAR, QueryError, check_period, first_day, last_day
from ..store.schema import contributions, documents, entities, event_entities, event_tags, events, sessions
from .emerging import new_directions
from .items import AgendaItem, fmt_p, span, texts
from .significance import benjamini_hochberg, compare

KINDS = ("rising", "multi_country", "quiet", "framework", "new_direction")


@dataclass
class Agenda:
    date_from: str
    date_to: str
    previous: tuple[str, str]
    countries: list[str] | None
    session: dict | None  # the session quiet directions are measured from: id, title, date
    items: list[AgendaItem] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # {ru, en}: why some kinds could not be looked for
    events: int = 0
    events_before: int = 0

    def of(self, kind: str) -> list[AgendaItem]:
        return [i for i in self.items if i.kind == kind]

    def to_dict(self) -> dict:
        return {"from": self.date_from, "to": self.date_to, "previous": list(self.previous),
                "countries": self.countries, "session": self.session, "events": self.events,
                "events_before": self.events_before, "notes": self.notes,
                "items": [i.to_dict() for i in self.items]}


# -- periods --------------------------------------------------------------------------------------------------------

def bounds(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    """The first and the last day a period covers."""
    return first_day(date_from), last_day(date_to)


def previous_period(date_from: str, date_to: str) -> tuple[str, str]:
    """The period of the same length just before, written with the same precision where the
    period is whole years or whole months (so that events dated only by year or month compare
    alike), else day by day. A QueryError when it would begin before FIRST_YEAR, the first the
    store keeps (`--from 1000`, or a period as long as the store's whole span)."""
    try:
        prev = _previous_period(date_from, date_to)
    except OverflowError:  # before year 1 of Python's calendar
        prev = None
    if prev is None or int(prev[0][:4]) < FIRST_YEAR:
        raise QueryError(f"from {date_from}: the period is compared with the one as long just before it, "
                         f"which would begin before the year {FIRST_YEAR}; choose a later or shorter period")
    return prev


def _previous_period(date_from: str, date_to: str) -> tuple[str, str]:
    if len(date_from) == len(date_to) == 4:
        n = int(date_to) - int(date_from) + 1
        return str(int(date_from) - n), str(int(date_from) - 1)
    if len(date_from) == len(date_to) == 7:
        a = int(date_from[:4]) * 12 + int(date_from[5:]) - 1
        b = int(date_to[:4]) * 12 + int(date_to[5:]) - 1
        n = b - a + 1
        return _month(a - n), _month(a - 1)
    first, last = bounds(date_from, date_to)
    n = (last - first).days + 1
    return (first - dt.timedelta(days=n)).isoformat(), (first - dt.timedelta(days=1)).isoformat()


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def in_window(date: str | None, lo: str, hi: str) -> bool:
    """The store's own rule (analytics.event_conditions): '2024' ends with '2024-12-31'."""
    return bool(date) and not date.startswith("--") and date >= lo and (date <= hi or date.startswith(hi))


# -- the events of a span, with what the suggestion needs of each ------------------------------------------------------

@dataclass(slots=True)
class EventRow:
    id: int
    document_id: int
    date: str
    title: str | None
    document_title: str | None
    source: str
    type: str
    directions: set = field(default_factory=set)
    frameworks: set = field(default_factory=set)
    countries: set = field(default_factory=set)  # the event's tagged countries
    orgs: list = field(default_factory=list)  # (entity id, name, country, role) of organisers and participants

    def evidence(self) -> dict:
        return {"document_id": self.document_id, "event_id": self.id, "title": self.title or self.document_title,
                "date": self.date}


def load_events(store: Store, date_from: str, date_to: str, countries: list[str] | None = None) -> list[EventRow]:
    """Dated events from `date_from` to `date_to` (reprints left out), with their directions,
    frameworks, countries and institutions; with `countries`, those tagged with one of them."""
    cond = event_conditions(date_from, date_to)
    if countries:
        t = event_tags.alias("t_countries")
        cond.append(exists(select(1).select_from(t).where(t.c.event_id == events.c.id, t.c.kind == "country",
                                                          t.c.value.in_(countries))))
    with store.connect() as conn:
        rows = conn.execute(select(events.c.id, events.c.document_id, events.c.date, events.c.title, events.c.type,
                                   documents.c.title, documents.c.source)
                            .join(documents, documents.c.id == events.c.document_id).where(*cond)
                            .order_by(events.c.date, events.c.id)).all()
        out = {r[0]: EventRow(r[0], r[1], r[2], r[3], r[5], r[6], r[4]) for r in rows}
        ids = list(out)
        for chunk in _chunks(ids):
            for ev, kind, value in conn.execute(select(event_tags.c.event_id, event_tags.c.kind, event_tags.c.value)
                                                .where(event_tags.c.event_id.in_(chunk))):
                target = {"direction": out[ev].directions, "framework": out[ev].frameworks,
                          "country": out[ev].countries}.get(kind)
                if target is not None:
                    target.add(value)
            for ev, eid, name, country, role in conn.execute(
                    select(event_entities.c.event_id, entities.c.id, entities.c.name, entities.c.country,
                           event_entities.c.role)
                    .join(entities, entities.c.id == event_entities.c.entity_id)
                    .where(event_entities.c.event_id.in_(chunk), event_entities.c.role.in_(MEETING_ROLES),
                           entities.c.kind == "org")):
                out[ev].orgs.append((eid, name, country, role))
    return list(out.values())


def _chunks(ids: list, size: int = 900):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _evidence(rows: list[EventRow], limit: int) -> tuple[list[dict], int]:
    """The latest events first, one per document where a document reports several."""
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: (r.date, r.id), reverse=True):
        if r.document_id in seen:
            continue
        seen.add(r.document_id)
        out.append(r.evidence())
    return out[:limit], len(out)


# -- the suggestion -----------------------------------------------------------------------------------------------------

def suggest(store: Store, registry, date_from: str, date_to: str, countries: list[str] | None = None,
            since_session: int | None = None, *, q: float = 0.05, min_count: int = 3, min_documents: int = 3,
            new_ratio: float = 4.0, evidence_limit: int = 10, labels=None) -> Agenda:
    """Agenda items for the period `date_from`..`date_to` (see the module's docstring).

    `q`: the false discovery rate of the tests; `min_count`: events a rising, quiet or framework
    item needs; `min_documents`: documents of the period a new direction must recur in (k);
    `new_ratio`: how many times rarer a new direction's phrase must have been before;
    `labels`: a kurultai.i18n.Labels (loaded from the registry when not given)."""
    if not date_from or not date_to:
        raise QueryError("from/to: an agenda needs both ends of its period")
    date_from, date_to = check_period(date_from, date_to)
    countries = sorted({check_country(c) for c in countries or () if c}) or None
    if labels is None:
        from ..i18n import Labels
        labels = Labels.load(registry)
    prev = previous_period(date_from, date_to)
    session = _session(store, since_session, date_from)
    since = session["date"] if session else date_from
    if session and since > bounds(date_from, date_to)[1].isoformat():
        raise QueryError(f"since_session: session {session['id']} is on {since}, after the period's end")
    after = (since, date_to)
    before = _window_before(since, date_to) if session else prev
    lo = min(prev[0], before[0])
    rows = load_events(store, lo, date_to, countries)
    now = [r for r in rows if in_window(r.date, date_from, date_to)]
    old = [r for r in rows if in_window(r.date, *prev)]
    agenda = Agenda(date_from, date_to, prev, countries, session, events=len(now), events_before=len(old))
    t = texts()
    if not now:
        where = f" ({', '.join(countries)})" if countries else ""
        agenda.notes.append({lang: t["notes"]["no_events"][lang].format(countries=where) for lang in LANGS})
        return agenda
    comparable = bool(old)
    if not comparable:
        agenda.notes.append({lang: t["notes"]["no_previous"][lang].format(previous=span(prev)) for lang in LANGS})
    items: list[AgendaItem] = []
    if comparable:
        items += _rising(now, old, prev, labels, q, min_count, evidence_limit)
        items += _multi_country(now, old, labels, countries, evidence_limit)
        items += _frameworks(now, old, prev, labels, q, min_count, evidence_limit)
    after_rows = [r for r in rows if in_window(r.date, *after)]
    before_rows = [r for r in rows if in_window(r.date, *before)]
    if before_rows and after_rows:
        items += _quiet(after_rows, before_rows, after, before, session, labels, q, min_count, evidence_limit)
    elif session and not before_rows:
        agenda.notes.append({lang: t["notes"]["no_before"][lang].format(since=session["date"], window=span(before))
                             for lang in LANGS})
    if comparable:
        items += new_directions(store, registry, now, old, min_documents=min_documents, ratio=new_ratio, q=q,
                                evidence_limit=evidence_limit, previous=prev)
    order = {k: i for i, k in enumerate(KINDS)}
    agenda.items = sorted(items, key=lambda i: (order[i.kind], -i.strength, i.label.get("en") or ""))
    return agenda


def _window_before(since: str, date_to: str) -> tuple[str, str]:
    """The days before a session, as many as from the session to the end of the period."""
    first, last = first_day(since), last_day(date_to)
    n = max(1, (last - first).days + 1)
    return (first - dt.timedelta(days=n)).isoformat(), (first - dt.timedelta(days=1)).isoformat()


def _session(store: Store, sid: int | None, date_from: str) -> dict | None:
    """The session quiet directions are measured from, with the directions it raised: on its agenda
    (items whose id is a direction) and in its contributions' tags (how many raised each)."""
    with store.connect() as conn:
        if sid is not None:
            row = conn.execute(select(sessions.c.id, sessions.c.title, sessions.c.starts_at, sessions.c.agenda)
                               .where(sessions.c.id == sid)).first()
            if row is None:
                raise QueryError(f"since_session: no session has id {sid}")
        else:
            row = conn.execute(select(sessions.c.id, sessions.c.title, sessions.c.starts_at, sessions.c.agenda)
                               .where(sessions.c.starts_at < date_from)
                               .order_by(sessions.c.starts_at.desc(), sessions.c.id.desc()).limit(1)).first()
            if row is None:
                return None
        tags = conn.execute(select(contributions.c.tags).where(contributions.c.session_id == row.id)).scalars().all()
    agenda_ids = []
    for item in _json(row.agenda, []):
        if isinstance(item, dict) and item.get("id") and item.get("kind") not in ("framework", "new_direction"):
            agenda_ids.append(item["id"])
    raised: dict[str, int] = defaultdict(int)
    for t in tags:
        for d in {x.get("id") for x in (_json(t, {}).get("directions") or []) if isinstance(x, dict)}:
            if d:
                raised[d] += 1
    return {"id": row.id, "title": row.title, "date": row.starts_at[:10], "agenda": agenda_ids,
            "contributions": dict(raised)}


def _json(text, default):
    try:
        value = json.loads(text or "")
    except (TypeError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


def _change(ratio: float | None, now: int, up: bool) -> dict:
    w = texts()["why"]
    if up:
        return ({lang: w["change_new"][lang] for lang in LANGS} if ratio is None else
                {lang: w["change_up"][lang].format(ratio=_fmt_ratio(ratio, lang)) for lang in LANGS})
    if now == 0:
        return {lang: w["change_gone"][lang] for lang in LANGS}
    return {lang: w["change_down"][lang].format(ratio=_fmt_ratio(1 / ratio if ratio else math.inf, lang))
            for lang in LANGS}


def _fmt_ratio(r: float, lang: str) -> str:
    s = f"{r:.1f}"
    return s.replace(".", ",") if lang == "ru" else s


def _label(labels, vocabulary: str, value: str) -> dict:
    return {lang: labels.label(vocabulary, value, lang) for lang in LANGS}


def _count(rows: list[EventRow], attr: str) -> dict[str, list[EventRow]]:
    out: dict[str, list[EventRow]] = defaultdict(list)
    for r in rows:
        for v in getattr(r, attr):
            out[v].append(r)
    return out


def _tested(now: dict, old: dict, n_now: int, n_old: int, min_count: int, q: float, up: bool, candidates=None):
    """(value, comparison, q-value) of the values whose change is significant at q."""
    keys = sorted(candidates if candidates is not None else [k for k in now if len(now[k]) >= min_count])
    tests = [compare(len(now.get(k, ())), len(old.get(k, ())), n_now, n_old, "up" if up else "down") for k in keys]
    qs = benjamini_hochberg([c.p_value for c in tests])
    out = []
    for k, c, qv in zip(keys, tests, qs):
        grew = c.rate_now > c.rate_before
        if qv <= q and (grew if up else c.rate_now < c.rate_before):
            out.append((k, c, qv))
    return out


def _stats(c, qv: float) -> dict:
    return {"now": c.now, "before": c.before, "events_now": c.total_now, "events_before": c.total_before,
            "rate_now": round(c.rate_now, 4), "rate_before": round(c.rate_before, 4), "rate_ratio": c.rate_ratio,
            "p_value": c.p_value, "q_value": qv}


def _strength(p: float) -> float:
    return -math.log10(max(p, 1e-300))


def _rising(now, old, prev, labels, q, min_count, limit) -> list[AgendaItem]:
    by_now, by_old = _count(now, "directions"), _count(old, "directions")
    out = []
    for d, c, qv in _tested(by_now, by_old, len(now), len(old), min_count, q, up=True):
        change = _change(c.rate_ratio, c.now, True)
        why = {lang: texts()["why"]["rising"][lang].format(
            now=c.now, total_now=c.total_now, before=c.before, total_before=c.total_before, previous=span(prev),
            change=change[lang], p=fmt_p(c.p_value), q=fmt_p(qv)) for lang in LANGS}
        ev, total = _evidence(by_now[d], limit)
        out.append(AgendaItem("rising", d, _label(labels, "directions", d), why, _stats(c, qv), ev, total,
                              strength=_strength(c.p_value)))
    return out


def _countries_of(rows: list[EventRow], keep: list[str] | None) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for r in rows:
        for _eid, _name, country, _role in r.orgs:
            if country and (not keep or country in keep):
                out[country].add(r.id)
    return out


def _multi_country(now, old, labels, countries, limit) -> list[AgendaItem]:
    by_now, by_old = _count(now, "directions"), _count(old, "directions")
    out = []
    none = texts()["why"]["none"]
    for d in sorted(by_now):
        c_now = _countries_of(by_now[d], countries)
        c_old = _countries_of(by_old.get(d, []), countries)
        if len(c_now) < 3 or len(c_now) <= len(c_old):
            continue
        new = sorted(set(c_now) - set(c_old))
        multi = [r for r in by_now[d] if len(_countries_of([r], countries)) >= 2] or by_now[d]
        def names(codes, lang):
            return ", ".join(labels.label("countries", c, lang) for c in sorted(codes)) or none[lang]
        why = {lang: texts()["why"]["multi_country"][lang].format(
            events=len(by_now[d]), n_countries=len(c_now), countries=names(c_now, lang), n_before=len(c_old),
            countries_before=names(c_old, lang), new=names(new, lang)) for lang in LANGS}
        ev, total = _evidence(multi, limit)
        stats = {"countries": {c: len(v) for c, v in sorted(c_now.items())},
                 "countries_before": {c: len(v) for c, v in sorted(c_old.items())}, "new_countries": new,
                 "events": len(by_now[d]), "events_before": len(by_old.get(d, []))}
        out.append(AgendaItem("multi_country", d, _label(labels, "directions", d), why, stats, ev, total,
                              strength=float(len(c_now)) + len(new) / 10))
    return out


def _frameworks(now, old, prev, labels, q, min_count, limit) -> list[AgendaItem]:
    by_now, by_old = _count(now, "frameworks"), _count(old, "frameworks")
    out = []
    for f, c, qv in _tested(by_now, by_old, len(now), len(old), min_count, q, up=True):
        change = _change(c.rate_ratio, c.now, True)
        n_countries = len(_countries_of(by_now[f], None))
        why = {lang: texts()["why"]["framework"][lang].format(
            now=c.now, total_now=c.total_now, before=c.before, total_before=c.total_before, previous=span(prev),
            n_countries=n_countries, change=change[lang], p=fmt_p(c.p_value), q=fmt_p(qv)) for lang in LANGS}
        ev, total = _evidence(by_now[f], limit)
        out.append(AgendaItem("framework", f, _label(labels, "frameworks", f), why,
                              {**_stats(c, qv), "countries": n_countries}, ev, total, strength=_strength(c.p_value)))
    return out


def _quiet(after_rows, before_rows, after, before, session, labels, q, min_count, limit) -> list[AgendaItem]:
    """Two families, each under BH: the directions the session raised (agenda or contributions),
    which need one earlier mention, and the others, which need `min_count` earlier mentions."""
    by_now, by_old = _count(after_rows, "directions"), _count(before_rows, "directions")
    raised = set(session["agenda"]) | set(session["contributions"]) if session else set()
    family_session = sorted(d for d in raised if by_old.get(d))
    family_history = sorted(d for d in by_old if d not in raised and len(by_old[d]) >= min_count)
    w = texts()["why"]
    out = []
    for family in (family_session, family_history):
        for d, c, qv in _tested(by_now, by_old, len(after_rows), len(before_rows), min_count, q, up=False,
                                candidates=family):
            if session and d in session["agenda"]:
                reason = {lang: w["quiet_reason_agenda"][lang].format(session=session["title"]) for lang in LANGS}
            elif session and d in session["contributions"]:
                reason = {lang: w["quiet_reason_contributions"][lang].format(
                    session=session["title"], contributions=session["contributions"][d]) for lang in LANGS}
            else:
                reason = {lang: w["quiet_reason_history"][lang] for lang in LANGS}
            since = ({lang: w["since_session"][lang].format(date=session["date"]) for lang in LANGS} if session
                     else {lang: w["since_period"][lang] for lang in LANGS})
            why = {lang: w["quiet"][lang].format(
                reason=reason[lang], before=c.before, total_before=c.total_before, since_text=since[lang],
                window_before=span(before), now=c.now, total_now=c.total_now, window_now=span(after),
                p=fmt_p(c.p_value), q=fmt_p(qv)) for lang in LANGS}
            ev, total = _evidence(by_old[d], limit)
            stats = {**_stats(c, qv), "window_now": list(after), "window_before": list(before),
                     "on_agenda": bool(session and d in session["agenda"]),
                     "contributions": (session or {}).get("contributions", {}).get(d, 0)}
            out.append(AgendaItem("quiet", d, _label(labels, "directions", d), why, stats, ev, total,
                                  strength=_strength(c.p_value)))
    return out

