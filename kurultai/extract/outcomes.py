"""Outcomes: what the participants together agreed, committed to, recommended, or how they judged.

An outcome is a sentence with an outcome cue whose subject is collective ("участники",
"стороны", "эксперты", "participants", "the sides") or that records a signed document; one
speaker's opinion is not an outcome. A sentence opening with an anaphor ("Об этом договорились")
extends the previous sentence, which holds what was agreed.
"""
from __future__ import annotations

from .context import Context

_PRIORITY = ("agreement", "commitment", "recommendation", "assessment")


def find_outcomes(ctx: Context, ev, persons_speaking: list[str]) -> list[dict]:
    a = ctx.analysis
    by_sent: dict[int, set[str]] = {}
    for m in ctx.cues("outcomes"):
        s, _ = ctx.span(m)
        if s < ctx.body_start:
            continue
        by_sent.setdefault(a.sentence_at(s).start, set()).add(m.values[0])
    collective = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("collective") if _plural(ctx, m)}
    anaphora = {a.sentence_at(ctx.span(m)[0]).start: ctx.span(m)[0] for m in ctx.cues("anaphora")}
    future = {a.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("future")}
    out = []
    sents = a.sentences
    for k, sent in enumerate(sents):
        kinds = by_sent.get(sent.start)
        if not kinds:
            continue
        if (_has_named_speaker(ctx, sent) and sent.start not in collective) or _one_voice(ctx, sent):
            continue
        document = "agreement" in kinds and _signed_document(ctx, sent)
        if sent.start not in collective and not document:
            continue
        kind = next(k for k in _PRIORITY if k in kinds)
        if kind == "recommendation" and "assessment" in kinds and not _recommends(ctx, sent):
            kind = "assessment"
        start = sent.start
        if sent.start in anaphora and anaphora[sent.start] - sent.start < 5 and k > 0:
            start = sents[k - 1].start
        text = ctx.text[start:sent.stop]
        out.append({"kind": kind, "start": start, "end": sent.stop, "text": text})
    return out


def _plural(ctx: Context, m) -> bool:
    """"эксперты отметили" is the participants together; "эксперт ИСМИ отметил" is one of them."""
    if m.last - m.first > 1 or ctx.lang != "ru":
        return True
    word = ctx.analysis.tokens[m.first].text
    parses = ctx.registry.morph.parses(word)
    nouns = [p for p in parses if p.tag.POS == "NOUN"]
    return not nouns or any({"plur", "nomn"} <= p.tag.grammemes for p in nouns) or "plur" in nouns[0].tag.grammemes


def _has_named_speaker(ctx: Context, sent) -> bool:
    return bool(ctx.person_mentions_in(sent.start, sent.stop))


_SINGULAR = {"он", "она", "he", "she", "his", "her"}


def _one_voice(ctx: Context, sent) -> bool:
    """'..., he argued, adding that they should ...' reports one person, not the participants."""
    words = {t.text.lower() for t in ctx.analysis.tokens[sent.first:sent.last]}
    speech = any(sent.first <= m.first < sent.last for m in ctx.cues("speech"))
    return speech and bool(words & _SINGULAR)


def _signed_document(ctx: Context, sent) -> bool:
    words = {k for k in ctx.keys[sent.first:sent.last]}
    return bool(words & {"меморандум", "соглашение", "коммюнике", "декларация", "memorandum", "agreement",
                         "communique", "declaration", "подписать", "signed", "план", "договор", "protocol", "протокол"})


def _recommends(ctx: Context, sent) -> bool:
    words = {k for k in ctx.keys[sent.first:sent.last]}
    return bool(words & {"рекомендовать", "предложить", "призвать", "необходимо", "следует", "требовать",
                         "recommended", "should", "urged", "called", "proposed"})
