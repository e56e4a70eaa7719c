"""Search latency on large stores (100,000 and 1,000,000 documents), on SQLite and PostgreSQL.

    python -m bench.bulk [--docs 100000] [--base 2000] [--sqlite PATH] [--pg URL] [--fresh]

The normal writer (bench/store.py) stores ~140 documents/s on SQLite and ~55 on PostgreSQL on
this machine: days for a million. So a base store is filled the normal way (bench.store: `--unique`
distinct extractions written under `--base` different contents), then copied with SQL
INSERT ... SELECT under id offsets until the store holds `--docs` documents: the documents, their
originals, events, event tags, event entities, references, outcomes, mentions, MinHash signatures
and the full-text index (SQLite FTS5 rows; PostgreSQL's tsvector column is generated on insert).
Copy k shifts every year (documents.published, events.date, events.year) back by 4 * (k mod 4)
years, so that date filters select subsets, and appends "(copy <k>)" to the text and to the
original bytes, whose SHA-256 is recomputed, so that no two documents are the same (the base's own
texts end in "№ <n>": a copy suffix of that form collided with them at copy 300). Entities and aliases are
shared: copies mention the same institutions and people. A store given by --sqlite/--pg is kept
and grown on the next run (1,000,000 after 100,000 costs only the difference).

Secondary indexes are dropped during the copy and rebuilt after it; then ANALYZE on PostgreSQL
(what autovacuum would do); SQLite is measured as kurultai leaves it (no ANALYZE).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.results import replace_section
from bench.store import QUERIES, ROOT, fill, mixes, page_latency, replicate, timed_queries
from kurultai.store.facets import FTS5_SQL

CHILD_TABLES = ("documents", "events", "event_tags", "event_entities", "event_references", "outcomes", "mentions",
                "signatures", "originals")
SHIFT_CYCLE = 4  # copy k moves its years back by 4 * (k mod SHIFT_CYCLE): leap days stay leap days


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _sql(dialect: str, years: list[int]) -> dict[str, str]:
    """The INSERT ... SELECT statements of one copy; :doff/:eoff/:moff are the id offsets, :upto the
    last base document copied, :shift the years moved back, :suffix what the text gains. `years`
    are the base's event years, whose facets (`year:YYYY`) move back with them."""
    if dialect == "sqlite":
        def year(c):
            return (f"CASE WHEN {c} GLOB '[0-9][0-9][0-9][0-9]*' THEN printf('%04d', CAST(substr({c}, 1, 4) AS INTEGER)"
                    f" - :shift) || substr({c}, 5) ELSE {c} END")
        data = "CAST(o.data || :suffix AS BLOB)"
        sha = f"bench_sha256({data})"
    else:
        def year(c):
            return (f"CASE WHEN {c} ~ '^[0-9]{{4}}' THEN lpad((substr({c}, 1, 4)::int - :shift)::text, 4, '0')"
                    f" || substr({c}, 5) ELSE {c} END")
        data = "o.data || convert_to(:suffix, 'UTF8')"
        sha = f"encode(sha256({data}), 'hex')"
    moved = "replace(d.facets, 'year:', 'year:#')"  # marked first, so that no year is moved twice
    for y in years:
        moved = f"replace({moved}, 'year:#{y:04d}', 'year:' || ({y} - :shift))"
    base_docs = "d.id <= :upto"
    base_events = "e.document_id <= :upto"
    stmts = {
        "originals": f"INSERT INTO originals (sha256, data) SELECT {sha}, {data} FROM documents d "
                     f"JOIN originals o ON o.sha256 = d.sha256 WHERE {base_docs}",
        "documents": "INSERT INTO documents (id, sha256, source, format, encoding, language, title, published, text, "
                     "lemmas, record, extractor, ingested_at, duplicate_of, facets) "
                     f"SELECT d.id + :doff, {sha}, 'copy' || :k || '/' || d.source, d.format, d.encoding, d.language, "
                     f"d.title, {year('d.published')}, d.text || :suffix, d.lemmas, d.record, d.extractor, "
                     f"d.ingested_at, d.duplicate_of + :doff, {moved} "
                     f"FROM documents d JOIN originals o ON o.sha256 = d.sha256 WHERE {base_docs}",
        "events": "INSERT INTO events (id, document_id, idx, type, title, date, year, year_inferred, basis, format, "
                  f"place) SELECT e.id + :eoff, e.document_id + :doff, e.idx, e.type, e.title, {year('e.date')}, "
                  f"e.year - :shift, e.year_inferred, e.basis, e.format, e.place FROM events e WHERE {base_events}",
        "mentions": 'INSERT INTO mentions (id, document_id, entity_id, local_id, start, "end", text) '
                    'SELECT m.id + :moff, m.document_id + :doff, m.entity_id, m.local_id, m.start, m."end", m.text '
                    "FROM mentions m WHERE m.document_id <= :upto",
        "signatures": "INSERT INTO signatures (document_id, minhash) SELECT s.document_id + :doff, s.minhash "
                      "FROM signatures s WHERE s.document_id <= :upto",
    }
    for table, cols in (("event_tags", "kind, value"), ("event_entities", "entity_id, role"),
                        ("event_references", "title, date"), ("outcomes", 'kind, start, "end", text')):
        picked = ", ".join(f"c.{c.strip()}" for c in cols.split(","))
        stmts[table] = (f"INSERT INTO {table} (event_id, {cols}) SELECT c.event_id + :eoff, {picked} FROM {table} c "
                        f"JOIN events e ON e.id = c.event_id WHERE {base_events}")
    if dialect == "sqlite":
        stmts["documents_fts"] = ("INSERT INTO documents_fts (rowid, lemmas, facets) "
                                  f"SELECT d.id, d.lemmas, {FTS5_SQL.format('d.facets')} FROM documents d "
                                  "WHERE d.id > :doff AND d.id <= :doff + :upto")  # the copies just written
    return stmts


ORDER = ("originals", "documents", "documents_fts", "signatures", "mentions", "events", "event_tags", "event_entities",
         "event_references", "outcomes")


def _secondary_indexes(conn, dialect: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the non-unique indexes of the tables a copy writes."""
    names = ", ".join(f"'{t}'" for t in CHILD_TABLES)
    if dialect == "sqlite":
        return [tuple(r) for r in conn.execute(text(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names}) "
            "AND sql NOT LIKE 'CREATE UNIQUE%'"))]
    return [tuple(r) for r in conn.execute(text(
        f"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ({names}) "
        "AND indexdef NOT LIKE 'CREATE UNIQUE%'"))]


def grow(store, total: int, base: int, log=print) -> tuple[float, int]:
    """Copy documents 1..`base` (and everything hanging off them) until the store holds `total`;
    returns (documents/s of the copy including the index rebuild, documents copied)."""
    dialect = store.dialect
    with store.connect() as conn:
        have, top = conn.execute(text("SELECT count(*), coalesce(max(id), 0) FROM documents")).one()
        if have != top:
            raise SystemExit(f"{store.url}: document ids are not 1..{have} (max {top}); bulk copies need a store "
                             "filled by this benchmark")
        if have < base:
            raise SystemExit(f"{store.url}: {have} documents, fewer than the base of {base}")
        if have % base and have < total:
            raise SystemExit(f"{store.url}: {have} documents is not a whole number of copies of the base {base}")
        eoff = conn.execute(text("SELECT coalesce(max(id), 0) FROM events WHERE document_id <= :b"), {"b": base}).scalar()
        moff = conn.execute(text("SELECT coalesce(max(id), 0) FROM mentions WHERE document_id <= :b"), {"b": base}).scalar()
        years = list(conn.execute(text("SELECT DISTINCT year FROM events WHERE document_id <= :b AND year IS NOT NULL"),
                                  {"b": base}).scalars())
    if have >= total:
        _rebuild_pending(store, log)
        return 0.0, 0
    stmts = _sql(dialect, years)
    start = have
    t0 = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        cur = dbapi.cursor()
        if dialect == "sqlite":
            dbapi.create_function("bench_sha256", 1, lambda b: hashlib.sha256(b).hexdigest(), deterministic=True)
            for p in ("PRAGMA foreign_keys=OFF", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-1000000",
                      "PRAGMA temp_store=MEMORY"):
                cur.execute(p)
        else:
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("SET synchronous_commit = off")
            dbapi.commit()
        raw_conn_sql = _bind(dialect)
        # the indexes dropped are noted in the store first, so that a run stopped midway rebuilds them next time
        cur.execute("CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name TEXT PRIMARY KEY, ddl TEXT NOT NULL)")
        for name, create in _secondary_indexes(_Exec(cur), dialect):
            cur.execute(_bind(dialect)("INSERT INTO bench_dropped_indexes VALUES (:n, :s)", {})[0],
                        {"n": name, "s": create})
            cur.execute(f"DROP INDEX {name}")
        dbapi.commit()
        cur.execute("SELECT name, ddl FROM bench_dropped_indexes")
        idx = cur.fetchall()
        log(f"  dropped {len(idx)} indexes; copying from {have} to {total} documents (load {_load()})")
        while have < total:
            k = have // base
            upto = min(base, total - have)
            params = {"k": k, "doff": k * base, "eoff": k * eoff, "moff": k * moff, "upto": upto,
                      "shift": SHIFT_CYCLE * (k % SHIFT_CYCLE), "suffix": f"\n\n(copy {k})"}
            tc = time.perf_counter()
            for table in ORDER:
                if table in stmts:
                    sql, args = raw_conn_sql(stmts[table], params)
                    cur.execute(sql, args)
            dbapi.commit()
            have += upto
            log(f"  copy {k}: {have} documents, {upto / (time.perf_counter() - tc):.0f} docs/s (load {_load()})")
        ti = time.perf_counter()
        for name, create in idx:
            cur.execute(create)
            cur.execute(_bind(dialect)("DELETE FROM bench_dropped_indexes WHERE name = :n", {})[0], {"n": name})
            dbapi.commit()
        log(f"  rebuilt {len(idx)} indexes in {time.perf_counter() - ti:.0f} s")
        if dialect == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            dbapi.autocommit = True
            cur.execute("VACUUM ANALYZE")
            dbapi.autocommit = False
    finally:
        raw.close()
    return (total - start) / (time.perf_counter() - t0), total - start


def _rebuild_pending(store, log) -> None:
    """Indexes a stopped copy dropped and did not rebuild (noted in bench_dropped_indexes)."""
    with store.begin() as conn:
        if store.dialect == "sqlite":
            there = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'bench_dropped_indexes'")).first()
        else:
            there = conn.execute(text("SELECT to_regclass('bench_dropped_indexes')")).scalar()
        pending = conn.execute(text("SELECT name, ddl FROM bench_dropped_indexes")).all() if there else []
        for name, ddl in pending:
            conn.execute(text(ddl))
            conn.execute(text("DELETE FROM bench_dropped_indexes WHERE name = :n"), {"n": name})
    if pending:
        log(f"  rebuilt {len(pending)} indexes a stopped run had dropped")


class _Exec:
    """A DB-API cursor seen as a connection with `execute(text(...))` (for _secondary_indexes)."""

    def __init__(self, cur):
        self.cur = cur

    def execute(self, clause):
        self.cur.execute(str(clause))
        return self.cur.fetchall()


def _bind(dialect: str):
    """:name parameters turned into the driver's style (sqlite3: :name; psycopg: %(name)s)."""
    if dialect == "sqlite":
        return lambda sql, params: (sql, params)
    return lambda sql, params: (re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql), params)


def _n(total) -> str:
    """A search's total as the web page says it: "1000+" when there were more."""
    return f"{int(total)}" + ("" if getattr(total, "exact", True) else "+")


def prepare(label: str, store, ns, log=print) -> dict:
    """Fill the base the normal way when the store is empty, then grow it to ns.docs by copies."""
    out = {}
    with store.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM documents")).scalar()
    if have == 0:
        from kurultai.pipeline import Extractor
        ex = Extractor()
        t0 = time.perf_counter()
        out["ingest"], kept = fill(store, mixes(ns.unique), ex)
        out["writes"] = replicate(store, kept, ns.base, ex.registry)
        log(f"{label}: base of {ns.base} documents filled the normal way in {time.perf_counter() - t0:.0f} s "
            f"(full ingest {out['ingest']:.1f} docs/s, store-only writes {out['writes']:.0f} docs/s)")
    t0 = time.perf_counter()
    out["copy"], out["copied"] = grow(store, ns.docs, ns.base, log=log)
    log(f"{label}: {out['copied']} documents copied in {time.perf_counter() - t0:.0f} s")
    return out


def size_of(store, path: Path | None) -> str:
    if path is not None:
        n = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(path.name + "-wal"))
    else:
        n = store.scalar("SELECT pg_database_size(current_database())")
    return f"{n / 2 ** 30:.1f} GB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=int(os.environ.get("KURULTAI_BENCH_DOCS") or 100000))
    ap.add_argument("--base", type=int, default=2000, help="documents written the normal way, then copied")
    ap.add_argument("--unique", type=int, default=300, help="distinct extractions among the base")
    ap.add_argument("--sqlite", help="SQLite file to fill (kept, and grown on the next run); default: a temporary one")
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    ap.add_argument("--pg", default=os.environ.get("KURULTAI_BENCH_PG"),
                    help="PostgreSQL database of its own (never a shared test database: it is filled and kept)")
    ap.add_argument("--fresh", action="store_true", help="empty the stores first")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--page", type=int, default=0, help="also time the web's /search page (facets) this many rounds")
    ap.add_argument("--fill-only", action="store_true", help="fill the stores (given by --sqlite/--pg), measure nothing")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    if ns.docs < ns.base:
        ap.error(f"--docs {ns.docs} is below --base {ns.base}")
    from kurultai.nlp.morph import Morph
    from kurultai.store import Store
    morph = Morph()
    rows, notes = {}, []
    with tempfile.TemporaryDirectory(dir=str(Path(ns.sqlite).parent) if ns.sqlite else None) as tmp:
        stores = []
        if not ns.no_sqlite:
            path = Path(ns.sqlite) if ns.sqlite else Path(tmp) / "bulk.db"
            if ns.fresh:
                for p in path.parent.glob(path.name + "*"):
                    p.unlink()
            stores.append(("SQLite", path, lambda: Store.open(str(path))))
        if ns.pg:
            stores.append(("PostgreSQL", None, lambda: Store.open_empty(ns.pg) if ns.fresh else Store.open(ns.pg)))
        for label, path, opener in stores:
            store = opener()
            made = prepare(label, store, ns)
            if ns.fill_only:
                store.close()
                continue
            with store.connect() as conn:
                n = conn.execute(text("SELECT count(*) FROM documents")).scalar()
            load0 = _load()
            p50, p95, per, cpu, cold = timed_queries(store, morph, ns.rounds)
            load1 = _load()
            page = ("", "")
            if ns.page:
                page = tuple(f"{x:.0f}" for x in page_latency(store.url, ns.page))
            print(f"{label} at {n}: search() p50 {p50:.1f} ms, p95 {p95:.1f} ms, client CPU p50 {cpu[0]:.1f} "
                  f"p95 {cpu[1]:.1f} ms (load {load0} -> {load1})"
                  + (f"; page p50 {page[0]} p95 {page[1]} ms" if ns.page else ""))
            for q, ms, total in sorted(per, key=lambda r: -r[1]):
                print(f"  {ms:8.1f} ms  {_n(total):>7} matches  {q}")
            print(f"  warm-up round: slowest {cold:.0f} ms")
            slow = "; ".join(f"{q} {ms:.0f} ms ({_n(total)} matches)" for q, ms, total in sorted(per, key=lambda r: -r[1])[:3])
            copy_rate = f"{made['copy']:.0f}" if made.get("copied") else "— (earlier run)"
            rows[label] = (f"| {label} | {n} | {p50:.1f} | {p95:.1f} | {cpu[0]:.1f} | {cpu[1]:.1f} | {cold:.0f} | "
                           f"{page[0]} | {page[1]} | "
                           f"{load0} → {load1} | "
                           f"{copy_rate} | "
                           f"{size_of(store, path)} | {slow} |")
            store.close()
    if rows:
        _write(Path(ns.out), ns, rows)
    return 0


def _write(out: Path, ns, rows: dict[str, str]) -> None:
    """This size's section of RESULTS.md, its other stores' rows kept; other sections untouched."""
    title = f"## Search at scale: {ns.docs} documents"
    prev = out.read_text(encoding="utf-8") if out.exists() else ""
    _, found, tail = prev.partition("\n" + title + "\n")
    for line in tail.split("\n## ", 1)[0].splitlines() if found else ():
        m = re.match(r"\| (SQLite|PostgreSQL) \|", line)
        if m and m.group(1) not in rows:
            rows[m.group(1)] = line
    lines = [title, "",
             f"`python -m bench.bulk --docs {ns.docs}` (`make bench-large`). A base of {ns.base} documents "
             f"({ns.unique} distinct extractions under different contents) is written the normal way, then copied with "
             "SQL INSERT ... SELECT under id offsets (documents, originals, events and their tags, entities, references "
             "and outcomes, mentions, signatures, full-text rows) until the store holds the number above; copy k moves "
             f"every year back by {SHIFT_CYCLE}·(k mod {SHIFT_CYCLE}) and appends «(copy k)» to the text (new SHA-256). "
             "So the store has the size, not the variety, of a real one: each base document is there "
             f"{ns.docs // ns.base} times. Secondary indexes rebuilt after the copy; ANALYZE on PostgreSQL only. "
             f"search() over the {len(QUERIES)} fixed queries of bench/store.py x {ns.rounds} rounds, limit 20, after "
             "one untimed round (its slowest query: «warm-up max»); a match count «1000+» is a search that stopped "
             "at RESULT_CAP (kurultai/store/search.py); "
             "client CPU: the CPU time of the benchmark's process per search (SQLite runs in it; PostgreSQL's "
             "server is not counted). load = the 1-minute/5-minute/15-minute load averages of the 2-core machine "
             "(shared with other jobs) before → after.", "",
             "| store | documents | search() p50 ms | search() p95 ms | client CPU p50 ms | client CPU p95 ms | "
             "warm-up max ms | /search page p50 ms | /search page p95 ms | load before → after | bulk copy docs/s | size | "
             "slowest queries (median ms) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
             *[rows[k] for k in ("SQLite", "PostgreSQL") if k in rows], ""]
    replace_section(out, title, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
