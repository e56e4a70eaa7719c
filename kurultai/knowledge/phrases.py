"""Phrase matching over token keys with Aho-Corasick: every case form of a name finds its entry.

A phrase and a document are both turned into sequences of keys (lemmas, or abbreviations as
written; see nlp/morph.py), quotes and brackets dropped and dashes unified, so that
"Казахстанско-немецкого университета" and the entry "Казахстанско-немецкий университет" meet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import ahocorasick
from razdel import tokenize

_DROP = re.compile(r"^[«»\"“”„‟'`()\[\]{}‘’]+$")
_DASH = re.compile(r"^[-–—‐‑]+$")


def phrase_keys(text: str, key: Callable[[str], str], tokens: Callable = tokenize) -> list[str]:
    return [k for t in tokens(text) if (k := token_key(t.text, key))]


def token_key(word: str, key: Callable[[str], str]) -> str:
    if _DROP.match(word):
        return ""
    if _DASH.match(word):
        return "-"
    return key(word)


@dataclass(frozen=True, slots=True)
class Match:
    first: int  # index of the first token in the analysed document
    last: int  # index past the last token
    values: tuple  # payloads of every entry with this exact key sequence


class PhraseIndex:
    """Many phrases, one automaton; `find` returns leftmost-longest matches on token boundaries."""

    def __init__(self, key: Callable[[str], str], tokens: Callable = tokenize) -> None:
        self.key = key
        self.tokens = tokens  # the tokenizer of the documents matched (Uzbek keeps o‘ in a word)
        self.exact = False  # matched on folded word forms rather than lemmas
        self._entries: dict[str, list[Any]] = {}
        self._automaton = None

    def add(self, phrase: str, value: Any) -> None:
        keys = phrase_keys(phrase, self.key, self.tokens)
        if not keys:
            return
        self._entries.setdefault(" ".join(keys), []).append(value)
        self._automaton = None

    def __len__(self) -> int:
        return len(self._entries)

    def _build(self):
        a = ahocorasick.Automaton()
        for joined, values in self._entries.items():
            a.add_word(f" {joined} ", (joined.count(" ") + 1, tuple(dict.fromkeys(values))))
        if len(a):
            a.make_automaton()
        self._automaton = a
        return a

    def find(self, keys: Sequence[str], longest: bool = True) -> list[Match]:
        """Matches over a document's token keys ("" keys are skipped, as in phrases)."""
        a = self._automaton or self._build()
        if not len(a):
            return []
        kept = [i for i, k in enumerate(keys) if k]
        parts, end_of, pos = [" "], {}, 1
        for n, i in enumerate(kept):
            parts.append(keys[i])
            parts.append(" ")
            pos += len(keys[i])
            end_of[pos] = n  # the space after key n
            pos += 1
        matches = []
        for end, (n_tokens, values) in a.iter("".join(parts)):
            last_n = end_of.get(end)
            if last_n is not None:
                matches.append(Match(kept[last_n - n_tokens + 1], kept[last_n] + 1, values))
        if not longest:
            return sorted(matches, key=lambda m: (m.first, -m.last))
        return _leftmost_longest(matches)


def _leftmost_longest(matches: Iterable[Match]) -> list[Match]:
    out, taken_to = [], -1
    for m in sorted(matches, key=lambda m: (m.first, -(m.last - m.first))):
        if m.first >= taken_to:
            out.append(m)
            taken_to = m.last
    return out
