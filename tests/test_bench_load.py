"""bench/load.py works: a short run against `kurultai serve` on a small store writes its section
of RESULTS.md, keeps the others, and reports no failed request (the full run is `make bench`)."""
from __future__ import annotations

import subprocess
import sys

from kurultai.store import Store
from kurultai.store.ingest import ingest

from .conftest import FIXTURES, ROOT


def test_a_short_load_run_reports_throughput_latency_and_no_errors(tmp_path, extractor):
    db = tmp_path / "k.db"
    store = Store.open(str(db))
    docs = sorted((FIXTURES / "docs").glob("*.txt"))
    ingest(store, [*docs[:2], FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"], extractor)  # КИСИ is a filter
    store.close()
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmarks\n\n## Web load: an older run\n\nstale\n\n## Other: kept\n\nkept text\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bench.load", "--requests", "40", "--clients", "8", "--db", str(db),
                          "--out", str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    text = out.read_text(encoding="utf-8")
    assert "## Other: kept\n\nkept text" in text and "stale" not in text
    assert "## Web load: 40 requests, 8 concurrent clients" in text and "errors: **0**" in text
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ") and "ms" not in line}
    assert {"search pages", "document pages", "all"} <= set(rows)
    assert rows["all"].split("|")[2].strip() == "40"
