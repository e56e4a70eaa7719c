"""Entities named the ways users name them: by id, by any alias seen in a report, by a registry
name in any case form and script, and a person by the surname alone when only one person has
it (several: an Ambiguous error that lists them, numbered, for the user to choose by id)."""
from __future__ import annotations

import re
import weakref

from sqlalchemy import or_, select

from ..knowledge.phrases import phrase_keys
from ..nlp.morph import Morph
from ..nlp.turkic import LANGUAGES as STEMMED_LANGUAGES
from .names import norm
from .period import QueryError
from .schema import aliases, entities

MAX_ID = 2_147_483_647  # the largest id either database stores
SHOWN = 10  # candidates an Ambiguous error lists


class Ambiguous(QueryError):
    """A name that several entities answer to; `candidates` are (id, name), best known first."""

    def __init__(self, kind: str, value: str, candidates: list[tuple[int, str]]):
        self.candidates = candidates
        listed = "; ".join(f"{k}. {name} (id {i})" for k, (i, name) in enumerate(candidates[:SHOWN], 1))
        more = f"; and {len(candidates) - SHOWN} more" if len(candidates) > SHOWN else ""
        who = "institutions" if kind == "org" else "people"
        super().__init__(f"{value!r} names {len(candidates)} {who}: {listed}{more}; give the id of one")


def registry_institutions(query: str, registry) -> set[str]:
    """Registry ids of the institutions the whole query names, by a name, an alias or an
    abbreviation, matched on the keys of each language's documents: «Института стратегических и
    межрегиональных исследований», «Strategik va mintaqalararo tadqiqotlar institutida» and
    «ISRS» name one body."""
    out = set()
    for lang in ("ru",) + STEMMED_LANGUAGES:
        view = registry.for_lang(lang)
        keys = phrase_keys(query, view.morph.key, view.morph.tokenize)
        for m in view.org_index.find(keys) if keys else ():
            if m.first == 0 and m.last == len(keys):
                out.update(v[1] for v in m.values if v[0] in ("org", "abbr"))
    return out


_REGISTRIES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _registry(morph: Morph):
    """The registry keyed by `morph`, loaded once per morphology (the web app passes its own)."""
    if morph not in _REGISTRIES:
        from ..knowledge.registry import Registry
        _REGISTRIES[morph] = Registry.load(morph)
    return _REGISTRIES[morph]


def entity_ids(conn, value: str, kind: str, registry=None) -> list[int]:
    """An entity given by id or by any of its names (a registry institution also by any of its
    registry names in any case form and script, given the registry; a person also by a surname
    or a given name alone, when one person has it: Ambiguous when several do)."""
    value = value.strip()
    if value.isdigit():
        return [int(value)] if int(value) <= MAX_ID else []  # beyond any id the database can hold
    n = norm(value)
    found = list(conn.execute(select(aliases.c.entity_id).distinct().join(entities, entities.c.id == aliases.c.entity_id)
                              .where(aliases.c.norm == n, entities.c.kind == kind)).scalars())
    bodies = registry_institutions(value, registry) if registry is not None and kind == "org" else set()
    if bodies:
        found += [e for e in conn.execute(select(entities.c.id).where(entities.c.registry_id.in_(sorted(bodies)))
                                          .order_by(entities.c.id)).scalars() if e not in found]
    if not found and kind == "person":
        found = by_word(conn, value)
    return found


_ONE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def by_word(conn, value: str) -> list[int]:
    """The one person one of whose names holds `value` as a whole word («Жамаубаев» for «Ерлан
    Жамаубаев»); several: Ambiguous."""
    word = norm(value)
    if not _ONE_WORD.fullmatch(word) or len(word) < 3:
        return []
    n = aliases.c.norm
    rows = conn.execute(select(entities.c.id, entities.c.name).distinct()
                        .join(aliases, aliases.c.entity_id == entities.c.id)
                        .where(entities.c.kind == "person",
                               or_(n.like(f"{word} %"), n.like(f"% {word}"), n.like(f"% {word} %")))
                        .order_by(entities.c.id)).all()
    if len(rows) > 1:
        raise Ambiguous("person", value, [(r.id, r.name) for r in rows])
    return [r.id for r in rows]

