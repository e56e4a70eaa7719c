"""Facets (filter values as words of the full-text index): what a record gives, that a typed
filter value cannot break out of a query, and migration 0007 filling them on a store that
already holds documents, with searches answering the same before and after."""
from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, select, text

from kurultai.store import facets
from kurultai.store.db import ANALYZE_AFTER, MIGRATIONS
from kurultai.ingest.run import ingest
from kurultai.store.schema import documents
from kurultai.store.search import Filters, search

from .conftest import FIXTURES


def test_a_record_gives_the_facets_of_its_events_and_language():
    record = {"document": {"language": "ru"}, "events": [
        {"type": "round_table", "date": {"value": "2023-05-17"}, "countries": ["KZ", "UZ"], "directions": ["water"],
         "threats": [], "frameworks": ["sco"]},
        {"type": "forum", "date": {"value": "--06-01"}, "countries": ["KZ"]}]}
    assert facets.of_record(record).split() == [
        "country:kz", "country:uz", "direction:water", "framework:sco", "language:ru", "type:forum",
        "type:round_table", "year:2023"]  # a date without its year gives no year
    assert facets.fts5("direction:transport_logistics year:2023") == "directiontransportlogistics year2023"


def test_a_run_of_spans_is_its_whole_blocks_and_the_spans_at_its_ends():
    b = facets.BLOCK
    assert facets.spans(3, 3) == ["span:3"]
    assert facets.spans(b - 2, 3 * b) == ["span:%d" % (b - 2), "span:%d" % (b - 1), "block:1", "block:2",
                                         "span:%d" % (3 * b)]
    assert facets.spans(0, b - 1) == ["block:0"]
    assert facets.spans(5, 4) == []


def test_a_typed_value_stays_one_facet_in_either_query_language():
    bad = facets.facet("direction", "x') | ('y\" OR \"z")
    assert bad == "direction:x_______y__or__z"
    assert facets.tsquery([[bad]]) == "('direction:x_______y__or__z')"
    assert facets.fts5_match([[bad, "year:2024"]]) == 'facets : ("directionxyorz" OR "year2024")'


def _migrate(store, revision: str, up: bool) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, revision)


QUERIES = [("сотрудничества", {"country": "KZ"}), ("ISRS", {"year": 2024}), ("безопасность", {"language": "ru"}),
           ("", {"direction": "water"}), ("", {"type": "round_table", "date_from": "2024-03"})]


def test_migration_fills_the_facets_of_stored_documents(store, extractor):
    ingest(store, [FIXTURES / "docs"], extractor)
    before = [search(store, q, Filters(**f), extractor.morph, limit=100) for q, f in QUERIES]
    assert all(total for _, total in before)
    _migrate(store, "0006", up=False)
    with store.connect() as conn:
        assert "facets" not in [c for c in conn.execute(select(text("*")).select_from(documents).limit(1)).keys()]
    _migrate(store, "head", up=True)
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.facets, documents.c.record)).all()
    assert len(rows) > 3 and all(f == facets.of_record(json.loads(r)) for f, r in rows)
    after = [search(store, q, Filters(**f), extractor.morph, limit=100) for q, f in QUERIES]
    assert [[h.id for h in hits] for hits, _ in after] == [[h.id for h in hits] for hits, _ in before]


def test_a_bulk_ingest_leaves_postgresql_statistics_to_plan_searches_with(store, extractor):
    """ANALYZE after an ingest run of ANALYZE_AFTER documents or more (not after a few): the
    planner's row count is the store's, not "never counted" (-1)."""
    if store.dialect != "postgresql":
        pytest.skip("SQLite's FTS5 plans without statistics")
    ingest(store, [FIXTURES / "docs"], extractor)
    with store.connect() as conn:
        n = conn.execute(select(func.count()).select_from(documents)).scalar()
    store.refresh_statistics(ANALYZE_AFTER)
    with store.connect() as conn:
        assert conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'documents'::regclass")).scalar() == n
