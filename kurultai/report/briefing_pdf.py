"""The briefing laid out as an A4 PDF with fpdf2: text set in DejaVu Sans (Cyrillic and Latin), charts
drawn with fpdf2's own primitives (rectangles and lines), so the file needs nothing but itself.

`draw(view, fonts)` takes briefing.view()'s words and numbers and briefing.font_files()'s paths.
"""
from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from . import charts

FONT = "DejaVu"
INK, MUTED, LINE, SOFT = (29, 35, 39), (95, 107, 115), (221, 226, 230), (244, 246, 248)
ACCENT = (78, 121, 167)
BEFORE = (186, 176, 172)
# the web heat table's shades, lightest to darkest
SHADES = [(247, 249, 250), (230, 240, 245), (205, 225, 235), (174, 207, 224), (139, 187, 212), (102, 163, 197),
          (67, 138, 179), (39, 111, 156), (15, 84, 128)]


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


class _Page(FPDF):
    footer_text = ""
    page_text = "{n}"

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.page_text.format(n=self.page_no()), align="R")


def draw(v: dict, fonts: dict) -> bytes:
    pdf = _Page(format="A4", unit="mm")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=15)
    for style, path in fonts.items():
        pdf.add_font(FONT, style, str(path))
    pdf.footer_text, pdf.page_text = v["title"], v["t"]["page"]
    pdf.set_title(v["title"])
    pdf.set_creator("kurultai")
    pdf.add_page()
    t = v["t"]
    _header(pdf, v)
    _heading(pdf, t["events"])
    if v["events"]:
        _month_bars(pdf, v)
        _events_table(pdf, v)
    else:
        _note(pdf, t["no_events"])
    _heading(pdf, t["rising"])
    _paired_bars(pdf, v["rising"], t)
    _items(pdf, v["rising"], t["rising_none"], t)
    _heading(pdf, t["quiet"])
    _paired_bars(pdf, v["quiet"], t)
    _items(pdf, v["quiet"], t["quiet_none"], t)
    for kind in ("multi_country", "framework"):
        if v[kind]:
            _heading(pdf, t[kind])
            _items(pdf, v[kind], "", t)
    _heading(pdf, t["institutions"])
    _institutions(pdf, v)
    _heading(pdf, t["matrix"])
    _matrix(pdf, v)
    _heading(pdf, t["new_directions"])
    _items(pdf, v["new_direction"], t["new_none"], t)
    _heading(pdf, t["notes"])
    for n in v["notes"] + [v["method"]]:
        _note(pdf, n)
    return bytes(pdf.output())


def _width(pdf: FPDF) -> float:
    return pdf.w - pdf.l_margin - pdf.r_margin


def _room(pdf: FPDF, h: float) -> None:
    """A new page unless `h` mm fit on this one."""
    if pdf.get_y() + h > pdf.h - pdf.b_margin:
        pdf.add_page()


def _header(pdf: FPDF, v: dict) -> None:
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, v["title"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*MUTED)
    for line in (f"{v['subtitle']}. {v['countries']}.", v["generated"]):
        pdf.multi_cell(0, 5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    n = len(v["totals"])
    gap = 4
    w = (_width(pdf) - gap * (n - 1)) / n
    y = pdf.get_y()
    for i, (value, name) in enumerate(v["totals"]):
        x = pdf.l_margin + i * (w + gap)
        pdf.set_fill_color(*SOFT)
        pdf.rect(x, y, w, 15, style="F")
        pdf.set_xy(x + 3, y + 1.5)
        pdf.set_font(FONT, "B", 15)
        pdf.set_text_color(*INK)
        pdf.cell(w - 6, 7, str(value))
        pdf.set_xy(x + 3, y + 8.5)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(w - 6, 5, name)
    pdf.set_xy(pdf.l_margin, y + 17)


def _heading(pdf: FPDF, text: str) -> None:
    _room(pdf, 30)  # a heading never ends a page
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12.5)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 6.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.set_line_width(0.2)
    pdf.ln(2.5)


def _note(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 4.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _month_bars(pdf: FPDF, v: dict) -> None:
    """Events per month, stacked by event type, with a legend."""
    months, series = v["months"], v["per_month"]
    if not months:
        return
    h, left, bottom = 38.0, 9.0, 9.0
    _room(pdf, h + bottom + 14)
    pdf.set_font(FONT, "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.cell(0, 5, v["t"]["events_per_month"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + 2
    totals = [sum(vals[i] for _, vals in series) for i in range(len(months))]
    ticks = charts.nice_ticks(max(totals) or 1)
    vmax = ticks[-1]
    x0, width = pdf.l_margin + left, _width(pdf) - left
    step = width / len(months)
    bar = min(12.0, step * 0.72)
    pdf.set_font(FONT, "", 7)
    pdf.set_draw_color(*LINE)
    for tick in ticks:
        y = top + h - tick / vmax * h
        pdf.line(x0, y, x0 + width, y)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(left - 1.5, 4, str(tick), align="R")
    every = max(1, int(len(months) / (width / 14)) + 1)  # month labels at least 14 mm apart
    for i, month in enumerate(months):
        x = x0 + i * step + (step - bar) / 2
        y = top + h
        for k, (_label, vals) in enumerate(series):
            if vals[i]:
                bh = vals[i] / vmax * h
                y -= bh
                pdf.set_fill_color(*_rgb(charts.color(k)))
                pdf.rect(x, y, bar, bh, style="F")
        if totals[i]:
            pdf.set_text_color(*INK)
            pdf.set_xy(x - 2, y - 4)
            pdf.cell(bar + 4, 4, str(totals[i]), align="C")
        if i % every == 0:
            pdf.set_text_color(*MUTED)
            pdf.set_xy(x0 + i * step - 4, top + h + 1)
            pdf.cell(step + 8, 4, month, align="C")
    pdf.set_draw_color(138, 149, 156)
    pdf.line(x0, top + h, x0 + width, top + h)
    pdf.set_xy(pdf.l_margin, top + h + bottom - 2)
    _legend(pdf, [(charts.color(k), label) for k, (label, _vals) in enumerate(series)])


def _legend(pdf: FPDF, entries: list[tuple]) -> None:
    pdf.set_font(FONT, "", 8)
    x, y = pdf.l_margin, pdf.get_y()
    for color, label in entries:
        w = pdf.get_string_width(label) + 9
        if x + w > pdf.w - pdf.r_margin:
            x, y = pdf.l_margin, y + 5
        fill = _rgb(color) if isinstance(color, str) else color
        pdf.set_fill_color(*fill)
        pdf.rect(x, y + 1, 3, 3, style="F")
        pdf.set_text_color(*INK)
        pdf.set_xy(x + 4, y)
        pdf.cell(w - 4, 5, label)
        x += w
    pdf.set_xy(pdf.l_margin, y + 7)


def _table_style(pdf: FPDF, size: float = 8.5) -> dict:
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*LINE)
    pdf.set_fill_color(255, 255, 255)  # fpdf2 tables paint cells with the current fill colour
    return {"borders_layout": TableBordersLayout.HORIZONTAL_LINES, "text_align": "LEFT", "v_align": "TOP",
            "line_height": size * 0.48, "padding": (1, 1.2, 1, 1.2),
            "headings_style": FontFace(emphasis="BOLD", color=MUTED, size_pt=size - 0.5)}


def _events_table(pdf: FPDF, v: dict) -> None:
    t = v["t"]
    with pdf.table(col_widths=(22, 24, 59, 52, 23), **_table_style(pdf)) as table:
        table.row([t["col_date"], t["col_type"], t["col_title"], t["col_organisers"], t["col_country"]])
        for e in v["events"]:
            table.row([e["day_text"], e["type_text"], e["title"] or "—", "; ".join(e["organisers"]),
                       e["countries_text"]])
    if v["events_more"]:
        _note(pdf, t["events_more"].format(n=v["events_more"]))
    pdf.ln(1)


def _paired_bars(pdf: FPDF, items: list[dict], t: dict) -> None:
    """Each direction's share of events now (colour) beside before (grey), with the counts."""
    if not items:
        return
    label_w, bar_w, row = 70.0, 85.0, 9.0
    _room(pdf, row * min(len(items), 4) + 8)
    vmax = max(max(i["stats"]["rate_now"], i["stats"]["rate_before"]) for i in items) or 1
    for i in items:
        _room(pdf, row + 1)
        y = pdf.get_y()
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y)
        pdf.multi_cell(label_w - 3, 3.8, i["label"], align="R", max_line_height=3.8)
        x = pdf.l_margin + label_w
        for j, (key, count, fill) in enumerate((("rate_now", i["stats"]["now"], ACCENT),
                                                ("rate_before", i["stats"]["before"], BEFORE))):
            share = i["stats"][key]
            w = max(0.6, share / vmax * bar_w)
            yy = y + 0.5 + j * 4
            pdf.set_fill_color(*fill)
            pdf.rect(x, yy, w, 3.2, style="F")
            pdf.set_font(FONT, "", 7.5)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(x + w + 1.5, yy - 0.5)
            pdf.cell(25, 4, f"{count} · {share:.0%}")
        pdf.set_xy(pdf.l_margin, max(pdf.get_y(), y + row))
    pdf.set_x(pdf.l_margin + label_w)
    _legend_inline(pdf, [(ACCENT, t["series_now"]), (BEFORE, t["series_before"])])


def _legend_inline(pdf: FPDF, entries) -> None:
    y, x = pdf.get_y(), pdf.get_x()
    pdf.set_font(FONT, "", 7.5)
    for fill, label in entries:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y + 1, 3, 3, style="F")
        pdf.set_text_color(*MUTED)
        pdf.set_xy(x + 4, y)
        pdf.cell(pdf.get_string_width(label) + 2, 5, label)
        x += pdf.get_string_width(label) + 10
    pdf.set_xy(pdf.l_margin, y + 7)


def _items(pdf: FPDF, items: list[dict], none: str, t: dict) -> None:
    if not items:
        if none:
            _note(pdf, none)
        return
    for i in items:
        _room(pdf, 22)
        pdf.set_font(FONT, "B", 10.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5.2, i["label"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.5, i["why"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if i["evidence"]:
            pdf.set_font(FONT, "B", 8)
            pdf.set_text_color(*MUTED)
            pdf.cell(0, 4.5, t["evidence"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            for e in i["evidence"]:
                pdf.set_font(FONT, "", 8)
                pdf.set_text_color(*INK)
                pdf.set_x(pdf.l_margin + 3)
                pdf.multi_cell(0, 3.9, f"• {e['date_text']} — {e['title'] or '—'}", align="L", new_x=XPos.LMARGIN,
                               new_y=YPos.NEXT)
                if e.get("snippet"):
                    pdf.set_text_color(*MUTED)
                    pdf.set_x(pdf.l_margin + 6)
                    pdf.multi_cell(0, 3.7, f"«{e['snippet']}»", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if i["more"] > 0:
                pdf.set_text_color(*MUTED)
                pdf.set_x(pdf.l_margin + 3)
                pdf.cell(0, 4, t["more_documents"].format(n=i["more"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)


def _institutions(pdf: FPDF, v: dict) -> None:
    t, rows = v["t"], v["institutions"]
    if not rows:
        _note(pdf, t["institutions_none"])
        return
    with pdf.table(col_widths=(92, 30, 24, 34), **_table_style(pdf)) as table:
        table.row([t["col_institution"], t["col_country"], t["col_events"], t["col_organised"]])
        for r in rows:
            row = table.row()
            row.cell(r["name"])
            row.cell(r["country_text"])
            row.cell(str(r["events"]), align="RIGHT")
            row.cell(str(r["organised"]), align="RIGHT")
    pdf.ln(1)


def _matrix(pdf: FPDF, v: dict) -> None:
    """Directions down, countries across, each cell shaded by its number of events."""
    m, t = v["matrix"], v["t"]
    if not m["rows"]:
        _note(pdf, t["matrix_none"])
        return
    n = len(m["countries"])
    label_w = 64.0
    cell_w = min(24.0, (_width(pdf) - label_w) / max(n, 1))
    style = _table_style(pdf, 8)
    style["borders_layout"] = TableBordersLayout.NONE
    pdf.set_font(FONT, "B", 7.5)
    fits = all(pdf.get_string_width(c) <= cell_w - 3 for c in m["countries"])
    heads = m["countries"] if fits else m["codes"]  # never a name broken inside a word
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=(label_w, *([cell_w] * n)), width=label_w + cell_w * n, align="LEFT",
                   gutter_width=0.6, gutter_height=0.6, **style) as table:
        head = table.row()
        head.cell(t["col_direction"])
        for h in heads:
            head.cell(h, align="CENTER")
        for label, cells, _shared in m["rows"]:
            row = table.row()
            row.cell(label)
            for value, shade in cells:
                row.cell(str(value) if value else "", align="CENTER",
                         style=FontFace(fill_color=SHADES[shade], color=(255, 255, 255) if shade >= 5 else INK))
    pdf.ln(2)
