"""search() finds what a plain reading of the store says it should, whichever plan it takes (a
filter as an id set, a probe per match or facets in the full-text index; PostgreSQL's matches
from the GIN index all at once or span by span, newest first), and bounds its work by
RESULT_CAP: beyond it, the newest matches, ranked, and a total that says "more than"."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from kurultai.store import facets
from kurultai.store import search as search_mod
from kurultai.ingest.run import ingest
from kurultai.store.names import norm
from kurultai.store.schema import aliases, documents, entities, event_tags, events, mentions
from kurultai.store.search import Filters, entity_ids, query_branches, registry_institutions, search

from .conftest import FIXTURES, ROOT

DOCS = FIXTURES / "docs"
UZKK = ROOT / "tests" / "fixtures" / "uzkk"  # Uzbek (Latin, Cyrillic) and Kazakh reports: stems, not lemmas
LISTS = [{}, {"direction": "water"}, {"country": "KZ", "direction": "water"}, {"type": "round_table"},
         {"institution": "КИСИ"}, {"language": "ru"}, {"country": "UZ", "date_from": "2023"},
         {"date_from": "2024-03", "date_to": "2024-12-31"}]
TEXTS = [("сотрудничества", {}), ("ISRS", {}), ("ИСМИ", {"type": "round_table"}), ("безопасность", {"country": "KZ"}),
         ("сотрудничества", {"date_from": "2023-06", "date_to": "2024"}), ("ISRS", {"year": 2024}),
         ("ИСМИ", {"institution": "КИСИ", "type": "round_table"}), ("Kazakhstan", {"language": "en"}),
         ("водные ресурсы", {"language": "ru"}), ("сотрудничества", {"date_from": "2024"}),
         ("suv resurslaridan", {}), ("дөңгелек үстелде", {"type": "round_table"}), ("Турсунов", {"language": "uz"}),
         ("Стратегиялық және өңіраралық зерттеулер институтының", {}), ("Farrux", {"language": "uz"})]


def expected(store, morph, query: str, f: dict) -> set[int]:
    """The documents a search should find, read from the store row by row in Python: every query
    word among a document's lemmas, keyed as its language's documents are, or a mention of an
    entity the query names (by an alias, or a registry institution by any name); every filter kept."""
    with store.connect() as conn:
        docs = {r.id: r for r in conn.execute(select(documents.c.id, documents.c.lemmas, documents.c.language))}
        evs = conn.execute(select(events.c.id, events.c.document_id, events.c.type, events.c.date)).all()
        tags = conn.execute(select(event_tags.c.event_id, event_tags.c.kind, event_tags.c.value)).all()
        said = conn.execute(select(mentions.c.document_id, mentions.c.entity_id)).all()
        named = set(conn.execute(select(aliases.c.entity_id).where(aliases.c.norm == norm(query))).scalars()) \
            if len(norm(query)) >= 2 else set()
        if query:
            bodies = registry_institutions(query, search_mod._registry(morph))
            named |= set(conn.execute(select(entities.c.id).where(entities.c.registry_id.in_(sorted(bodies)))).scalars())
        who = {k: set(entity_ids(conn, f[k], kind)) for k, kind in (("institution", "org"), ("person", "person")) if k in f}
    branches = query_branches(query, morph) if query else []
    if "year" in f:
        f = {"date_from": f"{f['year']}", "date_to": f"{f['year']}-12-31", **f}
    doc_of = {e.id: e.document_id for e in evs}
    kept = set()
    for d in docs.values():
        lemmas = set((d.lemmas or "").split())
        by_text = any(set(b.keys) <= lemmas for b in branches if not b.languages or d.language in b.languages)
        if branches and not (by_text or any(x == d.id and e in named for x, e in said)):
            continue
        mine = [e for e in evs if e.document_id == d.id]
        mine_tags = {(k, v) for ev, k, v in tags if doc_of.get(ev) == d.id}
        if any(k in f and (k, f[k]) not in mine_tags for k in ("country", "direction", "threat", "framework")):
            continue
        if "type" in f and f["type"] not in {e.type for e in mine}:
            continue
        if "language" in f and d.language != f["language"]:
            continue
        if any(not (who[k] & {e for x, e in said if x == d.id}) for k in who):
            continue
        if "date_from" in f or "date_to" in f:
            lo, hi = f.get("date_from", ""), f.get("date_to", "9999") + "\uffff"
            if not any(e.date and not e.date.startswith("--") and lo <= e.date <= hi for e in mine):
                continue
        kept.add(d.id)
    return kept


def newest_first(store, ids) -> list[int]:
    """The order search promises without words: newest date first, undated last, then the higher id."""
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.id, documents.c.published).where(documents.c.id.in_(ids))).all()
    return [i for i, _ in sorted(rows, key=lambda r: (r[1] is not None, r[1] or "", r[0]), reverse=True)]


@pytest.mark.parametrize("small_set", [10 ** 9, 0])  # every filter an id set; every filter a probe
@pytest.mark.parametrize("few", [10 ** 9, 0])  # PostgreSQL: every match from GIN; the newest spans first
def test_lists_and_texts_find_what_the_store_holds_by_either_plan(store, extractor, monkeypatch, small_set, few):
    if store.dialect == "sqlite" and few == 0:
        pytest.skip("FTS5 gives its matches newest first: one plan")
    ingest(store, [DOCS, UZKK], extractor)
    monkeypatch.setattr(search_mod, "SMALL_SET", small_set)
    monkeypatch.setattr(search_mod, "FEW", few)
    morph = extractor.morph
    for f in LISTS:
        want = newest_first(store, expected(store, morph, "", f))
        hits, total = search(store, "", Filters(**f), morph, limit=100)
        assert (total, total.exact) == (len(want), True), f
        assert [h.id for h in hits] == want, f
        paged = [h.id for p in range(0, total, 3) for h in search(store, "", Filters(**f), morph, limit=3, offset=p)[0]]
        assert paged == want, f
    assert sum(1 for f in LISTS[1:] if 0 < len(expected(store, morph, "", f)) < len(expected(store, morph, "", {}))) >= 5
    for q, f in TEXTS:
        want = expected(store, morph, q, f)
        hits, total = search(store, q, Filters(**f), morph, limit=100)
        assert (total, total.exact) == (len(want), True) and {h.id for h in hits} == want, (q, f)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True), (q, f)
        paged = [h.id for p in range(0, total, 2) for h in search(store, q, Filters(**f), morph, limit=2, offset=p)[0]]
        assert paged == [h.id for h in hits], (q, f)
    assert all(expected(store, morph, q, f) for q, f in TEXTS)
    _, n = search(store, "сотрудничества")
    _, n_kz = search(store, "сотрудничества", Filters(country="KZ"))
    assert 0 < n_kz < n
    assert search(store, "сотрудничества", Filters(country="KZ"), offset=10 ** 6) == ([], n_kz)  # past the end: counted


def test_more_matches_than_the_cap_rank_the_newest_and_say_more_than(store, extractor, monkeypatch):
    ingest(store, [DOCS], extractor)
    morph = extractor.morph
    cap = 2
    monkeypatch.setattr(search_mod, "RESULT_CAP", cap)
    for q, f in [("сотрудничества", {}), ("ISRS", {}), ("сотрудничества", {"country": "KZ"})]:
        want = expected(store, morph, q, f)
        assert len(want) > cap, (q, f)
        hits, total = search(store, q, Filters(**f), morph, limit=100)
        assert (total, total.exact) == (cap, False), (q, f)
        # the newest `cap` matches (by when they were stored), whichever way each matched
        assert {h.id for h in hits} == set(sorted(want)[-cap:]), (q, f)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert search(store, q, Filters(**f), morph, limit=1, offset=1)[0] == hits[1:2]
        assert search(store, q, Filters(**f), morph, offset=cap)[0] == []
    want = newest_first(store, expected(store, morph, "", {"language": "ru"}))
    hits, total = search(store, "", Filters(language="ru"), morph)
    assert len(want) > cap and (total, total.exact) == (cap, False)
    assert [h.id for h in hits] == want[:cap]
    few = sorted(expected(store, morph, "водные ресурсы", {"language": "ru"}))
    monkeypatch.setattr(search_mod, "RESULT_CAP", len(few))  # exactly the cap: every match seen, so exact
    hits, total = search(store, "водные ресурсы", Filters(language="ru"), morph)
    assert (total, total.exact) == (len(few), True) and sorted(h.id for h in hits) == few


@pytest.mark.parametrize("margin", [10 ** -9, 10 ** 9])  # the first lookup: the newest span; every span
def test_postgresql_reads_the_newest_spans_first_and_goes_back_until_enough_match(store, extractor, monkeypatch,
                                                                                 margin):
    """Documents far apart in id (spans 0 and 3 blocks on, facets.SPAN and BLOCK); the first lookup
    covers the newest span, the next ones older spans, or one covers them all (whole blocks as
    blocks): whatever the cap, the same matches."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL's GIN index gives matches in no order; FTS5's come newest first")
    files = sorted(DOCS.iterdir())
    ingest(store, files[::2], extractor)
    far = (2 * facets.BLOCK + 3) * facets.SPAN
    with store.begin() as conn:
        conn.execute(text(f"ALTER SEQUENCE documents_id_seq RESTART WITH {far}"))
    ingest(store, files[1::2], extractor)
    with store.connect() as conn:
        spans = set(conn.execute(text(f"SELECT DISTINCT id / {facets.SPAN} FROM documents")).scalars())
    assert spans == {0, 2 * facets.BLOCK + 3}
    monkeypatch.setattr(search_mod, "FEW", 0)
    monkeypatch.setattr(search_mod, "MARGIN", margin)
    morph = extractor.morph
    for q, f in TEXTS:
        want = expected(store, morph, q, f)
        hits, total = search(store, q, Filters(**f), morph, limit=100)
        assert (total, total.exact) == (len(want), True) and {h.id for h in hits} == want, (q, f)
    monkeypatch.setattr(search_mod, "RESULT_CAP", 2)
    for q, f in TEXTS:
        want = sorted(expected(store, morph, q, f))
        hits, total = search(store, q, Filters(**f), morph, limit=100)
        assert {h.id for h in hits} == set(want[-2:]) and total.exact == (len(want) <= 2), (q, f)


def test_postgresql_finds_nothing_for_stop_words_alone(store, extractor):
    """A query of stop words runs as an empty query on PostgreSQL: it matches nothing, with
    filters too (it is not "every document with these facets")."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL's stop words; FTS5 has none")
    ingest(store, [DOCS], extractor)
    assert search(store, "и", morph=extractor.morph) == ([], 0)
    assert search(store, "и", Filters(language="ru"), morph=extractor.morph) == ([], 0)
