"""Several writers on one store at once: two `kurultai ingest` processes over overlapping folders
and a third process storing uploads (the function the web's upload calls) leave the store one
writer leaves: every document once, every person and institution once, nothing lost.

The corpus is a part of samples/reports whose resolution does not depend on the order documents
come in (checked: forwards, backwards and interleaved give the same store), so that any
difference from the single writer's store is the writers' doing."""
from __future__ import annotations

import collections
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select, text

from kurultai.store import Store
from kurultai.store.db import engine_url
from kurultai.ingest.run import ingest
from kurultai.store.schema import aliases, documents, entities, event_entities, events, mentions

from .conftest import ROOT, STORES, fresh_store
from .tally import count

pytestmark = pytest.mark.tally

REPORTS = ROOT / "samples" / "reports"
BOTH = ("011", "016", "026")  # in both ingests' folders, and first in each: the race for the same bytes
ONLY_A = ("002", "003", "006", "007", "015", "037", "045")  # 037 reprints 036, which only B has
ONLY_B = ("027", "032", "036", "042", "046", "049")
UPLOADED = ("004", "016")  # the third writer: one document of its own, one both ingests also store
# people in both folders' own documents: Сейтказиев, Каримов, Жумабекова, Назаров, Лоренц, Сафонов, Расулов


def _report(number: str) -> Path:
    (path,) = REPORTS.glob(f"{number}-*.txt")
    return path


def _folder(root: Path, name: str, numbers) -> Path:
    folder = root / name
    folder.mkdir()
    for n in numbers:  # the shared documents sort first, so both writers reach them together
        src = _report(n)
        (folder / (("0-" if n in BOTH else "1-") + src.name)).write_bytes(src.read_bytes())
    return folder


UPLOADER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kurultai.pipeline import Extractor
    from kurultai.store import Store
    from kurultai.ingest.run import Source, ingest_sources
    store = Store.open(sys.argv[1])
    files = [Path(p) for p in sys.argv[2:]]
    srcs = [Source(f.name, lambda f=f: f.read_bytes()) for f in files]  # as the web's upload names them
    report = ingest_sources(store, srcs, Extractor())
    print(report.new, report.unchanged, len(report.failed))
""")


def picture(store: Store) -> dict:
    """What one store holds, independent of ids and of the order things were written in: documents
    by their bytes, entities by kind and name, which mentions each entity gathers, its aliases,
    events and their roles, and which documents are linked as reprints."""
    with store.connect() as conn:
        sha = dict(conn.execute(select(documents.c.id, documents.c.sha256)).all())
        # a reprint is linked to whichever of the two was stored first: the pair, not its direction
        reprints = sorted(sorted((sha[i], sha[d])) for i, d in conn.execute(
            select(documents.c.id, documents.c.duplicate_of).where(documents.c.duplicate_of.is_not(None))))
        ents = {r.id: (r.kind, r.name) for r in conn.execute(select(entities.c.id, entities.c.kind, entities.c.name))}
        gathered = collections.defaultdict(set)
        for doc, eid, start, end in conn.execute(select(mentions.c.document_id, mentions.c.entity_id,
                                                        mentions.c.start, mentions.c.end)):
            gathered[eid].add((sha[doc], start, end))
        alias_of = sorted((ents[e], n) for e, n in conn.execute(select(aliases.c.entity_id, aliases.c.norm)))
        ev_doc = {i: (sha[d], idx) for i, d, idx in conn.execute(select(events.c.id, events.c.document_id, events.c.idx))}
        roles = sorted((ev_doc[ev], ents[e], role) for ev, e, role in
                       conn.execute(select(event_entities.c.event_id, event_entities.c.entity_id, event_entities.c.role)))
        return {"documents": sorted(sha.values()), "document rows": len(sha), "reprints": reprints,
                "entities": sorted(ents.values()), "kinds": collections.Counter(k for k, _ in ents.values()),
                "mentions": sorted((ents[e], tuple(sorted(g))) for e, g in gathered.items()),
                "mention rows": sum(len(g) for g in gathered.values()), "aliases": alias_of,
                "events": sorted(ev_doc.values()), "roles": roles}


def _empty(kind: str, tmp_path: Path) -> str:
    """A store URL with nothing in it, not even the schema: the writers also race to create it."""
    if kind == "sqlite":
        return str(tmp_path / "shared.db")
    url = os.environ["KURULTAI_TEST_PG"]
    engine = create_engine(engine_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def one_writer(tmp_path_factory, extractor) -> dict:
    """What one writer leaves (a SQLite store; the stores are the same on both engines, as
    test_scale's Dask test shows), written once for every kind of store below."""
    root = tmp_path_factory.mktemp("one-writer")
    single = fresh_store("sqlite", root)
    ingest(single, [_folder(root, "a", BOTH + ONLY_A), _folder(root, "b", BOTH + ONLY_B),
                    *[_report(n) for n in UPLOADED]], extractor)
    expected = picture(single)
    single.close()
    return expected


@pytest.mark.parametrize("kind", STORES)
def test_two_ingests_and_an_upload_at_once_leave_the_store_one_writer_leaves(kind, tmp_path, one_writer):
    a = _folder(tmp_path, "a", BOTH + ONLY_A)
    b = _folder(tmp_path, "b", BOTH + ONLY_B)
    uploads = [_report(n) for n in UPLOADED]
    expected = one_writer
    distinct = len(set(BOTH + ONLY_A + ONLY_B + UPLOADED))
    assert expected["document rows"] == distinct
    assert expected["kinds"]["person"] > 20
    assert len(expected["reprints"]) == 1

    url = _empty(kind, tmp_path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "kurultai", "ingest", str(folder), "--db", url, "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
             for folder in (a, b)]
    procs.append(subprocess.Popen([sys.executable, "-c", UPLOADER, url, *map(str, uploads)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path))
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]

    shared = Store.open(url)
    try:
        got = picture(shared)
        failures = shared.scalar("SELECT count(*) FROM failures")
    finally:
        shared.close()
    assert failures == 0
    for key in expected:  # one key at a time, so a failure names what differs
        assert got[key] == expected[key], key
    count("faults", "writers at once on one store (two ingests and an upload)", len(procs))


@pytest.mark.parametrize("kind", STORES)
def test_an_export_reads_one_state_while_another_writer_commits(kind, tmp_path):
    """An export's tables agree with each other: what another writer commits in the middle of
    it (an event and its roles, say, between the two tables) is in neither."""
    store = fresh_store(kind, tmp_path)
    count = select(func.count()).select_from(entities)
    try:
        with store.snapshot() as conn:
            before = conn.execute(count).scalar()
            with store.begin() as writer:
                writer.execute(insert(entities).values(kind="org", name="Новый центр", key="новый центр"))
            assert conn.execute(count).scalar() == before
        with store.snapshot() as conn:
            assert conn.execute(count).scalar() == before + 1
    finally:
        store.close()
