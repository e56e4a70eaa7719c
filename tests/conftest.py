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
def scorer():
    """The contract's score.py from ../shared, imported as a module."""
    import importlib.util
    path = SHARED / "contract" / "score.py"
    if not path.exists():
        pytest.skip("../shared/contract/score.py is not beside this checkout")
    spec = importlib.util.spec_from_file_location("contract_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


TEST_PASSWORD = "correct horse battery staple"


def sign_in(client, store, role: str = "editor") -> dict:
    """Sign a TestClient in as a user of `role` (created in `store` the first time) through
    /api/login; returns the header a write needs besides the cookie (the login's CSRF token)."""
    from kurultai import auth
    name = f"test-{role}"
    try:
        auth.create_user(store, name, TEST_PASSWORD, role)
    except auth.UserExists:
        pass
    r = client.post("/api/login", json={"name": name, "password": TEST_PASSWORD})
    assert r.status_code == 200, r.text
    return {"X-CSRF-Token": r.json()["csrf"]}


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    s = fresh_store(request.param, tmp_path)
    yield s
    s.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "tally: a test of the bad-input, fault and attack suites (tests/tally.py)")


def pytest_terminal_summary(terminalreporter):
    """The bad inputs, faults and attacks this run tried (tests/tally.py), when it tried any."""
    from .tally import TRIED, summary
    if TRIED:
        failed = [r.nodeid for r in terminalreporter.stats.get("failed", []) + terminalreporter.stats.get("error", [])]
        terminalreporter.section("bad inputs, faults and attacks tried")
        for line in summary(failed):
            terminalreporter.write_line(line)
