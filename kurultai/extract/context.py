"""What the rules of one document share: the analysed text, its cue matches, its entities.

Offsets here index the cleaned text; `record.py` maps them back to the raw text at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..knowledge.phrases import Match, token_key
from ..knowledge.registry import Registry
from ..nlp.analyse import Analysis
from ..nlp.dates import find_dates


@dataclass
class Org:
    id: str
    name: str
    short: str | None
    country: str | None
    registry_id: str | None = None
    kind: str = ""
    mentions: list[tuple[int, int]] = field(default_factory=list)
    evidence: tuple[int, int] | None = None  # for an office, which the text names by its holder only

    def add(self, start: int, stop: int) -> None:
        if (start, stop) not in self.mentions:
            self.mentions.append((start, stop))


@dataclass
class Person:
    id: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    affiliation: str | None = None  # Org.id
    role: str | None = None
    country: str | None = None  # from an office: "президент Таджикистана"


@dataclass
class Context:
    analysis: Analysis
    registry: Registry
    orgs: list[Org] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    published: str | None = None  # the document's own date, YYYY-MM-DD
    published_span: tuple[int, int] | None = None
    dateline_day: tuple[int, int] | None = None  # (month, day) of a dateline with no year anywhere
    body_start: int = 0  # first offset past page chrome (menus, date lines)
    scope: tuple[tuple[int, int], ...] | None = None  # the stretches of text about the event being filled in

    @property
    def text(self) -> str:
        return self.analysis.text

    @property
    def lang(self) -> str:
        return self.analysis.lang

    @cached_property
    def keys(self) -> list[str]:
        return [token_key(t.text, lambda _k, t=t: t.key) for t in self.analysis.tokens]

    # whole-document matches of the registry's indices, found once and shared by every rule
    @cached_property
    def places(self) -> list[Match]:
        found = self.registry.place_index.find(self.keys)
        ambiguous = self.registry.ambiguous_place_index.find(self.keys)
        if not ambiguous:
            return found
        # "Azerbaijan, Georgia, Kazakhstan": a name that is also something else is a country in a list of them
        toks = self.analysis.tokens
        ends = {m.last: m for m in found if m.values[0][0] == "country"}
        starts = {m.first: m for m in found if m.values[0][0] == "country"}

        def glued(a: int, b: int) -> bool:
            return b - a <= 2 and all(t.text.lower() in _COUNTRY_GLUE for t in toks[a:b])
        more = [m for m in ambiguous if any(glued(e, m.first) for e in ends if e <= m.first)
                or any(glued(m.last, s) for s in starts if s >= m.last)]
        return sorted(found + more, key=lambda m: m.first)

    @cached_property
    def dates(self) -> list:
        """Every date mention of the text, found once for the rules that weigh dates against the event's."""
        return find_dates(self.text, self.lang)

    @cached_property
    def frameworks(self) -> list[Match]:
        return self.registry.framework_index.find(self.keys)

    @cached_property
    def series(self) -> list[Match]:
        return self.registry.series_index.find(self.keys)

    @cached_property
    def forms(self) -> list[str]:
        """Folded word forms, for cue groups where the tense matters ("состоится")."""
        return [token_key(t.text, self.registry.morph.form) for t in self.analysis.tokens]

    def cues(self, group: str) -> list[Match]:
        cache = self.__dict__.setdefault("_cues", {})
        if group not in cache:
            ix = self.registry.cue_index(group)
            cache[group] = ix.find(self.forms if ix.exact else self.keys)
        return self.scoped(cache[group])

    def in_scope(self, pos: int) -> bool:
        return self.scope is None or any(lo <= pos < hi for lo, hi in self.scope)

    def scoped(self, matches: list[Match]) -> list[Match]:
        if self.scope is None:
            return matches
        toks = self.analysis.tokens
        return [m for m in matches if self.in_scope(toks[m.first].start)]

    def span(self, m: Match) -> tuple[int, int]:
        toks = self.analysis.tokens
        return toks[m.first].start, toks[m.last - 1].stop

    def org_at(self, start: int, stop: int) -> Org | None:
        """The institution whose longest mention covers the span."""
        best, width = None, -1
        for o in self.orgs:
            for s, e in o.mentions:
                if s < stop and start < e and e - s > width:
                    best, width = o, e - s
        return best

    def body_with_head(self, keys: set[str], words: int | None = None) -> Org | None:
        """The one institution of the text whose name holds a word keyed in `keys` (a head noun said
        alone: 'the Center', «хокимият», «Кітапхана директоры»), among its first `words` words when
        given; None when none or several have one: the text then does not say which it means."""
        key = self.registry.morph.key
        fits = [o for o in self.orgs if o.mentions and o.kind not in ("generic", "state_office", "media")
                and keys & {key(w) for w in o.name.split()[:words]}]
        if len(fits) > 1:
            # «Kecha vazirlikda ...» on a ministry's own site, with another ministry in the report: the
            # site's own institution, named in the page's header, is the one meant
            fits = [o for o in fits if min(s for s, _ in o.mentions) < self.body_start]
        return fits[0] if len(fits) == 1 else None

    def org_mentions_in(self, start: int, stop: int) -> list[tuple[int, int, Org]]:
        """Outermost mentions only: a name nested in a longer one is part of that one here."""
        out = [(s, e, o) for o in self.orgs for s, e in o.mentions if start <= s and e <= stop and self.in_scope(s)]
        out = [m for m in out if not any(n is not m and n[0] <= m[0] and m[1] <= n[1] and (n[1] - n[0]) > (m[1] - m[0])
                                         for n in out)]
        return sorted(out, key=lambda x: x[0])

    def person_mentions_in(self, start: int, stop: int) -> list[tuple[int, int, Person]]:
        out = [(s, e, p) for p in self.persons for s, e in p.mentions if start <= s and e <= stop and self.in_scope(s)]
        return sorted(out, key=lambda x: x[0])

    def org(self, oid: str | None) -> Org | None:
        return next((o for o in self.orgs if o.id == oid), None)


# words that join the names of a list of countries
_COUNTRY_GLUE = {",", ";", "и", "and", "or", "или", "va", "ва", "hamda", "және", "мен", "jáne"}
