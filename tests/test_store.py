"""The knowledge base on a real SQLite file and a real PostgreSQL server (when CI provides one)."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from kurultai.store.curate import merge, split
from kurultai.store.export import export
from kurultai.ingest.run import ingest
from kurultai.store.schema import documents, entities, failures
from kurultai.store.search import Filters, SearchError, search
from kurultai.store.views import NotFound, show_org, stats

from .conftest import FIXTURES, ROOT, STORES, fresh_store

DOCS = FIXTURES / "docs"
SAMPLES = ROOT / "samples" / "reports"


def dump(store) -> list:
    """The store's content without ids or times: what two equal stores share."""
    with store.connect() as conn:
        names = dict(conn.execute(select(entities.c.id, entities.c.name)).all())
        docs = {}
        for row in conn.execute(select(documents.c.id, documents.c.sha256, documents.c.record)).all():
            rec = json.loads(row.record)
            docs[row.id] = (row.sha256, [(e["type"], (e.get("date") or {}).get("value")) for e in rec["events"]])
        from kurultai.store.schema import mentions
        ment = sorted((docs[m.document_id][0], m.start, m.end, names[m.entity_id])
                      for m in conn.execute(select(mentions)).all())
    return [sorted(docs.values()), ment]


def test_ingest_is_idempotent_and_keeps_originals(store, extractor):
    report = ingest(store, [DOCS], extractor)
    assert report.new == len(list(DOCS.glob("*.txt"))) and not report.failed
    before = dump(store)
    again = ingest(store, [DOCS], extractor)
    assert again.new == 0 and again.unchanged == report.new
    assert dump(store) == before
    from kurultai.store.schema import originals
    with store.connect() as conn:
        data = conn.execute(select(originals.c.data)).scalars().all()
    assert sorted(data) == sorted(p.read_bytes() for p in DOCS.glob("*.txt"))


def test_reextract_rebuilds_the_same_store(store, extractor):
    ingest(store, [DOCS], extractor)
    before = dump(store)
    from kurultai.ingest.run import reextract_all
    report = reextract_all(store, extractor)
    assert report.reextracted == len(before[0]) and not report.failed
    assert dump(store) == before


def test_bad_documents_fail_alone(store, extractor, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.pdf").write_bytes(b"%PDF-1.4 garbage" + bytes(range(256)))
    shutil.copy(DOCS / "ru-rt-kisi-isrs-transport-2024.txt", tmp_path / "good.txt")
    report = ingest(store, [tmp_path], extractor)
    assert report.new == 1 and len(report.failed) == 2
    assert {Path(s).name for s, _ in report.failed} == {"empty.txt", "noise.pdf"}
    with store.connect() as conn:
        assert conn.execute(select(failures.c.error)).scalars().all()


def test_zip_archives_and_globs(store, extractor, tmp_path):
    import zipfile
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(DOCS.glob("ru-*.txt"))[:3]:
            z.write(p, f"inner/{p.name}")
    report = ingest(store, [archive, str(DOCS / "en-*.txt")], extractor)
    assert report.new == 3 + len(list(DOCS.glob("en-*.txt")))


def test_search_with_morphology_aliases_and_filters(store, extractor):
    ingest(store, [DOCS], extractor)
    hits, total = search(store, "сотрудничества")
    assert total > 3
    # every hit contains the word in some form, and the highlight marks it
    for h in hits:
        assert h.highlights and "сотрудничеств" in h.snippet[h.highlights[0][0]:h.highlights[0][1]].lower()
    # an English abbreviation finds Russian reports that use the Russian one
    hits, _ = search(store, "ISRS")
    assert any("ru-rt-kisi-isrs" in h.source for h in hits)
    assert any(m.startswith("alias:") for h in hits for m in h.matched_by)
    _, kz_water = search(store, "", Filters(country="KZ", direction="water"))
    _, water = search(store, "", Filters(direction="water"))
    assert 0 < kz_water <= water
    hits, n = search(store, "", Filters(institution="КИСИ", date_from="2024-01-01", date_to="2024-12-31"))
    assert n >= 1 and all("2024" in (h.published or "2024") for h in hits)
    with pytest.raises(SearchError):
        search(store, "", Filters(date_from="last year"))
    with pytest.raises(SearchError):
        search(store, "", Filters(institution="Институт, которого нет"))


def test_show_lists_aliases_and_merge_split_round_trip(store, extractor):
    ingest(store, [DOCS], extractor)
    with store.connect() as conn:
        isrs = conn.execute(select(entities.c.id).where(entities.c.registry_id == "uz.isrs")).scalar()
        kisi = conn.execute(select(entities.c.id).where(entities.c.registry_id == "kz.kisi")).scalar()
    org = show_org(store, isrs)
    seen = {m["text"] for m in org["mentions"]}
    assert {"ИСМИ", "ISRS"} <= seen or len(seen) >= 2
    assert all(m["documents"] for m in org["mentions"])
    institutions = stats(store)["institutions"]
    merge(store, isrs, kisi)
    assert stats(store)["institutions"] == institutions - 1
    after_merge = show_org(store, isrs)
    assert len(after_merge["mentions"]) > len(org["mentions"])
    with pytest.raises(NotFound):
        show_org(store, kisi)
    kisi_names = [m["text"] for m in show_org(store, isrs)["mentions"] if m["text"] not in seen]
    split(store, isrs, kisi_names)
    assert len(show_org(store, isrs)["mentions"]) == len(org["mentions"])
    assert stats(store)["institutions"] == institutions  # the split-off entity takes the merged one's place


def test_exports(store, extractor, tmp_path):
    ingest(store, [DOCS], extractor)
    for fmt in ("jsonl", "csv", "parquet"):
        paths = export(store, fmt, tmp_path / fmt)
        assert {p.stem for p in paths} == {"documents", "events", "event_entities", "institutions", "people",
                                           "mentions", "outcomes", "evidence", "references"}
        assert all(p.stat().st_size > 0 for p in paths)
    import pyarrow.parquet as pq
    assert pq.read_table(tmp_path / "parquet" / "institutions.parquet").num_rows == stats(store)["institutions"]
    (ftm,) = export(store, "ftm", tmp_path / "ftm")
    items = [json.loads(line) for line in ftm.read_text(encoding="utf-8").splitlines()]
    ids = {e["id"] for e in items}
    assert {e["schema"] for e in items} >= {"Organization", "Person", "Event", "Document", "Documentation"}
    for e in items:  # every reference points at an entity of the export
        for prop in ("employee", "employer", "organizer", "involved", "proof", "document", "entity"):
            for ref in e["properties"].get(prop, []):
                assert ref in ids, (e["id"], prop, ref)


@pytest.mark.parametrize("kind", STORES)
def test_kill_during_ingest_then_resume_equals_a_clean_run(kind, tmp_path, extractor):
    """kill -9 in the middle of a batch, run again: the store is what one clean run makes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docs = sorted(DOCS.glob("*.txt"))[:18]  # enough for a kill mid-run; more only slows the suite
    total = 3 * len(docs)  # 54: the kill comes after 10; each is extracted twice more below
    for i in range(3):  # distinct bytes, so every copy is a document of its own
        for p in docs:
            (corpus / f"{i}-{p.name}").write_bytes(p.read_bytes() + f"\n\n(копия {i})".encode())
    store = fresh_store(kind, tmp_path)
    url = store.url
    proc = subprocess.Popen([sys.executable, "-m", "kurultai", "ingest", str(corpus), "--db", url, "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.3)
        try:
            n = store.scalar("SELECT count(*) FROM documents")
        except Exception:
            continue
        if n and n >= 10:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = store.scalar("SELECT count(*) FROM documents")
    assert 0 < partial < total
    report = ingest(store, [corpus], extractor)
    assert report.unchanged == partial and report.new == total - partial
    resumed = dump(store)
    store.close()
    (tmp_path / "clean").mkdir()
    clean_store = fresh_store(kind, tmp_path / "clean")  # PostgreSQL: the same database, wiped
    ingest(clean_store, [corpus], extractor)
    assert dump(clean_store) == resumed
    clean_store.close()


def test_heads_of_state_and_common_nouns_in_the_store(store, extractor, tmp_path):
    """A head of state's office is not the institute «при Президенте» the fuzzy match finds near its
    name, and a body named by a common noun («правительство») is no institution of the store."""
    doc = tmp_path / "forum.txt"
    doc.write_text(
        "В Ташкенте 12 мая 2025 года состоялся международный форум, организованный Институтом стратегических "
        "и межрегиональных исследований при Президенте Республики Узбекистан. Президент Республики Узбекистан "
        "Шавкат Мирзиёев выступил на открытии форума и отметил, что правительство поддерживает экспертный "
        "диалог. Директор института Элдор Арипов подчеркнул важность регионального сотрудничества.",
        encoding="utf-8")
    ingest(store, [doc], extractor)
    with store.connect() as conn:
        rows = conn.execute(select(entities.c.id, entities.c.name, entities.c.kind, entities.c.affiliation_id)).all()
    names = {r.id: r.name for r in rows}
    people = {r.name: names.get(r.affiliation_id) for r in rows if r.kind == "person"}
    assert "институт" not in (people["Шавкат Мирзиёев"] or "").lower(), people
    assert not [r.name for r in rows if r.kind == "org" and r.name.lower().startswith("правительств")]


def test_a_head_of_states_office_never_meets_an_institute_under_it_by_its_words(store, extractor, tmp_path):
    """«Президент Республики Таджикистан» shares its words with the registry's «Центр стратегических
    исследований при Президенте Республики Таджикистан» (in Tajik, Uzbek and Kazakh aliases too): the
    office stays its own institution, and the president is not that centre's staff."""
    first = tmp_path / "centre.txt"
    first.write_text("Душанбе, 10 мая 2023 г. Вчера в Центре стратегических исследований при Президенте Республики "
                     "Таджикистан прошел круглый стол по водной дипломатии.", encoding="utf-8")
    summit = tmp_path / "summit.txt"
    summit.write_text("ДУШАНБЕ, 14.09.2023. Сегодня в Душанбе прошла Консультативная встреча глав государств "
                      "Центральной Азии. Председательствовал на встрече Президент Республики Таджикистан Эмомали "
                      "Рахмон.\nВ своем выступлении Эмомали Рахмон отметил важность водного сотрудничества.",
                      encoding="utf-8")
    ingest(store, [first, summit], extractor)
    with store.connect() as conn:
        rows = conn.execute(select(entities.c.id, entities.c.name, entities.c.kind, entities.c.affiliation_id)).all()
    names = {r.id: r.name for r in rows}
    people = {r.name: names.get(r.affiliation_id) for r in rows if r.kind == "person"}
    assert people["Эмомали Рахмон"] == "Президент Республики Таджикистан", people
