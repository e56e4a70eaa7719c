"""The search box's language: words (all must be found), "phrases in quotes", OR between two
alternatives, and a leading minus to exclude a word or a phrase.

    водные ресурсы            both words, in any form
    "водные ресурсы"          the two words one after the other
    вода OR энергия           either word (OR in capitals; | also works)
    вода -энергия             вода, in documents that do not say энергия
    -"Центральная Азия" вода  a phrase excluded

Parsing yields terms as written; search.py keys each one with each language's morphology.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
OR_WORDS = ("OR", "|", "ИЛИ")


@dataclass(frozen=True, slots=True)
class Term:
    """A word, or a phrase when it was quoted (its words must stand together, in order)."""
    text: str
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Parsed:
    """The query: every clause must hold (by any one of its terms); no excluded term may."""
    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def plain(self) -> bool:
        """Words only, as before this language: the whole query may then name an entity."""
        return not self.excluded and all(len(c) == 1 and not c[0].phrase for c in self.clauses)


def parse(query: str) -> Parsed:
    """The clauses and the excluded terms of `query`. An OR at either end, or a minus on its own,
    is taken as nothing; a quote left open runs to the end."""
    items: list[tuple[Term, bool] | str] = []  # (term, excluded), or "OR"
    for m in _TOKEN.finditer(query):
        if m.group(3) is not None:
            word = m.group(3)
            if word in OR_WORDS:
                items.append("OR")
            elif word.startswith("-") and len(word) > 1 and word[1] != "-":
                items.append((Term(word[1:]), True))
            elif word.strip("-"):
                items.append((Term(word), False))
        elif m.group(2).strip():
            items.append((Term(" ".join(m.group(2).split()), phrase=True), bool(m.group(1))))
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False
    for item in items:
        if item == "OR":
            joining = bool(clauses)
            continue
        term, negative = item
        if negative:
            excluded.append(term)
        elif joining:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joining = False
    return Parsed(tuple(tuple(c) for c in clauses), tuple(excluded))
