"""Candidate new directions: phrases that recur near words of cooperation and that nothing known covers.

The seed report ends with the resolve "to search for and develop new directions of regional
cooperation"; this is that search over a period's documents. A candidate is a lemmatised phrase of
two or three content words (Russian: adjectives and nouns ending in a noun; English: words that are
not function words, adverbs, or a leading -ing form) that
- stands within `window` tokens of a cooperation cue (cues.yaml `cooperation`) in one sentence,
- recurs in at least `min_documents` documents of the period, with no one organiser (or, for a
  document without one, no one source) behind all of them,
- was rare or absent before: its share of the previous period's documents at most 1/`ratio` of its
  share now, and the exact binomial test of the two document counts at p <= q (not adjusted for
  the number of phrases: these are candidates for a person to judge, each shown with its counts),
- is no name and nothing the registry already gives a meaning to: no token of it lies in a match of
  the direction, threat, event-type, format, role or institution-kind cues, a framework, series,
  place or registry institution, or a mention of an institution or person the store resolved.
Function words, numbers, dates (cues.yaml `calendar`), pronouns and proper names (a capital
inside a sentence, pymorphy's name and place tags, abbreviations) never enter a phrase. Nothing
here lists a phrase to drop: stop-phrases are recognised by what their words are.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from razdel import tokenize
from sqlalchemy import select

from ..i18n import LANGS
from ..knowledge.phrases import token_key
from ..nlp.morph import fold, is_abbreviation
from ..store.schema import documents, mentions
from .items import AgendaItem, fmt_p, span, texts
from .significance import compare

# Cue groups of cues.yaml whose phrases already mean something to the extractor.
COVERING_GROUPS = ("directions", "threats", "event_types", "event_generic", "formats", "roles", "mask", "org_heads",
                   "offices", "generic_bodies", "collective", "threat_markers", "speech", "participant", "chair",
                   "organizer_before", "organizer_after", "description")
_RU_CONTENT = {"NOUN": "N", "ADJF": "A", "PRTF": "A"}
_NAME_GRAMMEMES = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Apro", "Init"}
_SENTENCE_END = {".", "!", "?", ";", "…"}


@dataclass(slots=True)
class Found:
    keys: tuple[str, ...]
    documents: dict = field(default_factory=dict)  # doc id -> the sentence it stands in
    surfaces: Counter = field(default_factory=Counter)


@lru_cache(maxsize=200_000)
def _word_class(morph, word: str) -> str | None:
    """'N' (a noun), 'A' (an adjective or participle) or None for a Russian word; pronouns, names,
    places and every other part of speech are None."""
    p = morph.parses(word)[0]
    if p.tag.POS not in _RU_CONTENT or _NAME_GRAMMEMES & set(p.tag.grammemes):
        return None
    return _RU_CONTENT[p.tag.POS]


class Vocabulary:
    """What a phrase may not contain, from the registry; built once per registry."""

    def __init__(self, registry) -> None:
        self.registry = registry
        self.morph = registry.morph
        cues = registry.cues
        self.calendar = {self.morph.key(w) for ws in (cues.get("calendar") or {}).values() for w in ws}
        self.function_words = {fold(w) for ws in (cues.get("function_words") or {}).values() for w in ws}
        self.cooperation = registry.cue_index("cooperation")
        self.covering = [registry.cue_index(g) for g in COVERING_GROUPS if registry.cues.get(g)]
        self.covering += [registry.framework_index, registry.series_index, registry.place_index, registry.org_index]

    @classmethod
    def of(cls, registry) -> "Vocabulary":
        cache = registry.__dict__.setdefault("_agenda_vocabulary", {})
        if "v" not in cache:
            cache["v"] = cls(registry)
        return cache["v"]

    def word_class(self, word: str, key: str, sentence_start: bool) -> str | None:
        if len(word) < 3 or not all(part.isalpha() for part in word.split("-")) or is_abbreviation(word):
            return None
        if word[:1].isupper() and not sentence_start:
            return None  # a capital inside a sentence starts a name
        if key in self.calendar:
            return None
        if any("а" <= c.lower() <= "я" or c in "ёЁ" for c in word):
            return _word_class(self.morph, word)
        if not word.isascii() or fold(word) in self.function_words:
            return None
        return "W"

    def phrases(self, text: str, names: list[tuple[int, int]], window: int) -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
        """(keys, surface words, sentence) of each candidate phrase near a cooperation cue."""
        toks = list(tokenize(text))
        if not toks:
            return []
        keys = [token_key(t.text, self.morph.key) for t in toks]
        sentence = [0] * len(toks)
        for i in range(1, len(toks)):
            gap = text[toks[i - 1].stop:toks[i].start]
            sentence[i] = sentence[i - 1] + (toks[i - 1].text in _SENTENCE_END or "\n" in gap)
        cues = self.cooperation.find(keys)
        if not cues:
            return []
        blocked = [False] * len(toks)
        # the registry's phrases are looked for only in the sentences that hold a cue (the costly part)
        spans: dict[int, list[int]] = {}
        for i, s in enumerate(sentence):
            spans.setdefault(s, [i, i])[1] = i + 1
        for s in sorted({sentence[m.first] for m in cues}):
            lo, hi = spans[s]
            for ix in self.covering:
                for m in ix.find(keys[lo:hi]):
                    for i in range(lo + m.first, lo + m.last):
                        blocked[i] = True
        for m in cues:
            for i in range(m.first, m.last):
                blocked[i] = True
        if names:
            for i, t in enumerate(toks):
                if any(s < t.stop and t.start < e for s, e in names):
                    blocked[i] = True
        cls = [None if blocked[i] else
               self.word_class(t.text, keys[i], i == 0 or sentence[i] != sentence[i - 1]) for i, t in enumerate(toks)]
        out = []
        for m in cues:
            s = sentence[m.first]
            lo, hi = max(0, m.first - window), min(len(toks), m.last + window)
            for i in range(lo, hi):
                for n in (2, 3):
                    j = i + n
                    if j > hi or j > len(toks) or any(sentence[x] != s for x in range(i, j)):
                        continue
                    kinds = cls[i:j]
                    if None in kinds or not _shaped(kinds, tuple(t.text for t in toks[i:j])):
                        continue
                    if any(text[toks[x].stop:toks[x + 1].start].strip() for x in range(i, j - 1)):
                        continue
                    start = max(0, text.rfind("\n", 0, toks[i].start) + 1, toks[i].start - 90)
                    stop = min(len(text), toks[j - 1].stop + 90)
                    newline = text.find("\n", toks[j - 1].stop)
                    if 0 <= newline < stop:
                        stop = newline
                    out.append((tuple(keys[i:j]), tuple(t.text for t in toks[i:j]), text[start:stop].strip()))
        return out


def _shaped(kinds: list[str], words: tuple[str, ...]) -> bool:
    """Russian phrases end in a noun (adjectives and nouns before it). English ones, untagged, hold
    no adverb (-ly) and do not start with a verb's -ing form ('seeking optimal models')."""
    if "W" in kinds:
        return all(k == "W" for k in kinds) and not any(w.lower().endswith("ly") for w in words) \
            and not words[0].lower().endswith("ing")
    return kinds[-1] == "N"


def _origins(rows) -> dict[int, set]:
    """Who stands behind each document: the organisers of its events, else its source."""
    out: dict[int, set] = defaultdict(set)
    for r in rows:
        for eid, _name, _country, role in r.orgs:
            if role == "organizer":
                out[r.document_id].add(("org", eid))
    for r in rows:
        if not out[r.document_id]:
            out[r.document_id].add(("source", r.source))
    return out


def new_directions(store, registry, now_rows, old_rows, *, min_documents: int = 3, ratio: float = 4.0,
                   q: float = 0.05, window: int = 6, evidence_limit: int = 10, previous: tuple[str, str] = ("", "")):
    """Agenda items of kind `new_direction` from the documents of the period's events (`now_rows`)
    against those of the previous period's (`old_rows`); see the module's docstring."""
    vocab = Vocabulary.of(registry)
    first_event = {}
    for r in sorted(now_rows, key=lambda r: (r.date, r.id)):
        first_event.setdefault(r.document_id, r)
    docs_now = sorted(first_event)
    docs_old = sorted({r.document_id for r in old_rows} - set(docs_now))
    origins = _origins(now_rows)
    found: dict[tuple, Found] = {}
    with store.connect() as conn:
        names: dict[int, list] = defaultdict(list)
        texts_ = {}
        for chunk in _chunks(docs_now):
            for doc, s, e in conn.execute(select(mentions.c.document_id, mentions.c.start, mentions.c.end)
                                          .where(mentions.c.document_id.in_(chunk))):
                names[doc].append((s, e))
            texts_.update(conn.execute(select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))).all())
    for doc in docs_now:
        for keys, words, sentence in vocab.phrases(texts_.get(doc) or "", names.get(doc, []), window):
            f = found.setdefault(keys, Found(keys))
            f.documents.setdefault(doc, sentence)
            f.surfaces[words] += 1
    recurring = [f for f in found.values() if len(f.documents) >= min_documents
                 and not set.intersection(*(origins[d] for d in f.documents))]
    if not recurring:
        return []
    # how many documents of each period hold the phrase anywhere (the stored lemmas of the cleaned text)
    anywhere_now: Counter = Counter()
    anywhere_old: Counter = Counter()
    needles = {f.keys: " " + " ".join(f.keys) + " " for f in recurring}
    with store.connect() as conn:
        for ids, counter in ((docs_now, anywhere_now), (docs_old, anywhere_old)):
            for chunk in _chunks(ids):
                for lemmas in conn.execute(select(documents.c.lemmas).where(documents.c.id.in_(chunk))).scalars():
                    padded = " " + (lemmas or "") + " "
                    for k, needle in needles.items():
                        if needle in padded:
                            counter[k] += 1
    n_now, n_old = len(docs_now), len(docs_old)
    kept = []
    for f in recurring:
        a = max(len(f.documents), anywhere_now[f.keys])
        b = anywhere_old[f.keys]
        c = compare(a, b, n_now, n_old, "up")
        if n_old and b / n_old * ratio > a / n_now:
            continue
        if c.p_value > q:
            continue
        kept.append((f, c))
    kept = _outermost(kept)
    items = []
    w = texts()["why"]["new_direction"]
    for f, c in kept:
        label = _label(vocab, f)
        n_origins = len(set.union(*(origins[d] for d in f.documents)))
        why = {lang: w[lang].format(label=label, documents=len(f.documents), origins=n_origins, before=c.before,
                                    total_before=c.total_before, p=fmt_p(c.p_value)) for lang in LANGS}
        docs = sorted(f.documents, key=lambda d: (first_event[d].date, d), reverse=True)
        evidence = [{**first_event[d].evidence(), "snippet": f.documents[d]} for d in docs]
        stats = {"documents": len(f.documents), "documents_anywhere": c.now, "documents_before": c.before,
                 "documents_total": n_now, "documents_total_before": n_old, "origins": n_origins,
                 "rate_ratio": c.rate_ratio, "p_value": c.p_value, "previous": span(previous),
                 "forms": [" ".join(s) for s, _ in f.surfaces.most_common(3)]}
        items.append(AgendaItem("new_direction", None, {lang: label for lang in LANGS}, why, stats,
                                evidence[:evidence_limit], len(evidence), phrase=" ".join(f.keys),
                                strength=-math.log10(max(c.p_value, 1e-300))))
    return items


def _outermost(kept: list) -> list:
    """Of two candidates one inside the other ('зеленый водород', 'производство зеленый водород'),
    the one found in more documents, the longer on a tie."""
    out = []
    for f, c in sorted(kept, key=lambda fc: (-len(fc[0].documents), -len(fc[0].keys), fc[0].keys)):
        if any(_inside(f.keys, g.keys) or _inside(g.keys, f.keys) for g, _ in out):
            continue
        out.append((f, c))
    return out


def _inside(a: tuple, b: tuple) -> bool:
    return len(a) <= len(b) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _label(vocab: Vocabulary, f: Found) -> str:
    """The phrase as people write it, in the nominative: the commonest surface form, inflected."""
    words = list(f.surfaces.most_common(1)[0][0])
    if any("а" <= ch.lower() <= "я" for w in words for ch in w):
        words = vocab.morph.nominative_phrase(words)
    return " ".join(w.lower() for w in words)


def _chunks(ids: list, size: int = 900):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]
