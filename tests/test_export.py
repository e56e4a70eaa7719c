"""`kurultai export`: tables that join by stable ids, no local paths, CSV safe in a spreadsheet,
and files that are whole or absent even when the export is killed."""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert, select

from kurultai.store import Store
from kurultai.store.csvsafe import TRIGGERS, neutral, rows
from kurultai.store.export import export, relative_sources, tables
from kurultai.ingest.run import ingest
from kurultai.store.schema import documents, entities, mentions, originals

from .conftest import ROOT, STORES, fresh_store
from .tally import count

pytestmark = pytest.mark.tally

REPORTS = ROOT / "samples" / "reports"
FORMULAS = ("=1+2", "@SUM(A1)", "+cmd", "-2+3")  # file names a spreadsheet would run as formulas
TABLES = {"documents", "events", "event_entities", "institutions", "people", "mentions", "outcomes", "evidence",
          "references"}


def _corpus(root: Path) -> Path:
    """Reports in a folder, a subfolder and a zip, some under names that look like formulas."""
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    reports = sorted(REPORTS.glob("*.txt"))
    for p in reports[:3]:
        shutil.copy(p, corpus / p.name)
    shutil.copy(reports[3], corpus / "sub" / reports[3].name)
    with zipfile.ZipFile(corpus / "more.zip", "w") as z:
        z.write(reports[4], reports[4].name)
    for i, name in enumerate(FORMULAS):
        (corpus / f"{name}.txt").write_bytes(reports[5 + i].read_bytes())
    return corpus


@pytest.fixture(scope="module", params=STORES)
def filled(request, tmp_path_factory, extractor):
    """The corpus ingested once per kind of store: the tests below only read it and export it."""
    root = tmp_path_factory.mktemp(f"filled-{request.param}")
    store = fresh_store(request.param, root)
    ingest(store, [_corpus(root).resolve()], extractor)  # absolute paths, as a script would give
    store.root = root  # where the corpus lay: no export may name it
    yield store
    store.close()


def _read(fmt: str, path: Path) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_tables_join_by_stable_ids_and_carry_outcomes_evidence_and_documents(filled, tmp_path):
    t = tables(filled)
    assert set(t) == TABLES
    docs = {d["id"]: d for d in t["documents"]}
    events = {e["id"]: e for e in t["events"]}
    orgs = {o["id"] for o in t["institutions"]}
    people = {p["id"] for p in t["people"]}
    assert len(docs) == 9 and events and orgs and people and t["outcomes"] and t["evidence"]
    for e in t["events"]:
        assert e["document_id"] in docs and "date_basis" in e
    assert any(e["date_basis"] for e in t["events"])
    for r in t["event_entities"]:  # the relation table: every id names a row of another table
        assert r["event_id"] in events
        assert r["entity_id"] in (orgs if r["entity_kind"] == "institution" else people)
        assert r["role"] in ("organizer", "participant", "speaker")
    assert {r["role"] for r in t["event_entities"]} >= {"organizer", "speaker"}
    for p in t["people"]:
        assert p["affiliation_id"] is None or p["affiliation_id"] in orgs
    with filled.connect() as conn:  # every quote is the document's own text at its span
        text = {f"doc-{i}": raw for i, raw in conn.execute(select(documents.c.id, documents.c.text))}
    for table in ("mentions", "outcomes", "evidence"):
        for r in t[table]:
            assert r["document_id"] in docs
            assert text[r["document_id"]][r["start"]:r["end"]] == r["quote"], (table, r)
    for r in t["mentions"]:
        assert r["entity_id"] in orgs | people

    # the same rows in every format (CSV as text, lists joined by "; ")
    for fmt in ("jsonl", "csv", "parquet"):
        written = export(filled, fmt, tmp_path / fmt)
        assert {p.name for p in written} == {f"{name}.{fmt}" for name in TABLES}
        for name in TABLES:
            got = _read(fmt, tmp_path / fmt / f"{name}.{fmt}")
            assert len(got) == len(t[name]), (fmt, name)
            if fmt != "csv":
                assert got == t[name], (fmt, name)
            else:
                assert [r.get("id") or r.get("event_id") or r.get("entity_id") for r in got] == \
                       [r.get("id") or r.get("event_id") or r.get("entity_id") for r in t[name]]

    # ids are stable: re-extraction keeps them, and a second export is the same bytes
    before = {p.name: p.read_bytes() for p in (tmp_path / "jsonl").iterdir()}
    export(filled, "jsonl", tmp_path / "jsonl")
    assert {p.name: p.read_bytes() for p in (tmp_path / "jsonl").iterdir()} == before


def test_no_local_path_leaves_the_machine(filled, tmp_path):
    t = tables(filled)
    sources = sorted(d["source"] for d in t["documents"])
    corpus = sorted(REPORTS.glob("*.txt"))
    assert f"sub/{corpus[3].name}" in sources  # relative to the ingest root, its subfolders kept
    assert f"more.zip!{corpus[4].name}" in sources
    assert corpus[0].name in sources
    assert {d["file_name"] for d in t["documents"]} >= {corpus[3].name, corpus[4].name}
    home = str(filled.root)
    for fmt in ("jsonl", "csv", "parquet", "ftm"):
        for path in export(filled, fmt, tmp_path / "out" / fmt):
            data = path.read_bytes()
            assert home.encode() not in data, (fmt, path.name)
    ftm = [json.loads(line) for line in (tmp_path / "out" / "ftm" / "kurultai.ftm.json").read_text().splitlines()]
    names = {n for e in ftm if e["schema"] == "Document" for n in e["properties"]["fileName"]}
    assert names == {Path(s.split("!")[-1]).name for s in sources}
    ids = {e["id"] for e in ftm}
    assert {e["schema"] for e in ftm} >= {"Organization", "Person", "Event", "Document", "Documentation"}
    for e in ftm:  # every reference points at an entity of the export
        for prop in ("employee", "employer", "organizer", "involved", "proof", "document", "entity"):
            for ref in e["properties"].get(prop, []):
                assert ref in ids, (e["id"], prop, ref)
    assert {f"kurultai-{i}" for i in (d["id"] for d in t["documents"])} <= ids  # the tables' ids, prefixed


def test_relative_sources():
    rel = relative_sources(["/home/ann/reports/a.txt", "/home/ann/reports/2024/b.txt", "/home/ann/reports/c.zip!x/d.txt",
                            "https://example.org/news/1", "upload.docx", "samples/reports/e.txt"])
    assert rel == {"/home/ann/reports/a.txt": "a.txt", "/home/ann/reports/2024/b.txt": "2024/b.txt",
                   "/home/ann/reports/c.zip!x/d.txt": "c.zip!x/d.txt",
                   "https://example.org/news/1": "https://example.org/news/1", "upload.docx": "upload.docx",
                   "samples/reports/e.txt": "e.txt"}
    assert relative_sources(["/data/one.txt"]) == {"/data/one.txt": "one.txt"}


def test_csv_cells_never_start_a_formula(filled, tmp_path):
    export(filled, "csv", tmp_path / "csv")
    seen = set()
    for path in (tmp_path / "csv").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
                    seen.add(cell)
    for name in FORMULAS:  # the names are there, neutralised the OWASP way
        assert f"'{name}.txt" in seen
    count("attacks", "formula cells in exported CSV (file names)", len(FORMULAS))
    jsonl = export(filled, "jsonl", tmp_path / "jsonl")  # JSON keeps the data as it is
    sources = {json.loads(line)["source"] for line in (tmp_path / "jsonl" / "documents.jsonl").read_text().splitlines()}
    assert {f"{name}.txt" for name in FORMULAS} <= sources and jsonl


def test_neutral_cells():
    for bad in ("=SUM(A1)", "+1", "-1+2", "@cmd", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"):
        assert neutral(bad) == "'" + bad
    for fine in ("Астана", "a=b", "", "'quoted", "1-2"):
        assert neutral(fine) == fine
    assert neutral(-3) == -3 and neutral(2.5) == 2.5 and neutral(None) == ""
    assert neutral(["=a", "b"]) == "'=a; b"
    text = "".join(rows(["name", "n"], [{"name": "=1+1", "n": 3}, {"name": "ok", "n": -1}]))
    assert list(csv.reader(text.splitlines())) == [["name", "n"], ["'=1+1", "3"], ["ok", "-1"]]


def formula_names(n: int, seed: int = 3) -> list[str]:
    """Names a spreadsheet would run: each begins with a trigger (or a tab or carriage return before
    one), then anything a name may carry: quotes, commas, semicolons, line breaks, Cyrillic, pipes."""
    rng = random.Random(seed)
    alphabet = "AZaz09 =+-@|!\"',;:()[]{}\n\r\tКИСИҚұЎў$%&*/\\<>"
    names = set()
    while len(names) < n:
        lead = rng.choice(TRIGGERS) + (rng.choice("=+-@") if rng.random() < 0.3 else "")
        names.add(lead + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
    return sorted(names)


def test_generated_formula_names_are_neutral_in_every_csv_and_come_back_whole(tmp_path, extractor):
    """Institutions and people named by generated formulas, mentioned in a document: in every CSV
    of the export and in the web's list downloads no cell begins a formula, and each name comes
    back whole after its one added `'`."""
    names = formula_names(60)
    store = Store.open(str(tmp_path / "k.db"))
    with store.begin() as conn:
        conn.execute(insert(originals), {"sha256": "1" * 64, "data": b"x"})
        doc = conn.execute(insert(documents).values(sha256="1" * 64, source=names[0], text="x" * 100, lemmas="",
                                                    record='{"events": []}', extractor="1", title=names[1],
                                                    ingested_at="2024-01-01")).inserted_primary_key[0]
        for i, name in enumerate(names):
            eid = conn.execute(insert(entities).values(kind=("org", "person")[i % 2], name=name, key=f"k{i}")
                               ).inserted_primary_key[0]
            conn.execute(insert(mentions), {"document_id": doc, "entity_id": eid, "local_id": f"e{i}", "start": 0,
                                            "end": 10, "text": name})
    export(store, "csv", tmp_path / "csv")
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "csv").glob("*.csv")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from kurultai.web.app import create_app
    with TestClient(create_app(store.url, extractor=extractor)) as client:
        for path in ("orgs", "people"):
            r = client.get(f"/{path}.csv")
            assert r.status_code == 200, r.text[:300]
            files[f"web {path}.csv"] = r.text.lstrip("\ufeff")
    store.close()
    seen, neutralised = set(), 0
    for name, text in files.items():
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not cell.startswith(TRIGGERS), (name, cell)
                seen.add(cell)
                neutralised += cell.startswith("'")
    assert {f"'{n}" for n in names} <= seen  # each name whole, after its one `'`
    for name in ("people.csv", "institutions.csv", "web orgs.csv", "web people.csv"):
        assert sum(cell.startswith("'") for row in csv.reader(io.StringIO(files[name], newline="")) for cell in row) \
            >= len(names) // 2, name
    count("attacks", "generated formula names in exported and downloaded CSV cells", neutralised)


def _big_store(path: Path, n: int = 400_000) -> Store:
    """A store whose mentions table takes a few seconds to export: rows written directly."""
    store = Store.open(str(path))
    with store.begin() as conn:
        conn.execute(insert(originals), {"sha256": "0" * 64, "data": b"x"})
        doc = conn.execute(insert(documents).values(sha256="0" * 64, source=str(path.parent / "r.txt"), text="x" * 100,
                                                    lemmas="", record='{"events": []}', extractor="1",
                                                    ingested_at="2024-01-01")).inserted_primary_key[0]
        eid = conn.execute(insert(entities).values(kind="person", name="=Тест", key="тест")).inserted_primary_key[0]
        conn.execute(insert(mentions), [{"document_id": doc, "entity_id": eid, "local_id": "p1", "start": i % 90,
                                         "end": i % 90 + 10, "text": f"упоминание номер {i} " * 3} for i in range(n)])
    return store


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """The big store, written once for the module: the exports below only read it."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    _big_store(path).close()
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_kill_during_an_export_leaves_the_previous_files_whole(tmp_path, fmt, big):
    store = Store.open(str(big))
    out = tmp_path / "out"
    export(store, fmt, out)
    store.close()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before[f"mentions.{fmt}"]) > 10_000_000
    proc = subprocess.Popen([sys.executable, "-m", "kurultai", "export", "-f", fmt, "-o", str(out), "--db",
                             str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    caught = False
    while time.time() < deadline and proc.poll() is None:
        sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
        if any(n.startswith(".") for n in sizes) or any(sizes.get(n) != len(b) for n, b in before.items()):
            time.sleep(0.2)  # well into the writing of a file
            proc.send_signal(signal.SIGKILL)
            caught = True
            break
        time.sleep(0.005)
    proc.wait()
    assert caught, "the export finished before it could be killed"
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert after.keys() == before.keys()
    for name, data in after.items():  # the same store: a whole file is the same bytes
        assert data == before[name], f"{name} is truncated ({len(data)} of {len(before[name])} bytes)"
    # the next run clears what the killed one left and writes everything again
    store = Store.open(str(big))
    export(store, fmt, out)
    store.close()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    count("faults", "kill -9 of an export while it writes")


def test_a_failed_export_keeps_the_previous_files(filled, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export(filled, "jsonl", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import kurultai.store.export as module

    def broken(conn, rel):
        yield {"event_id": "event-1-0", "title": "x", "date": None}
        raise OSError(28, "No space left on device")
    fields, _ = module.TABLES["references"]
    monkeypatch.setitem(module.TABLES, "references", (fields, broken))
    with pytest.raises(OSError):
        export(filled, "jsonl", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temporary file left behind
    count("faults", "exports failing in the middle (a full disk)")


def test_export_cli_names_an_unwritable_folder(tmp_path):
    store = _big_store(tmp_path / "small.db", n=10)
    store.close()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = subprocess.run([sys.executable, "-m", "kurultai", "export", "-o", str(blocker / "x"), "--db",
                        str(tmp_path / "small.db")], capture_output=True, text=True, env={**os.environ})
    assert r.returncode == 2
    assert str(blocker / "x") in r.stderr and "Traceback" not in r.stderr


def test_web_csv_downloads_are_neutralised_too():
    """The web's CSV downloads go through the same cells: served by a real app on loopback."""
    import socket
    import threading

    import httpx
    import uvicorn
    from fastapi import FastAPI

    from kurultai.web.downloads import csv_download

    app = FastAPI()

    @app.get("/t.csv")
    def table():
        return csv_download("результаты.csv", ["title", "n"], iter([{"title": "=cmd|' /C calc'!A0", "n": 1},
                                                                  {"title": "@SUM(1)", "n": -2}]))

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 10
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        r = httpx.get(f"http://127.0.0.1:{port}/t.csv")
    finally:
        server.should_exit = True
        thread.join(5)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert list(csv.reader(r.text.splitlines())) == [["title", "n"], ["'=cmd|' /C calc'!A0", "1"], ["'@SUM(1)", "-2"]]


def test_an_export_of_a_missing_store_is_an_error_and_creates_nothing(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    exe = Path(sys.executable).parent / "kurultai"
    res = subprocess.run([str(exe), "export", "-f", "jsonl", "-o", str(tmp_path / "out"), "--db",
                          str(tmp_path / "missing.db")], capture_output=True, text=True)
    assert res.returncode == 2 and "missing.db" in res.stderr and "no such store" in res.stderr
    assert not (tmp_path / "missing.db").exists()
