"""The `kurultai extract` command as a user runs it: a real process, real files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, SHARED

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kurultai", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "COLUMNS": "120"})


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Two good reports among an empty, a binary and a missing file, and a name with spaces and quotes."""
    d = tmp_path_factory.mktemp("batch")
    good = d / "отчёт «круглый стол» 1.txt"
    good.write_bytes(DOCS[0].read_bytes())
    (d / "empty.txt").write_bytes(b"")
    (d / "noise.txt").write_bytes(bytes(range(256)) * 40)
    cp1251 = d / "cp1251.txt"
    russian = next(p for p in DOCS if p.name.startswith("ru-"))
    cp1251.write_bytes(russian.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    result = run("extract", good, d / "empty.txt", d / "noise.txt", d / "missing.txt", cp1251)
    return d, result


def test_bad_files_get_one_line_each_and_the_batch_goes_on(batch):
    d, result = batch
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kurultai: error:")]
    assert len(errors) == 3, result.stderr
    assert any("empty.txt" in e and "empty" in e.split("empty.txt", 1)[1] for e in errors)
    assert any("noise.txt" in e and "binary" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [Path(r["document"]["source"]).name for r in records] == ["отчёт «круглый стол» 1.txt", "cp1251.txt"]
    assert records[1]["document"]["encoding"] in ("cp1251", "windows-1251")
    assert all(r["events"] for r in records)


def test_one_document_is_one_json_object_that_matches_the_contract():
    result = run("extract", DOCS[0])
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    schema_path = SHARED / "contract" / "record.schema.json"
    if schema_path.exists():
        import jsonschema
        jsonschema.validate(record, json.loads(schema_path.read_text(encoding="utf-8")))
    assert record["contract"] == "1" and len(record["document"]["sha256"]) == 64


def test_text_format_and_output_folder(tmp_path):
    result = run("extract", DOCS[0], DOCS[2], "--format", "text")
    assert result.returncode == 0
    assert result.stdout.count("== ") == 2 and "-- event 1:" in result.stdout
    out = tmp_path / "records"
    result = run("extract", FIXTURES / "docs", "-o", out)
    assert result.returncode == 0
    assert sorted(p.stem for p in out.glob("*.json")) == sorted(p.stem for p in DOCS)


def test_help_teaches():
    result = run("extract", "--help")
    assert result.returncode == 0
    assert "Examples" in result.stdout and "--format" in result.stdout


def test_extract_stops_a_document_past_its_time_limit(tmp_path):
    """`extract` has the per-document time limit `ingest` has: the slow document gets one line, the
    next is still extracted."""
    slow = tmp_path / "long.txt"
    slow.write_text("Круглый стол состоялся 10 мая 2024 года. " + "Представители Института мировой экономики и "
                    "политики (ИМЭП), ИСМИ и КИСИ обсудили сотрудничество. " * 1000, encoding="utf-8")
    quick = tmp_path / "short.txt"
    quick.write_text("Круглый стол состоялся 10 мая 2024 года в Алматы.", encoding="utf-8")
    r = run("extract", slow, quick, "--max-seconds", "1", "-o", tmp_path / "out")
    assert r.returncode == 1
    assert f"kurultai: error: {slow}: extraction took longer than 1 s, the limit per document (--max-seconds)" \
        in r.stderr
    assert (tmp_path / "out" / "short.json").exists() and not (tmp_path / "out" / "long.json").exists()
