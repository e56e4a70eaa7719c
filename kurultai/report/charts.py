"""Charts as inline SVG, drawn on the server: bars, stacked bars, lines and a circular network.

No script and no style attribute: colours are SVG presentation attributes, everything else is
styled by classes from static/style.css, so the pages work offline, without JavaScript and under
a Content-Security-Policy that allows no inline code. Every label is escaped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

# Distinguishable on screen and in print; cycled when there are more series.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#2f4b7c", "#d45087", "#7a9e00", "#ffa600", "#665191", "#00a6a6",
           "#8c2d04", "#5a5a5a")


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: list
    color: str
    href: str | None = None


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ticks(top: float, count: int = 4) -> list[int]:
    """Whole-number gridlines from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


def swatch(fill: str) -> Markup:
    return Markup('<svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" '
                  'fill="{}"/></svg>').format(fill)


def _axis(out: list, ticks: list[int], left: int, right: float, top: int, height: int, vmax: int) -> None:
    for t in ticks:
        y = top + height - (t / vmax) * height
        out.append(f'<line class="grid" x1="{left}" x2="{_n(right)}" y1="{_n(y)}" y2="{_n(y)}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">{t}</text>')


def stacked_bars(x_labels: list[str | None], series: list[Series], title: str, x_titles: list[str] | None = None,
                 height: int = 260, bar: int | None = None, x_marks: bool = False) -> Markup:
    """Vertical bars, one per x position, stacked by series. `x_labels` None are not written, and
    a newline in one starts a second line;
    with `x_marks`, a light vertical line stands before each labelled position (a new year)."""
    n = len(x_labels)
    if not n:
        return Markup("")
    totals = [sum(s.values[i] for s in series) for i in range(n)]
    ticks = nice_ticks(max(totals) or 1)
    vmax = ticks[-1]
    bar = bar or max(5, min(36, 760 // n))
    gap = max(1, bar // 5)
    left, top, bottom = 40, 10, 46
    width = left + n * (bar + gap) + 10
    out = [f'<svg class="chart-svg" role="img" width="{width}" height="{height + top + bottom}" '
           f'viewBox="0 0 {width} {height + top + bottom}">', f"<title>{escape(title)}</title>"]
    _axis(out, ticks, left, width - 10, top, height, vmax)
    for i in range(n):
        x = left + i * (bar + gap) + gap / 2
        y = top + height
        name = x_titles[i] if x_titles else (x_labels[i] or "")
        for s in series:
            v = s.values[i]
            if not v:
                continue
            h = v / vmax * height
            y -= h
            tip = escape(f"{name}: {s.label} — {v}")
            rect = (f'<rect x="{_n(x)}" y="{_n(y)}" width="{bar}" height="{_n(h)}" fill="{s.color}">'
                    f"<title>{tip}</title></rect>")
            out.append(f'<a href="{escape(s.href)}">{rect}</a>' if s.href else rect)
        if x_labels[i]:
            if x_marks:
                out.append(f'<line class="grid" x1="{_n(x - gap / 2)}" x2="{_n(x - gap / 2)}" y1="{top}" '
                           f'y2="{top + height}"/>')
            anchor, tx = ("start", x) if x_marks else ("middle", x + bar / 2)
            lines_ = "".join(f'<tspan x="{_n(tx)}" dy="{0 if j == 0 else 12}">{escape(part)}</tspan>'
                             for j, part in enumerate(x_labels[i].split("\n")))
            out.append(f'<text class="tick" x="{_n(tx)}" y="{top + height + 14}" text-anchor="{anchor}">{lines_}</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{top + height}" y2="{top + height}"/>')
    out.append("</svg>")
    return Markup("".join(out))


def lines(x_labels: list[str], series: list[Series], title: str, height: int = 280) -> Markup:
    """One polyline per series over shared x positions, with a point (and its tooltip) per value."""
    n = len(x_labels)
    if not n or not series:
        return Markup("")
    ticks = nice_ticks(max(max(s.values) for s in series) or 1)
    vmax = ticks[-1]
    left, top, bottom, step = 40, 12, 30, max(40, min(90, 760 // max(1, n - 1)))
    width = left + (n - 1) * step + 30
    out = [f'<svg class="chart-svg" role="img" width="{width}" height="{height + top + bottom}" '
           f'viewBox="0 0 {width} {height + top + bottom}">', f"<title>{escape(title)}</title>"]
    _axis(out, ticks, left, width - 20, top, height, vmax)
    xs = [left + 10 + i * step for i in range(n)]
    for i, label in enumerate(x_labels):
        out.append(f'<text class="tick" x="{xs[i]}" y="{top + height + 18}" text-anchor="middle">{escape(label)}</text>')
    for s in series:
        pts = [(xs[i], top + height - v / vmax * height) for i, v in enumerate(s.values)]
        out.append(f'<polyline class="line" fill="none" stroke="{s.color}" points="'
                   + " ".join(f"{_n(x)},{_n(y)}" for x, y in pts) + '"/>')
        for (x, y), v, label in zip(pts, s.values, x_labels):
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{s.color}">'
                       f"<title>{escape(f'{s.label}, {label}: {v}')}</title></circle>")
    out.append("</svg>")
    return Markup("".join(out))


def columns(x_labels: list[str], values: list[int], title: str, height: int = 120, fill: str = PALETTE[0]) -> Markup:
    """A small bar chart of one series (events per year on a profile)."""
    return stacked_bars(x_labels, [Series(title, values, fill)], title, height=height, bar=30)


def hbars(items: list[tuple[str, int, str | None]], title: str, fill: str = PALETTE[0], width: int = 470) -> Markup:
    """Horizontal bars with their labels, each optionally a link: (label, value, href)."""
    if not items:
        return Markup("")
    vmax = max(v for _, v, _ in items) or 1
    label_w, row = 280, 22
    bar_w = width - label_w - 40
    out = [f'<svg class="chart-svg" role="img" width="{width}" height="{row * len(items) + 4}" '
           f'viewBox="0 0 {width} {row * len(items) + 4}">', f"<title>{escape(title)}</title>"]
    for i, (label, v, href) in enumerate(items):
        y = i * row + 2
        short = label if len(label) <= 40 else label[:39] + "…"
        w = max(1.0, v / vmax * bar_w)
        g = (f'<text class="label" x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
             f'<rect x="{label_w}" y="{y + 3}" width="{_n(w)}" height="{row - 6}" fill="{fill}">'
             f"<title>{escape(f'{label}: {v}')}</title></rect>"
             f'<text class="value" x="{_n(label_w + w + 4)}" y="{y + 15}">{v}</text>')
        out.append(f'<a href="{escape(href)}">{g}</a>' if href else g)
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    label: str
    title: str
    color: str
    size: float
    href: str


@dataclass(frozen=True, slots=True)
class Edge:
    source: int
    target: int
    weight: int
    title: str


def network(nodes: list[Node], edges: list[Edge], title: str, size: int = 1000) -> Markup:
    """Nodes evenly on a circle (in the given order, so groups sit together), ties drawn as curves
    bent towards the centre, their width growing with the weight."""
    if not nodes:
        return Markup("")
    c = size / 2
    radius = c - 240
    pos = {}
    for i, node in enumerate(nodes):
        a = 2 * math.pi * i / len(nodes) - math.pi / 2
        pos[node.id] = (a, c + radius * math.cos(a), c + radius * math.sin(a))
    wmax = max((e.weight for e in edges), default=1)
    out = [f'<svg class="chart-svg network" role="img" width="{size}" height="{size}" viewBox="0 0 {size} {size}">',
           f"<title>{escape(title)}</title>", '<g class="edges">']
    for e in sorted(edges, key=lambda e: e.weight):
        if e.source not in pos or e.target not in pos:
            continue
        _, x1, y1 = pos[e.source]
        _, x2, y2 = pos[e.target]
        qx, qy = c + ((x1 + x2) / 2 - c) * 0.35, c + ((y1 + y2) / 2 - c) * 0.35
        w = 0.8 + 4.2 * math.sqrt(e.weight / wmax)
        out.append(f'<path class="edge" data-s="{e.source}" data-t="{e.target}" d="M{_n(x1)},{_n(y1)} '
                   f'Q{_n(qx)},{_n(qy)} {_n(x2)},{_n(y2)}" stroke-width="{_n(w)}">'
                   f"<title>{escape(e.title)}</title></path>")
    out.append('</g><g class="nodes">')
    for node in nodes:
        a, x, y = pos[node.id]
        r = 3 + 2.2 * math.sqrt(node.size)
        lx, ly = x + (r + 5) * math.cos(a), y + (r + 5) * math.sin(a)
        deg = math.degrees(a)
        left_side = math.cos(a) < 0
        rot = deg + 180 if left_side else deg
        label = node.label if len(node.label) <= 26 else node.label[:25] + "…"
        out.append(f'<a class="node" href="{escape(node.href)}" data-id="{node.id}">'
                   f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{node.color}"><title>{escape(node.title)}</title></circle>'
                   f'<text class="label" x="{_n(lx)}" y="{_n(ly)}" dy="0.32em" text-anchor="{"end" if left_side else "start"}" '
                   f'transform="rotate({_n(rot)} {_n(lx)} {_n(ly)})">{escape(label)}</text></a>')
    out.append("</g></svg>")
    return Markup("".join(out))


def heat_class(value: float, vmax: float, vmin: float = 0.0) -> str:
    """'h0' (nothing) to 'h8' (the most): a table cell's shade, defined in style.css."""
    if value is None or value <= vmin or vmax <= vmin:
        return "h0"
    return f"h{1 + min(7, int((value - vmin) / (vmax - vmin) * 7.999))}"
