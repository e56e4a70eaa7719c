"""The registry: institutions, frameworks, recurring meetings, countries and cue phrases, as data.

Loaded once from `data/*.yaml` and compiled into phrase indices (phrases.py). Rules ask the
registry; they never spell out an institution or a country themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml

from ..nlp.morph import Morph
from .phrases import PhraseIndex

# libyaml's loader where PyYAML has it: the same data, ten times faster (the registry took 2.5 s to
# parse in pure Python, paid by every process that extracts or searches)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Languages whose country, capital and city names countries.yaml gives (place_index, Country.name).
PLACE_LANGS = ("ru", "en", "uz", "kk")


@dataclass(frozen=True, slots=True)
class Institution:
    id: str
    country: str | None
    kind: str
    name: dict
    aliases: dict
    abbr: dict
    abbr_weak: tuple = ()
    parent: str | None = None
    framework: str | None = None

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("ru") or self.name.get("en") or self.id

    def short(self, lang: str) -> str | None:
        forms = self.abbr.get(lang) or self.abbr.get("ru" if lang != "ru" else "en") or []
        if not forms:
            forms = [a for v in self.abbr.values() for a in v]
        return forms[0] if forms else None


@dataclass(frozen=True, slots=True)
class Instance:
    n: int | None
    date: str
    end: str | None
    place: str | None
    country: str | None
    place_names: tuple = ()  # the place in every language the registry gives, to find it named in a text


@dataclass(frozen=True, slots=True)
class Series:
    id: str
    framework: str | None
    type: str
    name: dict
    instances: tuple


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    region: str | None
    name: dict  # lang -> name


@dataclass
class Registry:
    institutions: dict[str, Institution]
    frameworks: dict[str, dict]
    series: dict[str, Series]
    countries: dict[str, Country]
    cues: dict
    morph: Morph = field(repr=False)
    raw: dict = field(repr=False, default_factory=dict)  # file name -> entries as loaded

    @classmethod
    def load(cls, morph: Morph | None = None, root: Path | None = None) -> "Registry":
        root = root or Path(str(resources.files(__package__) / "data"))
        def data(name):
            path = root / name
            if not path.exists():
                return []
            with open(path, encoding="utf-8") as f:
                return yaml.load(f, Loader=_LOADER) or []
        insts = {}
        for e in data("institutions.yaml"):
            insts[e["id"]] = Institution(
                id=e["id"], country=e.get("country"), kind=e.get("kind", ""),
                name=e.get("name") or {}, aliases=e.get("aliases") or {}, abbr=e.get("abbr") or {},
                abbr_weak=tuple(e.get("abbr_weak") or ()), parent=e.get("parent"), framework=e.get("framework"))
        frameworks = {e["id"]: e for e in data("frameworks.yaml")}
        series = {}
        for e in data("series.yaml"):
            instances = tuple(
                Instance(i.get("n"), str(i["date"]), str(i["end"]) if i.get("end") else None,
                         _text(i.get("place")), i.get("country"), _names(i.get("place")))
                for i in e.get("instances") or ())
            names = e.get("names") or {}
            series[e["id"]] = Series(e["id"], e.get("framework"), e.get("type", "summit"),
                                     {k: v[0] for k, v in names.items() if v}, instances)
        countries = {}
        for e in data("countries.yaml"):
            countries[e["code"]] = Country(e["code"], e.get("region"),
                                           {lang: e[lang]["name"] for lang in PLACE_LANGS if e.get(lang)})
        raw = {"series": data("series.yaml"), "countries": data("countries.yaml")}
        cues = data("cues.yaml") or {}
        _merge_cues(cues, data("cues_uz_kk.yaml") or {})
        return cls(insts, frameworks, series, countries, cues, morph or Morph(), raw)

    def _langs(self) -> tuple[str, ...]:
        """The languages whose names this view matches: Uzbek and Kazakh names only in Uzbek and
        Kazakh documents («Arman» is Armenian in Uzbek and a given name in an English report)."""
        return PLACE_LANGS if hasattr(self.morph, "learn") else tuple(l for l in PLACE_LANGS if l not in ("uz", "kk"))

    def _cue_langs(self) -> tuple[str, ...]:
        """The languages whose cue phrases this view matches: a Russian word keyed by the Uzbek and
        Kazakh stemmer is no word of theirs («созданный» would meet «сөзінде»), nor the reverse."""
        return ("uz", "kk") if hasattr(self.morph, "learn") else tuple(l for l in LANGS if l not in ("uz", "kk"))

    def _own(self, forms) -> list[str]:
        """`_all(forms)` less the Uzbek and Kazakh forms a Russian or English document never uses."""
        if isinstance(forms, dict):
            forms = {k: v for k, v in forms.items() if k not in ("uz", "kk") or k in self._langs()}
        return _all(forms)

    def for_lang(self, lang: str) -> "Registry":
        """The registry as documents of `lang` see it: the same data, its phrase indices keyed by
        that language's morphology (Uzbek and Kazakh stems), built once per language."""
        morph = self.morph.for_lang(lang)
        if morph is self.morph:
            return self
        views = self.__dict__.setdefault("_views", {})
        if lang not in views:
            if hasattr(morph, "learn"):
                morph.learn(self._words(lang))
            views[lang] = replace(self, morph=morph)
        return views[lang]

    def _words(self, lang: str):
        """Every word the registry and the cue phrases write in `lang`: the dictionary forms of
        the language's morphology (nlp/turkic.py)."""
        def leaves(value, keep):
            if isinstance(value, str):
                if keep:
                    yield from value.split()
            elif isinstance(value, dict):
                for k, v in value.items():
                    yield from leaves(v, keep or k == lang)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    yield from leaves(v, keep)
        for inst in self.institutions.values():
            for forms in (inst.name, inst.aliases):
                yield from leaves(forms, False)
        yield from leaves(self.cues, False)
        yield from leaves(list(self.frameworks.values()), False)
        yield from leaves(self.raw.get("series"), False)
        yield from leaves(self.raw.get("countries"), False)

    @staticmethod
    def city_name(value: tuple, lang: str) -> str:
        """The name of a city match ("city", code, ((lang, name), ...)) in the document's language."""
        names = dict(value[2])
        return names.get(lang) or names.get("ru") or next(iter(names.values()))

    def capital(self, code: str, lang: str) -> str | None:
        for e in self.raw.get("countries") or ():
            if e["code"] == code:
                return (e.get("capital") or {}).get(lang)
        return None

    def official_name(self, code: str, lang: str) -> str:
        for e in self.raw.get("countries") or ():
            if e["code"] == code:
                d = e.get(lang) or e.get("ru") or {}
                return d.get("official") or d.get("name") or code
        return code

    # -- phrase indices, built on first use ------------------------------------------------

    @cached_property
    def org_index(self) -> PhraseIndex:
        ix = PhraseIndex(self.morph.key, self.morph.tokenize)
        for inst in self.institutions.values():
            for forms in (inst.name, inst.aliases):
                for phrase in self._own(forms):
                    ix.add(phrase, ("org", inst.id))
            for a in self._own(inst.abbr):
                ix.add(a, ("abbr", inst.id))
            for a in inst.abbr_weak:
                ix.add(a, ("weak", inst.id))
        return ix

    @cached_property
    def framework_index(self) -> PhraseIndex:
        ix = PhraseIndex(self.morph.key, self.morph.tokenize)
        for fid, f in self.frameworks.items():
            for phrase in self._own(f.get("label")) + self._own(f.get("names")) + list(f.get("abbr") or ()):
                ix.add(phrase, fid)
            inst = self.institutions.get(f.get("institution") or "")
            if inst:
                for phrase in self._own(inst.name) + self._own(inst.aliases) + self._own(inst.abbr):
                    ix.add(phrase, fid)
        for inst in self.institutions.values():
            if inst.framework:
                for phrase in self._own(inst.name) + self._own(inst.aliases) + self._own(inst.abbr):
                    ix.add(phrase, inst.framework)
        return ix

    @cached_property
    def series_index(self) -> PhraseIndex:
        ix = PhraseIndex(self.morph.key, self.morph.tokenize)
        for e in self.raw.get("series") or ():
            for phrase in self._own(e.get("names")):
                ix.add(phrase, e["id"])
            for phrase in (e.get("names") or {}).get("en") or ():
                for inverted in _of_forms(phrase):
                    ix.add(inverted, e["id"])
        return ix

    @cached_property
    def ambiguous_place_index(self) -> PhraseIndex:
        """Country names that are also something else ("Georgia", «АР»): a country only beside
        other countries (extract/context.py `places`)."""
        ix = PhraseIndex(self.morph.key, self.morph.tokenize)
        for e in self.raw.get("countries") or ():
            for phrase in e.get("ambiguous") or ():
                if any(phrase in [d.get("name"), d.get("official"), *(d.get("other") or ())]
                       for d in (e.get(lang) or {} for lang in self._langs())):
                    ix.add(phrase, ("country", e["code"]))
        return ix

    @cached_property
    def place_index(self) -> PhraseIndex:
        """Country names, official names, adjectives and cities, each tagged with its code."""
        ix = PhraseIndex(self.morph.key, self.morph.tokenize)
        for e in self.raw.get("countries") or ():
            code = e["code"]
            ambiguous = set(e.get("ambiguous") or ())
            for lang in self._langs():
                d = e.get(lang) or {}
                for phrase in [d.get("name"), d.get("official"), *(d.get("other") or ())]:
                    if phrase and phrase not in ambiguous:
                        ix.add(phrase, ("country", code))
                for phrase in d.get("adjectives") or ():
                    ix.add(phrase, ("adjective", code))
                for phrase in d.get("people") or ():
                    ix.add(phrase, ("adjective", code))
            cap = e.get("capital") or {}
            names = (("ru", cap.get("ru") or cap.get("en")), ("en", cap.get("en") or cap.get("ru")),
                     *((lang, cap[lang]) for lang in PLACE_LANGS[2:] if cap.get(lang)))
            for phrase in [*(cap.get(lang) for lang in self._langs()), *(cap.get("other") or ())]:
                if phrase:
                    ix.add(phrase, ("city", code, names))
            for names, forms in _city_slots(e.get("cities") or {}):
                for lang, phrase in forms:
                    if lang in self._langs():
                        ix.add(phrase, ("city", code, names))
        return ix

    @cached_property
    def ordinal_keys(self) -> set[str]:
        """Keys of the ordinal words ("второй", "ninth") that mark a numbered meeting of a series."""
        return {self.morph.key(w) for ws in (self.cues.get("ordinals") or {}).values() for w in ws}

    @cached_property
    def intrinsic_threat_keys(self) -> set[str]:
        """Key sequences of the phrases that name a threat by themselves (cues.yaml threat_intrinsic)."""
        from .phrases import phrase_keys
        return {" ".join(phrase_keys(p, self.morph.key, self.morph.tokenize)) for p in self.cues.get("threat_intrinsic") or ()}

    def cue_index(self, group: str) -> PhraseIndex:
        """One index per cue group of cues.yaml; values are the sub-key (a type id) or the group name."""
        cache = self.__dict__.setdefault("_cue_cache", {})
        if group not in cache:
            spec = dict(self.cues.get(group) or {}) if isinstance(self.cues.get(group), dict) else self.cues.get(group) or []
            exact = isinstance(spec, dict) and spec.pop("exact", False)
            # groups whose Uzbek and Kazakh cues carry their meaning in a case ending
            exact = exact or (hasattr(self.morph, "learn") and group in (self.cues.get("exact_forms") or ()))
            ix = PhraseIndex(self.morph.form if exact else self.morph.key, self.morph.tokenize)
            ix.exact = exact
            if isinstance(spec, list):
                for phrase in spec:
                    ix.add(phrase, group)
            elif set(spec) <= LANGS:
                for lang, phrases in spec.items():
                    if lang in self._cue_langs():
                        for phrase in phrases:
                            ix.add(phrase, group)
            else:
                for label, langs in spec.items():
                    for lang, phrases in (langs.items() if isinstance(langs, dict) else [(None, langs)]):
                        if lang is None or lang in self._cue_langs():
                            for phrase in phrases:
                                ix.add(phrase, label)
            cache[group] = ix
        return cache[group]


LANGS = set(PLACE_LANGS)  # the languages a cue group may list


def _merge_cues(into: dict, more: dict) -> None:
    """Another file's phrases join the same groups (per language lists, or per label)."""
    for group, spec in more.items():
        if isinstance(spec, list):
            into[group] = list(into.get(group) or []) + spec
            continue
        have = into.setdefault(group, {})
        for key, value in spec.items():
            if key in LANGS:
                have[key] = list(have.get(key) or []) + list(value)
            else:
                sub = have.setdefault(key, {})
                for lang, phrases in value.items():
                    sub[lang] = list(sub.get(lang) or []) + list(phrases)


def _city_slots(cities: dict):
    """A country's cities as (names, forms): names is ((lang, display name), ...) sorted, forms every
    spelling to match. The lists of each language give a city's names in the order of the ru list;
    a slot is a name, a list of spellings (the first is the display name) or null (none known).
    A list that is not as long as the ru list is not paired: each of its names stands alone."""
    ru = cities.get("ru") or []
    paired = [lang for lang in PLACE_LANGS if len(cities.get(lang) or []) == len(ru)]
    for i in range(len(ru)):
        slots = {lang: _spellings(cities[lang][i]) for lang in paired}
        names = tuple(sorted((lang, forms[0]) for lang, forms in slots.items() if forms))
        yield names, [(lang, f) for lang, forms in slots.items() for f in forms]
    for lang in PLACE_LANGS:
        if lang not in paired:
            for slot in cities.get(lang) or ():
                forms = _spellings(slot)
                if forms:  # an unpaired ru or en name stands for both, as it always did
                    both = {"ru": "en", "en": "ru"}.get(lang, lang)
                    yield tuple(sorted({(lang, forms[0]), (both, forms[0])})), [(lang, f) for f in forms]


def _spellings(slot) -> list[str]:
    if slot is None:
        return []
    return [slot] if isinstance(slot, str) else [f for f in slot if f]


def _of_forms(phrase: str) -> list[str]:
    """English puts a body's name before the meeting noun or after it with 'of': 'SCO Summit' is
    also 'summit of the SCO' and 'summit of SCO', 'CICA Summit' 'summit of the CICA'."""
    words = phrase.split()
    if len(words) < 2 or not words[-1][:1].isupper() or " of " in phrase:
        return []
    body, noun = " ".join(words[:-1]), words[-1]
    return [f"{noun} of the {body}", f"{noun} of {body}"]


def _names(v) -> tuple:
    if isinstance(v, dict):
        return tuple(dict.fromkeys(x for x in v.values() if isinstance(x, str)))
    return (v,) if v else ()


def _text(v):
    if isinstance(v, dict):
        return v.get("ru") or v.get("en")
    return v


def _all(forms) -> list[str]:
    if not forms:
        return []
    if isinstance(forms, str):
        return [forms]
    if isinstance(forms, dict):
        out = []
        for v in forms.values():
            out.extend([v] if isinstance(v, str) else v)
        return out
    return list(forms)
