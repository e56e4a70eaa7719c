"""bench/load.py works: a short run against `kurultai serve`, one process and then two worker
processes, on a small store, writes its section of RESULTS.md with both side by side, keeps the
others, draws its searches from 1,000 different ones and reports no failed request (the full run
is `make bench`; no timing is asserted here, the machine is shared)."""
from __future__ import annotations

import re
import subprocess
import sys

from kurultai.store import Store
from kurultai.ingest.run import ingest

from .conftest import FIXTURES, ROOT


def test_a_short_load_run_reports_one_process_against_several(tmp_path, extractor):
    db = tmp_path / "k.db"
    store = Store.open(str(db))
    docs = sorted((FIXTURES / "docs").glob("*.txt"))
    ingest(store, [*docs[:2], FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"], extractor)  # КИСИ is a filter
    store.close()
    from bench.load import search_urls
    urls = search_urls(str(db), 1000)
    assert len(set(urls)) == 1000 and all(u.startswith("/search?") for u in urls)
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmarks\n\n## Web load: an older run\n\nstale\n\n## Other: kept\n\nkept text\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bench.load", "--requests", "40", "--clients", "8", "--workers", "2",
                          "--db", str(db), "--out", str(out)], capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    text = out.read_text(encoding="utf-8")
    assert "## Other: kept\n\nkept text" in text and "stale" not in text
    assert "## Web load: 40 requests, 8 concurrent clients, 1 process against 2" in text and "errors: **0**" in text
    assert "in 4 parts, timed in the order 1 N N 1 1 N N 1," in text
    assert "drawn from 1000 different searches" in text
    assert re.search(r"on a machine of \*\*\d+ cores\*\*", text) and "pinned" in text  # how the CPUs were shared
    assert ": met)" in text or "Why not: 8 clients each ask again" in text  # a missed target says why
    assert re.search(r"2 worker processes against 1: throughput \*\*×\d+\.\d\d\*\*, p95 \*\*×\d+\.\d\d\*\*", text)
    rows = {line.split("|")[1].strip(): line.split("|") for line in text.splitlines() if line.startswith("| ")}
    for server in ("1 process", "2 worker processes"):
        assert float(rows[server][2].strip(" *")) > 0 and rows[server][6].strip() == "0", rows[server]
    spread = [[int(c) for c in part.split("/")] for part in rows["2 worker processes"][11].strip().split("; ")]
    assert len(spread) == 4 and all(len(part) == 2 and sum(part) == 8 for part in spread), spread  # each worker's
    assert rows["1 process"][11].strip() == "; ".join(["8"] * 4)
    assert {"search pages", "document pages", "all pages"} <= set(rows)
    assert [c.strip() for c in rows["all pages"][1:-1]][1::3] == ["40", "40"]
    bad = subprocess.run([sys.executable, "-m", "bench.load", "--queries", "999", "--db", str(db)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "--queries 1000 or more" in bad.stderr
