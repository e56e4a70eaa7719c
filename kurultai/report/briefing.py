"""The briefing for a period: what happened, what rose and went quiet, who was most active, where the
countries converge and which new directions appear, as one HTML page and as a PDF.

    b = briefing(store, registry, "2024-01", "2024-06", countries=["KZ", "UZ"], lang="ru")
    html = render_html(b, "ru")   # self-contained: inline CSS and SVG charts, no external resource
    pdf = render_pdf(b, "en")     # fpdf2 with DejaVu Sans (Cyrillic), charts drawn into the page
    b.to_dict()                   # the same data as JSON

The data comes from the store's events of the period (agenda.load_events), the agenda suggestion
(agenda.suggest: rising, quiet, multi-country, framework and new-direction items with their
evidence) and analytics.country_directions (the convergence matrix). The PDF needs DejaVu Sans,
which Debian's fonts-dejavu-core installs into /usr/share/fonts/truetype/dejavu; KURULTAI_FONTS
names another folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from ..convene.agenda import KINDS, Agenda, load_events, suggest
from ..i18n import LANGS, Labels
from ..store import Store, analytics
from . import charts
from ..store.registry_names import name_in, registry_bodies

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MAX_EVENTS = 40  # events listed; the rest are counted
MAX_INSTITUTIONS = 12


class BriefingError(Exception):
    """A briefing that cannot be rendered; the message names the file or input and the cause."""


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load((resources.files(__package__) / "briefing.yaml").read_text(encoding="utf-8"))


@dataclass
class Briefing:
    date_from: str
    date_to: str
    countries: list[str] | None
    lang: str
    generated: str  # YYYY-MM-DD
    agenda: Agenda
    events: list[dict]  # the period's events, latest first: id, date, type, title, document, organisers, countries
    months: list[str]  # YYYY-MM, every month of the period's span
    per_month: dict  # event type -> events per month
    institutions: list[dict]  # the most active: id, name, country, events, organised
    matrix: dict  # analytics.country_directions
    totals: dict  # events, documents, institutions, countries
    labels: Labels = field(repr=False, default=None)

    def to_dict(self) -> dict:
        return {"from": self.date_from, "to": self.date_to, "countries": self.countries, "generated": self.generated,
                "totals": self.totals, "events": self.events, "months": self.months, "per_month": self.per_month,
                "institutions": self.institutions, "matrix": self.matrix, "agenda": self.agenda.to_dict()}


def briefing(store: Store, registry, date_from: str, date_to: str, countries: list[str] | None = None,
             lang: str = "ru", *, since_session: int | None = None, labels: Labels | None = None,
             today: str | None = None) -> Briefing:
    """Gather the briefing's data for `date_from`..`date_to` (YYYY, YYYY-MM or YYYY-MM-DD);
    `countries` keeps the events of those countries and makes the matrix's rows (by default the
    registry's Central Asian countries); `lang` is the language render_* use when not told."""
    if lang not in LANGS:
        raise BriefingError(f"lang: {lang!r} is not one of {', '.join(LANGS)}")
    labels = labels or Labels.load(registry)
    agenda = suggest(store, registry, date_from, date_to, countries, since_session, labels=labels)
    countries = agenda.countries
    rows = load_events(store, agenda.date_from, agenda.date_to, countries)
    bodies = registry_bodies(store, registry, {eid for r in rows for eid, *_ in r.orgs})

    def named(eid, name) -> dict:  # the registry's name in each language where it knows the body
        return {lang: name_in(bodies, eid, name, lang) for lang in LANGS}

    events = []
    for r in sorted(rows, key=lambda r: (r.date, r.id), reverse=True):
        organisers = list(dict.fromkeys((eid, name) for eid, name, _c, role in r.orgs if role == "organizer"))
        events.append({"id": r.id, "date": r.date, "type": r.type, "title": r.title or r.document_title,
                       "document_id": r.document_id, "organisers": [name for _e, name in organisers],
                       "organisers_named": [named(eid, name) for eid, name in organisers],
                       "countries": sorted(r.countries)})
    months, per_month = _per_month(rows)
    active: dict[int, dict] = {}
    for r in rows:
        for eid, name, country, role in r.orgs:
            a = active.setdefault(eid, {"id": eid, "name": name, "names": named(eid, name), "country": country,
                                        "events": set(), "organised": set()})
            a["events"].add(r.id)
            if role == "organizer":
                a["organised"].add(r.id)
    institutions = sorted(({**a, "events": len(a["events"]), "organised": len(a["organised"])} for a in active.values()),
                          key=lambda a: (-a["events"], -a["organised"], a["name"]))
    matrix_countries = countries or sorted(c.code for c in registry.countries.values() if c.region == "central_asia")
    matrix = analytics.country_directions(store, matrix_countries, agenda.date_from, agenda.date_to)
    totals = {"events": len(rows), "documents": len({r.document_id for r in rows}), "institutions": len(active),
              "countries": len({c for r in rows for c in r.countries})}
    return Briefing(agenda.date_from, agenda.date_to, countries, lang, today or dt.date.today().isoformat(), agenda,
                    events, months, per_month, institutions[:MAX_INSTITUTIONS], matrix, totals, labels)


def _per_month(rows) -> tuple[list[str], dict]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if len(r.date) >= 7:
            counts[r.type][r.date[:7]] += 1
    seen = [m for c in counts.values() for m in c]
    if not seen:
        return [], {}
    months = analytics._month_range(min(seen), max(seen))
    types = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))
    return months, {t: [counts[t].get(m, 0) for m in months] for t in types}


# -- what both renderings show, in one language -------------------------------------------------------------------------

def view(b: Briefing, lang: str | None = None) -> dict:
    """The briefing's words and numbers in `lang`, ready to be laid out (HTML or PDF)."""
    lang = lang or b.lang
    if lang not in LANGS:
        raise BriefingError(f"lang: {lang!r} is not one of {', '.join(LANGS)}")
    t = texts()[lang]
    L = b.labels or Labels.load()
    period = f"{L.date(b.date_from, lang)} – {L.date(b.date_to, lang)}" if b.date_from != b.date_to \
        else L.date(b.date_from, lang)
    previous = b.agenda.previous
    out = {
        "lang": lang, "t": t, "title": t["title"].format(period=period), "subtitle": t["subtitle"],
        "countries": t["countries"].format(countries=", ".join(L.label("countries", c, lang) for c in b.countries)
                                           if b.countries else t["all_countries"]),
        "generated": t["generated"].format(date=L.date(b.generated, lang)),
        "totals": [(b.totals[k], t["totals"][k]) for k in ("events", "documents", "institutions", "countries")],
        "months": [L.month(m, lang) for m in b.months],
        "per_month": [(L.label("event_types", ty, lang), vals) for ty, vals in b.per_month.items()],
        "events": [{**e, "organisers": [n[lang] for n in e.get("organisers_named") or ()] or e["organisers"],
                    "date_text": L.date(e["date"], lang), "day_text": _day(L, e["date"], lang),
                    "type_text": L.label("event_types", e["type"], lang),
                    "countries_text": ", ".join(e["countries"])} for e in b.events[:MAX_EVENTS]],
        "events_more": max(0, len(b.events) - MAX_EVENTS),
        "institutions": [{**i, "name": (i.get("names") or {}).get(lang) or i["name"],
                          "country_text": L.label("countries", i["country"], lang) if i["country"] else ""}
                         for i in b.institutions],
        "method": t["method"].format(previous=f"{L.date(previous[0], lang)} – {L.date(previous[1], lang)}"),
        "notes": [n[lang] for n in b.agenda.notes],
    }
    for kind in KINDS:
        out[kind] = [{"label": i.label[lang], "why": i.why[lang], "stats": i.stats, "phrase": i.phrase,
                      "evidence": [{**e, "date_text": L.date(e["date"], lang)} for e in i.evidence[:5]],
                      "more": i.evidence_total - min(5, len(i.evidence))} for i in b.agenda.of(kind)]
    m = b.matrix
    vmax = max((m["counts"][c][d] for c in m["countries"] for d in m["directions"]), default=0)
    out["matrix"] = {
        "countries": [L.label("countries", c, lang) for c in m["countries"]],
        "codes": list(m["countries"]),
        "rows": [(L.label("directions", d, lang), [(m["counts"][c][d], _shade(m["counts"][c][d], vmax))
                                                   for c in m["countries"]], m["shared_by"][d])
                 for d in m["directions"]],
        "vmax": vmax,
    }
    return out


def _day(L: Labels, date: str, lang: str) -> str:
    """'2023-12-10' -> '10 дек 2023' / '10 Dec 2023': a table's short date."""
    if len(date) == 10:
        return f"{int(date[8:])} {L.month(date[:7], lang)}"
    return L.month(date, lang) if len(date) == 7 else L.date(date, lang)


def _shade(value: int, vmax: int) -> int:
    """0 (nothing) to 8 (the most), the same steps as the web's heat tables."""
    return int(charts.heat_class(value, vmax)[1:])


# -- HTML -----------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("kurultai.report", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(b: Briefing, lang: str | None = None) -> str:
    """One self-contained page: inline CSS, inline SVG charts, every text escaped, nothing fetched."""
    v = view(b, lang)
    t = v["t"]
    series = [charts.Series(label, vals, charts.color(i)) for i, (label, vals) in enumerate(v["per_month"])]
    months = [m.replace(" ", "\n") for m in v["months"]]
    month_chart = (charts.stacked_bars(months, series, t["events_per_month"], height=160,
                                       bar=max(5, min(64, 760 // len(months)))) if months else "")
    legend = [(charts.swatch(s.color), s.label) for s in series]
    inst_chart = charts.hbars([(_short(i["name"], 34), i["events"], None) for i in v["institutions"]],
                              t["institutions"], width=640)
    return _env().get_template("briefing.html").render(
        v=v, t=t, month_chart=month_chart, legend=legend, inst_chart=inst_chart,
        rising_chart=paired_svg(v["rising"], t, "now", "before"),
        quiet_chart=paired_svg(v["quiet"], t, "now", "before"))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def paired_svg(items: list[dict], t: dict, now: str, before: str):
    """Each direction's share of events in the period beside its share before (percent)."""
    from markupsafe import Markup, escape
    if not items:
        return Markup("")
    label_w, row, bar_w, width = 270, 34, 300, 640
    out = [f'<svg class="chart-svg" role="img" width="{width}" height="{row * len(items) + 24}" '
           f'viewBox="0 0 {width} {row * len(items) + 24}"><title>{escape(t["rising"])}</title>']
    vmax = max(max(i["stats"]["rate_now"], i["stats"]["rate_before"]) for i in items) or 1
    for k, i in enumerate(items):
        y = k * row + 2
        label = _short(i["label"], 38)
        out.append(f'<text class="label" x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        for j, (key, count, fill, name) in enumerate(((f"rate_{now}", i["stats"][now], charts.color(0), t["series_now"]),
                                                      (f"rate_{before}", i["stats"][before], "#bab0ac", t["series_before"]))):
            share = i["stats"][key]
            w = max(1.0, share / vmax * bar_w)
            yy = y + 3 + j * 13
            out.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="11" fill="{fill}">'
                       f'<title>{escape(f"{name}: {count} ({share:.0%})")}</title></rect>'
                       f'<text class="value" x="{label_w + w + 4:.1f}" y="{yy + 10}">{escape(f"{count} · {share:.0%}")}</text>')
    y = row * len(items) + 16
    out.append(f'<rect x="{label_w}" y="{y - 9}" width="10" height="10" fill="{charts.color(0)}"/>'
               f'<text class="tick" x="{label_w + 14}" y="{y}">{escape(t["series_now"])}</text>'
               f'<rect x="{label_w + 90}" y="{y - 9}" width="10" height="10" fill="#bab0ac"/>'
               f'<text class="tick" x="{label_w + 104}" y="{y}">{escape(t["series_before"])}</text></svg>')
    return Markup("".join(out))


# -- PDF ------------------------------------------------------------------------------------------------------------

def font_files() -> dict[str, Path]:
    """The DejaVu Sans files the PDF is set in; a clear error naming the file that is missing."""
    folder = Path(os.environ.get("KURULTAI_FONTS") or FONT_DIR)
    out = {}
    for style, name in FONT_FILES.items():
        path = folder / name
        if not path.is_file():
            raise BriefingError(f"{path}: font file not found; the PDF briefing needs DejaVu Sans for Cyrillic text "
                                f"(apt-get install fonts-dejavu-core, or set KURULTAI_FONTS to a folder holding "
                                f"{', '.join(FONT_FILES.values())})")
        out[style] = path
    return out


def render_pdf(b: Briefing, lang: str | None = None) -> bytes:
    """The briefing as an A4 PDF with its charts drawn in (briefing_pdf.py)."""
    from .briefing_pdf import draw
    return draw(view(b, lang), font_files())
