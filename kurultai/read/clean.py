"""Clean-up of decoded text for NLP, with an exact map from each cleaned character back to raw.

Layout leaves marks that confuse sentence splitting and NER: words hyphenated across line ends,
paragraphs broken into lines, runs of spaces and NBSPs, soft hyphens, zero-width spaces. The
clean-up removes them and never rewrites a character into another one, except whitespace into
" " or "\\n", so `raw[offsets[i]]` is always where `text[i]` came from and every span found in
the cleaned text maps back to the evidence in the raw text.

Rules, in the order they apply:
- a line break is "\\r\\n", "\\r", "\\n", "\\v", "\\f", U+0085, U+2028 or U+2029;
- spaces, tabs, NBSP (U+00A0), narrow NBSP (U+202F), thin space (U+2009) and the other Unicode
  spaces fold into one " " (mapped to the first of the run); lines are stripped;
- soft hyphens, zero-width spaces, word joiners, stray BOMs, control characters and lone
  surrogates (which no reader makes, and NLP cannot encode) are dropped;
- one or more blank lines (or a form feed, U+2029) between two lines become exactly "\\n\\n";
- a single line break between two lines is dropped after a word hyphenated at the line end
  ("транспортно-\\nлогистического", keeping the hyphen, or a soft hyphen); it becomes " " when
  the lines are one paragraph broken by layout; otherwise it stays "\\n" (see `_continues`
  and `_wrap_width`).
"""
from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_HARD_BREAKS = "\f\u2029"
"""Breaks that end a paragraph even without a blank line (PDF page breaks, Unicode PS)."""

_SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DROPPED = "\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
_SOFT_HYPHEN = "\u00ad"
_EDIT = re.compile(f"[{_SPACES}{_DROPPED}]{{2,}}|[{_SPACES.replace(' ', '')}{_DROPPED}]")
"""Runs inside a line that change: anything but a lone plain space."""
_HAS_SPACE = re.compile(f"[{_SPACES}]")
_CONTENT = re.compile(f"[^{_SPACES}{_DROPPED}]")
_LAST_CONTENT = re.compile(f"[^{_SPACES}{_DROPPED}][{_SPACES}{_DROPPED}]*$")

_LIST_ITEM = re.compile(r"(?:[-*•·▪◦●‣–—]|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zа-яё]\))\s")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'»”’)\]]*$")
_CLAUSE_END = re.compile(r"[.!?…:;,][\"'»”’)\]]*$")
_HYPHENS = "-\u2010"

LONG_LINE = 50
"""A line at least this long that does not end a sentence was most likely wrapped by layout..."""
FULL_LINE = 0.75
"""...if it also fills this share of the document's wrap width (see `_wrap_width`)."""
SHORT_LINE = 30
"""Lines shorter than this, starting with a capital or a digit, are headings, dates, menu items
("Events", "19.06.2025", "Подпишитесь"): kept apart unless they end a clause."""


@dataclass(frozen=True, slots=True)
class Offsets(Sequence):
    """Raw index of each cleaned character, plus `len(raw)` at the end; stored as runs.

    Cleaned text is mostly raw text copied in long runs, so the map keeps one entry per run
    (where a run starts in the cleaned text and in the raw text) instead of one int per
    character: a 50 MB document costs kilobytes, not gigabytes, and pickles cheaply.
    """

    clean_starts: array
    raw_starts: array
    length: int

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset index out of range")
        run = bisect_right(self.clean_starts, index) - 1
        return self.raw_starts[run] + index - self.clean_starts[run]

    def __iter__(self):
        starts, raws = self.clean_starts, self.raw_starts
        for run in range(len(starts)):
            end = starts[run + 1] if run + 1 < len(starts) else self.length
            yield from range(raws[run], raws[run] + end - starts[run])


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text and the map back to the raw text it came from."""

    text: str
    offsets: Offsets
    """`offsets[i]` is the raw index of `text[i]`; `offsets[len(text)] == len(raw)`."""

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The raw span of the cleaned span `[start, end)`; an empty span maps to an empty one."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    pieces: list  # (raw index, str): raw slices, or one " " standing for a run of spaces
    trailing_space: int | None  # raw index of the first space after the line's content
    soft_hyphen: bool  # the line ends in a soft hyphen: the word goes on on the next line


class _Builder:
    """Accumulates cleaned pieces and the runs of the offset map."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.clean_starts = array("q")
        self.raw_starts = array("q")
        self.length = 0
        self.raw_end = -1  # raw index just after the last piece

    def add(self, raw_index: int, piece: str) -> None:
        if raw_index != self.raw_end:
            self.clean_starts.append(self.length)
            self.raw_starts.append(raw_index)
        self.parts.append(piece)
        self.length += len(piece)
        self.raw_end = raw_index + len(piece)

    def finish(self, raw_length: int) -> Cleaned:
        if self.raw_end != raw_length:  # the end sentinel starts a run of its own
            self.clean_starts.append(self.length)
            self.raw_starts.append(raw_length)
        offsets = Offsets(self.clean_starts, self.raw_starts, self.length + 1)
        return Cleaned("".join(self.parts), offsets)


def clean(raw: str) -> Cleaned:
    """Clean `raw` for NLP; see the module docstring for the rules."""
    out = _Builder()
    long_line = max(LONG_LINE, FULL_LINE * _wrap_width(raw))
    previous: _Line | None = None
    breaks: list[tuple[int, bool]] = []  # (raw index, hard?) of the breaks since `previous`
    start = 0
    for match in _BREAK.finditer(raw):
        previous = _emit(raw, start, match.start(), previous, breaks, out, long_line)
        breaks.append((match.start(), match.group() in _HARD_BREAKS))
        start = match.end()
    _emit(raw, start, len(raw), previous, breaks, out, long_line)
    return out.finish(len(raw))


def _wrap_width(raw: str, sample: int = 2_000_000) -> int:
    """The length of a full line: the 90th percentile of line lengths.

    Layout-wrapped text (PDF, hard-wrapped mail) has most lines close to it. Text whose lines
    are paragraphs (web pages, DOCX) has a wrap width of hundreds of characters, so a heading
    of 60 characters is not mistaken for a wrapped line and glued to the paragraph below.
    """
    lengths = sorted(len(line.strip()) for line in _BREAK.split(raw[:sample]) if line.strip())
    return lengths[math.ceil(0.9 * len(lengths)) - 1] if lengths else 0


def _emit(raw: str, start: int, end: int, previous: _Line | None, breaks: list, out: _Builder, long_line: float) -> _Line | None:
    """Write the line `raw[start:end]` after the separator it needs; return the last line kept."""
    line = _line(raw, start, end)
    if line is None:
        return previous
    if previous is not None:
        _separate(previous, line, breaks, out, long_line)
    breaks.clear()
    for raw_index, piece in line.pieces:
        out.add(raw_index, piece)
    return line


def _line(raw: str, start: int, end: int) -> _Line | None:
    first = _CONTENT.search(raw, start, end)
    if first is None:
        return None
    tail = _LAST_CONTENT.search(raw, first.start(), end)
    stop = tail.start() + 1
    soft_hyphen = _SOFT_HYPHEN in raw[stop:end]
    trailing_space = _HAS_SPACE.search(raw, stop, end)
    pieces = []
    at = first.start()
    for edit in _EDIT.finditer(raw, at, stop):
        if edit.start() > at:
            pieces.append((at, raw[at:edit.start()]))
        space = _HAS_SPACE.search(edit.group())
        if space:
            pieces.append((edit.start() + space.start(), " "))
        at = edit.end()
    if stop > at:
        pieces.append((at, raw[at:stop]))
    text = "".join(piece for _, piece in pieces)
    return _Line(text, pieces, trailing_space.start() if trailing_space else None, soft_hyphen)


def _separate(previous: _Line, line: _Line, breaks: list, out: _Builder, long_line: float) -> None:
    if len(breaks) >= 2:
        out.add(breaks[0][0], "\n")
        out.add(breaks[1][0], "\n")
    elif breaks[0][1]:
        out.add(breaks[0][0], "\n")
    elif _hyphenated(previous, line):
        pass
    elif _continues(previous.text, line.text, long_line):
        space = previous.trailing_space
        out.add(breaks[0][0] if space is None else space, " ")
    else:
        out.add(breaks[0][0], "\n")


def _hyphenated(previous: _Line, line: _Line) -> bool:
    """A word split at the line end: "транспортно-" + "логистического", or a soft hyphen."""
    if not line.text[0].isalnum() or _LIST_ITEM.match(line.text):
        return False
    if previous.soft_hyphen:
        return previous.text[-1].isalpha()
    text = previous.text
    return len(text) >= 2 and text[-1] in _HYPHENS and text[-2].isalpha()


def _continues(previous: str, line: str, long_line: float) -> bool:
    """Whether `line` goes on with the paragraph of `previous` after a single line break.

    A line that starts with a small letter continues, unless the previous one ended a sentence;
    after a long line (`long_line` characters or more) that ended no sentence, any line
    continues, except a short one that ends no clause either (a menu item, a date, a heading,
    "|"). List items never continue.
    """
    if _LIST_ITEM.match(line) or _SENTENCE_END.search(previous):
        return False
    first = next((ch for ch in line if ch.isalnum()), "")
    if first.islower():
        return True
    if len(previous) < long_line:
        return False
    return len(line) >= SHORT_LINE or bool(_CLAUSE_END.search(line))
