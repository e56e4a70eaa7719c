"""Word-level morphology: context-free lemmas for matching, and inflection to the nominative.

Matching keys are context-free on purpose: the registry's aliases and the document's words are
lemmatised the same way, so every case form of a name finds its nominative entry even where a
contextual tagger would disagree with itself.
"""
from __future__ import annotations

import re
from functools import lru_cache

from natasha import MorphVocab
from pymorphy2.analyzer import Parse
from razdel import tokenize

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_ABBR_CASE_ENDING = re.compile(r"^([А-ЯЕ]{2,})(?:а|у|ом|е|ам|ами|ах|ов)$")
_POSSESSIVE = re.compile(r"[’']s$")
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def is_abbreviation(word: str) -> bool:
    """ИМЭП, KazISS, НИУ, ЕврАзЭС: two capitals or more, matched as written (not 'Кыргызско-Российский')."""
    if sum(1 for c in word if c.isupper()) < 2:
        return False
    return not all(p[:1].isupper() and p[1:].islower() for p in word.split("-") if p)


class Morph:
    """pymorphy through natasha's vocabulary, with caches sized for a news corpus."""

    def __init__(self) -> None:
        self.vocab = MorphVocab()
        self.key = lru_cache(maxsize=200_000)(self._key)
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)
        # readings are asked for by the lemmas, the rules and the NER tagger's features alike;
        # a reading costs ~0.15 ms, so a word's is kept (a tuple: callers only read it)
        self.parses = lru_cache(maxsize=50_000)(self._parses)

    def _lemma(self, word: str) -> str:
        """An adjectival reading wins where a word has one ('Среднего' is 'средний', not the noun
        'среднее'), so that an adjective meets itself in every case and gender; for a word the
        dictionary lacks, only when it is the likeliest guess."""
        if not _CYRILLIC.search(word):
            return fold(word)
        parses = self.parses(word)
        # a guessed adjectival reading of a word the dictionary lacks is no evidence («хоким» is
        # not «хокий»): the guess ranked first stands
        adj = next((p for p in parses if p.tag.POS == "ADJF" and (p.is_known or p is parses[0])), None)
        return fold((adj or parses[0]).normal_form)

    def _key(self, word: str) -> str:
        """The form a word is matched under: abbreviations as written, other words by lemma."""
        if is_abbreviation(word):
            word = word.replace("ё", "е").replace("Ё", "Е")
            stem = _ABBR_CASE_ENDING.match(word)  # "ИМЭПа", "МИДом": the abbreviation inflected
            return stem.group(1) if stem else word
        if not _CYRILLIC.search(word):
            word = _POSSESSIVE.sub("", word)  # "IICA’s" is IICA
            if is_abbreviation(word):
                return word
            return _english_key(fold(word))
        return self.lemma(word)

    def _parses(self, word: str) -> tuple:
        return tuple(self.vocab.parse(word))

    def tokenize(self, text: str):
        return tokenize(text)

    @staticmethod
    def form(word: str) -> str:
        """A word form as cue groups that care for tense match it ("состоится" is not "состоялся")."""
        return fold(word)

    def for_lang(self, lang: str):
        """The morphology documents of `lang` are keyed with: Uzbek and Kazakh have their own."""
        from .turkic import LANGUAGES, TurkicMorph
        if lang not in LANGUAGES:
            return self
        views = self.__dict__.setdefault("_views", {})
        if lang not in views:
            views[lang] = TurkicMorph(lang, self)
        return views[lang]

    def nominative_name(self, words: list[str], oblique: bool | None = None) -> list[str]:
        """Person name parts to the nominative: 'Ерланом Кариным' -> 'Ерлан Карин'.

        A name is inflected only when it is plainly oblique: its first word has no nominative
        reading. Central Asian names the dictionary does not know ('Давлатзода', 'Нодира') and
        initials with a surname ('Д. Хамидова') are left as written rather than guessed at.
        """
        parts = [w for w in words if _CYRILLIC.search(w) and "." not in w and len(w) > 1]
        if not parts or oblique is False or (oblique is None and self._may_be_nominative(parts[0])):
            return words
        gender = None
        for p in self.vocab.parse(parts[0]):
            if "Name" in p.tag.grammemes and p.tag.gender in ("masc", "femn"):
                gender = p.tag.gender
                break
        out = []
        for w in words:
            if w not in parts:
                out.append(w)
                continue
            best = None
            for p in self.vocab.parse(w):
                g = p.tag.grammemes
                if "sing" not in g or "nomn" in g or "accs" in g and "gent" not in g and p.tag.POS != "NOUN":
                    continue
                if not ({"Name", "Surn", "Patr"} & g or (p.tag.POS in ("ADJF", "NOUN") and w[:1].isupper())):
                    continue
                if gender and p.tag.gender and p.tag.gender != gender and "Ms-f" not in g:
                    continue
                best = p
                break
            form = _inflect(best, {"nomn", gender} if best is not None and gender and best.tag.POS == "ADJF"
                            else {"nomn"}) if best is not None else None
            out.append(_surname(_shape(form.word, w), best) if form else w)
        return out

    def _may_be_nominative(self, word: str) -> bool:
        return any("nomn" in p.tag.grammemes for p in self.vocab.parse(word) if p.tag.POS in ("NOUN", "ADJF", None))

    def genitive_phrase(self, words: list[str]) -> list[str]:
        """'Республика Казахстан' -> 'Республики Казахстан': leading adjectives and the head noun."""
        out, number = list(words), "sing"
        for i, w in enumerate(words):
            parses = [p for p in self.vocab.parse(w) if "nomn" in p.tag.grammemes]
            noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
            adj = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
            if adj and not noun:
                f = _inflect(adj, {"gent", "plur" if "plur" in adj.tag.grammemes else "sing"})
                out[i] = _shape(f.word, w) if f else w
                continue
            if noun:
                number = "plur" if "plur" in noun.tag.grammemes else "sing"
                f = _inflect(noun, {"gent", number})
                out[i] = _shape(f.word, w) if f else w
            break
        return out

    def nominative_phrase(self, words: list[str]) -> list[str]:
        """An organisation name to the nominative: inflect leading adjectives and the first noun.

        'Казахстанско-немецкого университета' -> 'Казахстанско-немецкий университет';
        'Центра стратегических исследований при Президенте' -> 'Центр стратегических
        исследований при Президенте': the tail after the head noun is a dependent and stays.
        Adjectives and the head agree in case, which picks the right reading of ambiguous words.
        """
        if not words or not _CYRILLIC.search(words[0]) or is_abbreviation(words[0]):
            return words
        # leading adjectives, then the head noun; their common case picks the readings
        adj_idx, head_index = [], None
        for i, w in enumerate(words):
            if not _CYRILLIC.search(w) or is_abbreviation(w) or not w[:1].isalpha():
                break
            adj = [p for p in self.vocab.parse(_last_part(w)) if p.tag.POS in ("ADJF", "PRTF")]
            noun = [p for p in self.vocab.parse(w) if p.tag.POS == "NOUN"]
            # «Главного управления»: a word read as a noun first is still an adjective when a noun in
            # its case follows
            before_noun = adj and i + 1 < len(words) and _CYRILLIC.search(words[i + 1]) and any(
                q.tag.POS == "NOUN" and q.tag.case in {a.tag.case for a in adj} for q in self.vocab.parse(words[i + 1]))
            if noun and not before_noun and (not adj or noun[0].score > adj[0].score or i + 1 == len(words)
                                             or not _CYRILLIC.search(words[i + 1])):
                head_index = i
                break
            if adj:
                adj_idx.append(i)
                continue
            break
        if head_index is None:
            return words
        cases = None
        for i in adj_idx:
            c = {p.tag.case for p in self.vocab.parse(_last_part(words[i])) if p.tag.POS in ("ADJF", "PRTF")}
            cases = c if cases is None else cases & c
        nouns = [p for p in self.vocab.parse(words[head_index]) if p.tag.POS == "NOUN"
                 and (cases is None or p.tag.case in cases)]
        if not nouns:
            return words
        head = next((p for p in nouns if "sing" in p.tag.grammemes), nouns[0])
        adjectives = []
        for i in adj_idx:
            ps = [p for p in self.vocab.parse(_last_part(words[i])) if p.tag.POS in ("ADJF", "PRTF")
                  and p.tag.case == head.tag.case]
            if ps:
                adjectives.append((i, ps[0]))
        if head is None or "nomn" in head.tag.grammemes:
            return words
        number = "plur" if "plur" in head.tag.grammemes and "Pltm" not in head.tag.grammemes else "sing"
        out = list(words)
        form = _inflect(head, {"nomn", number}) or _inflect(head, {"nomn"})
        if form:
            out[head_index] = _shape(form.word, words[head_index])
        for i, p in adjectives:
            want = {"nomn", number} | ({head.tag.gender} if number == "sing" and head.tag.gender else set())
            f = _inflect(p, want)
            w = words[i]
            part = _last_part(w)
            word = f.word if f and f.word.startswith(part.lower().replace("ё", "е")[:-2]) \
                else _adjective_ending(part.lower(), want)
            if word:
                out[i] = w[: len(w) - len(part)] + _shape(word, part)
        return out


_SIBILANT = set("жшщчк")


def _adjective_ending(word: str, want: set[str]) -> str | None:
    """Stem-keeping fallback where the dictionary's lexeme would swap the stem ('высшей' is not
    'высочайшая'): replace the oblique ending with the nominative one."""
    fem, neut, plur = "femn" in want, "neut" in want, "plur" in want
    for end in ("ого", "его", "ому", "ему", "ой", "ей", "ым", "им", "ом", "ем", "ую", "юю", "ых", "их", "ыми", "ими"):
        if word.endswith(end):
            stem = word[: -len(end)]
            soft = end[0] in "еиюя" and stem[-1:] not in _SIBILANT
            if plur:
                return stem + ("ие" if soft or stem[-1:] in _SIBILANT else "ые")
            if fem:
                return stem + ("яя" if soft else "ая")
            if neut:
                return stem + ("ее" if soft else "ое")
            return stem + ("ий" if soft or stem[-1:] in _SIBILANT else "ый")
    return None


def _last_part(word: str) -> str:
    """'Кыргызско-Российском' is inflected on its last part."""
    return word.rsplit("-", 1)[-1] if "-" in word else word


def _inflect(parse, grams: set[str]):
    """pymorphy's own inflection with OpenCorpora grammemes (natasha's wrapper wants UD names)."""
    return Parse.inflect(parse, grams)


def _english_key(word: str) -> str:
    """A light English stem so that 'Institutes'/'Institute' and 'Ministries' match."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _shape(word: str, like: str) -> str:
    """Give the inflected word the capitalisation of the original."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts, likes = word.split("-"), like.split("-")
    if len(parts) == len(likes):
        return "-".join(p.capitalize() if l[:1].isupper() else p for p, l in zip(parts, likes))
    return word.capitalize() if like[:1].isupper() else word


# a surname the dictionary does not know, read as an adjective in -ов-/-ев-/-ин- ('Томиловым' -> 'Томиловый',
# 'Байжановой' -> 'Байжановая'): such surnames decline as possessives, 'Томилов', 'Байжанова'
_POSSESSIVE_SURNAME = re.compile(r"(?<=[оеёиы][вн])(ый|ая)$")


def _surname(word: str, parse) -> str:
    if parse.tag.POS != "ADJF" or "Surn" in parse.tag.grammemes:
        return word
    return _POSSESSIVE_SURNAME.sub(lambda m: "" if m.group(1) == "ый" else "а", word)
