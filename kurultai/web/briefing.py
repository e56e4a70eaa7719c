"""The briefing of a period on the web: its page (the events, the most active institutions, the
convergence matrix and the agenda suggestion's items with their evidence, each linked to its
document, event or institution), its JSON twin, and the files report/briefing.py renders: the PDF
and one self-contained HTML page (its inline CSS is for the file, not for this site's pages, whose
Content-Security-Policy allows none)."""
from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from threading import Lock
from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from ..i18n import LANGS
from ..report import briefing as B, charts
from ..store.db import generation
from ..store.period import check_period
from ..store.schema import events
from .downloads import attachment, download
from .session_desk import Countries, Period, ReleaseLang, countries_param, twelve_months
from .site import Site, known_params, twin


PDFS_KEPT = 8  # briefing PDFs kept rendered (some 50 KB each)


class _RenderedPdfs:
    """The briefing's PDF, laid out once per state of the store (`made_at`, its write generation
    read before the briefing was gathered): fpdf2 takes a second or more over the events table,
    and the same briefing is fetched again and again (the page links it in both languages; a
    reader reopens it). Any write makes a new generation, so a new file. The last few are kept."""

    def __init__(self) -> None:
        self.rendered: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = Lock()

    def __call__(self, b, lang: str, made_at: int) -> bytes:
        key = (made_at, b.date_from, b.date_to, tuple(b.countries or ()), lang, b.generated)
        with self.lock:
            if key in self.rendered:
                self.rendered.move_to_end(key)
                return self.rendered[key]
        pdf = B.render_pdf(b, lang)
        with self.lock:
            self.rendered[key] = pdf
            while len(self.rendered) > PDFS_KEPT:
                self.rendered.popitem(last=False)
        return pdf


def install(app: FastAPI, site: Site) -> None:
    """Add the briefing's page, its JSON twin, its PDF and its self-contained HTML file to `app`."""
    store, registry, labels = site.store, site.registry, site.labels

    def period(date_from: str | None, date_to: str | None) -> tuple[str, str]:
        """The period asked for; by default the twelve months up to the latest dated event."""
        date_from, date_to = check_period(date_from, date_to)  # a 400 naming the value, as search gives
        if date_from and date_to:
            return date_from, date_to
        with store.connect() as conn:
            latest = conn.execute(select(func.max(events.c.date))
                                  .where(events.c.date.like("1%") | events.c.date.like("2%"))).scalar()
        month = (latest or datetime.now().date().isoformat())[:7]
        lo, hi = twelve_months(month if len(month) == 7 else month + "-12")
        return date_from or lo, date_to or hi

    def gather(date_from, date_to, countries, lang: str):
        lo, hi = period(date_from, date_to)
        return B.briefing(store, registry, lo, hi, countries_param(countries, registry), lang=lang, labels=labels)

    def briefing_view(data: dict, lang: str, request: Request) -> dict:
        b = request.state.briefing  # what briefing_page gathered for this request
        v = B.view(b, lang)
        t = v["t"]
        series = [charts.Series(label, vals, charts.color(i)) for i, (label, vals) in enumerate(v["per_month"])]
        chosen = set(b.countries or ())
        params = [(k, v) for k, v in known_params(request) if k != "lang"]
        short = labels.months["ru_short" if lang == "ru" else "en_short"]
        ticks = [short[int(m[5:7]) - 1] + (f"\n{m[:4]}" if i == 0 or m.endswith("-01") else "")
                 for i, m in enumerate(b.months)]
        return {"v": v, "bt": t,
                "month_chart": charts.stacked_bars(ticks, series, t["events_per_month"], height=180,
                                                   x_titles=v["months"]) if b.months else "",
                "legend": [(s.label, s.color) for s in series],
                "inst_chart": charts.hbars([(i["name"], i["events"], f"/org/{i['id']}") for i in v["institutions"]],
                                           t["institutions"], width=640),
                "rising_chart": B.paired_svg(v["rising"], t, "now", "before"),
                "quiet_chart": B.paired_svg(v["quiet"], t, "now", "before"),
                "country_choices": [(c, labels.label("countries", c, lang), c in chosen) for c in site.central_asia],
                "downloads": {code: {kind: f"/briefing.{kind}?" + urlencode(params + [("lang", code)])
                                     for kind in ("pdf", "html")} for code in LANGS}}

    @twin(app, site, "/briefing", "briefing.html", "The briefing of a period", view=briefing_view, tags=["sessions"])
    def briefing_page(request: Request, date_from: Annotated[Period, Query(alias="from")] = None,
                      date_to: Annotated[Period, Query(alias="to")] = None, countries: Countries = None) -> dict:
        """What happened in the period (by default the twelve months up to the latest dated event):
        its events, the most active institutions, the convergence matrix, and the agenda
        suggestion's rising, quiet, multi-country, framework and new-direction items with evidence."""
        b = gather(date_from, date_to, countries, site.lang(request))
        request.state.briefing = b
        return b.to_dict()

    pdf_of = _RenderedPdfs()
    def named(b, lang: str, suffix: str) -> str:
        where = "-" + "-".join(b.countries) if b.countries else ""
        return f"briefing-{b.date_from}-{b.date_to}{where}-{lang}.{suffix}"

    @download(app, "/briefing.pdf", "The briefing of a period as a PDF")
    def briefing_pdf(request: Request, date_from: Annotated[Period, Query(alias="from")] = None,
                     date_to: Annotated[Period, Query(alias="to")] = None, countries: Countries = None,
                     lang: ReleaseLang = None) -> Response:
        lang = lang or site.lang(request)
        with store.connect() as conn:
            made_at = generation(conn)
        b = gather(date_from, date_to, countries, lang)
        try:
            pdf = pdf_of(b, lang, made_at)
        except B.BriefingError as exc:  # the fonts it is set in are missing: the server's to fix
            raise HTTPException(503, str(exc)) from None
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": attachment(named(b, lang, "pdf"), inline=True)})

    @download(app, "/briefing.html", "The briefing of a period as one self-contained HTML file")
    def briefing_file(request: Request, date_from: Annotated[Period, Query(alias="from")] = None,
                      date_to: Annotated[Period, Query(alias="to")] = None, countries: Countries = None,
                      lang: ReleaseLang = None) -> Response:
        lang = lang or site.lang(request)
        b = gather(date_from, date_to, countries, lang)
        return Response(B.render_html(b, lang), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": attachment(named(b, lang, "html"))})
