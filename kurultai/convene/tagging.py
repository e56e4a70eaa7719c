"""Tagging a contribution: the directions, threats and frameworks a speaker raised, and the
sentences that read like outcomes, each with its evidence span in the contribution's own text.

The same registry phrase indices and cue groups as document extraction (extract/topics.py), over a
text that has no event around it: every sentence counts, a threat still needs a threat word in its
sentence (or to be one by itself), and an outcome is any sentence with an outcome cue, since here
the speaker is known and an editor confirms what the session agreed.
"""
from __future__ import annotations

from ..extract.context import Context
from ..extract.topics import usable
from ..nlp.lang import detect_language
from ..read import clean


class Tagger:
    def __init__(self, extractor) -> None:
        self.extractor = extractor
        self.registry = extractor.registry

    def tag(self, text: str) -> dict:
        cleaned = clean(text)
        lang = detect_language(cleaned.text)
        lang = lang if lang in ("ru", "en") else "ru"
        analysis = self.extractor.analyser.analyse(cleaned.text, lang)
        analysis.lang = lang
        ctx = Context(analysis, self.registry)
        out = {"language": lang, "directions": [], "threats": [], "frameworks": [], "outcomes": []}

        def add(field, value, s, e, **extra):
            if any(t["id"] == value for t in out[field]) and field != "outcomes":
                return
            rs, re_ = cleaned.to_raw(s, e)
            out[field].append({"id": value, "start": rs, "end": re_, "text": text[rs:re_], **extra})

        for m in ctx.cues("directions"):
            if usable(ctx, m):
                add("directions", m.values[0], *ctx.span(m))
        markers = {analysis.sentence_at(ctx.span(m)[0]).start for m in ctx.cues("threat_markers")}
        for m in ctx.cues("threats"):
            s, e = ctx.span(m)
            phrase = " ".join(k for k in ctx.keys[m.first:m.last] if k)
            if usable(ctx, m) and (phrase in self.registry.intrinsic_threat_keys
                                    or analysis.sentence_at(s).start in markers):
                add("threats", m.values[0], s, e)
        for m in ctx.frameworks:
            for fid in m.values:
                add("frameworks", fid, *ctx.span(m))
        seen = set()
        for m in ctx.cues("outcomes"):
            sent = analysis.sentence_at(ctx.span(m)[0])
            if sent.start in seen:
                continue
            seen.add(sent.start)
            rs, re_ = cleaned.to_raw(sent.start, sent.stop)
            out["outcomes"].append({"kind": m.values[0], "start": rs, "end": re_, "text": text[rs:re_]})
        return out
