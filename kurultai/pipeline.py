"""read -> clean -> analyse -> extract: one document in, one contract record out.

`Extractor` loads natasha's models and the registry once; `extract` is then a plain function
of a `Text`. The CLI, the benchmarks and (later) the store and the Dask workers all call it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from .extract.context import Context
from .extract.event_dates import find_document_date, resolve_with_registry
from .extract.events import find_events
from .extract.venue import find_format, find_place
from .extract.orgs import find_orgs
from .extract.outcomes import find_outcomes
from .extract.persons import find_persons
from .extract.record import build_record
from .extract.roles import assign_roles
from .extract.references import find_references
from .extract.topics import find_topics
from .knowledge.registry import Registry
from .nlp.analyse import Analyser
from .nlp.dates import as_date, find_dates
from .nlp.lang import detect_language
from .nlp.morph import Morph
from .read import Text, clean
from .read.chrome import chrome_lines

EXTRACTED_LANGUAGES = ("ru", "en", "uz", "kk")


@dataclass(frozen=True)
class Extraction:
    """One document's extraction, made once and stored as it is: the text read, its cleaned text,
    the record, the matching keys (lemmas) search indexes, and (computed on first use, once) the
    MinHash signature reprints are found by. A record made for the store names its original's
    bytes (`document.sha256`, given to `Extractor.extraction`); otherwise its text's."""

    text: Text
    cleaned: str
    record: dict
    keys: tuple[str, ...]

    @property
    def lemmas(self) -> str:
        return " ".join(k for k in self.keys if k)

    @cached_property
    def signature(self):
        """numpy array of the MinHash values of the cleaned text (kurultai.minhash)."""
        from .minhash import of_cleaned  # datasketch takes a second to import: only where reprints are sought
        return of_cleaned(self.cleaned)


class Extractor:
    def __init__(self, registry: Registry | None = None) -> None:
        self.morph = registry.morph if registry else Morph()
        self.registry = registry or Registry.load(self.morph)
        self.analyser = Analyser(self.morph)
        self._warm()

    def _warm(self) -> None:
        """Build every phrase index now, so that a document's time limit counts its own work and not
        a one-off build (about a second for the four languages' registry views)."""
        for lang in EXTRACTED_LANGUAGES:
            view = self.registry.for_lang(lang)
            for name in ("org_index", "framework_index", "series_index", "place_index"):
                getattr(view, name)
            for group in view.cues:
                view.cue_index(group)

    def extract(self, text: Text) -> dict:
        return self.extraction(text).record

    def extract_with_keys(self, text: Text) -> tuple[dict, list[str]]:
        """The record, and the matching keys (lemmas) of the cleaned text, which search indexes."""
        done = self.extraction(text)
        return done.record, list(done.keys)

    def extraction(self, text: Text, sha256: str | None = None) -> Extraction:
        """The extraction of `text`; `sha256` (of the bytes it was read from) names the document
        in the record, else the SHA-256 of its text does."""
        if sha256:
            text = replace(text, meta={**text.meta, "sha256": sha256})
        cleaned = clean(text.raw)
        lang = detect_language(cleaned.text)
        registry = self.registry.for_lang(lang)  # first: it teaches the language's morphology its words
        analysis = self.analyser.analyse(cleaned.text, lang if lang in EXTRACTED_LANGUAGES else "xx")
        analysis.lang = lang
        ctx = Context(analysis, registry)
        dates = find_dates(cleaned.text, lang)
        # a web page's own publication date is the document's; a file's creation date is not
        # (word processors stamp their templates' dates)
        published = text.meta.get("published") if text.meta.get("format") == "html" else None
        if published and as_date(str(published)[:10]):
            ctx.published = str(published)[:10]
        else:
            find_document_date(ctx, dates)
        events = []
        if lang in EXTRACTED_LANGUAGES:
            find_orgs(ctx)
            find_persons(ctx)
            events = [self._event(ctx, ev) for ev in find_events(ctx, dates)]
        title = text.meta.get("title") or _headline(cleaned.text, self._chrome())
        record = build_record(ctx, text, cleaned, events, title)
        return Extraction(text, cleaned.text, record, tuple(ctx.keys))

    def _chrome(self) -> tuple[str, ...]:
        spec = self.registry.cues.get("page_chrome") or {}
        return tuple(p for phrases in spec.values() for p in phrases)

    def _event(self, ctx: Context, ev) -> dict:
        evidence: list[dict] = []
        ctx.scope = ev.scope
        find_place(ctx, ev)
        find_format(ctx, ev)
        refs = find_references(ctx, ev, evidence)
        resolve_with_registry(ctx, ev, refs)
        roles = assign_roles(ctx, ev, evidence)
        topics = find_topics(ctx, ev, evidence, refs, roles)
        outcomes = find_outcomes(ctx, ev, roles["speakers"],
                                 [(x["start"], x["end"]) for x in evidence if x["field"] == "references"])
        ctx.scope = None
        evidence.append({"field": "type", "value": ev.type, "start": ev.trigger[0], "end": ev.trigger[1]})
        for field, span, value in (("title", ev.title_span, ev.title), ("date", ev.date_span, (ev.date or {}).get("value")),
                                   ("format", ev.format_span, ev.format), ("place", ev.place_span, ev.place)):
            if span:
                evidence.append({"field": field, "value": value, "start": span[0], "end": span[1]})
        return {
            "type": ev.type,
            "title": ev.title,
            "date": ev.date,
            "format": ev.format,
            "place": ev.place,
            "organizers": roles["organizers"],
            "participants": roles["participants"],
            "speakers": roles["speakers"],
            "countries": roles["countries"],
            **topics,
            "references": refs,
            "outcomes": outcomes,
            "evidence": evidence,
        }


def _headline(text: str, chrome: tuple[str, ...] = ()) -> str | None:
    """The first line that reads like a headline: several words, not page chrome (a menu, a
    counter, a byline, a share line: kurultai.read.chrome), a date or a prompt."""
    top = text.split("\n")[:12]
    skipped = {a for a, _ in chrome_lines(text, 0, sum(len(x) + 1 for x in top))}
    pos = 0
    for line in top:
        at, pos = pos, pos + len(line) + 1
        line = line.strip()
        if at in skipped:
            continue
        if line.lower().startswith(chrome):
            continue
        words = re.findall(r"[^\W\d_]{2,}", line)
        separators = len(re.findall(r"\s[/|›»•·]\s|\s{3,}", line))  # breadcrumbs and menus
        if 4 <= len(words) and len(line) <= 200 and not line.endswith((":", ".")) and separators == 0:
            return line
    return None
