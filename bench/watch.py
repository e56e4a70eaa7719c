"""How long following a feed of 1,000 items takes: `kurultai watch run`'s work, end to end.

    python -m bench.watch [--items 1000] [--pg URL]

A loopback server (http.server in a thread) serves an RSS feed of `--items` pages, each a
distinct mix of the sample corpus's paragraphs (bench/store.py's mixes) as HTML. Timed:
- the first run: robots.txt, the feed, every page fetched (no per-host delay, as with
  `--delay 0`), read, extracted, resolved and stored, one transaction per item;
- a second run: the feed answers 304, nothing is fetched;
- a third run after the feed changed (a new ETag, the same items): every item is known by its URL,
  none is fetched.
For comparison, as many other such pages are ingested as files by `kurultai ingest`'s function into a fresh
store in the same process: the difference is what following costs over ingesting. The extractor
is loaded before timing. The result replaces its section of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.results import replace_section
from bench.store import mixes

ROOT = Path(__file__).resolve().parent.parent


def serve(pages: list[bytes]) -> tuple[ThreadingHTTPServer, dict]:
    state = {"etag": '"v1"', "requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            state["requests"] += 1
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == state["etag"]:
                    return self.answer(304, b"", "application/rss+xml")
                items = "".join(f"<item><title>{i}</title><link>{base}/p/{i}.html</link></item>" for i in range(len(pages)))
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'
                return self.answer(200, body.encode(), "application/rss+xml", state["etag"])
            if self.path.startswith("/p/"):
                return self.answer(200, pages[int(self.path[3:].split(".")[0])], "text/html; charset=utf-8")
            return self.answer(404, b"", "text/plain")

        def answer(self, status: int, body: bytes, ctype: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


def pages_of(items: int, seed: int = 11) -> list[bytes]:
    return [f"<!doctype html><html><body><article><p>{t.replace(chr(10) * 2, '</p><p>')}</p></article></body></html>"
            .encode("utf-8") for t in mixes(items, seed=seed)]


def ingest_files(url: str, pages: list[bytes], extractor) -> float:
    """Seconds `kurultai ingest`'s function takes over `pages` as .html files."""
    from kurultai.store import Store
    from kurultai.ingest.run import ingest
    with tempfile.TemporaryDirectory() as folder:
        for i, page in enumerate(pages):
            (Path(folder) / f"{i}.html").write_bytes(page)
        store = Store.open_empty(url) if url.startswith("postgresql") else Store.open(url)
        t0 = time.perf_counter()
        ingest(store, [folder], extractor)
        seconds = time.perf_counter() - t0
        store.close()
    return seconds


def measure(url: str, items: int, extractor) -> dict:
    from kurultai.store import Store
    from kurultai.watch import sources as S
    from kurultai.watch.run import Run

    pages = pages_of(items)
    server, state = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    store = Store.open_empty(url) if url.startswith("postgresql") else Store.open(url)
    try:
        source = S.add(store, f"{base}/feed.xml", allow_private=True)
        run = Run(store, lambda: extractor, delay=0.0, timeout=30)
        out = {}
        for name in ("first", "unchanged", "changed"):
            if name == "changed":
                state["etag"] = '"v2"'
            before = state["requests"]
            t0 = time.perf_counter()
            summary = run.all([S.get(store, source.id)])
            out[name] = (time.perf_counter() - t0, summary, state["requests"] - before)
        return out
    finally:
        server.shutdown()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("KURULTAI_BENCH_PG"))
    args = parser.parse_args()
    from kurultai.pipeline import Extractor
    extractor = Extractor()
    from kurultai.read import read_bytes
    import kurultai.store.duplicates  # noqa: F401  (reprint detection's imports take seconds: not timed, for either side)
    extractor.extract(read_bytes("14 марта 2024 года в Бишкеке прошёл круглый стол.".encode(), "warm.txt"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", str(Path(tmp) / "watch.db"))] + ([("PostgreSQL", args.pg)] if args.pg else [])
        # the extractor's caches warmed on other pages first; each side then reads pages of its own (the same
        # pages twice would let the second side find the first side's words cached)
        ingest_files(str(Path(tmp) / "warm.db"), pages_of(100, seed=99), extractor)
        for label, url in targets:
            plain = ingest_files(url + "-ingest" if not url.startswith("postgresql") else url,
                                 pages_of(args.items, seed=12), extractor)
            result = measure(url, args.items, extractor)
            first, summary, requests = result["first"]
            print(f"{label}: first run {first:.1f} s ({summary.line()}; {requests} requests), "
                  f"304 run {result['unchanged'][0]:.2f} s, changed-feed run {result['changed'][0]:.2f} s "
                  f"({result['changed'][2]} requests); as many pages by ingest: {plain:.1f} s", flush=True)
            rows.append(f"| {label} | {args.items} | {first:.1f} | {summary.new / first:.1f} | {summary.new} | "
                        f"{result['unchanged'][0]:.2f} ({result['unchanged'][2]} requests) | "
                        f"{result['changed'][0]:.2f} ({result['changed'][2]} requests) | {plain:.1f} |")
    text = (f"## Following a feed: {args.items} items\n\n"
            f"`python -m bench.watch`: a loopback server's RSS feed of {args.items} distinct HTML pages (mixes of the "
            "sample corpus's paragraphs); `watch run` with no per-host delay. First run: every page fetched, read, "
            "extracted, resolved and stored (one transaction per item with its seen mark). Then a run the feed answers "
            "with 304, and a run after the feed changed (new ETag, same items: every item known by its URL, none "
            f"fetched). Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.\n\n"
            "| store | items | first run s | new docs/s | stored | 304 run s | changed feed, nothing new s | "
            "as many pages by `ingest` s |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows))
    replace_section(ROOT / "bench" / "RESULTS.md", "Following a feed", text)


if __name__ == "__main__":
    main()
