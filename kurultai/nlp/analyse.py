"""Segmentation, matching keys and named entities over a cleaned text.

natasha's NER runs on the whole text (it is the cheap part); for Russian, a CRF trained on NEREL
(tagger.py) then reads natasha's tags with the words and gives the organisation and person spans.
Context-free lemmas come from a cached pymorphy (see morph.py). The morphological tagger and the
syntax parser are not run: the rules need lemmas and case forms of a few names, which the
vocabulary gives directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from razdel import sentenize, tokenize

from . import turkic
from .morph import Morph
from .tagger import Tagger, natasha_tags


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    stop: int
    text: str
    key: str  # what the registry and the cue lists are matched on


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    stop: int
    first: int  # index of its first token
    last: int  # index past its last token


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    stop: int
    type: str  # PER, ORG, LOC


@dataclass(slots=True)
class Analysis:
    text: str
    lang: str
    tokens: list[Token]
    sentences: list[Sentence]
    entities: list[Entity] = field(default_factory=list)

    def sentence_at(self, offset: int) -> Sentence:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]

    def token_index(self, offset: int) -> int:
        """Index of the first token that ends after `offset`."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].stop <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


class Analyser:
    """Loads natasha's models once; `analyse` is then called per document."""

    def __init__(self, morph: Morph | None = None, tagger: bool = True) -> None:
        from natasha import NewsEmbedding, NewsNERTagger

        self.morph = morph or Morph()
        self.ner = NewsNERTagger(NewsEmbedding())
        self.tagger = Tagger(self.morph) if tagger and Tagger.available() else None

    def analyse(self, text: str, lang: str) -> Analysis:
        morph = self.morph.for_lang(lang)
        tokens = [Token(t.start, t.stop, t.text, morph.key(t.text)) for t in morph.tokenize(text)]
        sentences = list(_sentences(text, tokens))
        entities = []
        if lang == "ru" and text.strip():
            spans = self.ner(text).spans
            entities = [Entity(s.start, s.stop, s.type) for s in spans]
            if self.tagger is not None:
                entities = self._tagged(tokens, sentences, spans)
        elif lang in turkic.LANGUAGES:
            entities = _turkic_entities(tokens, sentences, lang, morph)
        return Analysis(text, lang, tokens, sentences, entities)

    def _tagged(self, tokens: list[Token], sentences: list[Sentence], spans) -> list[Entity]:
        """Organisations and persons from the CRF (which sees natasha's tags), places from natasha.

        natasha's organisation and person spans that lie inside one of the CRF's organisations stay
        too, as the nested mentions they are: the extraction reads a name's parts from them
        («Центром российских исследований» in a longer name that ends in a registry's university).
        """
        tags = natasha_tags(tokens, spans)
        out = []
        for sent in sentences:
            words = [t.text for t in tokens[sent.first:sent.last]]
            for f, l, typ in self.tagger.tag(words, tags[sent.first:sent.last]):
                out.append(Entity(tokens[sent.first + f].start, tokens[sent.first + l - 1].stop, typ))
        have = {(e.start, e.stop) for e in out}
        for s in spans:
            if s.type == "LOC" or (s.start, s.stop) not in have and any(
                    e.type == "ORG" and e.start <= s.start and s.stop <= e.stop for e in out):
                out.append(Entity(s.start, s.stop, s.type))
            elif s.type == "ORG" and (s.start, s.stop) not in have and any(
                    e.type == "ORG" and s.start < e.start and e.stop <= s.stop for e in out):
                # natasha's «Центр региональных исследований «Ордо»» around the CRF's «Ордо»: the
                # whole name, with the CRF's part as its nested mention
                out.append(Entity(s.start, s.stop, s.type))
        return sorted(out, key=lambda e: (e.start, -e.stop))


def _turkic_entities(tokens: list[Token], sentences: list[Sentence], lang: str, morph) -> list[Entity]:
    """People by the region's surname patterns, institutions by the head noun that ends them."""
    eponym = turkic.eponym_links(lang)
    people = [(f, l) for f, l in turkic.person_spans(tokens, lang)
              if not (l < len(tokens) and turkic.skeleton(tokens[l].text, lang) in eponym)]
    taken = {i for f, l in people for i in range(f, l)}
    firsts = {s.first for s in sentences}
    lowercase = {t.key for t in tokens if t.text[:1].islower()}
    orgs = turkic.org_spans(tokens, lang, taken, firsts, lowercase, morph.key, morph.is_known, morph.is_inflected)
    return sorted([Entity(tokens[f].start, tokens[l - 1].stop, "PER") for f, l in people]
                  + [Entity(tokens[f].start, tokens[l - 1].stop, "ORG") for f, l in orgs], key=lambda e: e.start)


_LINE = re.compile(r"[^\n]+")


def _spans(line: str):
    """razdel's sentences of a line, joined again where one ends in a semicolon: a list of people
    or bodies separated by «;» is one sentence with one verb («X, ...; Y, ...; Z, ... presented»)."""
    pending = None
    for s in sentenize(line):
        if pending is not None:
            s_start = pending
        else:
            s_start = s.start
        if s.text.rstrip().endswith(";") or _open_quote(line, s_start, s.stop) or _TITLE_ABBR.search(s.text):
            pending = s_start
            continue
        pending = None
        yield s_start, s.stop
    if pending is not None:
        yield pending, len(line.rstrip())


# a title written short before a name ends no sentence: "University's Prof. Emre Kaya", «проф. Иванов»
_TITLE_ABBR = re.compile(r"(?:^|\s|\b)(?:Prof|Dr|Mr|Mrs|Ms|Acad|Amb|Assoc|проф|акад|д-р)\.\s*$")


def _open_quote(line: str, start: int, stop: int) -> bool:
    """A sentence end inside quotes is none: «Центральная и Южная Азия: региональная
    взаимосвязанность. Вызовы и возможности» is one title, when its closing quote follows soon."""
    part = line[start:stop]
    return part.count("«") > part.count("»") and "»" in line[stop:stop + 300] \
        or part.count("“") > part.count("”") and "”" in line[stop:stop + 300]


def _sentences(text: str, tokens: list[Token]):
    """Sentences never cross a line break: cleaned text keeps breaks only where layout means them."""
    i = 0
    for line in _LINE.finditer(text):
        for s_start, s_stop in _spans(line.group()):
            start, stop = line.start() + s_start, line.start() + s_stop
            while i < len(tokens) and tokens[i].stop <= start:
                i += 1
            first = i
            while i < len(tokens) and tokens[i].start < stop:
                i += 1
            yield Sentence(start, stop, first, i)
