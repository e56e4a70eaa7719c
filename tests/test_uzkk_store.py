"""Uzbek and Kazakh reports in the knowledge base (SQLite, and PostgreSQL when $KURULTAI_TEST_PG is
set): one round table reported in Uzbek Latin, Uzbek Cyrillic and Kazakh Cyrillic is about one
institute and one speaker, whatever the script, and a search in any script or in Russian finds
the three reports."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kurultai.read import Text
from kurultai.ingest.run import Report, ingest
from kurultai.pipeline import Extraction
from kurultai.store import Store
from kurultai.store.documents import store_extracted
from kurultai.store.names import fold, surname_and_initial
from kurultai.store.resolve import Index
from kurultai.store.schema import documents, entities, mentions
from kurultai.store.search import Filters, search

from .conftest import ROOT, STORES
from .private_pg import private_pg

UZKK = ROOT / "tests" / "fixtures" / "uzkk"
LANGUAGES = {"uz-latn-rt-isrs-water.txt": "uz", "uz-cyrl-rt-isrs-water.txt": "uz", "kk-cyrl-rt-isrs-water.txt": "kk"}


def names(hits) -> set[str]:
    return {h.source.rsplit("/", 1)[-1] for h in hits}


@pytest.fixture(scope="module", params=STORES)
def uzkk_store(request, tmp_path_factory, extractor):
    """The three reports ingested once per kind of store, since the tests below only read it; on
    PostgreSQL in a database of the module's own, which the other tests' stores do not wipe."""
    if request.param == "sqlite":
        store = Store.open(str(tmp_path_factory.mktemp("uzkk") / "kurultai.db"))
    else:
        store = Store.open_empty(private_pg("kurultai_test_uzkk"))
    report = ingest(store, [UZKK], extractor)
    assert report.new == len(LANGUAGES) and not report.failed
    yield store
    store.close()


def test_three_scripts_name_one_institute_and_one_speaker(uzkk_store):
    with uzkk_store.connect() as conn:
        docs = {r.id: (r.source.rsplit("/", 1)[-1], r.language) for r in conn.execute(
            select(documents.c.id, documents.c.source, documents.c.language))}
        ents = conn.execute(select(entities.c.id, entities.c.kind, entities.c.name, entities.c.registry_id,
                                   entities.c.affiliation_id)).all()
        said = conn.execute(select(mentions.c.document_id, mentions.c.entity_id, mentions.c.text)).all()
    assert {name: lang for name, lang in docs.values()} == LANGUAGES
    isrs = [e for e in ents if e.registry_id == "uz.isrs"]
    assert len(isrs) == 1, ents
    in_docs = {docs[d][0] for d, e, _ in said if e == isrs[0].id}
    assert in_docs == set(LANGUAGES)  # «…institutida», «…институтида», «…институтында»
    people = [e for e in ents if e.kind == "person"]
    assert len(people) == 1, people  # Farrux Tursunov = Фаррух Турсунов (uz) = Фаррух Турсунов (kk)
    speaker = people[0]
    assert {docs[d][0] for d, e, _ in said if e == speaker.id} == set(LANGUAGES)
    assert {t for _, e, t in said if e == speaker.id} >= {"Farrux Tursunov", "Фаррух Турсунов"}
    assert speaker.affiliation_id == isrs[0].id


@pytest.mark.parametrize("query", [
    "Strategik va mintaqalararo tadqiqotlar institutida",  # Uzbek Latin, locative
    "Стратегик ва минтақалараро тадқиқотлар институтининг",  # Uzbek Cyrillic, genitive
    "Стратегиялық және өңіраралық зерттеулер институтының",  # Kazakh, genitive
    "Института стратегических и межрегиональных исследований",  # Russian, genitive
    "Institute for Strategic and Regional Studies",
    "ISRS",
    "Турсуновга",  # the speaker's surname with an Uzbek dative ending
])
def test_a_search_in_any_script_finds_the_three_reports(uzkk_store, extractor, query):
    hits, total = search(uzkk_store, query, morph=extractor.morph, registry=extractor.registry)
    assert names(hits) == set(LANGUAGES) and total == len(LANGUAGES), query
    for h in hits:  # the words matched, or where the document names the institute the query names
        assert h.highlights, (query, h.source)
        s, e = h.highlights[0]
        assert "турсунов" in h.snippet[s:e].lower() or "tursunov" in h.snippet[s:e].lower() \
            or any(w in h.snippet[s:e].lower() for w in ("institut", "институт", "strategi", "стратеги")), h.snippet[s:e]


def test_word_forms_find_their_own_language_and_are_highlighted(uzkk_store, extractor):
    """Uzbek word forms find both Uzbek scripts (the stems of one skeleton) and not the Kazakh
    report, which says «су ресурстары»; a Kazakh form finds the Kazakh report; each hit marks
    the word as its own document writes it."""
    for query, want, marked in [
        ("suv resurslaridan", {"uz-latn-rt-isrs-water.txt", "uz-cyrl-rt-isrs-water.txt"}, {"suv", "сув"}),
        ("сув ресурсларини", {"uz-latn-rt-isrs-water.txt", "uz-cyrl-rt-isrs-water.txt"}, {"suv", "сув"}),
        ("дөңгелек үстелде", {"kk-cyrl-rt-isrs-water.txt"}, {"дөңгелек"}),
        ("су ресурстарын", {"kk-cyrl-rt-isrs-water.txt"}, {"су"}),
    ]:
        hits, _ = search(uzkk_store, query, morph=extractor.morph, registry=extractor.registry)
        assert names(hits) == want, query
        for h in hits:
            assert h.matched_by == ["text"] and h.highlights, (query, h.source)
            s, e = h.highlights[0]
            assert h.snippet[s:e].lower() in marked, (query, h.snippet[s:e])
    hits, _ = search(uzkk_store, "suv resurslari", Filters(language="kk"), morph=extractor.morph,
                     registry=extractor.registry)
    assert hits == []


def test_uzbek_and_kazakh_keys_are_looked_for_in_uzbek_and_kazakh_documents_only(store, extractor):
    """«banki» (Uzbek: its bank, «Osiyo taraqqiyot banki») has the Uzbek stem «bank»: an English
    report that says «Bank» is not a match for it, as an Uzbek one saying «banki» or «bankida» would be."""
    ingest(store, [UZKK, ROOT / "tests" / "fixtures" / "extract" / "docs" / "en-conf-nu-connectivity-hybrid.txt"],
           extractor)
    assert names(search(store, "bank", morph=extractor.morph, registry=extractor.registry)[0]) == \
        {"en-conf-nu-connectivity-hybrid.txt"}
    assert search(store, "banki", morph=extractor.morph, registry=extractor.registry) == ([], 0)


@pytest.mark.parametrize("spellings", [
    ["Фаррух Турсунов", "Farrux Tursunov", "Farrukh Tursunov", "Farruh Tursunov"],
    ["Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев", "Qasym-Jomart Toqaev", "Kassym-Jomart Tokayev"],
    ["Шавкат Мирзиёев", "Shavkat Mirziyoyev"],
    ["Ерлан Карин", "Erlan Qarin", "Yerlan Karin", "Erlan Qarın"],  # Kazakh Latin of 2018: ı
    ["Шавкат Мирзиёев", "Şavkat Mirziyoyev"],  # Turkish-style letters (Kazakh Latin of 2021)
    ["Гўзал Қўчқорова", "Go‘zal Qo‘chqorova", "Goʻzal Qoʻchqorova", "Go'zal Qo'chqorova"],
    ["Хуршид Холматов", "Xurshid Xolmatov", "Khurshid Kholmatov"],
    ["Ж. Жумабаев", "Ж. Жұмабаев", "J. Jumabayev", "Zh. Zhumabaev"],
])
def test_one_name_in_every_script_folds_to_one_skeleton(spellings):
    folds = {surname_and_initial(fold(s)) for s in spellings}
    assert len(folds) == 1, folds


def _record(source: str, lang: str, text: str, orgs=(), persons=()) -> tuple[dict, Text]:
    def item(i, name, **more):
        at = text.index(name)
        return {"id": i, "name": name, "mentions": [{"start": at, "end": at + len(name), "text": name}], **more}
    record = {"document": {"sha256": source, "source": source, "language": lang},
              "organizations": [item(f"o{k}", n, country="UZ") for k, n in enumerate(orgs)],
              "persons": [item(f"p{k}", n, affiliation="o0" if orgs else None) for k, n in enumerate(persons)],
              "events": []}
    return record, Text(text, source, {})


def test_institutions_without_a_registry_entry_meet_by_their_folded_names(store, registry):
    """A body the registry does not know, named in Uzbek Latin and Cyrillic (with a case ending on
    its head word in one), is one institution; its people are one person in each script, and a
    namesake with another first name stays another person."""
    docs = [
        _record("a.txt", "uz", "Yashil vodiy jamg‘armasi direktori Farrux Tursunov so‘zladi.",
                ["Yashil vodiy jamg‘armasi"], ["Farrux Tursunov"]),
        _record("b.txt", "uz", "Яшил водий жамғармасида Фаррух Турсунов маъруза қилди.",
                ["Яшил водий жамғармасида"], ["Фаррух Турсунов"]),
        _record("c.txt", "en", "Farrukh Tursunov of the Yashil Vodiy Foundation and Bahodir Tursunov spoke.",
                [], ["Farrukh Tursunov", "Bahodir Tursunov"]),
    ]
    index, report = Index(), Report()
    for record, text in docs:
        store_extracted(store, report, record["document"]["sha256"], text.raw.encode(), Extraction(text, text.raw, record, ()),
                        registry, index)
    with store.connect() as conn:
        ents = conn.execute(select(entities.c.kind, entities.c.name)).all()
    assert sorted(k for k, _ in ents) == ["org", "person", "person"], ents
    # the first Cyrillic form names the person (resolve._fuller)
    assert {n for k, n in ents if k == "person"} == {"Фаррух Турсунов", "Bahodir Tursunov"}


def test_a_search_of_its_own_keys_uzbek_and_kazakh_words_as_the_extractor_did(uzkk_store):
    """A search with no morphology or registry given (the command line's) loads its own, and keys
    Uzbek and Kazakh words with what the registry's names teach them, as the extractor did."""
    for query in ("Стратегиялық және өңіраралық зерттеулер институтының", "сув ресурсларини", "ISRS"):
        hits, _ = search(uzkk_store, query)
        assert hits and all(h.highlights for h in hits), query
    assert len(search(uzkk_store, "Стратегиялық және өңіраралық зерттеулер институтының")[0]) == len(LANGUAGES)


def test_an_institution_filter_takes_any_registry_name_in_any_form(uzkk_store, extractor):
    for value in ("ISRS", "Стратегиялық және өңіраралық зерттеулер институтының", "Strategik va mintaqalararo tadqiqotlar institutida"):
        hits, _ = search(uzkk_store, "", Filters(institution=value), registry=extractor.registry)
        assert names(hits) == set(LANGUAGES), value
        hits, _ = search(uzkk_store, "Турсунов", Filters(institution=value, language="kk"), registry=extractor.registry)
        assert names(hits) == {"kk-cyrl-rt-isrs-water.txt"}, value
