"""The snippet of a hit: a window of the document's text around its first match, with the
matched words' spans inside it."""
from __future__ import annotations

import re

from ..nlp.morph import Morph
from ..read.chrome import body_start, chrome_at, line_at

_WORD = re.compile(r"\w+")


def highlight(raw: str, keys: list[str], morph: Morph, width: int = 220,
              also=()) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, and the matched words' spans inside it.
    `also`: spans of `raw` marked as matches too (where the document names an entity the query
    names by another alias: «ISRS» marks «Стратегиялық … институтында»).

    The window never starts in page chrome (a menu, a counter, a share line:
    kurultai.read.chrome): the first match outside it is shown, or the text's opening after it.

    Words are found by a plain scan for runs of letters and digits, the way the full-text index
    splits them (razdel's tokenizer cost 20-30 ms a search: bench/bulk.py); a query word with
    other characters (a hyphenated one) is looked for among razdel's tokens. Scanning stops past
    the farthest end the window can have (first match + width + 30)."""
    if not keys:
        return _opening(raw, width), []
    wanted = set(keys)
    if isinstance(morph, Morph) and all(_WORD.fullmatch(k) for k in keys):
        tokens = ((m.start(), m.end(), m.group()) for m in _WORD.finditer(raw))
    else:  # Uzbek and Kazakh words keep their apostrophes («o‘zbek»): their own tokens
        tokens = ((t.start, t.stop, t.text) for t in morph.tokenize(raw))
    spans, stop, anchor, chrome = [], len(raw), None, _Chrome(raw)
    for s, e, word in tokens:
        if s >= stop:
            break
        if morph.key(word) in wanted:
            spans.append((s, e))
            if anchor is None and not chrome.holds(s):  # a match in a menu is no place to show
                anchor = s
                stop = min(stop, s + width + 30)
    spans = _merged(spans + [(s, e) for s, e in also if 0 <= s < e <= len(raw)])
    if not spans:
        return _opening(raw, width), []
    anchor = next((s for s, _ in spans if not chrome.holds(s)), None)
    if anchor is None:  # nothing matched outside page chrome: the text's opening, marks inside it
        start = body_start(raw)
        return _window(raw, start, width, spans)
    start = max(0, anchor - width // 3)
    # snap the window to whole words
    while start > 0 and not raw[start - 1].isspace() and anchor - start < width // 2:
        start -= 1
    start = chrome.after(start, anchor)
    return _window(raw, start, width, spans)


def _window(raw: str, start: int, width: int, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The text from `start`, about `width` long and ending on a whole word, with the spans in it."""
    end = min(len(raw), start + width)
    while end < len(raw) and not raw[end].isspace() and end - start < width + 30:
        end += 1
    marks = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return raw[start:end], marks


def _opening(raw: str, width: int) -> str:
    """The text's first `width` characters after the page chrome at its top, spaces folded."""
    return " ".join(raw[body_start(raw):][:width].split())


class _Chrome:
    """Which lines of one text are page chrome (kurultai.read.chrome), asked line by line."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.known: dict[int, bool] = {}

    def holds(self, pos: int) -> bool:
        """Whether `pos` lies in a chrome line."""
        start = line_at(self.raw, pos)[0]
        if start not in self.known:
            self.known[start] = chrome_at(self.raw, pos) is not None
        return self.known[start]

    def after(self, start: int, anchor: int) -> int:
        """`start`, moved past the chrome lines between it and `anchor` (a snippet starts in text)."""
        while start < anchor and self.holds(start):
            nxt = self.raw.find("\n", start)
            if nxt < 0 or nxt >= anchor:
                return line_at(self.raw, anchor)[0]
            start = nxt + 1
        while start < anchor and self.raw[start].isspace():
            start += 1
        return start


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones made one (a word matched inside a named entity's mention)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
