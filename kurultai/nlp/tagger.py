"""A learned organisation and person tagger for Russian, used beside natasha's NER.

A linear-chain CRF (CRFsuite) over razdel tokens, trained on the train split of NEREL (Russian
news with nested named entities) by scripts/train_tagger.py. Its features are the word, its lemma,
suffixes, shape, pymorphy's reading (part of speech, case, name/surname/place/organisation marks),
the neighbours up to two tokens away, whether the word stands inside quotes, and natasha's own tag
of the token: the CRF learns where natasha is right and where it stops short or goes too far
(lower-case bodies such as «прокуратура», tails such as «при Президенте …», quoted names).

Two layers are tagged, since names nest: the outer one gives the longest organisation and person
spans («Министерство иностранных дел России»), the inner one the innermost
(«МВД» inside «МВД Киргизии»). Their union is what the extraction sees.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .morph import is_abbreviation

DATA = Path(__file__).parent / "data"
MODELS = {"outer": DATA / "tagger-outer.crfsuite", "inner": DATA / "tagger-inner.crfsuite"}
TYPES = ("ORG", "PER")

_QUOTES_OPEN = set("«„“")
_QUOTES_CLOSE = set("»”")
_FLAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Init", "Trad", "Fixd")


def _shape(w: str) -> str:
    out = []
    for c in w[:6]:
        s = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)


class Features:
    """Per-token features; the pymorphy reading of a word is computed once and cached."""

    def __init__(self, morph) -> None:
        self.morph = morph
        self.word = lru_cache(maxsize=50_000)(self._word)
        self.around = lru_cache(maxsize=20_000)(self._around)

    def _around(self, w: str) -> dict[int, tuple[str, ...]]:
        """A word's features as its neighbours see them, prefixed with their offset; the farther
        neighbours see only its form, shape, part of speech and case."""
        own = self.word(w)
        far = [g for g in own if g[:2] in ("w=", "sh", "po", "ca") or g in ("cap", "abbr")]
        return {d: tuple(f"{d}:{g}" for g in (own if abs(d) == 1 else far)) for d in (-2, -1, 1, 2)}

    def _word(self, w: str) -> tuple[str, ...]:
        low = w.lower().replace("ё", "е")
        f = [f"w={low}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"s4={low[-4:]}", f"sh={_shape(w)}"]
        if w[:1].isupper():
            f.append("cap")
        if is_abbreviation(w) or (w.isupper() and len(w) > 1):
            f.append("abbr")
        if w.isalpha():
            if not self.morph.vocab.word_is_known(low):
                f.append("unk")  # a name the dictionary lacks: Central Asian names often are
            parses = self.morph.parses(w)
            if parses:
                p = parses[0]
                tag = p.tag
                f.append(f"pos={tag.POS}")
                if tag.case:
                    f.append(f"case={tag.case}")
                f.append(f"lem={p.normal_form}")
                grams = set().union(*(q.tag.grammemes for q in parses[:3]))
                f.extend(f"g={g}" for g in _FLAGS if g in grams)
        return tuple(f)

    def sentence(self, words: Sequence[str], natasha: Sequence[str]) -> list[list[str]]:
        """Features of one sentence's tokens; `natasha` holds natasha's BIO tag of each token."""
        n = len(words)
        own = [self.word(w) for w in words]
        around = [self.around(w) for w in words]
        quoted, depth = [], 0
        for w in words:
            if w in _QUOTES_CLOSE or (w == '"' and depth):
                depth = max(0, depth - 1)
                quoted.append(False)
                continue
            quoted.append(depth > 0)
            if w in _QUOTES_OPEN or w == '"':
                depth += 1
        out = []
        for i in range(n):
            f = ["b", *own[i], f"ner={natasha[i]}", f"ner|sh={natasha[i]}|{own[i][4][3:]}"]
            if quoted[i]:
                f.append("inq")
            if i == 0:
                f.append("BOS")
            if i == n - 1:
                f.append("EOS")
            for d in (-2, -1, 1, 2):
                j = i + d
                if not 0 <= j < n:
                    continue
                f.extend(around[j][d])
                f.append(f"{d}:ner={natasha[j]}")
            if i > 0:
                f.append(f"bi={own[i - 1][0][2:]}|{own[i][0][2:]}")
            out.append(f)
        return out


def natasha_tags(tokens: Sequence, spans: Iterable) -> list[str]:
    """natasha's spans as a BIO tag per token (tokens and spans carry start/stop offsets)."""
    tags = ["O"] * len(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    stops = [t.stop for t in tokens]
    for s in spans:
        i = starts.get(s.start)
        if i is None:
            continue
        tags[i] = f"B-{s.type}"
        j = i + 1
        while j < len(tokens) and stops[j] <= s.stop:
            tags[j] = f"I-{s.type}"
            j += 1
    return tags


def decode(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO labels to (first, last, type) token ranges; a stray I- opens a span."""
    out, cur = [], None
    for i, lab in enumerate(labels):
        if lab == "O" or lab.startswith("B-") or (cur and lab[2:] != cur[2]):
            if cur:
                out.append(tuple(cur))
            cur = [i, i + 1, lab[2:]] if lab != "O" else None
        else:
            if cur is None:
                cur = [i, i + 1, lab[2:]]
            else:
                cur[1] = i + 1
    if cur:
        out.append(tuple(cur))
    return out


class Tagger:
    """Loads the CRF weights once; `tag` then gives organisation and person spans per sentence."""

    def __init__(self, morph, models: dict[str, Path] | None = None) -> None:
        import pycrfsuite

        self.features = Features(morph)
        self.taggers = []
        for path in (models or MODELS).values():
            t = pycrfsuite.Tagger()
            t.open(str(path))
            self.taggers.append(t)

    @staticmethod
    def available(models: dict[str, Path] | None = None) -> bool:
        return all(p.exists() for p in (models or MODELS).values())

    def tag(self, words: Sequence[str], natasha: Sequence[str]) -> list[tuple[int, int, str]]:
        """(first, last, type) token ranges of one sentence, the layers' union without repeats."""
        if not words:
            return []
        import pycrfsuite

        xseq = pycrfsuite.ItemSequence(self.features.sentence(words, natasha))
        outer, inner = (decode(t.tag(xseq)) for t in self.taggers)
        out = set(inner)
        out.update(o for o in outer if not _enumeration(o, inner, words))
        out = {s for s in out if not _two_names(s, words)}
        theirs = [s for s in decode(natasha) if s[2] == "PER"]
        return sorted({self._widened(s, theirs, words) for s in out})

    def _widened(self, span, theirs, words):
        """natasha's person span where it only adds name-like words to the CRF's: a first name the
        dictionary lacks («Кубат Умурзаков») is where NEREL's news taught the CRF least."""
        f, l, typ = span
        if typ != "PER":
            return span
        for a, b, _ in theirs:
            if a <= f and l <= b and (a, b) != (f, l) and all(
                    words[k][:1].isupper() and words[k].isalpha() and
                    ({"unk", "g=Name", "g=Surn", "g=Patr"} & set(self.features.word(words[k])))
                    for k in [*range(a, f), *range(l, b)]):
                return (a, b, typ)
        return span


_DASHES = {"–", "—"}


def _two_names(span, words) -> bool:
    """A spaced dash before a capitalised word joins two names («ЕАЭС – Казахстан», a format
    «Россия – Центральная Азия», a title in capitals); inside one name a dash joins lower-case
    words («Форум стран – экспортёров газа»)."""
    f, l, _ = span
    return any(words[k] in _DASHES and words[k + 1][:1].isupper() for k in range(f + 1, l - 1))


def _enumeration(span, inner, words) -> bool:
    """An outer span that runs over a comma between two inner names is a list of names glued
    together («университета, общественного фонда …»), not one name."""
    f, l, _ = span
    parts = [s for s in inner if f <= s[0] and s[1] <= l and s != span]
    return any(words[k] == "," and any(a[1] <= k for a in parts) and any(b[0] > k for b in parts)
               for k in range(f, l))
