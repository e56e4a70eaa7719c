"""The review queue: pairs of institutions or of people that may be one entity, ranked by a score.

Resolution at ingest (resolve.py) joins what it is sure of; what it is not sure of stays two
entities, and here an editor sees the pair side by side (review_evidence.py) and decides: merge,
split or "not the same" (review_actions.py, logged and reversible). A pair said to be two is
never proposed again.

Candidates come from blocks, never from every pair: people meet when the first letters of their
surnames agree (names.fold: one Latin skeleton for every script, so Фаррух Турсунов meets Farrukh
Tursunov), a surname also meeting a name written surname first; institutions meet on a word of
their folded names or on a short name. A block so large that its word is in most names
(«институт») pairs nothing. Institutions are then compared over every name each is known by
(rapidfuzz in C, a block at a time), people token by token, initials against first names; the
same affiliation or country raises the score and a different one lowers it. Two different
registry entries are never proposed: the registry already says they are two.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from sqlalchemy import select

from .db import Store
from .names import fold, norm
from .review_evidence import evidence
from .schema import aliases, entities, review_not_same

KINDS = ("org", "person")
MIN_SCORE = 70  # below it a pair is not shown: measured on the demo store, most pairs under it are two
MAX_BLOCK = 400  # entities sharing one key; a larger block's key says nothing (a word most names have)
MAX_FORMS = 12  # names of one entity compared (the longest first)
ORG_FLOOR = 60  # a name similarity under it is not looked at further
CONTAINED = 95  # token-set ratio of one institution's name held whole in the other's (ИМЭП's name in its long form)
AFFILIATION_ALIKE = 85  # two affiliations this alike (resolve.ORG_THRESHOLD) do not tell two people apart
TOKEN_MATCH = 85  # two folded words are one word at this ratio (tursunov / tursinov: 87.5)
PER_PAGE = 20
CONFLICTS = ("given_names_differ", "initials_differ")  # one such pair of an entity's names outweighs the others
REASONS = ("same_name", "similar_names", "name_contained", "initial_agrees", "initials_differ", "given_names_differ",
           "same_short", "same_country", "different_countries", "same_affiliation", "different_affiliations",
           "in_registry", "affiliations_alike")  # the codes a Reason has; the web labels each (i18n.yaml: review_reason_CODE)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a pair scored as it did, for the editor: `code` names it, `value` qualifies it."""
    code: str
    value: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "value": self.value}


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    a: int  # the lower id
    b: int
    score: int  # 0-100
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "a": self.a, "b": self.b, "score": self.score,
                "reasons": [r.to_dict() for r in self.reasons]}


@dataclass(slots=True)
class _Known:
    """One entity as the queue compares it."""
    id: int
    registry_id: str | None
    country: str | None
    affiliation: int | None
    org_kind: str | None
    forms: list[str]  # folded names, longest first
    shorts: set[str]  # folded one-word names (ИМЭП, ISRS)


# the queue is computed again after every write, over names that mostly stayed
_fold = functools.lru_cache(maxsize=200_000)(fold)
_norm = functools.lru_cache(maxsize=200_000)(norm)


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def not_same_pairs(conn) -> set[tuple[int, int]]:
    return {(r.entity_a, r.entity_b) for r in conn.execute(select(review_not_same.c.entity_a, review_not_same.c.entity_b))}


def candidates(store: Store, kind: str | None = None, min_score: int = MIN_SCORE) -> list[Candidate]:
    """Every pair of one kind (both kinds when `kind` is None) scoring `min_score` or more, best
    first, without the pairs said to be two."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    found: list[Candidate] = []
    with store.snapshot() as conn:
        refused = not_same_pairs(conn)
        countries = dict(conn.execute(select(entities.c.id, entities.c.country).where(entities.c.kind == "org")).all())
        for k in ([kind] if kind else KINDS):
            known = _load(conn, k)
            scored = _orgs(known) if k == "org" else _people(known, countries, lambda pairs: _alike_orgs(conn, pairs))
            found += [c for c in scored if c.score >= min_score and (c.a, c.b) not in refused]
    found.sort(key=lambda c: (-c.score, c.kind, c.a, c.b))
    return found


def queue(store: Store, kind: str | None = None, min_score: int = MIN_SCORE, page: int = 1,
          per_page: int = PER_PAGE, found: list[Candidate] | None = None) -> dict:
    """One page of the queue with the evidence of both sides of each pair (`found`: the
    candidates computed already, as the web keeps them between requests)."""
    with store.connect() as conn:
        if found is None:
            found = candidates(store, kind, min_score)
        else:  # computed a little earlier: what editors decided since is left out
            refused = not_same_pairs(conn)
            found = [c for c in found if (c.a, c.b) not in refused]
        shown = found[(page - 1) * per_page: page * per_page]
        seen = evidence(conn, [i for c in shown for i in (c.a, c.b)])
    pairs = [{**c.to_dict(), "a": seen[c.a], "b": seen[c.b], "keep": _keep(seen[c.a], seen[c.b])}
             for c in shown if c.a in seen and c.b in seen]
    return {"kind": kind, "min_score": min_score, "page": page, "per_page": per_page, "total": len(found),
            "pairs": pairs}


def _keep(a: dict, b: dict) -> int:
    """The side a merge keeps unless the editor says otherwise: the registry's, else the better known."""
    rank = lambda e: (bool(e["registry_id"]), e["document_count"], e["mention_count"], -e["id"])
    return a["id"] if rank(a) >= rank(b) else b["id"]


def _load(conn, kind: str, ids: list[int] | None = None) -> dict[int, _Known]:
    """The entities of `kind` (only `ids`, when given) with every name each is known by, folded."""
    names: dict[int, set[str]] = defaultdict(set)
    known: dict[int, _Known] = {}
    for chunk in ([None] if ids is None else [ids[i:i + 5000] for i in range(0, len(ids), 5000)]):
        where = [entities.c.kind == kind] + ([entities.c.id.in_(chunk)] if chunk is not None else [])
        for r in conn.execute(select(entities.c.id, entities.c.name, entities.c.short, entities.c.country,
                                     entities.c.registry_id, entities.c.affiliation_id, entities.c.org_kind)
                              .where(*where)):
            known[r.id] = _Known(r.id, r.registry_id, r.country, r.affiliation_id, r.org_kind, [], set())
            names[r.id].update(n for n in (_norm(r.name), _norm(r.short)) if n)
        for eid, n in conn.execute(select(aliases.c.entity_id, aliases.c.norm)
                                   .join(entities, entities.c.id == aliases.c.entity_id).where(*where)):
            names[eid].add(n)
    for eid, entity in known.items():
        folded = sorted({_fold(n) for n in names[eid]} - {""}, key=lambda f: (-len(f), f))
        entity.forms = folded[:MAX_FORMS]
        entity.shorts = {f for f in folded if " " not in f and 2 < len(f) <= 10}
    return known


def _blocks(keys: dict[int, set[str]]) -> list[list[int]]:
    """Entities grouped by each key they hold; blocks of one entity or over MAX_BLOCK dropped."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for eid, ks in keys.items():
        for k in ks:
            by_key[k].append(eid)
    return [ids for ids in by_key.values() if 1 < len(ids) <= MAX_BLOCK]


# -- institutions -----------------------------------------------------------------------------------------------

def _orgs(known: dict[int, _Known]) -> list[Candidate]:
    keys = {eid: {"w:" + w[:5] for f in e.forms for w in f.split() if len(w) >= 4 and not w.isdigit()}
            | {"s:" + s for s in e.shorts} for eid, e in known.items()}
    best: dict[tuple[int, int], float] = {}
    for block in _blocks(keys):
        rows = [(eid, f) for eid in block for f in known[eid].forms]
        forms = [f for _, f in rows]
        sort = cdist(forms, forms, scorer=fuzz.token_sort_ratio, score_cutoff=ORG_FLOOR, dtype=np.uint8)
        contained = cdist(forms, forms, scorer=fuzz.token_set_ratio, score_cutoff=CONTAINED, dtype=np.uint8)
        for i, j in zip(*((sort > 0) | (contained > 0)).nonzero()):
            a, b = rows[i][0], rows[j][0]
            if a >= b:
                continue
            value = max(float(sort[i, j]), 0.9 * float(contained[i, j]) if _words(forms[i], forms[j]) else 0.0)
            if value > best.get((a, b), 0.0):
                best[(a, b)] = value
        for a, b in combinations(sorted(block), 2):  # short names alone: ИМЭП and IMEP
            if known[a].shorts & known[b].shorts:
                best[(a, b)] = max(best.get((a, b), 0.0), 90.0)
    return [c for (a, b), value in best.items() if (c := _org_pair(known[a], known[b], value)) is not None]


def _org_similarity(a: _Known, b: _Known) -> float:
    """The best name similarity of two institutions, as _orgs scores it (for one pair)."""
    if (a.registry_id and a.registry_id == b.registry_id) or a.shorts & b.shorts:
        return 100.0
    return max((max(fuzz.token_sort_ratio(x, y), 0.9 * r if (r := fuzz.token_set_ratio(x, y)) >= CONTAINED
                    and _words(x, y) else 0.0) for x in a.forms for y in b.forms), default=0.0)


def _alike_orgs(conn, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of the pairs of institutions (people's affiliations) whose names say they may be one."""
    orgs = _load(conn, "org", sorted({i for p in pairs for i in p}))
    return {(a, b) for a, b in pairs if a in orgs and b in orgs and _org_similarity(orgs[a], orgs[b]) >= AFFILIATION_ALIKE}


def _words(x: str, y: str) -> bool:
    """Whether a name contained in another says something: two real words at least, not «центр»."""
    return min(sum(len(w) >= 4 for w in x.split()), sum(len(w) >= 4 for w in y.split())) >= 2


def _org_pair(a: _Known, b: _Known, similarity: float) -> Candidate | None:
    if a.registry_id and b.registry_id and a.registry_id != b.registry_id:
        return None
    if (a.org_kind == "state_office") != (b.org_kind == "state_office"):
        return None  # «Президент Республики Узбекистан» is not the institute «при Президенте Республики Узбекистан»
    reasons = []
    score = similarity
    if a.shorts & b.shorts:
        reasons.append(Reason("same_short", sorted(a.shorts & b.shorts)[0].upper()))
    if similarity >= 99.5:
        reasons.append(Reason("same_name"))
    elif similarity >= ORG_FLOOR:
        reasons.append(Reason("similar_names", f"{round(similarity)}"))
    score += _country(a.country, b.country, reasons, same=5, other=-25)
    if a.registry_id or b.registry_id:
        reasons.append(Reason("in_registry", a.registry_id or b.registry_id))
    return Candidate("org", a.id, b.id, _clamp(score), tuple(reasons))


def _country(x: str | None, y: str | None, reasons: list, same: int, other: int) -> int:
    if not x or not y:
        return 0
    if x == y:
        reasons.append(Reason("same_country", x))
        return same
    reasons.append(Reason("different_countries", f"{x}, {y}"))
    return other


def _clamp(score: float) -> int:
    return max(0, min(100, round(score)))


# -- people -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Name:
    words: tuple[str, ...]  # the full words of a folded name, in order
    initials: tuple[str, ...]  # the first letters of its initials


def _name(folded: str) -> _Name:
    parts = folded.replace(".", ". ").split()
    words = tuple(p for p in parts if not p.endswith(".") and len(p) > 1)
    return _Name(words, tuple(p[0] for p in parts if p.endswith(".") or len(p) == 1))


def _people(known: dict[int, _Known], countries: dict[int, str | None], alike_orgs) -> list[Candidate]:
    """`alike_orgs(pairs of institution ids)`: those whose names say they may be one."""
    names = {eid: [n for n in dict.fromkeys(map(_name, e.forms)) if n.words] for eid, e in known.items()}
    scored = []
    for a, b in _person_pairs(names):
        found = [r for x in names[a] for y in names[b] if (r := _names_score(x, y))[1] is not None]
        conflicts = [r for r in found if r[1].code in CONFLICTS]  # Бахтиёр and Баходир, whatever else is alike
        if found:
            scored.append((a, b, *(min(conflicts, key=lambda r: r[0]) if conflicts else max(found, key=lambda r: r[0]))))
    differ = {pair_key(known[a].affiliation, known[b].affiliation) for a, b, *_ in scored
              if known[a].affiliation and known[b].affiliation and known[a].affiliation != known[b].affiliation}
    alike = alike_orgs(differ) if differ else set()
    return [_person_pair(known[a], known[b], best, why, countries, alike) for a, b, best, why in scored]


def _person_pairs(names: dict[int, list[_Name]]) -> set[tuple[int, int]]:
    """The pairs worth scoring. Blocks: a surname's first four letters (p:), within which only
    surnames TOKEN_MATCH alike pair (compared in C); the whole surname (x:), which also meets a
    name written surname first («Каримов Бахтиёр»); and, for a surname too common to pair
    whole, the surname with a first initial (i:)."""
    by_key: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for eid, ns in names.items():
        for n in ns:
            w = n.words[-1]
            first = n.initials[0] if n.initials else n.words[0][0] if len(n.words) > 1 else None
            for k in {"p:" + w[:4], "x:" + w} | ({f"i:{w}:{first}"} if first else set()):
                by_key[k][0].append((eid, w))
            if len(n.words) > 1 and n.words[0] != w:
                by_key["x:" + n.words[0]][1].append((eid, n.words[0]))
    pairs: set[tuple[int, int]] = set()
    for key, (held, swapped) in by_key.items():
        ids = sorted({eid for eid, _ in held})
        if len(ids) > MAX_BLOCK or len(ids) + len(swapped) < 2:
            continue
        if key.startswith("p:"):
            words = [w for _, w in held]
            alike = cdist(words, words, scorer=fuzz.ratio, score_cutoff=TOKEN_MATCH, dtype=np.uint8)
            pairs.update(pair_key(held[i][0], held[j][0]) for i, j in zip(*alike.nonzero()) if held[i][0] != held[j][0])
        else:
            pairs.update(combinations(ids, 2))
            pairs.update(pair_key(a, b) for a in ids for b, _ in swapped if a != b)
    return pairs


def _names_score(x: _Name, y: _Name) -> tuple[float, Reason | None]:
    """How alike two people's names are (0-100), and the reason in words; (0, None) for no shared surname."""
    used: set[int] = set()
    ratios, rest_x = [], []
    for w in x.words:
        r, j = max(((fuzz.ratio(w, v), j) for j, v in enumerate(y.words) if j not in used), default=(0.0, -1))
        if r >= TOKEN_MATCH and len(w) >= 3:
            used.add(j)
            ratios.append(r)
        else:
            rest_x.append(w)
    rest_y = [v for j, v in enumerate(y.words) if j not in used]
    if not ratios or max(len(w) for w in x.words if w not in rest_x) < 4:
        return 0.0, None
    similarity = min(ratios)  # the least alike word: a shared first name says little
    if rest_x and rest_y:
        return similarity * 0.45, Reason("given_names_differ")
    if rest_x or rest_y:  # one name holds the other's words, and more
        extra, initials = (rest_x, y.initials) if rest_x else (rest_y, x.initials)
        if not initials:
            return similarity * 0.85, Reason("name_contained")
        if initials[0] == extra[0][0]:
            return similarity * 0.92, Reason("initial_agrees")
        return similarity * 0.4, Reason("initials_differ")
    if x.initials and y.initials and x.initials[0] != y.initials[0]:
        return similarity * 0.4, Reason("initials_differ")
    return similarity, Reason("same_name") if similarity >= 99.5 else Reason("similar_names", f"{round(similarity)}")


def _person_pair(a: _Known, b: _Known, similarity: float, why: Reason, countries: dict, alike: set) -> Candidate:
    reasons = [why]
    score = similarity
    if a.affiliation and b.affiliation:
        if a.affiliation == b.affiliation:
            reasons.append(Reason("same_affiliation"))
            score += 8
        elif pair_key(a.affiliation, b.affiliation) in alike:  # НЦСИ and Scientific Center for Strategic Studies
            reasons.append(Reason("affiliations_alike"))
            score += 4
        else:
            reasons.append(Reason("different_affiliations"))
            score -= 12
    score += _country(countries.get(a.affiliation), countries.get(b.affiliation), reasons, same=4, other=-15)
    x, y = (a, b) if a.id < b.id else (b, a)
    return Candidate("person", x.id, y.id, _clamp(score), tuple(reasons))
