"""Ingest throughput and search latency of the knowledge base, on SQLite and PostgreSQL.

    python -m bench.store [--docs 10000] [--unique 300] [--pg URL]

Documents are mixes of paragraphs of the sample corpus (seeded, so every run sees the same).
Full ingest (read + extract + resolve + store) is timed on the `--unique` distinct mixes; the
store is then filled to `--docs` documents by writing those records again under new contents
(store and resolution only, no re-extraction), and a fixed set of queries is timed there:
p50/p95 of `search()` as the CLI and the web call it. PostgreSQL is measured when `--pg` or
$KURULTAI_BENCH_PG names a server (`.ci/run`'s test server works); otherwise it is skipped.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text as sql

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("сотрудничество", {}), ("водные ресурсы", {}), ("IWEP", {}), ("ИСМИ", {}), ("Средний коридор", {}),
    ("транспортных коридоров", {}), ("climate change", {}), ("безопасность", {"country": "KZ"}),
    ("", {"direction": "water"}), ("", {"country": "UZ", "direction": "transport_logistics"}),
    ("", {"type": "summit"}), ("", {"framework": "sco"}), ("энергетика", {"date_from": "2022", "date_to": "2024"}),
    ("Афганистан", {}), ("экспертный диалог", {"language": "ru"}), ("ISRS", {"type": "round_table"}),
    ("торговля", {"institution": "КИСИ"}), ("региональная безопасность", {"threat": "terrorism_extremism"}),
    ("молодежь", {}), ("цифровизация", {"country": "KG"}),
]


def mixes(n: int, seed: int = 7) -> list[str]:
    from kurultai.read import read
    paragraphs = []
    for p in sorted((ROOT / "samples" / "reports").iterdir()):
        paragraphs += [x for x in read(p).raw.split("\n\n") if len(x) > 80]
    rng = random.Random(seed)
    return ["\n\n".join(rng.sample(paragraphs, rng.randint(3, 7))) for _ in range(n)]


def fill(store, texts, extractor) -> tuple[float, list]:
    """Full ingest of `texts`; returns documents per second and the records for reuse."""
    from kurultai.read import Text
    from kurultai.store.documents import write_record
    from kurultai.store.resolve import Index
    from kurultai.store.schema import originals
    index, kept = Index(), []
    t0 = time.perf_counter()
    for i, raw in enumerate(texts):
        data = raw.encode("utf-8")
        text = Text(raw, f"bench/{i:06d}.txt", {"format": "txt", "encoding": "utf-8"})
        record, keys = extractor.extract_with_keys(text)
        sha = hashlib.sha256(data).hexdigest()
        record["document"]["sha256"] = sha
        lemmas = " ".join(k for k in keys if k)
        with store.begin() as conn:
            conn.execute(originals.insert().values(sha256=sha, data=data))
            write_record(conn, store.dialect, record, text, lemmas, extractor.registry, index=index)
        kept.append((record, text, lemmas))
    return len(texts) / (time.perf_counter() - t0), kept


def replicate(store, kept, total: int, registry) -> float:
    """Write the kept records again as new documents until the store holds `total`; docs/s."""
    import copy
    from kurultai.read import Text
    from kurultai.store.documents import write_record
    from kurultai.store.resolve import Index
    from kurultai.store.schema import originals
    index = Index()
    have = len(kept)
    t0 = time.perf_counter()
    n = 0
    while have < total:
        record, text, lemmas = kept[n % len(kept)]
        raw = text.raw + f"\n\n№ {have}"
        data = raw.encode("utf-8")
        rec = copy.deepcopy(record)
        rec["document"]["sha256"] = sha = hashlib.sha256(data).hexdigest()
        rec["document"]["source"] = f"bench/{have:06d}.txt"
        with store.begin() as conn:
            conn.execute(originals.insert().values(sha256=sha, data=data))
            write_record(conn, store.dialect, rec, Text(raw, rec["document"]["source"], {}), lemmas, registry,
                         index=index)
        have += 1
        n += 1
    return n / (time.perf_counter() - t0) if n else 0.0


def timed_queries(store, morph, rounds: int = 5) -> tuple[float, float, list[tuple[str, float, int]], list[float], float]:
    """search() over QUERIES `rounds` times (limit 20) after one untimed round
    that warms the caches: p50, p95 and, per query, its median and the number of documents it
    matched; then this process's CPU time p50/p95 (on a shared machine, what wall time would be
    without the wait for a core; the database server's own CPU is not in it); and the slowest
    query of the warm-up round (what the first search after a start waits)."""
    from kurultai.store.search import Filters, search
    times, cpu, per, cold = [], [], {}, 0.0
    for round_ in range(rounds + 1):
        for q, f in QUERIES:
            t0, c0 = time.perf_counter(), time.process_time()
            _, total = search(store, q, Filters(**f), morph=morph, limit=20)
            ms = (time.perf_counter() - t0) * 1000
            if round_ == 0:
                cold = max(cold, ms)
                continue
            cpu.append((time.process_time() - c0) * 1000)
            times.append(ms)
            per.setdefault((q, tuple(sorted(f.items()))), [[], total])[0].append(ms)
    times.sort()
    rows = [(_label(q, dict(f)), statistics.median(ms), total) for (q, f), (ms, total) in per.items()]
    cpu.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], rows, \
        [statistics.median(cpu), cpu[int(0.95 * (len(cpu) - 1))]], cold


def _label(q: str, f: dict) -> str:
    return " ".join(([f"«{q}»"] if q else []) + [f"{k}={v}" for k, v in f.items()])


def page_latency(url: str, rounds: int = 3) -> tuple[float, float]:
    """p50/p95 of the search page (HTML, facets included) served by the web app, in-process."""
    from fastapi.testclient import TestClient
    from kurultai.web.app import create_app
    client = TestClient(create_app(url))
    times = []
    for round_ in range(rounds + 1):  # the first round warms the caches, untimed
        for q, f in QUERIES:
            params = {"q": q, **{("from" if k == "date_from" else "to" if k == "date_to" else k): v for k, v in f.items()}}
            t0 = time.perf_counter()
            r = client.get("/search", params=params)
            if round_:
                times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (params, r.status_code, r.text[:200])
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--unique", type=int, default=300)
    ap.add_argument("--pg", default=os.environ.get("KURULTAI_BENCH_PG") or os.environ.get("KURULTAI_TEST_PG"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    from kurultai.pipeline import Extractor
    from kurultai.store import Store
    ex = Extractor()
    texts = mixes(ns.unique)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stores = [("SQLite", lambda: Store.open(str(Path(tmp) / "bench.db")))]
        if ns.pg:
            stores.append(("PostgreSQL", lambda: Store.open_empty(ns.pg)))
        for label, opener in stores:
            store = opener()
            ingest_rate, kept = fill(store, texts, ex)
            write_rate = replicate(store, kept, ns.docs, ex.registry)
            if store.dialect == "postgresql":  # what autovacuum does within a minute of a bulk
                with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sql("VACUUM ANALYZE"))  # load (and else did during the timing)
            p50, p95 = timed_queries(store, ex.morph)[:2]
            page50, page95 = page_latency(store.url)
            size = ""
            if label == "SQLite":
                size = f"{(Path(tmp) / 'bench.db').stat().st_size / ns.docs / 1024:.1f} KB"
            rows.append(f"| {label} | {ingest_rate:.1f} | {write_rate:.0f} | {p50:.1f} | {p95:.1f} | "
                        f"{page50:.0f} | {page95:.0f} | {size} |")
            store.close()
    lines = ["", f"## Knowledge base: {ns.docs} documents", "",
             f"Full ingest (read + extract + resolve + store, one process) timed on {ns.unique} distinct documents; "
             f"the store then filled to {ns.docs} by writing their records under new contents (PostgreSQL: "
             "then VACUUM ANALYZE, which autovacuum would otherwise run during the timing); "
             f"search over {len(QUERIES)} fixed queries x 5 rounds (the function) and x 3 rounds (the web page with "
             f"its facets, through the app in-process).", "",
             "| store | full ingest docs/s | store-only writes docs/s | search() p50 ms | search() p95 ms | "
             "/search page p50 ms | /search page p95 ms | size per document |",
             "|---|---:|---:|---:|---:|---:|---:|---:|", *rows,
             "" if ns.pg else "PostgreSQL not measured: no server given (--pg or $KURULTAI_BENCH_PG).", ""]
    text = "\n".join(lines)
    replace_section(Path(ns.out), "## Knowledge base:", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
