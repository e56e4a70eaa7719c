"""The snippet of a hit: a window of the document's text around its first match, with the
matched words' spans inside it."""
from __future__ import annotations

import re

from ..nlp.morph import Morph

_WORD = re.compile(r"\w+")


def highlight(raw: str, keys: list[str], morph: Morph, width: int = 220,
              also=()) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around the first match, and the matched words' spans inside it.
    `also`: spans of `raw` marked as matches too (where the document names an entity the query
    names by another alias: «ISRS» marks «Стратегиялық … институтында»).

    Words are found by a plain scan for runs of letters and digits, the way the full-text index
    splits them (razdel's tokenizer cost 20-30 ms a search: bench/bulk.py); a query word with
    other characters (a hyphenated one) is looked for among razdel's tokens. Scanning stops past
    the farthest end the window can have (first match + width + 30)."""
    if not keys:
        return " ".join(raw[:width].split()), []
    wanted = set(keys)
    if isinstance(morph, Morph) and all(_WORD.fullmatch(k) for k in keys):
        tokens = ((m.start(), m.end(), m.group()) for m in _WORD.finditer(raw))
    else:  # Uzbek and Kazakh words keep their apostrophes («o‘zbek»): their own tokens
        tokens = ((t.start, t.stop, t.text) for t in morph.tokenize(raw))
    spans, stop = [], len(raw)
    for s, e, word in tokens:
        if s >= stop:
            break
        if morph.key(word) in wanted:
            spans.append((s, e))
            stop = min(stop, spans[0][0] + width + 30)
    spans = _merged(spans + [(s, e) for s, e in also if 0 <= s < e <= len(raw)])
    if not spans:
        return " ".join(raw[:width].split()), []
    start = max(0, spans[0][0] - width // 3)
    end = min(len(raw), start + width)
    # snap the window to whole words
    while start > 0 and not raw[start - 1].isspace() and spans[0][0] - start < width // 2:
        start -= 1
    while end < len(raw) and not raw[end].isspace() and end - start < width + 30:
        end += 1
    window = raw[start:end]
    marks = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return window, marks


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones made one (a word matched inside a named entity's mention)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
