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
    return Store.open_empty(os.environ["KURULTAI_TEST_PG"])


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    s = fresh_store(request.param, tmp_path)
    yield s
    s.close()
