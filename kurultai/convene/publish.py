"""Publishing a session: its record (what the session says happened) and its press release.

`session_record(s)` turns a stored session into a record in the contract's gold form (the event,
its organiser, participants, speakers, countries, directions, threats, frameworks, outcomes), so
that what a release says can be checked: `kurultai extract` over `release(s, lang).text` must
reproduce it (tests/test_convene_roundtrip.py scores that with the contract's scorer).

The release is written in the manner of the reports kurultai reads: who met, when and how, who
spoke on what, which frameworks were discussed, and what was agreed; its phrasing is data
(release.yaml).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from ..store.names import translit
from ..store.registry_names import place_name
from .grammar import gender_of
from .phrasing import phrasing
from .sessions import has_begun, local_start


@dataclass(frozen=True)
class Release:
    lang: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"

    @property
    def html(self) -> str:
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
        return (f'<!doctype html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{html.escape(self.title)}</title></head>\n<body><article>\n"
                f"<h1>{html.escape(self.title)}</h1>\n{body}\n</article></body></html>\n")


def _org_label(org: dict, lang: str) -> str:
    """'Институт мировой экономики и политики (ИМЭП)': the full name, with the short one."""
    names = (org.get("names") or {}).get(lang) or {}
    name, short = names.get("name") or org["name"], names.get("short") or org.get("short")
    return f"{name} ({short})" if short and short != name else name


def in_lang(row: dict, field: str, lang: str, session_lang: str | None = None) -> str:
    """A typed text in `lang`: as typed in the session's language, else its `<field>_other`
    translation when given, else as typed."""
    if lang == (session_lang or row.get("language")):
        return row[field]
    return row.get(f"{field}_other") or row[field]


def _latin(text: str) -> str:
    """Cyrillic words transliterated, keeping how each was written: 'ИСМИ' -> 'ISMI'."""
    def word(m):
        w = m.group(0)
        if not re.search("[а-яёәғқңөұүһіўҳ]", w, re.I):
            return w
        out = translit(w)
        return out.upper() if w.isupper() and len(w) > 1 else (out[:1].upper() + out[1:] if w[:1].isupper() else out)
    return re.sub(r"[\w-]+", word, text)


def person_name(name: str, lang: str) -> str:
    """A person's name in an English release: Cyrillic transliterated."""
    if lang == "en" and re.search("[а-яё]", name, re.I):
        return " ".join(w.capitalize() for w in translit(name).split())
    return name


def _place(registry, part: str, lang: str) -> str | None:
    """A city, a country or an institution of the registry, named in `lang`."""
    from .sessions import registry_institution
    found = place_name(registry, part, lang)
    if found:
        return found
    inst = registry_institution(registry, part.strip())
    return (inst.short(lang) or inst.label(lang)) if inst else None


def venue_in(s: dict, registry, lang: str) -> str:
    """The venue as a release in `lang` names it: each comma-separated part that the registry knows
    (a city, a country, an institution) in that language, the rest transliterated in English."""
    venue = s.get("venue") or ""
    if lang == "ru" or not re.search("[а-яё]", venue, re.I):
        return venue
    parts = [(_place(registry, part, lang) if registry is not None else None) or _latin(part.strip())
             for part in venue.split(",")]
    return ", ".join(p for p in parts if p)


def _org_short(org: dict, lang: str) -> str:
    """How a speaker's institution is named after their name: the short form where there is one."""
    names = (org.get("names") or {}).get(lang) or {}
    return names.get("short") or org.get("short") or names.get("name") or org["name"]


def participants(s: dict, registry, store=None) -> list[dict]:
    """Institutions that took part: those invited that accepted, and every speaker's, once each,
    the organiser apart."""
    from .sessions import find_org
    seen, out = set(), []
    organizer = (s.get("organizer") or "").lower()
    names = [i["name"] for i in s["invitations"] if i["kind"] == "org" and i["status"] == "accepted"]
    names += [i["institution"] for i in s["invitations"] if i["kind"] == "person" and i["status"] == "accepted"
              and i.get("institution")]
    names += [c["institution"] for c in s["contributions"] if c.get("institution")]
    for name in names:
        if name.lower() == organizer or name.lower() in seen:
            continue
        seen.add(name.lower())
        org = (find_org(store, registry, name) if store is not None else None) or {"name": name, "short": None,
                                                                                       "country": None}
        out.append(org)
    return out


def _union(s: dict, field: str) -> list[str]:
    out = []
    for c in s["contributions"]:
        for t in c["tags"].get(field, []):
            if t["id"] not in out:
                out.append(t["id"])
    return out


def _speakers(s: dict) -> list[dict]:
    """One entry per speaker, their directions merged across contributions, in order of speaking."""
    out: dict[str, dict] = {}
    for c in s["contributions"]:
        sp = out.setdefault(c["speaker"], {"name": c["speaker"], "institution": c.get("institution"), "directions": []})
        for t in c["tags"].get("directions", []):
            if t["id"] not in sp["directions"]:
                sp["directions"].append(t["id"])
    return list(out.values())


def _countries(s: dict, orgs: list[dict]) -> list[str]:
    out = []
    for code in [s.get("organizer_country")] + [o.get("country") for o in orgs] + \
                [c.get("country") for c in s["contributions"]]:
        if code and code not in out:
            out.append(code)
    return out


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + phrasing()[lang]["and"] + items[-1]


def release(s: dict, registry, labels, lang: str, store=None, now: datetime | None = None) -> Release:
    """The press release of session `s` (as get_session returns it) in `lang` (ru|en). Before the
    session's start it is an announcement in the future tense: what will be held, where, by whom;
    what was said is reported only once the session has begun."""
    ahead = not has_begun(s["starts_at"], now)
    P = phrasing()[lang]
    P = {**P, **P["ahead"]} if ahead else P
    typ = P["types"].get(s["type"]) or P["types"]["round_table"]
    orgs = participants(s, registry, store)
    by_name = {o["name"].lower(): o for o in orgs}
    if s.get("organizer"):
        by_name[s["organizer"].lower()] = _organizer(s, registry, store)
    countries = _countries(s, orgs)
    names = [registry.countries[c].name.get(lang) or c for c in countries if c in registry.countries]
    if lang == "ru":
        gen = [" ".join(registry.morph.genitive_phrase(n.split())) for n in names]
        who = ("стран Центральной Азии" if len(names) > 1 and all(
            registry.countries[c].region == "central_asia" for c in countries if c in registry.countries)
               else (_join(gen, lang) if gen else P["headline_countries_fallback"]))
    else:
        gen = names
        who = _join(names, lang) if names else P["headline_countries_fallback"]
    headline = P["headline"].format(countries=who, topic=P["headline_topic"])
    paras = [_opening(s, registry, store, lang, P, typ)]
    para2 = []
    if orgs:
        para2.append(P["participants"].format(type_gen=typ.get("gen", typ["nom"]),
                                              orgs=", ".join(_org_label(o, lang) for o in orgs)))
    if len(gen) > 1:
        para2.append(P["countries"].format(countries=_join(gen, lang)))
    if para2:
        paras.append(" ".join(para2))
    if not ahead:
        paras += _what_was_said(s, registry, labels, lang, P, typ, by_name)
    return Release(lang, headline, tuple(paras))


def gendered(template, gender: str) -> str:
    """A phrasing that agrees with a person's gender ({m, f, x}), or one that needs none."""
    return template[gender] if isinstance(template, dict) else template


def _opening(s: dict, registry, store, lang: str, P: dict, typ: dict) -> str:
    """What, when, where, in which format, organised by whom, moderated by whom."""
    start = local_start(s)
    date = (f"{start.day} {P['months'][start.month - 1]} {start.year} года" if lang == "ru"
            else f"{start.day} {P['months'][start.month - 1]} {start.year}")
    venue = P["venue"].format(venue=venue_in(s, registry, lang)) if s.get("venue") and s["format"] != "online" else ""
    first = P["held"].format(date=date.capitalize() if lang == "ru" else date, held=typ.get("held", ""),
                             adj=typ.get("adj", ""), type=typ["nom"], title=in_lang(s, "title", lang), venue=venue)
    para = [" ".join(first.split()), P["format"].format(format=P["formats"][s["format"]])]
    if s.get("organizer"):
        org = _organizer(s, registry, store)
        para.append(P["organizer"].format(type_gen=typ.get("gen", typ["nom"]), type=typ["nom"],
                                          organizer=_org_label(org, lang)))
    if s.get("moderator"):
        para.append(gendered(P["moderator"], gender_of(registry.morph, s["moderator"]))
                    .format(moderator=person_name(s["moderator"], lang)))
    return " ".join(para)


def _what_was_said(s: dict, registry, labels, lang: str, P: dict, typ: dict, by_name: dict) -> list[str]:
    """The paragraphs of a session held: who spoke on what, the threats and frameworks discussed,
    the outcomes."""
    paras, spoke = [], []
    for sp in _speakers(s):
        gender = gender_of(registry.morph, sp["name"])
        name = person_name(sp["name"], lang)
        org = by_name.get((sp["institution"] or "").lower())
        inst = (_org_short(org, lang) if org else sp["institution"]) or P["independent_expert"]
        dirs = [labels.label("directions", d, lang) for d in sp["directions"]]
        if dirs:
            template = gendered(P["speaker"], gender)
        else:
            template = gendered(P["speaker_also" if spoke else "speaker_plain"], gender)
        spoke.append(template.format(name=name, institution=inst, directions=_join(dirs, lang)))
    if spoke:
        paras.append(" ".join(spoke))
    topics = []
    threats = _union(s, "threats")
    if threats:
        topics.append(P["threats"].format(threats=_join([labels.label("threats", t, lang) for t in threats], lang)))
    frameworks = _union(s, "frameworks")
    if frameworks:
        topics.append(P["frameworks"].format(frameworks=_join(
            [_framework(registry, f, lang) for f in frameworks], lang)))
    if topics:
        paras.append(" ".join(topics))
    outs = [P["outcomes"][o["kind"]].format(type_gen=typ.get("gen", typ["nom"]), type=typ["nom"],
                                            text=in_lang(o, "text", lang, s["language"]))
            for o in s["outcomes"]]
    if outs:
        paras.append(" ".join(outs))
    return paras


def _framework(registry, fid: str, lang: str) -> str:
    """A framework after 'в рамках' / 'within': its abbreviation, as releases write them, else its
    name (genitive in Russian)."""
    entry = registry.frameworks.get(fid) or {}
    label = (entry.get("label") or {}).get(lang) or fid
    abbr = next((a for a in entry.get("abbr") or () if (lang == "ru") == bool(re.search("[а-яё]", a, re.I))), None)
    if abbr and lang == "ru":
        return abbr
    if lang == "ru":
        label = " ".join(registry.morph.genitive_phrase(label.split()))
    elif not label.lower().startswith("the "):
        label = "the " + label
    return f"{label} ({abbr})" if abbr and abbr not in label else label


def _organizer(s: dict, registry, store) -> dict:
    from .sessions import find_org
    org = find_org(store, registry, s["organizer_id"] or s["organizer"]) if store is not None else None
    return org or {"name": s["organizer"], "short": None, "country": s.get("organizer_country")}


def topics(s: dict, tagger=None, lang: str | None = None) -> dict[str, list[str]]:
    """Directions, threats and frameworks of the session: those of its contributions (as tagged or
    corrected), and, with a tagger, those its title and outcomes name (they are discussed too)."""
    out = {f: _union(s, f) for f in ("directions", "threats", "frameworks")}
    if tagger is not None:
        lang = lang or s["language"]
        for text in [in_lang(s, "title", lang)] + [in_lang(o, "text", lang, s["language"]) for o in s["outcomes"]]:
            tags = tagger.tag(text)
            for f in out:
                out[f] += [t["id"] for t in tags[f] if t["id"] not in out[f]]
    return out


def session_record(s: dict, registry, store=None, tagger=None, lang: str | None = None) -> dict:
    """The session as a gold record of the contract (CONVENTIONS.md): what its release in `lang`
    (by default the session's language) must yield."""
    lang = lang or s["language"]
    orgs = participants(s, registry, store)
    organizer = _organizer(s, registry, store) if s.get("organizer") else None

    def aliases(o):
        names = {o["name"], *(x for x in (o.get("short"),) if x)}
        for per_lang in (o.get("names") or {}).values():
            names |= {x for x in (per_lang.get("name"), per_lang.get("short")) if x}
        return {"aliases": sorted(names), "country": o.get("country")}

    inst_of = {}
    for o in orgs + ([organizer] if organizer else []):
        inst_of[o["name"].lower()] = aliases(o)["aliases"]
    speakers = [{"name": person_name(sp["name"], lang),
                 "affiliation_aliases": inst_of.get((sp["institution"] or "").lower(), [sp["institution"] or ""])}
                for sp in _speakers(s)]
    event = {
        "type": s["type"], "title": in_lang(s, "title", lang), "date": local_start(s).date().isoformat(), "format": s["format"],
        "organizers": [aliases(organizer)] if organizer else [],
        "participants": [aliases(o) for o in orgs],
        "speakers": speakers,
        "countries": _countries(s, orgs),
        **topics(s, tagger, lang),
        "references": [],
        "outcomes": [{"kind": o["kind"], "covers": in_lang(o, "text", lang, s["language"])} for o in s["outcomes"]],
    }
    return {"source": f"session-{s['id']}", "title": None, "language": lang, "events": [event]}


def publish_session(store, registry, labels, sid: int, extractor, lock=None) -> tuple[dict, int]:
    """Publish session `sid`: its release in the session's language is stored as a document of the
    knowledge base (named session-ID-release-LANG.txt; the next agenda and briefing count the
    session), and the session is marked published with it. `lock` serialises writers (the web's
    ingest lock). Returns the session and the document's id."""
    import hashlib
    from contextlib import nullcontext

    from ..ingest.run import ingest_sources, stored_document
    from ..ingest.source import Source
    from .sessions import SessionError, get_session, mark_published

    s = get_session(store, sid, registry)
    if not has_begun(s["starts_at"]):
        raise SessionError(f"session {sid} starts {local_start(s):%Y-%m-%d %H:%M} ({s['timezone']}); "
                           "its release can be published once it has been held")
    if not s["contributions"] and not s["outcomes"]:
        raise SessionError(f"session {sid} has no contributions or outcomes recorded yet; nothing to publish")
    data = release(s, registry, labels, s["language"], store).text.encode("utf-8")
    name = f"session-{sid}-release-{s['language']}.txt"
    with lock or nullcontext():
        report = ingest_sources(store, [Source(name, lambda: data)], extractor)
    if report.failed:
        raise SessionError(f"release of session {sid}: not stored ({report.failed[0][1]})")
    doc_id = stored_document(store, hashlib.sha256(data).hexdigest())
    mark_published(store, sid, doc_id)
    return get_session(store, sid, registry), doc_id
