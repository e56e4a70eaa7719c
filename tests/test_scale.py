"""Scale-out: Dask ingest equals a single-process one, near-duplicates, the corpus generator."""
from __future__ import annotations

import itertools
import json
import shutil

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kurultai.cli import app
from kurultai.read import read
from kurultai.scale.corpus import generate
from kurultai.store.duplicates import THRESHOLD, signature, similarity
from kurultai.store import Store
from kurultai.store.analytics import direction_trends, events_by_month
from kurultai.ingest.run import ingest
from kurultai.store.schema import documents

from .conftest import ROOT, STORES, fresh_store
from .test_store import dump

SAMPLES = ROOT / "samples" / "reports"
REPRINT = ("036-ru-rt-kisi-isrs-astana-2024.txt", "037-ru-rt-kisi-isrs-astana-2024-reprint.txt")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, registry):
    """12 generated reports, the sample 036 with its reprint 037, an empty file."""
    out = tmp_path_factory.mktemp("corpus")
    generate(12, out, seed=11, registry=registry)
    for name in REPRINT:
        shutil.copy(SAMPLES / name, out / name)
    (out / "empty.txt").write_bytes(b"")
    return out


def duplicate_pairs(store) -> set:
    with store.connect() as conn:
        sha = dict(conn.execute(select(documents.c.id, documents.c.sha256)).all())
        rows = conn.execute(select(documents.c.id, documents.c.duplicate_of)
                            .where(documents.c.duplicate_of.isnot(None))).all()
    return {(sha[i], sha[j]) for i, j in rows}


@pytest.mark.parametrize("kind", STORES)
def test_dask_store_equals_single_process(kind, client, corpus, extractor, registry, tmp_path):
    from kurultai.scale.engine import ingest_dask
    (tmp_path / "local").mkdir()
    local = Store.open(str(tmp_path / "local" / "kurultai.db"))
    expected = ingest(local, [corpus], extractor)
    store = fresh_store(kind, tmp_path)
    seen = []
    report = ingest_dask(store, [corpus], client, registry, progress=lambda s, st: seen.append((s, st)), batch=3)
    assert report.new == expected.new == 14 and report.unchanged == 0
    assert report.failed == expected.failed and len(report.failed) == 1
    assert [s for s, _ in seen] == sorted(str(p) for p in corpus.iterdir() if p.suffix == ".txt")
    assert dump(store) == dump(local)
    assert duplicate_pairs(store) == duplicate_pairs(local) and len(duplicate_pairs(store)) == 1
    again = ingest_dask(store, [corpus], client, registry)
    assert again.new == 0 and again.unchanged == 14 and len(again.failed) == 1
    assert dump(store) == dump(local)
    store.close()
    local.close()


def test_a_store_fault_rolls_back_the_whole_batch_and_the_next_run_completes(client, corpus, extractor, registry,
                                                                              tmp_path):
    """The Dask writer commits a batch at once: a full database (SQLite's max_page_count, a real
    SQLITE_FULL) in the middle of the run leaves whole batches only, says so, and a second run
    stores the rest; the store is then the single-process one."""
    from sqlalchemy import event

    from kurultai.scale.engine import ingest_dask
    from kurultai.ingest.run import StoreFault
    (tmp_path / "local").mkdir()
    local = Store.open(str(tmp_path / "local" / "kurultai.db"))
    ingest(local, [corpus], extractor)
    store = Store.open(str(tmp_path / "kurultai.db"))
    pages = lambda s: s.scalar("PRAGMA page_count")  # noqa: E731
    limit = pages(store) + (pages(local) - pages(store)) // 2  # about half the corpus fits
    event.listen(store.engine, "connect", lambda c, _: c.execute(f"PRAGMA max_page_count = {limit}"))
    store.engine.dispose()
    with pytest.raises(StoreFault) as fault:
        ingest_dask(store, [corpus], client, registry, batch=3)
    assert "database or disk is full" in str(fault.value) and "in its batch (one transaction)" in str(fault.value)
    stored = store.scalar("SELECT count(*) FROM documents")
    done = fault.value.report
    assert 0 < stored == done.new < 14 and (done.new + len(done.failed)) % 3 == 0  # whole batches of 3 only
    assert store.scalar("PRAGMA integrity_check") == "ok"
    store.close()
    store = Store.open(str(tmp_path / "kurultai.db"))  # the disk "freed"
    again = ingest_dask(store, [corpus], client, registry, batch=3)
    assert again.new == 14 - stored and dump(store) == dump(local)
    store.close()
    local.close()


def test_workers_report_their_memory(client):
    from kurultai.scale.engine import worker_memory
    rss = worker_memory(client)
    assert len(rss) == 2 and all(v > 50e6 for v in rss.values())


def test_reprints_are_linked_and_counted_once(extractor, tmp_path, registry):
    folder = tmp_path / "docs"
    generate(3, folder, seed=5, registry=registry)
    first = sorted(folder.glob("gen-*.txt"))[0]
    body = first.read_text(encoding="utf-8")
    (folder / "z-reprint-1.txt").write_text("АГЕНТСТВО НОВОСТЕЙ — перепечатка\nПоделиться: Telegram | VK\n\n" + body
                                            + "\nИсточник: пресс-служба организатора.\n", encoding="utf-8")
    (folder / "z-reprint-2.txt").write_text("REGIONAL WIRE\n\n" + body + "\nРедакция может не разделять мнение авторов.\n",
                                            encoding="utf-8")
    store = Store.open(str(tmp_path / "kurultai.db"))
    assert ingest(store, [folder], extractor).new == 5
    with store.connect() as conn:
        rows = dict(conn.execute(select(documents.c.source, documents.c.duplicate_of)).all())
        first_id = conn.execute(select(documents.c.id).where(documents.c.source == str(first))).scalar()
    assert rows[str(folder / "z-reprint-1.txt")] == rows[str(folder / "z-reprint-2.txt")] == first_id
    assert sum(v is not None for v in rows.values()) == 2  # the other generated reports stand alone
    truth = json.loads((folder / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()[0])
    year = truth["date"][:4]
    trends = direction_trends(store, year, year)
    for d in truth["directions"]:
        assert trends["series"][d][trends["years"].index(year)] >= 1
    month = events_by_month(store, truth["date"][:7], truth["date"][:7])
    assert sum(month["totals"]) == 1  # three copies of the release, one event
    store.close()


def test_signatures_are_stored_once_and_found_by_a_later_run(extractor, tmp_path, registry):
    """A reprint arriving in a later run (a web upload, the next day's batch) meets the stored
    signature of its original; a store without signatures (before migration 0004) is backfilled."""
    from sqlalchemy import delete, func
    from kurultai.store.duplicates import Duplicates
    from kurultai.store.schema import signatures
    folder, later = tmp_path / "docs", tmp_path / "later"
    generate(3, folder, seed=9, registry=registry)
    first = sorted(folder.glob("gen-*.txt"))[0]
    later.mkdir()
    (later / "reprint.txt").write_text("ЛЕНТА НОВОСТЕЙ\n\n" + first.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store.open(str(tmp_path / "kurultai.db"))
    ingest(store, [folder], extractor)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(signatures)).scalar() == 3
        conn.execute(delete(signatures).where(signatures.c.document_id == 2))  # as if stored before 0004
        conn.commit()
    index = Duplicates.of_store(store)
    assert sorted(index.signatures) == [1, 2, 3]
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(signatures)).scalar() == 3  # backfilled
    ingest(store, [later], extractor)
    with store.connect() as conn:
        dup = conn.execute(select(documents.c.duplicate_of).where(documents.c.source == str(later / "reprint.txt"))).scalar()
        first_id = conn.execute(select(documents.c.id).where(documents.c.source == str(first))).scalar()
        n = conn.execute(select(func.count()).select_from(signatures)).scalar()
    assert dup == first_id and n == 4
    store.close()


def test_threshold_separates_reprints_from_other_reports():
    sig = {p.name: signature(read(p).raw) for p in sorted(SAMPLES.iterdir())[25:50]}
    assert similarity(sig[REPRINT[0]], sig[REPRINT[1]]) >= THRESHOLD
    others = [similarity(sig[a], sig[b]) for a, b in itertools.combinations(sig, 2) if {a, b} != set(REPRINT)]
    assert max(others) < THRESHOLD / 2


def test_corpus_is_deterministic_and_agrees_with_the_extractor(tmp_path, extractor, registry):
    a = generate(15, tmp_path / "a", seed=3, registry=registry)
    generate(15, tmp_path / "b", seed=3, registry=registry)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) == 16
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    generate(15, tmp_path / "c", seed=4, registry=registry)
    assert (tmp_path / "a" / a[0].file).read_bytes() != (tmp_path / "c" / a[0].file).read_bytes()
    hits = {"type": 0, "date": 0, "organizers": 0, "directions": 0}
    for t in a:
        text = read(tmp_path / "a" / t.file)
        assert 500 <= len(text.raw) <= 2000
        record = extractor.extract(text)
        ev = record["events"][0] if record["events"] else {}
        reg = {o["id"]: o.get("registry_id") for o in record["organizations"]}
        hits["type"] += ev.get("type") == t.type
        hits["date"] += (ev.get("date") or {}).get("value") == t.date
        hits["organizers"] += set(t.organizers) <= {reg[i] for i in ev.get("organizers", ())}
        hits["directions"] += set(t.directions) <= set(ev.get("directions", ()))
    # measured on 200 documents: type, date, organisers 100%, directions 95%
    assert hits["type"] >= 14 and hits["date"] >= 14 and hits["organizers"] >= 13 and hits["directions"] >= 12, hits


def test_cli_engine_options_are_checked(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(tmp_path), "--workers", "2", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["ingest", "--reextract", "--engine", "dask", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["bench", "corpus", "--docs", "2", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0 and len(list((tmp_path / "c").glob("*.txt"))) == 2


def _stored(store) -> dict:
    """What a store keeps of its one document, its name aside (each way in names it its own way)."""
    from kurultai.store.schema import signatures
    with store.connect() as conn:
        (doc,) = conn.execute(select(documents.c.id, documents.c.sha256, documents.c.text, documents.c.lemmas,
                                     documents.c.record, documents.c.facets)).all()
        minhash = conn.execute(select(signatures.c.minhash).where(signatures.c.document_id == doc.id)).scalar()
    record = json.loads(doc.record)
    record["document"]["source"] = None
    return {"sha256": doc.sha256, "text": doc.text, "lemmas": doc.lemmas, "record": record, "facets": doc.facets,
            "minhash": bytes(minhash)}


def test_cli_upload_and_dask_store_the_same_record_for_the_same_file(client, extractor, registry, tmp_path):
    """One ingest path: `kurultai ingest`, the web upload and the Dask workers read and extract a
    file through the same steps and store the same record (its bytes' SHA-256, what the reader
    warned of, the lemmas, the reprint signature); the Dask run reports the reader's warnings as
    the single-process one does (they were lost before)."""
    from fastapi.testclient import TestClient

    from kurultai.scale.engine import ingest_dask
    from kurultai.web.app import create_app

    from .conftest import sign_in
    source = tmp_path / "report.txt"
    source.write_bytes((SAMPLES / REPRINT[0]).read_bytes() + b"\x00 end\n")  # a damaged file: reading warns
    stores = {}
    for way in ("cli", "upload", "dask"):
        (tmp_path / way).mkdir()
        stores[way] = tmp_path / way / "kurultai.db"
    result = CliRunner().invoke(app, ["ingest", str(source), "--db", str(stores["cli"]), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "NUL" in result.output
    upload = Store.open(str(stores["upload"]))
    with TestClient(create_app(upload.url, extractor=extractor)) as web:
        sent = web.post("/api/upload", headers=sign_in(web, upload),
                        files=[("files", ("report.txt", source.read_bytes()))])
    assert [f["status"] for f in sent.json()["files"]] == ["new"], sent.text
    dask = Store.open(str(stores["dask"]))
    report = ingest_dask(dask, [source], client, registry)
    assert report.new == 1 and [w for _, w in report.warnings] == [w for _, w in ingest(
        Store.open(str(tmp_path / "serial.db")), [source], extractor).warnings] != []
    cli = Store.open(str(stores["cli"]))
    kept = {way: _stored(s) for way, s in (("cli", cli), ("upload", upload), ("dask", dask))}
    assert kept["cli"] == kept["upload"] == kept["dask"]
    assert "NUL" in kept["cli"]["record"]["document"]["warnings"][0]
    import hashlib
    assert kept["cli"]["sha256"] == kept["cli"]["record"]["document"]["sha256"] == hashlib.sha256(
        source.read_bytes()).hexdigest()
    for s in (cli, upload, dask):
        s.close()
