"""Faults of the store itself: a full disk and a read-only database (a SQLite file opened
read-only, a SQLite file on a read-only file system, a PostgreSQL read-only session). Ingest
stops with one line naming the store and the cause and a non-zero status, leaves no document
half-stored (nothing at all when it fails at once), the store passes its integrity check, and
once the fault is gone the next run completes. The disk is a real small tmpfs, mounted here
(skipped where mounting is not permitted). The first fault of each kind goes through the command
line; setting up and running again go through the Python API, which the command calls."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from kurultai.store import Store
from kurultai.ingest.run import StoreFault, ingest as ingest_api

from .conftest import FIXTURES, STORES
from .private_pg import private_pg
from .tally import count

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
pytestmark = pytest.mark.tally
ERROR = "kurultai: error: "


@contextmanager
def tmpfs(folder: Path, size: str):
    """A real file system of `size` at `folder`, unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() if mounted else 'no mount command'})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True, capture_output=True)


def ingest(db: str, paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kurultai", "ingest", "--quiet", "--db", db, *map(str, paths)],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"})


def one_error(result: subprocess.CompletedProcess, store_url: str) -> str:
    """The run's only error line, which must name the store."""
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR)]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{ERROR}{store_url}: "), errors[0]
    assert "Traceback" not in result.stderr
    return errors[0]


def dump(db: Path) -> list[str]:
    """The whole database as SQL, for comparing before and after (read-only, leaves no trace)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def whole(db: Path) -> int:
    """The number of documents, after checking that each is whole and the file is sound."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == count
        for table in ("events", "mentions"):
            assert conn.execute(f"SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                f"(SELECT 1 FROM {table} x WHERE x.document_id = d.id)").fetchone()[0] == 0, table
        return count
    finally:
        conn.close()


def api(db, paths, extractor):
    store = Store.open(str(db))
    try:
        return ingest_api(store, paths, extractor)
    finally:
        store.close()


def test_a_full_disk_stops_the_batch_cleanly_and_the_next_run_completes(tmp_path, extractor):
    batch = DOCS[:8]
    with tmpfs(tmp_path / "disk", "64m") as disk:
        db = disk / "k.db"
        Store.open(str(db)).close()
        empty = sum(p.stat().st_size for p in disk.iterdir())
        remount(disk, f"size={(empty + 400_000) // 1024}k")  # room for about two documents more

        filled = ingest(str(db), batch)  # fault 1: the disk fills in the middle of the batch
        assert filled.returncode == 2, filled.stderr
        line = one_error(filled, str(db))
        assert "database or disk is full" in line and "the store failed while storing" in line
        stored = whole(db)
        assert 0 < stored < len(batch), stored

        before = dump(db)
        with pytest.raises(StoreFault, match="database or disk is full"):  # fault 2: full from the first write
            api(db, batch, extractor)
        assert dump(db) == before and whole(db) == stored

        remount(disk, "size=64m")  # space returns
        done = api(db, batch, extractor)
        assert (done.new, done.unchanged, done.failed) == (len(batch) - stored, stored, [])
        assert whole(db) == len(batch)
    count("faults", "full disks in the middle of an ingest")


def test_a_sqlite_store_opened_read_only_is_left_unchanged(tmp_path, extractor):
    db = tmp_path / "k.db"
    api(db, DOCS[:1], extractor)
    before = dump(db)
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    refused = ingest(url, DOCS[:4])
    assert refused.returncode == 2
    assert "attempt to write a readonly database" in one_error(refused, url)
    assert dump(db) == before and whole(db) == 1
    count("faults", "read-only stores written to (SQLite opened read-only, read-only file system, PostgreSQL read-only)")
    done = api(db, DOCS[:4], extractor)
    assert (done.new, done.unchanged) == (3, 1) and whole(db) == 4


def test_a_sqlite_store_on_a_read_only_file_system_is_left_unchanged(tmp_path, extractor):
    with tmpfs(tmp_path / "disk", "64m") as disk:
        db = disk / "k.db"
        api(db, DOCS[:1], extractor)
        before = dump(db)
        remount(disk, "ro")
        refused = ingest(str(db), DOCS[:4])
        assert refused.returncode == 2
        line = one_error(refused, str(db))
        # SQLite opens the file and refuses the first write, or cannot open it without its -wal file
        assert "readonly database" in line or "is not writable" in line, line
        remount(disk, "rw")
        assert dump(db) == before and whole(db) == 1
        count("faults", "read-only stores written to (SQLite opened read-only, read-only file system, PostgreSQL read-only)")
        done = api(db, DOCS[:4], extractor)
        assert (done.new, done.unchanged) == (3, 1) and whole(db) == 4


@pytest.mark.skipif("postgresql" not in STORES, reason="no PostgreSQL ($KURULTAI_TEST_PG)")
def test_a_postgresql_read_only_session_leaves_the_store_unchanged(tmp_path, extractor):
    own = private_pg("kurultai_test_faults")
    store = Store.open_empty(own)
    ingest_api(store, DOCS[:1], extractor)
    counts = lambda: [store.scalar(f"SELECT count(*) FROM {t}") for t in ("documents", "events", "mentions",
                                                                           "failures", "entities")]
    before = counts()
    url = own + "?options=-c%20default_transaction_read_only%3Don"
    refused = ingest(url, DOCS[:3])
    assert refused.returncode == 2
    assert "read-only transaction" in one_error(refused, url)
    assert counts() == before
    count("faults", "read-only stores written to (SQLite opened read-only, read-only file system, PostgreSQL read-only)")
    done = ingest_api(store, DOCS[:3], extractor)
    assert (done.new, done.unchanged) == (2, 1) and counts()[0] == 3
    store.close()


def test_an_upload_to_a_read_only_store_gets_a_503_naming_the_cause(tmp_path, extractor):
    """The web server on a store it cannot write to answers the upload with the store's error,
    not a server error, and keeps serving pages."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from kurultai.web.app import create_app

    db = tmp_path / "k.db"
    api(db, DOCS[:1], extractor)
    writable = Store.open(str(db))
    headers, cookies = {}, {}
    with TestClient(create_app(str(db), extractor=extractor)) as client:
        if any(getattr(route, "path", "") == "/api/login" for route in client.app.routes):
            from .conftest import sign_in
            headers = sign_in(client, writable)  # signed in while the store can be written
            cookies = dict(client.cookies)
    writable.close()
    before = dump(db)
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    with TestClient(create_app(url, extractor=extractor)) as client:
        client.cookies.update(cookies)
        upload = client.post("/api/upload", headers=headers,
                             files=[("files", (f"{uuid.uuid4().hex}.txt", DOCS[2].read_bytes(), "text/plain"))])
        assert upload.status_code == 503, upload.text
        signing = client.post("/api/login", json={"name": "someone", "password": "a wrong guess"})
        assert signing.status_code == 503 and "readonly database" in signing.json()["detail"], signing.text
        assert "attempt to write a readonly database" in upload.json()["detail"]
        assert client.get("/search").status_code == 200
    assert dump(db) == before
    count("faults", "uploads to a read-only store")
