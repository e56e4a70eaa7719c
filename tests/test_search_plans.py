"""search() answers the same whichever plan it takes (the date-index walk or the id sets, the
count apart from the page), and agrees with matching_documents, the facets' separate query."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kurultai.store import search as search_mod
from kurultai.store.ingest import ingest
from kurultai.store.schema import documents
from kurultai.store.search import Filters, matching_documents, search

from .conftest import FIXTURES

DOCS = FIXTURES / "docs"
LISTS = [{}, {"direction": "water"}, {"country": "KZ", "direction": "water"}, {"type": "round_table"},
         {"institution": "КИСИ"}, {"language": "ru"}, {"country": "UZ", "date_from": "2023"}]
TEXTS = [("сотрудничества", {}), ("ISRS", {}), ("ИСМИ", {"type": "round_table"}), ("безопасность", {"country": "KZ"}),
         ("водные ресурсы", {"language": "ru"})]


def newest_first(store, ids) -> list[int]:
    """The order search promises without words, computed here in Python: newest date first,
    undated last, then the higher id."""
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.id, documents.c.published).where(documents.c.id.in_(ids))).all()
    return [i for i, _ in sorted(rows, key=lambda r: (r[1] is not None, r[1] or "", r[0]), reverse=True)]


@pytest.mark.parametrize("walk", [10 ** 9, 0])
def test_filtered_lists_are_the_same_by_either_plan(store, extractor, monkeypatch, walk):
    ingest(store, [DOCS], extractor)
    monkeypatch.setattr(search_mod, "RECENT_WALK", walk)  # 10**9: always walk the date index; 0: never
    for f in LISTS:
        with store.connect() as conn:
            expected = newest_first(store, list(conn.execute(matching_documents(store, "", Filters(**f), extractor.morph)).scalars()))
        hits, total = search(store, "", Filters(**f), extractor.morph, limit=100)
        assert total == len(expected), f
        assert [h.id for h in hits] == expected[:100], f
        paged = [h.id for p in range(0, total, 3) for h in search(store, "", Filters(**f), extractor.morph, limit=3, offset=p)[0]]
        assert paged == expected, f
    assert any(search(store, "", Filters(**f), extractor.morph)[1] for f in LISTS[1:])  # the filters do select


def test_text_search_counts_what_the_facets_count_and_pages_consistently(store, extractor):
    ingest(store, [DOCS], extractor)
    for q, f in TEXTS:
        with store.connect() as conn:
            expected = set(conn.execute(matching_documents(store, q, Filters(**f), extractor.morph)).scalars())
        hits, total = search(store, q, Filters(**f), extractor.morph, limit=100)
        assert total == len(expected) and {h.id for h in hits} == expected, (q, f)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True), (q, f)
        paged = [h.id for p in range(0, total, 2) for h in search(store, q, Filters(**f), extractor.morph, limit=2, offset=p)[0]]
        assert paged == [h.id for h in hits], (q, f)
    _, n = search(store, "сотрудничества")
    _, n_kz = search(store, "сотрудничества", Filters(country="KZ"))
    assert 0 < n_kz <= n
    assert search(store, "сотрудничества", Filters(country="KZ"), offset=10 ** 6) == ([], n_kz)  # past the end: counted
