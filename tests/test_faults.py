"""Faults a deployment meets: the web server keeps answering while ingest writes (SQLite in WAL
mode), and repeated kills of ingest at random moments never leave a half-stored document."""
from __future__ import annotations

import json
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from kurultai.store import Store

from .conftest import FIXTURES
from .tally import count

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
pytestmark = pytest.mark.tally


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def corpus(folder, copies: int):
    folder.mkdir()
    for i in range(copies):
        for p in DOCS:
            (folder / f"{i}-{p.name}").write_bytes(p.read_bytes() + f"\n\n(копия {i})".encode())
    return folder


def test_reads_go_on_while_ingest_writes(tmp_path):
    db = tmp_path / "k.db"
    Store.open(str(db)).close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kurultai", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = None
    try:
        url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": "сотрудничество", "limit": 5})
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        writer = subprocess.Popen([sys.executable, "-m", "kurultai", "ingest", str(corpus(tmp_path / "c", 1)),
                                   "--db", str(db), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        totals = []
        while writer.poll() is None and len(totals) < 400:
            with urllib.request.urlopen(url, timeout=10) as r:
                assert r.status == 200
                totals.append(json.loads(r.read())["total"])
            time.sleep(0.05)
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
        assert len(totals) >= 5, "ingest finished before reads could overlap it"
        assert totals == sorted(totals), "a reader saw documents disappear"
        assert totals[-1] <= totals[0] + len(DOCS)
        count("faults", "searches answered while an ingest writes", len(totals))
    finally:
        for p in (server, writer):
            if p and p.poll() is None:
                p.kill()


def generation(db) -> int:
    """The store's count of committed write transactions (db.Store.begin), read beside the writer."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return conn.execute("SELECT value FROM store_state WHERE name = 'generation'").fetchone()[0]


def kill_while_writing(command: list[str], db, rng: random.Random) -> bool:
    """Start `command`, and kill -9 it at a random moment (0-0.3 s) after its first commit: while
    documents are being extracted and written, not while its models load, which a fixed delay
    could not tell apart on a loaded machine. False if it ended before it wrote anything."""
    start = generation(db)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None and generation(db) == start:
            time.sleep(0.01)
        if proc.poll() is not None:
            return False
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        return proc.wait() == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("seed", [1])
def test_repeated_kills_leave_only_whole_documents(tmp_path, seed):
    """Four kill -9 at random moments while documents are being written (each run loads its models
    first, some seconds: eight took 45 s of CI's 20 minutes), then a run to the end:
    every document has its events and mentions, none is half-stored, and the count is the corpus's."""
    rng = random.Random(seed)
    folder = corpus(tmp_path / "c", 2)
    db = tmp_path / "k.db"
    Store.open(str(db)).close()
    command = [sys.executable, "-m", "kurultai", "ingest", str(folder), "--db", str(db), "--quiet"]
    kills = 0
    while kills < 4 and kill_while_writing(command, db, rng):  # until a run ends before it writes (all stored)
        kills += 1
    assert kills >= 3, f"only {kills} runs were killed in the middle of their writing"
    done = subprocess.run([sys.executable, "-m", "kurultai", "ingest", str(folder), "--db", str(db), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    store = Store.open(str(db))
    assert store.scalar("SELECT count(*) FROM documents") == 2 * len(DOCS)
    # a document without its events or mentions would be a half-stored one
    assert store.scalar("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                        "(SELECT 1 FROM mentions m WHERE m.document_id = d.id)") == 0
    assert store.scalar("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                        "(SELECT 1 FROM events e WHERE e.document_id = d.id)") == 0
    assert store.scalar("SELECT count(*) FROM documents_fts") == 2 * len(DOCS)
    assert store.scalar("PRAGMA integrity_check") == "ok"
    store.close()
    count("faults", "kill -9 of an ingest while it writes", kills)
