"""Dask ingest throughput with 1 and 2 workers, scaling efficiency and worker memory.

    python -m bench.scale [--docs 300] [--seed 7]

A generated corpus (kurultai.scale.corpus) is ingested into a fresh SQLite store by a local
cluster of 1 and then 2 worker processes (one thread each); the writer runs in this process.
Times exclude starting the cluster and loading natasha on the workers (a warm-up batch). The
efficiency is t1 / (2 * t2); peak memory is the largest resident size a worker reported.
The section "## Scale-out" of bench/RESULTS.md is replaced; the other sections are kept.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = "## Scale-out:"


def run(corpus: Path, workers: int, registry, tmp: Path) -> tuple[float, int, int]:
    """Seconds to ingest `corpus`, documents stored, peak worker RSS in bytes."""
    from distributed import Client, LocalCluster

    from kurultai.scale.engine import ExtractorPlugin, ingest_dask, worker_memory
    from kurultai.store import Store
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(ExtractorPlugin())  # natasha loads here, outside the timing
        store = Store.open(str(tmp / f"scale-{workers}.db"))
        peak, done = [0], threading.Event()

        def watch():
            while not done.wait(0.5):
                peak[0] = max([peak[0], *worker_memory(client).values()])
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        t0 = time.perf_counter()
        report = ingest_dask(store, [corpus], client, registry)
        seconds = time.perf_counter() - t0
        done.set()
        watcher.join()
        peak[0] = max([peak[0], *worker_memory(client).values()])
        store.close()
    return seconds, report.new, peak[0]


def replace_section(path: Path, title: str, text: str) -> None:
    prev = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    parts = prev.split("\n## ")
    kept = [parts[0].rstrip("\n")] + ["## " + p.rstrip("\n") for p in parts[1:] if not ("## " + p).startswith(title)]
    path.write_text("\n\n".join(kept) + "\n\n" + text.strip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    from kurultai.knowledge.registry import Registry
    from kurultai.scale.corpus import generate
    registry = Registry.load()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(ns.docs, tmp / "corpus", ns.seed, registry)
        t1, n1, m1 = run(tmp / "corpus", 1, registry, tmp)
        t2, n2, m2 = run(tmp / "corpus", 2, registry, tmp)
    assert n1 == n2 == ns.docs, (n1, n2)
    text = "\n".join([
        f"{TITLE} Dask ingest of {ns.docs} generated documents", "",
        f"`python -m bench.scale --docs {ns.docs}` on {os.cpu_count()} cores; SQLite store; a local cluster of "
        "worker processes with one thread each, the writer in the client; times exclude starting the cluster "
        "and loading natasha.", "",
        "| workers | seconds | docs/s | peak RSS per worker |", "|---:|---:|---:|---:|",
        f"| 1 | {t1:.1f} | {ns.docs / t1:.1f} | {m1 / 2**20:.0f} MiB |",
        f"| 2 | {t2:.1f} | {ns.docs / t2:.1f} | {m2 / 2**20:.0f} MiB |", "",
        f"Scaling efficiency t1 / (2 t2): {t1 / (2 * t2):.2f}.", ""])
    replace_section(Path(ns.out), TITLE, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
