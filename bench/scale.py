"""Dask ingest throughput with 1 and 2 workers, scaling efficiency and worker memory.

    python -m bench.scale [--docs 600] [--seed 7] [--repeat 3] [--workers 1,2]

A generated corpus (kurultai.scale.corpus) is ingested into a fresh SQLite store by a local
cluster of 1 and then 2 worker processes (one thread each); the writer runs in this process.
Times exclude starting the cluster and loading natasha on the workers. Each size runs `--repeat`
times, alternating, and the fastest run counts: on a shared virtual machine the same run varied
from 13 to 17 s, and the least disturbed run is the one that measures kurultai. The efficiency
is t1 / (n * tn); peak memory is the largest resident size a worker reported; CPU seconds are
those of this process (client, scheduler and writer) and of all workers, in the fastest run.
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

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
TITLE = "## Scale-out:"


def run(corpus: Path, workers: int, registry, tmp: Path) -> tuple[float, int, int, float, float]:
    """Seconds to ingest `corpus`, documents stored, peak worker RSS in bytes, CPU seconds of this
    process and of the workers."""
    from distributed import Client, LocalCluster

    from kurultai.scale.engine import ExtractorPlugin, ingest_dask, worker_memory
    from kurultai.store import Store
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(ExtractorPlugin())  # natasha loads here, outside the timing
        db = tmp / f"scale-{workers}.db"
        for p in tmp.glob(db.name + "*"):
            p.unlink()
        store = Store.open(str(db))
        peak, done = [0], threading.Event()

        def watch():
            while not done.wait(0.5):
                peak[0] = max([peak[0], *worker_memory(client).values()])
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        w0, c0 = sum(client.run(_cpu).values()), _cpu()
        t0 = time.perf_counter()
        report = ingest_dask(store, [corpus], client, registry)
        seconds = time.perf_counter() - t0
        own, theirs = _cpu() - c0, sum(client.run(_cpu).values()) - w0
        done.set()
        watcher.join()
        peak[0] = max([peak[0], *worker_memory(client).values()])
        store.close()
    return seconds, report.new, peak[0], own, theirs


def _cpu() -> float:
    import psutil
    t = psutil.Process().cpu_times()
    return t.user + t.system


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts")
    ap.add_argument("--workers", default="1,2", help="cluster sizes, comma-separated (the first is the baseline)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    from kurultai.knowledge.registry import Registry
    from kurultai.scale.corpus import generate
    registry = Registry.load()
    sizes = [int(x) for x in ns.workers.split(",")]
    best: dict[int, tuple] = {}
    runs: dict[int, list[float]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(ns.docs, tmp / "corpus", ns.seed, registry)
        for _ in range(ns.repeat):
            for n in sizes:
                r = run(tmp / "corpus", n, registry, tmp)
                assert r[1] == ns.docs, (n, r[1])
                runs[n].append(r[0])
                if n not in best or r[0] < best[n][0]:
                    best[n] = r
    t1 = best[sizes[0]][0] * sizes[0]
    rows = [f"| {n} | {best[n][0]:.1f} | {', '.join(f'{t:.1f}' for t in runs[n])} | {ns.docs / best[n][0]:.1f} | "
            f"{t1 / (n * best[n][0]):.2f} | {best[n][3]:.1f} | {best[n][4]:.1f} | {best[n][2] / 2**20:.0f} MiB |"
            for n in sizes]
    text = "\n".join([
        f"{TITLE} Dask ingest of {ns.docs} generated documents", "",
        f"`python -m bench.scale --docs {ns.docs} --repeat {ns.repeat}` on {os.cpu_count()} cores; SQLite store; a local "
        "cluster of worker processes with one thread each, the scheduler and the writer in the client; times "
        "exclude starting the cluster and loading natasha. Each size ran "
        f"{ns.repeat} times, alternating; the fastest run counts (all are listed). CPU: seconds of the client process "
        "(scheduler, writer) and of all workers together, in the fastest run.", "",
        "| workers | seconds | all runs | docs/s | scaling efficiency | client CPU s | workers CPU s | peak RSS per worker |",
        "|---:|---:|---|---:|---:|---:|---:|---:|", *rows, "",
        f"Scaling efficiency t1 / (n tn) from 1 to {sizes[-1]} workers: {t1 / (sizes[-1] * best[sizes[-1]][0]):.2f}.", ""])
    replace_section(Path(ns.out), TITLE, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
