"""`kurultai ingest / search / show / stats / export` as a user runs them (SQLite file), in the
test's process (tests/inprocess.py; tests/test_cli.py starts the real one)."""
from __future__ import annotations

import json

from .conftest import FIXTURES
from .inprocess import invoke


def test_ingest_search_show_stats_export(tmp_path):
    db = tmp_path / "k.db"
    first = invoke("ingest", FIXTURES / "docs", "--db", db, "--quiet")
    assert first.returncode == 0, first.stderr
    n = len(list((FIXTURES / "docs").glob("*.txt")))
    assert f"{n} new, 0 unchanged" in first.stdout
    again = invoke("ingest", FIXTURES / "docs", "--db", db, "--quiet")
    assert f"0 new, {n} unchanged" in again.stdout

    found = json.loads(invoke("search", "ISRS", "--db", db, "--json").stdout)
    assert found["total"] >= 3 and found["hits"][0]["highlights"] is not None
    bad = invoke("search", "--from", "yesterday", "--db", db)
    assert bad.returncode == 2 and "not a date" in bad.stderr

    stats = json.loads(invoke("stats", "--db", db).stdout)
    assert stats["documents"] == n and stats["institutions"] > 20

    org = json.loads(invoke("show", "org", "1", "--db", db).stdout)
    assert org["aliases"] and org["mentions"]
    missing = invoke("show", "org", "99999", "--db", db)
    assert missing.returncode == 1 and "no institution with id 99999" in missing.stderr

    out = tmp_path / "export"
    exported = invoke("export", "--format", "csv", "-o", out, "--db", db)
    assert exported.returncode == 0 and (out / "institutions.csv").exists()


def test_unusable_store_gives_one_clear_line(tmp_path):
    result = invoke("stats", "--db", tmp_path / "no" / "such" / "folder" / "k.db")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("kurultai: error:") and "does not exist" in result.stderr
