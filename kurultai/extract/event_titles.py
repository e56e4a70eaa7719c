"""An event's own title: a quoted theme right after its noun or after 'на тему' / 'titled' (before
the noun in Uzbek and Kazakh), never a series name with its number nor the noun alone."""
from __future__ import annotations

import re

from ..nlp.turkic import HEAD_FINAL
from .context import Context

_TITLE_GAP_STOPS = {"организовать", "провести", "посвятить", "посвященный", "организованный", "под", "на", "по"}
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", '"': '"'}


def _intro_after(ctx: Context, q, intro: dict) -> bool:
    """The quote is followed by «mavzusida», «тақырыбында», «nomli»: it names the theme."""
    k = ctx.analysis.token_index(q[2] - 1) + 1
    k += k < len(ctx.analysis.tokens) and ctx.analysis.tokens[k].text in ("»", "”", '"')
    return k in intro


def title_after(ctx: Context, last: int, sent) -> tuple[str, int, int] | None:
    """A quoted theme right after the trigger or after 'на тему' / 'titled' within reach."""
    a = ctx.analysis
    toks = a.tokens
    n = len(toks)
    j = last
    intro = {m.first: m for m in ctx.cues("title_intro")}
    # skip adjectives and a few words between trigger and the intro/quote; further along an intro
    # may follow the noun's genitive phrase («лекция профессора ... университета (США) Дэниела Харпера
    # под названием «...»») where no comma and no verb stand between
    for step in range(14):
        if j >= n:
            return None
        if step >= 8 and (j not in intro and (toks[j].text in (",", ";", ":") or _is_verb_word(ctx, toks[j].text))):
            return None
        if step >= 8 and j not in intro and not any(k in intro for k in range(j, min(n, j + 14 - step))):
            return None
        if j in intro:
            j = intro[j].last
            while j < n and toks[j].text in (":", "-", "—", "–"):
                j += 1
            q = _quoted(ctx, j)
            if q:
                return q
            if ctx.lang != "ru":
                return _unquoted_en(ctx, j)
            return None
        if toks[j].text in _QUOTE_PAIRS:
            if j == last and _ordinal_before(ctx, last):
                return None
            # "конференция аналитических центров «...»": a few lower-case words may stand between
            between = toks[last:j]
            if j - last <= 3 and all(t.text.isalpha() and t.text.islower() for t in between) \
                    and not any(t.key in _TITLE_GAP_STOPS for t in between):
                q = _quoted(ctx, j)
                if q and ctx.lang in HEAD_FINAL and not _intro_after(ctx, q, intro):
                    return None  # «Uchrashuvda «Qazsushar» korxonasi ...»: Uzbek and Kazakh title before the noun, or «...» mavzusida
                return q
            return None
        if toks[j].text in (".", "!", "?") or toks[j].start > sent.stop + 200:
            return None
        j += 1
    return None


def _is_verb_word(ctx: Context, word: str) -> bool:
    if ctx.lang != "ru" or not word.isalpha():
        return False
    p = ctx.registry.morph.parses(word.lower())[:1]
    return bool(p) and p[0].tag.POS in ("VERB", "INFN", "PRTF", "PRTS", "GRND")


def title_before(ctx: Context, first: int, sent) -> tuple[str, int, int] | None:
    """Uzbek and Kazakh put the theme before the event noun: «...» mavzusidagi davra suhbati,
    «...» атты конференция; a title-intro word and a few lower-case words may stand between."""
    toks = ctx.analysis.tokens
    intro = {m.last: m for m in ctx.cues("title_intro")}
    j = first
    for _ in range(4):
        if j in intro:
            j = intro[j].first
        elif j - 1 >= sent.first and toks[j - 1].text.isalpha() and toks[j - 1].text.islower():
            j -= 1
            continue
        break
    if j - 1 < sent.first or toks[j - 1].text not in _QUOTE_PAIRS.values():
        return None
    close = toks[j - 1]
    opens = [k for k in range(j - 2, max(sent.first, j - 80) - 1, -1) if toks[k].text in _QUOTE_PAIRS
             and _QUOTE_PAIRS[toks[k].text] == close.text]
    for k in opens:
        q = _quoted(ctx, k)
        if q and q[2] == close.start:
            return q
    return None


def _quoted(ctx: Context, j: int) -> tuple[str, int, int] | None:
    toks = ctx.analysis.tokens
    if j >= len(toks) or toks[j].text not in _QUOTE_PAIRS:
        return None
    open_q = toks[j].text
    close = _QUOTE_PAIRS[open_q]
    start = toks[j].stop
    depth = 0
    text = ctx.text
    for k in range(start, min(len(text), start + 400)):
        ch = text[k]
        if ch == open_q and open_q != close:
            depth += 1
        elif ch == close or (open_q == "“" and ch == '"'):
            if depth == 0:
                title = " ".join(text[start:k].split())
                # a title opens with a capital or a digit: «яшил» энергетика, «зелёная» экономика are words
                if 3 <= len(title) and not _is_trigger_only(ctx, title) and not title[:1].islower():
                    return title, start, k
                return None
            depth -= 1
        elif ch == "\n" and text[k:k + 2] == "\n\n":
            return None
    return None


def _unquoted_en(ctx: Context, j: int):
    """English 'titled Regional Connectivity in a Changing World.': up to the sentence end."""
    toks = ctx.analysis.tokens
    if j >= len(toks) or not toks[j].text[:1].isupper():
        return None
    sent = ctx.analysis.sentence_at(toks[j].start)
    end = sent.stop
    stop = re.search(r"[,.;](\s|$)", ctx.text[toks[j].start:end])
    k = toks[j].start + stop.start() if stop else end
    title = ctx.text[toks[j].start:k].strip()
    return (title, toks[j].start, k) if len(title) > 3 else None


def _is_trigger_only(ctx: Context, title: str) -> bool:
    keys = " ".join(ctx.registry.morph.key(w) for w in re.findall(r"\w+", title))
    return keys in {"круглый стол", "round table", "roundtable"}


def _ordinal_before(ctx: Context, last: int) -> bool:
    """«VII форум «...»»: a numbered series meeting, whose quoted words are its name, not a title;
    the number stands in the trigger's own sentence (a counter's «Просмотры: 417» above it is none)."""
    toks = ctx.analysis.tokens
    i = last - 1
    first = ctx.analysis.sentence_at(toks[i].start).first
    while i > first and toks[i].text not in (".", ",") and last - i < 4:
        i -= 1
        t = toks[i].text
        if re.fullmatch(r"[IVXLC]+|\d+(-?[а-яa-z]{1,3})?", t) or ctx.keys[i] in ctx.registry.ordinal_keys:
            return True
    return False
