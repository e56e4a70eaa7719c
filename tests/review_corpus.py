"""A small knowledge base with the duplicates resolution leaves for a person to judge, stored
through the ingest path (store_extracted) from hand-made extraction records: one speaker in
Cyrillic and Latin under two affiliations, the same speaker with a place name glued to his name,
two namesakes with different first names, one institute under a short and a long name, and two
ministries of two countries. One document's title is hostile markup."""
from __future__ import annotations

from sqlalchemy import select

from kurultai.read import Text
from kurultai.pipeline import Extraction
from kurultai.store.documents import Report, store_extracted
from kurultai.store.resolve import Index
from kurultai.store.schema import entities

HOSTILE = "<script>alert('review')</script><img src=x onerror=alert(1)>"


def record(source: str, text: str, orgs=(), persons=(), lang: str = "ru", title: str | None = None):
    """An extraction record of one round table: orgs [(name, country)] organise it, persons
    [(name, affiliation local id)] speak at it."""
    def item(i, name, **more):
        at = text.index(name)
        return {"id": i, "name": name, "mentions": [{"start": at, "end": at + len(name), "text": name}], **more}
    rec = {"document": {"sha256": source, "source": f"/srv/reports/{source}", "language": lang,
                        "title": title or f"Круглый стол ({source})"},
           "organizations": [item(f"o{k}", n, country=c) for k, (n, c) in enumerate(orgs)],
           "persons": [item(f"p{k}", n, affiliation=a) for k, (n, a) in enumerate(persons)],
           "events": [{"type": "round_table", "title": f"Круглый стол {source}", "date": {"value": "2024-03-14"},
                       "organizers": [f"o{k}" for k in range(len(orgs))],
                       "speakers": [f"p{k}" for k in range(len(persons))]}]}
    return rec, Text(text, source, {})


DOCS = [
    record("a.txt", "Круглый стол организовал Центр развития Приаралья. Выступил Ерболат Кенжегулов, директор центра.",
           [("Центр развития Приаралья", "KZ")], [("Ерболат Кенжегулов", "o0")]),
    record("b.txt", "Yerbolat Kenzhegulov of the Aral Region Development Centre spoke at the round table.",
           [("Aral Region Development Centre", "KZ")], [("Yerbolat Kenzhegulov", "o0")], lang="en"),
    record("c.txt", "В обсуждении участвовал Приаралья Ерболат Кенжегулов и другие эксперты региона.",
           [], [("Приаралья Ерболат Кенжегулов", None)], title=HOSTILE),
    record("d.txt", "Выступили Бахтиёр Турсунов и Фаррух Турсунов из Института стратегических исследований Казахстана.",
           [("Института стратегических исследований Казахстана", "KZ")],
           [("Бахтиёр Турсунов", "o0"), ("Фаррух Турсунов", "o0")]),
    record("e.txt", "Министерство иностранных дел Республики Узбекистан и Министерство иностранных дел Республики "
                    "Казахстан провели консультации.",
           [("Министерство иностранных дел Республики Узбекистан", "UZ"),
            ("Министерство иностранных дел Республики Казахстан", "KZ")]),
    record("f.txt", "Институт мировой экономики и политики провёл семинар.",
           [("Институт мировой экономики и политики", "KZ")]),
    record("g.txt", "Семинар провёл Институт мировой экономики и политики при Фонде Первого Президента Республики "
                    "Казахстан; выступил Ерболат Кенжегулов (Aral Region Development Centre).",
           [("Институт мировой экономики и политики при Фонде Первого Президента Республики Казахстан", "KZ"),
            ("Aral Region Development Centre", "KZ")], [("Ерболат Кенжегулов", "o1")]),
]


def fill(store, registry) -> dict[str, int]:
    """Store DOCS; answers each entity's id by its name."""
    index, report = Index(), Report()
    for rec, text in DOCS:
        store_extracted(store, report, rec["document"]["sha256"], text.raw.encode(), Extraction(text, text.raw, rec, ()), registry, index)
    assert report.new == len(DOCS) and not report.failed
    return ids(store)


def ids(store) -> dict[str, int]:
    """Entity ids by name, and people also as NAME@AFFILIATION (one speaker is stored under two)."""
    with store.connect() as conn:
        rows = conn.execute(select(entities.c.id, entities.c.name, entities.c.affiliation_id)).all()
    names = {r.id: r.name for r in rows}
    out = {r.name: r.id for r in rows}
    out.update({f"{r.name}@{names[r.affiliation_id]}": r.id for r in rows if r.affiliation_id})
    return out
