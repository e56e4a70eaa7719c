"""Load on the web server: a fixed number of requests of search and document pages from many
concurrent clients, over loopback, to `kurultai serve` running in its own process.

    python -m bench.load [--requests 2000] [--clients 50] [--db PATH] [--out bench/RESULTS.md]

The store is the sample corpus (samples/reports, ingested into a temporary SQLite file by
`kurultai ingest`) unless --db names one. The server is `kurultai serve` (uvicorn, one process)
on a free loopback port. The clients are asyncio tasks sharing one httpx connection pool of
`--clients` connections; they take the requests from one queue: half search pages (the fixed
queries of bench.store, with their facets), half document pages (every stored document in
turn). Reported: throughput, p50 / p95 / max latency of each kind, the server's peak memory, and
errors (any answer but 200, any failed request). The section "## Web load" of bench/RESULTS.md is
replaced; the other sections are kept. The exit status is 1 when any request failed.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
TITLE = "## Web load:"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kurultai(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kurultai", *args], **options)


def search_urls() -> list[str]:
    from bench.store import QUERIES
    names = {"date_from": "from", "date_to": "to"}
    return ["/search?" + urlencode({"q": q, **{names.get(k, k): v for k, v in f.items()}}) for q, f in QUERIES]


def document_urls(db: str) -> list[str]:
    from kurultai.store import Store
    store = Store.open(db)
    try:
        with store.connect() as conn:
            ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM documents ORDER BY id")]
    finally:
        store.close()
    if not ids:
        raise SystemExit(f"{db}: the store holds no documents")
    return [f"/doc/{i}" for i in ids]


def plan(requests: int, searches: list[str], documents: list[str]) -> list[tuple[str, str]]:
    """(kind, url) for every request: search and document pages alternating, each list in turn."""
    return [("search", searches[i // 2 % len(searches)]) if i % 2 == 0 else ("document", documents[i // 2 % len(documents)])
            for i in range(requests)]


async def run_load(base: str, todo: list[tuple[str, str]], clients: int) -> tuple[dict, list[str], float]:
    """Latencies (ms) by kind, the errors, and the wall time of the whole run."""
    import httpx
    queue: asyncio.Queue = asyncio.Queue()
    for item in todo:
        queue.put_nowait(item)
    latencies: dict[str, list[float]] = {"search": [], "document": []}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        async def worker() -> None:
            while True:
                try:
                    kind, url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code != 200:
                        errors.append(f"{url}: {response.status_code}")
                except httpx.HTTPError as exc:
                    errors.append(f"{url}: {type(exc).__name__}: {exc}")
                latencies[kind].append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, errors, time.perf_counter() - started


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    import httpx
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kurultai serve exited with status {server.returncode} before answering")
        try:
            if httpx.get(base + "/api", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{base}: kurultai serve did not answer within {seconds:.0f} s")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in open(f"/proc/{pid}/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def measure(db: str, requests: int, clients: int) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = kurultai("serve", "--db", db, "--port", str(port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(base, server)
        documents = document_urls(db)
        todo = plan(requests, search_urls(), documents)
        asyncio.run(run_load(base, todo[: min(len(todo), 2 * clients)], clients))  # warm-up, not counted
        latencies, errors, seconds = asyncio.run(run_load(base, todo, clients))
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"latencies": latencies, "errors": errors, "seconds": seconds, "peak_mb": peak,
            "documents": len(documents), "requests": requests, "clients": clients}


def report(result: dict, store_note: str) -> str:
    rows = []
    for kind in ("search", "document"):
        ms = result["latencies"][kind]
        rows.append(f"| {kind} pages | {len(ms)} | {statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f} | "
                    f"{max(ms):.0f} |")
    every = result["latencies"]["search"] + result["latencies"]["document"]
    rows.append(f"| all | {len(every)} | {statistics.median(every):.0f} | {percentile(every, 0.95):.0f} | "
                f"{max(every):.0f} |")
    peak = f"{result['peak_mb']:.0f} MB" if result["peak_mb"] else "not measured"
    return "\n".join([
        f"{TITLE} {result['requests']} requests, {result['clients']} concurrent clients", "",
        f"`python -m bench.load --requests {result['requests']} --clients {result['clients']}`: `kurultai serve` "
        f"(uvicorn, one process) over {store_note} ({result['documents']} documents), on loopback; the clients "
        f"(asyncio + httpx, one pool of {result['clients']} connections) run on the same {os.cpu_count()} cores. "
        "Half the requests are search pages (20 fixed queries, facets included), half document pages; "
        "a warm-up round before the clock starts.", "",
        f"Throughput: **{result['requests'] / result['seconds']:.1f} requests/s** "
        f"({result['requests']} in {result['seconds']:.1f} s); errors: **{len(result['errors'])}**; "
        f"server peak memory {peak}. With {result['clients']} requests always in flight, each waits for the others: "
        f"mean latency {statistics.mean(every):.0f} ms against {1000 * result['clients'] * result['seconds'] / result['requests']:.0f} ms "
        "by Little's law (clients / throughput), so the latencies measure queueing more than one page's work.", "",
        "| kind | requests | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|", *rows, ""])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--db", help="A store to serve (default: the sample corpus, ingested into a temporary file).")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, note = ns.db, f"the store {ns.db}"
        if db is None:
            db, note = str(Path(tmp) / "load.db"), "the sample corpus (samples/reports) in SQLite"
            ingested = kurultai("ingest", str(ROOT / "samples" / "reports"), "--db", db, "--quiet",
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if ingested.wait() != 0:
                raise SystemExit(f"kurultai ingest failed: {ingested.stderr.read().decode(errors='replace')}")
        result = measure(db, ns.requests, ns.clients)
    text = report(result, note)
    replace_section(Path(ns.out), TITLE, text)
    print(text)
    for error in result["errors"][:20]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
