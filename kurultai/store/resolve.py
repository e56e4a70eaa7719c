"""Entity resolution across documents and languages, inside the ingest transaction.

Institutions: the registry first (ИМЭП, IWEP and "Институт мировой экономики и политики" are one
registry entry, in whatever language or script the registry names it), then the normalised name
or an alias already seen, then the name folded to one Latin skeleton (names.fold: Uzbek and
Kazakh write one name in Cyrillic and in Latin), then what the name says in any language
(names.org_concepts: «Центр исследований Каспийского региона» = "Center for Caspian Region
Studies"), then fuzzy matching of the name (rapidfuzz, token-sort ratio at or above `threshold`,
the same country or none, not across a word of another meaning; for Uzbek and Kazakh documents
over the folded names too, whose last word carries a case ending). People: the name read into
surname, given name and patronymic (names.person_name: titles, case forms and word order aside,
in any script), then matched by `_same_person`: full given names agree, an initial only at the
same body or where it fits one known person alone, two known affiliations never differ. Every
name seen becomes an alias with the document it came from, so a merge can always be explained
and undone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import insert, select

from ..knowledge.registry import Registry
from .db import GENERATION, insert_new
from .names import (PersonName, fold, given_stem, initials_agree, is_initial, norm, org_concepts, person_name,
                    strip_titles)
from .schema import aliases, entities

ORG_THRESHOLD = 85  # token-sort ratio; measured on samples/entities.json (python -m bench.resolution)
PERSON_THRESHOLD = 80  # ratio of folded names across scripts at one body: Кучкарова / Qo‘chqorova
# how strongly a known person is the one named (Resolver._match_person takes the strongest; below
# SURE, only when no other known person is as strong)
SURE, FULL, AT_BODY, UNIQUE = 4, 3, 2, 1  # full name at the body; full name; initial at the body; initial
FOLDED_LANGUAGES = ("uz", "kk")  # documents whose institution names are also compared fuzzily as folds
_INSERT_ENTITY = insert(entities)  # built once: building it per entity was a tenth of the bulk writer's time


@dataclass
class Index:
    """What resolution looks names up in, loaded from the store once per ingest run.

    The writer of a bulk ingest is its bottleneck (bench/scale.py), so what it would otherwise ask
    the store for every document is kept here: each entity's kind, country and alias forms as
    they are first needed, and registry ids already given an entity."""
    org_keys: dict | None = None  # norm name -> (entity id, country)
    org_folds: dict = field(default_factory=dict)  # fold of those names -> (entity id, country)
    org_concepts: dict = field(default_factory=dict)  # names.org_concepts of those -> (entity id, country)
    people: dict | None = None
    known: dict = field(default_factory=dict)  # entity id -> (kind, country, set of alias norms)
    registry_ids: dict = field(default_factory=dict)  # registry id -> entity id
    surnames: list = field(default_factory=list)  # the keys of `people`, in order
    generation: int | None = None  # the store's generation that what is kept here reflects

    def sync(self, conn) -> bool:
        """At the start of a write under the store's lock (db.Store.begin): forget everything if
        another writer committed since this index's last transaction, so that two ingests at once
        resolve a person or an institution to one entity, not one each. True when it must read
        the store again (the first time too), and whatever else the writer keeps with it."""
        current = conn.info.get(GENERATION)
        if current is None:  # the caller's own transaction, not the store's: nothing to compare
            return False
        stale = self.generation not in (current - 1, current)  # None: nothing read yet, or forgotten
        if stale:
            self.forget()
        self.generation = current
        return stale

    def follow(self, conn) -> None:
        """A transaction of the run's own that resolves nothing (a failure recorded): a current
        index stays current; a stale one stays stale for the next `sync`."""
        current = conn.info.get(GENERATION)
        if current is not None and self.generation == current - 1:
            self.generation = current

    def forget(self) -> None:
        """After a rollback, or another writer's commit: what the index learnt may not exist, or
        no longer be all there is."""
        self.generation = None
        self.org_keys = self.people = None
        self.org_folds.clear()
        self.org_concepts.clear()
        self.surnames.clear()
        self.known.clear()
        self.registry_ids.clear()


_QUOTED = re.compile(r"[«\"“„]([^»\"”“]{6,})[»\"”“]")


def _quoted(name: str | None) -> list[str]:
    """The quoted proper name inside an institution's name: 'ОФ «Центр развития Приаралья»' and
    'общественный фонд «Центр развития Приаралья»' are one body."""
    return [m.group(1) for m in _QUOTED.finditer(name or "")]


def _fuller(new: str, old: str) -> bool:
    """Whether `new` names a person better than `old`: a Cyrillic form once there is one, then
    the nominative, a full given name, a patronymic, no stray word; the first seen otherwise."""
    cyr = lambda n: any("а" <= c.lower() <= "я" for c in n)
    if cyr(old) != cyr(new):
        return cyr(new)
    def rank(name):
        p = person_name(name)
        return (not p.inflected, len(p.given) > 1, bool(p.patronymic), -p.extra)
    return rank(new) > rank(old)


def _compatible(country: str | None, other: str | None) -> bool:
    return not country or not other or country == other


def _another_kind(name: str, other: str) -> bool:
    """Whether two near names differ by a common word's meaning (data/institution_words.yaml),
    not by a letter: "Center for Regional Studies" and "Center for Regional Security Studies"."""
    mine, theirs = org_concepts(name) or frozenset(), org_concepts(other) or frozenset()
    return {t for t in mine if t[0] == "="} != {t for t in theirs if t[0] == "="}


_ACROSS_SCRIPTS = re.compile(r"ng|sht|vh|ie|z")
_ACROSS = {"ng": "n", "sht": "st", "vh": "u", "ie": "i", "z": "s"}


def _coarse(word: str) -> str:
    """A folded name as the other script writes it, where the skeletons still differ: Palladius
    writes Zhang, Ming without their g (Чжан, Мин); Russian writes Stefan with Шт, Whitfield with
    У and -филд, Lorenz with ц. Compared only across scripts; the index's surname key too."""
    return _ACROSS_SCRIPTS.sub(lambda m: _ACROSS[m.group()], word)


def _words_agree(a: str, b: str, cross: bool, loose: bool) -> bool:
    """Two folded given names (or patronymic roots) one name: equal but for a Russian case ending
    (Фаррух, Фарруху; Алексей, Алексеем); across scripts, equal as `_coarse` writes them; `loose`
    (another script, the same body), near."""
    if given_stem(a) == given_stem(b) or (cross and _coarse(a) == _coarse(b)):
        return True
    x, y = sorted((given_stem(a), given_stem(b)), key=len)
    if len(x) >= 3 and y.startswith(x) and len(y) - len(x) <= 1:
        return True
    return loose and min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= PERSON_THRESHOLD


def _same_person(a: PersonName, b: PersonName, aff_a: int | None, aff_b: int | None) -> int:
    """0 when the names may be two people; otherwise how strongly they are one (SURE ... UNIQUE).
    One person has one body: two known affiliations must agree. An initial, or a surname alone,
    ties a name to a person at the same body, or where one body is unknown and no other person
    fits (Resolver._match_person); a near spelling (Кучкарова, Qo‘chqorova) is allowed across
    scripts at the same body only; Sultanov and Saltanov in one script are two surnames."""
    same_body = aff_a is not None and aff_a == aff_b
    if not same_body and aff_a is not None and aff_b is not None:
        return 0
    cross = a.cyrillic != b.cyrillic
    loose = same_body and cross
    if a.surname != b.surname and not (cross and _coarse(a.surname) == _coarse(b.surname)):
        if not (loose and min(len(a.surname), len(b.surname)) >= 5
                and fuzz.ratio(a.surname, b.surname) >= PERSON_THRESHOLD):
            return 0
    if a.patronymic and b.patronymic and not _names_agree(a.patronymic, b.patronymic, cross, loose):
        return 0
    if a.given and b.given and not (is_initial(a.given) or is_initial(b.given)):
        return (SURE if same_body else FULL) if _words_agree(a.given, b.given, cross, loose) else 0
    if a.given and b.given and not initials_agree(a.given, b.given):
        return 0
    return AT_BODY if same_body else UNIQUE


def _names_agree(a: str, b: str, cross: bool, loose: bool) -> bool:
    if is_initial(a) or is_initial(b):
        return initials_agree(a, b)
    return _words_agree(a, b, cross, loose)


@dataclass
class Resolver:
    conn: object
    registry: Registry
    threshold: int = ORG_THRESHOLD
    index: Index = field(default_factory=Index)
    lang: str | None = None  # the document's language

    @property
    def _org_keys(self) -> dict:
        return self.index.org_keys

    def _load(self) -> None:
        """Every name an institution is known by (its key and its aliases) is a fuzzy candidate,
        so that a misspelt short form ("межрегинальных") still finds the registry body."""
        if self.index.org_keys is None:
            rows = self.conn.execute(select(entities.c.id, entities.c.key, entities.c.country)
                                     .where(entities.c.kind == "org")).all()
            self.index.org_keys = {r.key: (r.id, r.country) for r in rows}
            for n, eid, country in self.conn.execute(
                    select(aliases.c.norm, entities.c.id, entities.c.country)
                    .join(entities, entities.c.id == aliases.c.entity_id).where(entities.c.kind == "org")):
                if len(n) >= 12:
                    self.index.org_keys.setdefault(n, (eid, country))
            self.index.org_folds.clear()
            self.index.org_concepts.clear()
            for n, value in self.index.org_keys.items():
                self._index_org(n, value)

    def _index_org(self, name: str, value: tuple) -> None:
        self.index.org_folds.setdefault(fold(name), value)
        concepts = org_concepts(name)
        if concepts:
            self.index.org_concepts.setdefault(concepts, value)

    # -- institutions -----------------------------------------------------------------------

    def org(self, org: dict, document_id: int) -> int:
        self._load()
        rid = org.get("registry_id")
        names = [org.get("name"), org.get("short")] + [m["text"] for m in org.get("mentions", ())]
        if rid:
            eid = self.index.registry_ids.get(rid)
            if eid is None:
                eid = self.conn.execute(select(entities.c.id).where(entities.c.registry_id == rid)).scalar()
            if eid is None:
                eid = self._new_registry_org(rid, org)
            self.index.registry_ids[rid] = eid
        else:
            eid = self._find_org(org)
            if eid is None:
                eid = self._new_org(org)
        self._alias(eid, names, document_id)
        return eid

    def _find_org(self, org: dict) -> int | None:
        key, country = norm(org.get("name")), org.get("country")
        if not key:
            return None
        if key in self._org_keys and _compatible(country, self._org_keys[key][1]):
            return self._org_keys[key][0]
        short = org.get("short")
        forms = [key] + ([norm(short)] if short and len(short) >= 3 else []) + _quoted(org.get("name"))
        for form in forms:
            rows = self.conn.execute(
                select(aliases.c.entity_id, entities.c.country).join(entities, entities.c.id == aliases.c.entity_id)
                .where(aliases.c.norm == form, entities.c.kind == "org")).all()
            for r in rows:
                if not country or not r.country or r.country == country:
                    return r.entity_id
        if org.get("kind") == "state_office":
            # a head of state's office is that office by its exact name, never a neighbour whose
            # words it shares («... при Президенте Республики X», an institute under it)
            return None
        for form in forms:  # the same name in another script or alphabet
            hit = self.index.org_folds.get(fold(form))
            if hit and _compatible(country, hit[1]):
                return hit[0]
        for form in [org.get("name")] + _quoted(org.get("name")):  # or in another language
            hit = self.index.org_concepts.get(org_concepts(form))
            if hit and _compatible(country, hit[1]):
                return hit[0]
        if len(key) < 8 or not self._org_keys:
            return None
        candidates = [(key, self._org_keys)]
        if self.lang in FOLDED_LANGUAGES:  # «…tadqiqotlar institutida» / «…тадқиқотлар институти»
            candidates.append((fold(key), self.index.org_folds))
        for name, known in candidates:
            hit = process.extractOne(name, list(known), scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold)
            if hit and known is self._org_keys and _another_kind(key, hit[0]):
                continue  # a near spelling, but a word of another meaning: Regional / Regional Security Studies
            if hit:
                eid, other_country = known[hit[0]]
                if _compatible(country, other_country):
                    return eid
        return None

    def _new_registry_org(self, rid: str, org: dict) -> int:
        inst = self.registry.institutions.get(rid)
        name = inst.label("ru") if inst else org["name"]
        eid = self.conn.execute(_INSERT_ENTITY, dict(
            kind="org", name=name, short=(inst.short("ru") if inst else org.get("short")),
            country=(inst.country if inst else org.get("country")), registry_id=rid, key=norm(name),
            org_kind=(inst.kind if inst else None))).inserted_primary_key[0]
        self.index.known[eid] = ("org", inst.country if inst else org.get("country"), set())
        if inst:  # every name the registry knows, so that a query by any alias finds the body
            known = [v for forms in (inst.name, inst.aliases, inst.abbr) for vs in forms.values()
                     for v in ([vs] if isinstance(vs, str) else vs)]
            self._alias(eid, known, None)
        self._org_keys[norm(name)] = (eid, inst.country if inst else org.get("country"))
        self._index_org(norm(name), (eid, inst.country if inst else org.get("country")))
        return eid

    def _new_org(self, org: dict) -> int:
        key = norm(org["name"])
        eid = self.conn.execute(_INSERT_ENTITY, dict(
            kind="org", name=org["name"], short=org.get("short"), country=org.get("country"),
            key=key, org_kind=org.get("kind"))).inserted_primary_key[0]
        self.index.known[eid] = ("org", org.get("country"), set())
        self._org_keys[key] = (eid, org.get("country"))
        self._index_org(key, (eid, org.get("country")))
        return eid

    # -- people -------------------------------------------------------------------------------

    def _people(self) -> dict:
        """surname key -> [[id, name, PersonName, affiliation]], loaded once per run."""
        if self.index.people is None:
            self.index.people = {}
            self.index.surnames.clear()
            for r in self.conn.execute(select(entities.c.id, entities.c.name, entities.c.affiliation_id)
                                       .where(entities.c.kind == "person")).all():
                self._remember(r.id, r.name, r.affiliation_id)
        return self.index.people

    def _remember(self, eid: int, name: str, affiliation: int | None) -> None:
        parsed = person_name(name)
        key = _coarse(parsed.surname)
        if key not in self.index.people:
            self.index.people[key] = []
            self.index.surnames.append(key)
        self.index.people[key].append([eid, name, parsed, affiliation])

    def _surnames_like(self, surname: str) -> list[str]:
        """Known surname keys equal to this one or, from 5 letters, within PERSON_THRESHOLD of it
        (compared in C by rapidfuzz: a Python loop over every known surname was a third of the
        bulk writer's time, and grows with the store); `_same_person` decides what a near one is."""
        people = self.index.people
        if len(surname) < 5:
            return [surname] if surname in people else []
        names = self.index.surnames
        hits = process.extract(surname, names, scorer=fuzz.ratio, score_cutoff=PERSON_THRESHOLD, limit=None)
        return [names[i] for i in sorted(i for _, _, i in hits)]  # the same surname scores 100

    def _match_person(self, parsed: PersonName, affiliation: int | None) -> list | None:
        """The one known person this name and affiliation are (see _same_person): the strongest
        match; a name that ties to several people as strongly (Алексей Иванов with no body, and
        one at each of two institutes; А. Иванов and two Ivanovs with an A.) stays a person of
        its own, unless they are all the same full name at the same body."""
        people = self._people()
        found: dict[int, tuple] = {}
        for reading in filter(None, (parsed, parsed.swapped())):
            for key in self._surnames_like(_coarse(reading.surname)):
                for c in people[key]:
                    strength = _same_person(reading, c[2], affiliation, c[3])
                    if strength and c[0] not in found:
                        found[c[0]] = (strength, c)
        if not found:
            return None
        best = max(s for s, _ in found.values())
        top = [c for s, c in found.values() if s == best]
        return top[0] if len(top) == 1 or best >= SURE else None

    def person(self, person: dict, affiliation: int | None, document_id: int) -> int:
        name = strip_titles(person["name"]) or person["name"]
        match = self._match_person(person_name(name), affiliation)
        if match is None:
            eid = self.conn.execute(_INSERT_ENTITY, dict(
                kind="person", name=name, key=norm(name), affiliation_id=affiliation)).inserted_primary_key[0]
            self.index.known[eid] = ("person", None, set())
            self._remember(eid, name, affiliation)
        else:
            eid = match[0]
            values = {}
            # the fullest nominative form in the first script seen names the person; a known
            # affiliation fills an unknown one
            if _fuller(name, match[1]):
                values.update(name=name, key=norm(name))
                match[1], match[2] = name, person_name(name)
            if match[3] is None and affiliation is not None:
                values["affiliation_id"] = affiliation
                match[3] = affiliation
            if values:
                self.conn.execute(entities.update().where(entities.c.id == eid).values(**values))
        self._alias(eid, [person["name"]] + [m["text"] for m in person.get("mentions", ())], document_id)
        return eid

    # -- aliases ------------------------------------------------------------------------------

    def _known(self, eid: int) -> tuple[str, str | None, set]:
        if eid not in self.index.known:
            kind = self.conn.execute(select(entities.c.kind, entities.c.country).where(entities.c.id == eid)).first()
            seen = set(self.conn.execute(select(aliases.c.norm).where(aliases.c.entity_id == eid)).scalars())
            self.index.known[eid] = (kind[0], kind[1], seen) if kind else (None, None, seen)
        return self.index.known[eid]

    def _alias(self, eid: int, names, document_id: int | None) -> None:
        kind, country, seen = self._known(eid)
        rows = []
        for name in list(names) + ([q for n in names for q in _quoted(n)] if kind == "org" else []):
            n = norm(name)
            if kind == "org" and len(n) >= 12 and self.index.org_keys is not None:
                self.index.org_keys.setdefault(n, (eid, country))
                self._index_org(n, (eid, country))
            if n and n not in seen:
                seen.add(n)
                rows.append({"entity_id": eid, "alias": " ".join((name or "").split()), "norm": n,
                             "document_id": document_id})
        if rows:  # another writer may have added the same form since it was read: keep theirs
            self.conn.execute(insert_new(self.conn, aliases), rows)
