"""Shared fixtures: one Extractor per test session (natasha's models load once)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "extract"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def extractor():
    from kurultai.pipeline import Extractor
    return Extractor()


@pytest.fixture(scope="session")
def registry(extractor):
    return extractor.registry


STORES = ["sqlite"] + (["postgresql"] if os.environ.get("KURULTAI_TEST_PG") else [])


def fresh_store(kind: str, tmp_path):
    """A new, empty store of the given kind: a SQLite file, or the test PostgreSQL database wiped."""
    from kurultai.store import Store
    if kind == "sqlite":
        return Store.open(str(tmp_path / "kurultai.db"))
    from sqlalchemy import create_engine, text
    from kurultai.store.db import engine_url
    url = os.environ["KURULTAI_TEST_PG"]
    engine = create_engine(engine_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return Store.open(url)


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    s = fresh_store(request.param, tmp_path)
    yield s
    s.close()
