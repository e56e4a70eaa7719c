"""Load on the web server, one process against several: the same requests from many concurrent
clients, over loopback, to `kurultai serve` (one process) and to `kurultai serve --workers N`.

    python -m bench.load [--requests 2000] [--clients 50] [--workers 2] [--parts 4] [--queries 1000]
                         [--db PATH] [--out bench/RESULTS.md]

The store is the sample corpus (samples/reports, ingested into a temporary SQLite file by
`kurultai ingest`) unless --db names one. The clients are asyncio tasks (on uvloop) sharing one
aiohttp keep-alive pool of `--clients` connections, in this process; they take the requests from
one queue: half search pages, half document pages (every stored document in turn). The search
pages are drawn from `--queries` different ones (at least 1,000) made from the store's own
vocabulary: the names, short names and aliases of its institutions and people, and the countries,
directions, threats, frameworks, event types, years and languages its events carry, alone and
combined, so that no cache answers for the server. Both servers run at once, each warmed up; the
requests are timed in `--parts` parts, each asked of both servers in turn (1 N, N 1, 1 N, ...),
so that a change in the load of the (shared) machine weighs on both alike. With a core to spare
beyond the N workers, the servers are pinned to N cores and the clients to another; the servers'
logs go to files, never through a pipe into the clients' process. Reported, side by side, with
the machine's core count: throughput, p50 / p95 / max latency (all pages and each kind), errors
(any answer but 200, any failed request), CPU per request of the servers and of the clients, the
servers' peak memory (every worker's summed), the machine's load average before and after each
part, the ratios of N processes to one, and, when the target is missed, why, from these figures.
The section "## Web load" of bench/RESULTS.md is replaced; the other sections are kept. The exit
status is 1 when any request failed.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
TITLE = "## Web load:"
MIN_QUERIES = 1000
KINDS = ("search", "document")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kurultai(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kurultai", *args], **options)


# -- what is asked ------------------------------------------------------------------------------------------------------

def vocabulary(db: str) -> tuple[list[str], list[dict]]:
    """(words to search for, single filters) as the store knows them."""
    from kurultai.store import Store
    store = Store.open(db)
    try:
        with store.connect() as conn:
            sql = conn.exec_driver_sql
            names = [r[0] for r in sql("SELECT name FROM entities UNION SELECT short FROM entities "
                                       "UNION SELECT alias FROM aliases") if r[0] and 1 < len(r[0]) <= 80]
            tags = [{r[0]: r[1]} for r in sql("SELECT DISTINCT kind, value FROM event_tags ORDER BY kind, value")
                    if r[0] in ("country", "direction", "threat", "framework")]
            types = [{"type": r[0]} for r in sql("SELECT DISTINCT type FROM events ORDER BY type") if r[0]]
            years = [r[0] for r in sql("SELECT DISTINCT year FROM events WHERE year IS NOT NULL ORDER BY year")]
            langs = [{"language": r[0]} for r in sql("SELECT DISTINCT language FROM documents ORDER BY language")
                     if r[0] and len(r[0]) == 2]
    finally:
        store.close()
    spans = [{"from": str(a), "to": str(b)} for a, b in itertools.combinations_with_replacement(years, 2) if b - a <= 3]
    return sorted(set(names)), tags + types + [{"year": y} for y in years] + spans + langs


def search_urls(db: str, count: int, seed: int = 20) -> list[str]:
    """`count` different search pages, shuffled: first each of the store's words alone and each
    filter alone (what people mostly ask), then pairs of filters, then words with a filter (and,
    for a store too small for those, with two); ValueError if the store's vocabulary cannot make
    that many."""
    words, filters = vocabulary(db)

    def group(f: dict) -> set[str]:
        return {"date" if k in ("year", "from", "to") else k for k in f}

    rng = random.Random(seed)
    pairs = [{**a, **b} for a, b in itertools.combinations(filters, 2) if not group(a) & group(b)]
    rng.shuffle(pairs)

    def with_words(extra: list[dict]):
        """Each word with one more of `extra` per round, each word from its own place in the list."""
        start = {w: rng.randrange(len(extra)) for w in words} if extra else {}
        for k in range(len(extra)):
            for w in words:
                yield {"q": w, **extra[(start[w] + k) % len(extra)]}

    urls: dict[str, None] = {}
    for choice in itertools.chain(({"q": w} for w in words), filters, pairs, with_words(filters), with_words(pairs)):
        urls.setdefault("/search?" + urlencode(choice))
        if len(urls) == count:
            break
    else:
        raise ValueError(f"{db}: its vocabulary makes {len(urls)} different searches, fewer than {count}")
    chosen = list(urls)
    rng.shuffle(chosen)
    return chosen


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


# -- asking -------------------------------------------------------------------------------------------------------------

async def run_load(base: str, todo: list[tuple[str, str]], clients: int,
                   before_close: Callable[[], object] | None = None) -> tuple[dict, list[str], float]:
    """Latencies (ms) by kind, the errors, and the wall time of the whole run. aiohttp (its HTTP
    parser is C) keeps the clients' own CPU small beside the server's, on the same cores."""
    import aiohttp
    queue: asyncio.Queue = asyncio.Queue()
    for item in todo:
        queue.put_nowait(item)
    latencies: dict[str, list[float]] = {kind: [] for kind in KINDS}
    errors: list[str] = []
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as client:
        async def worker() -> None:
            while True:
                try:
                    kind, url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                try:
                    async with client.get(url) as response:
                        await response.read()
                        if response.status != 200:
                            errors.append(f"{url}: {response.status}")
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    errors.append(f"{url}: {type(exc).__name__}: {exc}")
                latencies[kind].append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
        if before_close:  # while the connections are still open
            before_close()
        return latencies, errors, seconds


def started_count(log: Path) -> int:
    """How many of the server's processes have finished their start-up (each worker loads the
    registry; a request that reached one still starting would wait for it)."""
    try:
        return log.read_text(encoding="utf-8", errors="replace").count("Application startup complete")
    except OSError:
        return 0


def wait_until_up(base: str, server: subprocess.Popen, workers: int, log: Path, seconds: float = 300) -> None:
    import httpx
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
            raise SystemExit(f"kurultai serve exited with status {server.returncode} before answering:\n"
                             + "\n".join(tail))
        if started_count(log) >= workers:
            try:
                if httpx.get(base + "/api", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    raise SystemExit(f"{base}: kurultai serve did not answer within {seconds:.0f} s")


def processes(pid: int) -> list[int]:
    """`pid` and its descendants (the supervisor and its workers)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of the server: of each of its processes, summed."""
    total = 0.0
    for p in processes(pid):
        try:
            for line in open(f"/proc/{p}/status", encoding="ascii"):
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total or None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0.0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def load_average() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def run_clients(base: str, todo: list[tuple[str, str]], clients: int,
                before_close: Callable[[], object] | None = None) -> tuple[dict, list[str], float]:
    """run_load on uvloop when it is there (it comes with uvicorn's standard extras): less of the
    clients' CPU taken from the server's, on the same cores."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(run_load(base, todo, clients, before_close))
    return uvloop.run(run_load(base, todo, clients, before_close))


def connections_per_process(pids: list[int], port: int, state: str = "01") -> list[int]:
    """How many sockets on `port` in `state` (01: established, 0A: listening) each of these
    processes holds (from /proc). A worker keeps each keep-alive connection it accepted, so the
    established ones say how the clients were shared out among the workers."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if fields[3] == state and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(fields[9])
        except OSError:
            pass
    counts = []
    for pid in pids:
        held = 0
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                held += link.startswith("socket:[") and link[8:-1] in inodes
        except OSError:
            pass
        counts.append(held)
    return counts


def placement(workers: int) -> tuple[set[int] | None, set[int] | None, str]:
    """(the servers' CPUs, the clients' CPUs, what was done, in words). With a core to spare
    beyond the N workers, both servers get the same N cores and the clients the next one, so the
    clients never take a worker's core. Without (2 cores, 2 workers), nothing is pinned: the
    clients must share the workers' cores anyway, and a pinned process could not move off a core
    that another job holds."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None, None, "not pinned (no CPU affinity on this system)"
    if len(cpus) > workers:
        servers, client = set(cpus[:workers]), {cpus[workers]}
        return servers, client, (f"both servers pinned to CPUs {', '.join(map(str, sorted(servers)))}, the clients "
                                 f"to CPU {cpus[workers]} (os.sched_setaffinity)")
    return None, None, (f"not pinned: {len(cpus)} CPUs, no more than the {workers} workers, so the clients share "
                        "the workers' cores (pinning would only keep a process on a core another job holds)")


class Server:
    """`kurultai serve --workers N` on a free loopback port, and what its timed runs added up to."""

    def __init__(self, db: str, workers: int, logs: Path, cpus: set[int] | None) -> None:
        self.workers, self.port, self.cpus = workers, free_port(), cpus
        port = self.port
        self.spread: list[list[int]] = []  # connections held by each worker, in each timed part
        self.base = f"http://127.0.0.1:{port}"
        # its log (uvicorn's access lines too) goes to a file: read through a pipe, each line would
        # wake a thread of this process, the clients', and take the GIL from them
        self.log = logs / f"serve-{workers}.log"
        with open(self.log, "wb") as out:
            self.process = kurultai("serve", "--db", db, "--port", str(port), "--workers", str(workers),
                                    stdout=subprocess.DEVNULL, stderr=out)
        self.latencies: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.errors: list[str] = []
        self.seconds = self.server_cpu = self.client_cpu = 0.0
        self.loads: list[str] = []

    def start(self, warm_up: list[tuple[str, str]], clients: int) -> None:
        wait_until_up(self.base, self.process, self.workers, self.log)
        self.pids = processes(self.process.pid)
        if self.workers > 1:  # the workers: the processes that listen on the port, not their supervisor
            listen = connections_per_process(self.pids, self.port, "0A")
            self.answering = [p for p, n in zip(self.pids, listen) if n and p != self.process.pid]
        else:
            self.answering = [self.process.pid]
        if self.cpus:
            for pid in self.pids:
                try:
                    os.sched_setaffinity(pid, self.cpus)
                except OSError:
                    pass
        run_clients(self.base, warm_up, clients)  # not counted: every worker's caches and SQLite's pages

    def run(self, todo: list[tuple[str, str]], clients: int) -> None:
        before, server_cpu, client_cpu = load_average(), cpu_seconds(self.pids), time.process_time()
        latencies, errors, seconds = run_clients(
            self.base, todo, clients, lambda: self.spread.append(connections_per_process(self.answering, self.port)))
        self.server_cpu += cpu_seconds(self.pids) - server_cpu
        self.client_cpu += time.process_time() - client_cpu
        self.seconds += seconds
        self.errors += errors
        self.loads.append(f"{before} → {load_average()}")
        for kind in KINDS:
            self.latencies[kind] += latencies[kind]

    def stop(self) -> None:
        self.peak = peak_rss_mb(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def result(self) -> dict:
        every = self.latencies["search"] + self.latencies["document"]
        n = len(every)
        return {"workers": self.workers, "latencies": {**self.latencies, "all": every}, "errors": self.errors,
                "seconds": self.seconds, "throughput": n / self.seconds, "p95": percentile(every, 0.95),
                "peak_mb": self.peak, "load": "; ".join(self.loads), "server_ms": 1000 * self.server_cpu / n,
                "client_ms": 1000 * self.client_cpu / n, "cores": (self.server_cpu + self.client_cpu) / self.seconds,
                "spread": "; ".join("/".join(map(str, sorted(part, reverse=True))) for part in self.spread),
                "spread_parts": self.spread}


def order(servers: list, todo: list, parts: int) -> list[tuple[object, list]]:
    """(server, requests) in the order they are timed: the requests cut into `parts` parts, each
    part asked of both servers, one then N, N then one, alternately (1 N N 1 1 N N 1 ...), so that
    a machine that gets busier or quieter during the run (it is shared) weighs on both alike."""
    size = -(-len(todo) // parts)
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    return [(server, chunk) for k, chunk in enumerate(chunks)
            for server in (servers if k % 2 == 0 else servers[::-1])]


def measure(db: str, todo: list[tuple[str, str]], clients: int, workers: int,
            parts: int = 4) -> tuple[list[dict], str]:
    """One process and `workers` processes, both started and warmed up before the clock; the
    requests timed in `parts` parts in the order of order(). Also: how the processes were placed
    on the CPUs, in words."""
    server_cpus, client_cpus, placed = placement(workers)
    warm_up = todo[: min(len(todo), max(2 * clients, 100 * workers))]
    before = os.sched_getaffinity(0) if client_cpus else None
    with tempfile.TemporaryDirectory() as logs:
        servers = [Server(db, 1, Path(logs), server_cpus), Server(db, workers, Path(logs), server_cpus)]
        try:
            for server in servers:
                server.start(warm_up, clients)
            if client_cpus:
                os.sched_setaffinity(0, client_cpus)
            for server, part in order(servers, todo, parts):
                server.run(part, clients)
        finally:
            if before:
                os.sched_setaffinity(0, before)
            for server in servers:
                server.stop()
    return [server.result() for server in servers], placed


# -- the report ---------------------------------------------------------------------------------------------------------

def label(workers: int) -> str:
    return "1 process" if workers == 1 else f"{workers} worker processes"


def report(results: list[dict], setup: dict) -> str:
    one, many = results
    speedup, p95_share = many["throughput"] / one["throughput"], many["p95"] / one["p95"]
    met = speedup >= 1.6 and p95_share <= 0.5 and not one["errors"] and not many["errors"]
    rows = []
    for r in results:
        ms = r["latencies"]["all"]
        peak = f"{r['peak_mb']:.0f} MB" if r["peak_mb"] else "not measured"
        rows.append(f"| {label(r['workers'])} | **{r['throughput']:.1f}** | {statistics.median(ms):.0f} | "
                    f"**{r['p95']:.0f}** | {max(ms):.0f} | {len(r['errors'])} | {r['server_ms']:.1f} | "
                    f"{r['client_ms']:.1f} | {r['cores']:.2f} | {peak} | {r['spread']} | {r['load']} |")
    kinds = []
    for kind in (*KINDS, "all"):
        cells = []
        for r in results:
            ms = r["latencies"][kind]
            cells.append(f"{len(ms)} | {statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f}")
        kinds.append(f"| {kind} pages | " + " | ".join(cells) + " |")
    n, clients, requests = setup["workers"], setup["clients"], setup["requests"]
    cores = os.cpu_count() or 1
    client = "asyncio on uvloop" if _has_uvloop() else "asyncio"
    return "\n".join([
        f"{TITLE} {requests} requests, {clients} concurrent clients, 1 process against {n}", "",
        f"`python -m bench.load --requests {requests} --clients {clients} --workers {n}` on a machine of "
        f"**{cores} cores**: `kurultai serve` (uvicorn, one process) and `kurultai serve --workers {n}`, over "
        f"{setup['store']} ({setup['documents']} documents), on loopback; the clients ({client} + aiohttp, one "
        f"keep-alive pool of {clients} connections, in the benchmark's process) run on the same machine; "
        f"{setup['placed']}. Half the requests are search pages, drawn from {setup['queries']} different "
        "searches made from the store's vocabulary (institution and people names, countries, directions, threats, "
        "frameworks, types, years, languages; facets included), half document pages. Both servers are started and "
        f"warmed up first; then each gets the same requests in {setup['parts']} parts, timed in the order "
        f"{' '.join(('1 N' if k % 2 == 0 else 'N 1') for k in range(setup['parts']))}, so that "
        "a change in the machine's load weighs on both alike. load: the machine's 1/5/15-minute load averages "
        "before → after each timed part (it is shared with other jobs); CPU: what the server's processes and the clients' "
        "spent per request; cores busy: both together over the timed wall time (of the machine's "
        f"{cores}: what the other jobs left shows here); connections per process: the clients' keep-alive "
        "connections each worker held in each timed part (a connection stays with the worker that accepted it: "
        "an uneven split lengthens the busier worker's queue, hence p95; `serve --workers` gives each worker a "
        "socket of its own, which the kernel picks by a hash of the connection).", "",
        f"{label(n)} against 1: throughput **×{speedup:.2f}**, p95 **×{p95_share:.2f}** "
        f"(target: ×1.6 or more, ×0.5 or less: {'met' if met else 'not met'}); "
        f"errors: **{len(one['errors']) + len(many['errors'])}**.", "",
        *([] if met else [ceiling(one, many, n, cores, clients), ""]),
        "| server | requests/s | p50 ms | p95 ms | max ms | errors | server CPU ms/request | client CPU ms/request "
        "| cores busy | peak memory | connections per process | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|", *rows, "",
        "| kind | " + " | ".join(f"{label(r['workers'])}: requests | p50 ms | p95 ms" for r in results) + " |",
        "|---|" + "---:|" * 3 * len(results), *kinds, ""])


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def ceiling(one: dict, many: dict, n: int, cores: int, clients: int) -> str:
    """Why a target was missed, from what the run measured: the CPU each request cost bounds what
    N processes can do on this machine, and with a fixed number of clients latency follows
    throughput."""
    cpu = many["server_ms"] + many["client_ms"]
    bound = min(n, cores) * 1000 / cpu if cpu else float("nan")
    alone = 1000 / one["server_ms"] if one["server_ms"] else float("nan")
    return (f"Why not: {clients} clients each ask again as soon as they are answered, so latency ≈ {clients} ÷ "
            "throughput and p95 ×0.5 needs about ×2 throughput. Each request cost "
            f"{many['server_ms']:.1f} ms of the server's CPU and {many['client_ms']:.1f} ms of the clients'; on "
            f"{min(n, cores)} free cores that bounds {n} processes at {bound:.0f} requests/s against about "
            f"{alone:.0f} for one process (one core: Python's GIL), ×{bound / alone:.2f}, "
            f"{'with the clients on the same cores' if cores <= n else 'the clients on a core of their own'}. "
            f"The {n} processes had {many['cores']:.2f} of the {cores} cores busy (clients included): the rest went to other jobs "
            f"on the machine (see load).{skew(many['spread_parts'], n, clients)}")


def skew(parts: list[list[int]], n: int, clients: int) -> str:
    """The busiest worker's share of the connections, on average over the parts, when it is uneven."""
    shares = [max(p) / sum(p) for p in parts if sum(p)]
    if not shares or sum(shares) / len(shares) < 1.2 / n:
        return ""
    return (f" The busiest worker held {100 * sum(shares) / len(shares):.0f}% of the {clients} connections on average "
            f"(an even split: {100 / n:.0f}%; the worst part: {100 * max(shares):.0f}%), and its clients waited in its "
            "longer queue: that is the p95.")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2),
                    help="Worker processes of the second server (default: the cores, at least 2).")
    ap.add_argument("--parts", type=int, default=4,
                    help="Parts the requests are timed in, each asked of both servers in turn (default 4).")
    ap.add_argument("--queries", type=int, default=MIN_QUERIES, help=f"Different searches (at least {MIN_QUERIES}).")
    ap.add_argument("--db", help="A store to serve (default: the sample corpus, ingested into a temporary file).")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    if ns.queries < MIN_QUERIES or ns.workers < 2 or ns.requests < 2 or ns.clients < 1 or not 1 <= ns.parts <= ns.requests:
        ap.error(f"give --queries {MIN_QUERIES} or more, --workers 2 or more, --requests 2 or more, --clients 1 or more, "
                 "--parts from 1 to --requests")
    with tempfile.TemporaryDirectory() as tmp:
        db, note = ns.db, f"the store {ns.db}"
        if db is None:
            db, note = str(Path(tmp) / "load.db"), "the sample corpus (samples/reports) in SQLite"
            ingested = kurultai("ingest", str(ROOT / "samples" / "reports"), "--db", db, "--quiet",
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if ingested.wait() != 0:
                raise SystemExit(f"kurultai ingest failed: {ingested.stderr.read().decode(errors='replace')}")
        try:
            searches = search_urls(db, ns.queries)
        except ValueError as exc:
            raise SystemExit(str(exc)) from None
        documents = document_urls(db)
        todo = plan(ns.requests, searches, documents)
        results, placed = measure(db, todo, ns.clients, ns.workers, ns.parts)
    setup = {"workers": ns.workers, "clients": ns.clients, "requests": ns.requests, "store": note,
             "documents": len(documents), "queries": len(searches), "placed": placed, "parts": ns.parts}
    text = report(results, setup)
    replace_section(Path(ns.out), TITLE, text)
    print(text)
    for error in [e for r in results for e in r["errors"]][:20]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
