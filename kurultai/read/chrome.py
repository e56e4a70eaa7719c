"""Page chrome: the lines of a web page's furniture that are not the report's text.

Menus and breadcrumbs («Главная | Новости |», "Home › News › Article"), counters and time
stamps («14:35 👁 1 118», «Просмотров: 1 118»), bylines and date-only lines, share lines
("Share: Facebook Telegram"), tags lines, and "Related" / «Читайте также» headers with the
short link lines under them. A line is judged by its shape (how many short items it splits into,
its length, its share of letters, its separators); the few label words a shape cannot tell
(«Просмотров», "Share", «Теги») are data in chrome.yaml, not phrases of particular sites.

Used where text is shown as the document's: its title (pipeline._headline) and search snippets
(store.snippet). Extraction does not use it: its records stay as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

_SEPARATORS = re.compile(r"\s*(?:[|›»•·→>]|\s/\s|\s{2,}|\t)\s*")
"""Between a menu's or breadcrumb's items: a bar, an angle, a bullet, a spaced slash, a gap."""
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['‘’ʻʼ-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)]*$")

ITEM_WORDS = 3
"""A menu item has at most this many words..."""
ITEM_CHARS = 30
"""...and at most this many characters."""
STAMP_WORDS = 2
"""A line of digits (times, dates, counts) with at most this many words is a stamp."""
LINK_LINES = 8
"""How many short lines under a "Related" header are taken for its links."""
LINK_CHARS = 140
"""A link line under a "Related" header is at most this long and ends no sentence."""


@lru_cache(maxsize=1)
def labels() -> dict[str, tuple[str, ...]]:
    """The label words of chrome.yaml by role, longest first (so "share this" wins over "share")."""
    data = yaml.safe_load(resources.files(__package__).joinpath("chrome.yaml").read_text("utf-8"))
    return {role: tuple(sorted((str(w).lower() for w in words), key=len, reverse=True))
            for role, words in data.items()}


def _label(line: str, role: str) -> str | None:
    """The label of `role` that `line` starts with, as a whole word, or None."""
    low = line.lower()
    for word in labels()[role]:
        if low.startswith(word) and (len(low) == len(word) or not low[len(word)].isalnum()):
            return word
    return None


def _items(line: str) -> list[str]:
    return [p for p in _SEPARATORS.split(line) if p.strip()]


def _short(item: str) -> bool:
    return len(item) <= ITEM_CHARS and len(_WORD.findall(item)) <= ITEM_WORDS


def is_related_header(line: str) -> bool:
    """«Читайте также:», "Related news" – a header of links to other pages."""
    line = line.strip().rstrip(":.…»> ")
    word = _label(line, "related")
    return word is not None and len(_WORD.findall(line[len(word):])) <= 2


def is_chrome(line: str) -> bool:
    """Whether one line, by itself, is page furniture rather than the report's text."""
    line = line.strip()
    if not line:
        return False
    words = _WORD.findall(line)
    visible = len(line) - line.count(" ")
    letters = len(_LETTER.findall(line))
    if len(words) <= STAMP_WORDS and (_DIGIT.search(line) or letters < visible / 2) \
            and not _SENTENCE_END.search(line) and len(line) <= 60:
        return True  # «14:35 👁 1 118», «12.05.2024», «2 мая 2024»
    if is_related_header(line):
        return True
    items = _items(line)
    separated = len(items) >= 2 and bool(re.search(r"[|›»•·→>]|\s/\s|\s{2,}|\t", line))
    if separated and (all(_short(i) for i in items[:-1]) and (len(items) >= 3 or _short(items[-1])
                      or _label(items[0], "home"))):
        return True  # menus and breadcrumbs, the last crumb being the page's own title
    if len(words) >= 3 and _label(line, "home") and all(w[:1].isupper() for w in words) \
            and not re.search(r"[.,;:!?«\"]", line):
        return True  # «Главная Новости Аналитика Контакты»
    return _labelled(line, words)


def _labelled(line: str, words: list[str]) -> bool:
    """Lines a label word opens: counters, share lines, tags, bylines."""
    low = [w.lower() for w in words]
    if _label(line, "counter") and len(words) <= 4:
        return True
    if any(w in labels()["counter"] for w in low) and _DIGIT.search(line) and len(words) <= 4:
        return True  # «1 118 просмотров», "24 views"
    networks = set(labels()["networks"])
    share = _label(line, "share")
    if share and len(words) <= 10 and not _SENTENCE_END.search(line):
        return True
    if sum(w in networks for w in low) >= 2 and all(w in networks or w in labels()["share"] for w in low):
        return True  # "Facebook Twitter Telegram"
    tag = _label(line, "tags")
    if tag and re.match(r"\s*[:|—–-]", line[len(tag):]):
        return True  # «Теги: экономика, вода»
    by = _label(line, "byline")
    if by and len(words) <= 8 and (re.match(r"\s*[:|—–-]", line[len(by):]) or by == "by") \
            and not _SENTENCE_END.search(line.rstrip(".") + "x"):
        return True  # «Автор: …», "By Jane Doe", «Фото: …»
    return False


def _link_line(line: str) -> bool:
    line = line.strip()
    return bool(line) and len(line) <= LINK_CHARS and not _SENTENCE_END.search(line)


def chrome_lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) of each chrome line of `text` between `start` and `end`: lines chrome by
    themselves, and up to LINK_LINES short link lines below a "Related" header (blank lines
    between them pass)."""
    out: list[tuple[int, int]] = []
    links = 0
    end = len(text) if end is None else min(end, len(text))
    pos = start
    while pos < end:
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        line, at, pos = text[pos:stop], pos, stop + 1
        if not line.strip():
            continue
        if is_chrome(line):
            out.append((at, stop))
            links = LINK_LINES if is_related_header(line) else links
        elif links and _link_line(line):
            out.append((at, stop))
            links -= 1
        else:
            links = 0
    return out


def line_at(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the line holding `pos`."""
    return text.rfind("\n", 0, pos) + 1, (text.find("\n", pos) + 1 or len(text) + 1) - 1


def chrome_at(text: str, pos: int) -> tuple[int, int] | None:
    """The chrome line holding `pos`, or None; a link line looks back a few lines for its
    "Related" header."""
    s, e = line_at(text, pos)
    back = s
    for _ in range(LINK_LINES * 2 + 1):
        if back == 0:
            break
        back = text.rfind("\n", 0, back - 1) + 1
    return next(((a, b) for a, b in chrome_lines(text, back, e) if a == s), None)


def body_start(text: str, limit: int = 40) -> int:
    """Where the text starts after the chrome lines at its top (0 when it has none, or when the
    first `limit` lines are all chrome)."""
    pos = 0
    for _ in range(limit):
        while pos < len(text) and text[pos] in " \n":
            pos += 1
        if pos >= len(text):
            return 0
        span = chrome_at(text, pos)
        if span is None:
            return pos
        pos = span[1] + 1
    return 0
