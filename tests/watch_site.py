"""A small news site on loopback for the watch tests: a feed, a sitemap index, a paginated listing,
robots.txt rules, pages that answer 304, 429 with Retry-After, 500, redirects, a slow page, an
oversized body and a page whose charset declaration lies. Its `log` lists every path requested,
in order: what proves a second run fetched nothing already seen."""
from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPORTS = Path(__file__).resolve().parent.parent / "samples" / "reports"
ARTICLES = {  # path -> (sample report, the page's own date)
    "/news/1.html": ("003-ru-rt-isrs-kisi-tashkent-2018.txt", "2018-10-24"),
    "/news/2.html": ("009-en-forum-cerr-siis-tashkent-2019.txt", "2019-09-11"),
    "/news/3.html": ("014-ru-webinar-aral-water-2020.txt", "2020-06-02"),
    "/news/4.html": ("024-ru-rt-iais-food-water-2022.txt", "2022-04-20"),
    "/news/5.html": ("036-ru-rt-kisi-isrs-astana-2024.txt", "2024-03-15"),
    "/news/6.html": ("045-ru-rt-csr-glaciers-dushanbe-2025.txt", "2025-02-12"),
    "/private/secret.html": ("017-ru-rt-fergana-dialogue-osh-2021.txt", "2021-05-05"),
    "/limited.html": ("022-ru-conf-aktau-middle-corridor-2021.txt", "2021-10-01"),
    "/cp1251.html": ("027-ru-rt-iwep-imemo-almaty-2022.txt", "2022-11-01"),
}
FEED_ITEMS = ["/news/1.html", "/news/2.html", "/news/3.html", "/private/secret.html", "/moved.html",
              "/limited.html", "/broken.html", "/cp1251.html"]


def article(path: str) -> bytes:
    name, date = ARTICLES[path]
    text = (REPORTS / name).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    title = html.escape(text.strip().splitlines()[0])
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{date}T10:00:00+05:00"></head>'
            f"<body><article>{paragraphs}</article></body></html>").encode("utf-8")


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link>"
                    f"<pubDate>{_rfc822(ARTICLES.get(p, ('', '2024-01-01'))[1])}</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test news</title>'
            f"<link>{base}/</link><description>t</description>{items}</channel></rss>").encode("utf-8")


def sitemap(base: str, path: str) -> bytes:
    """A sitemap index pointing to one sitemap, or that sitemap (two articles and a disallowed page)."""
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if path == "/sitemap.xml":
        return f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>'.encode()
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>{ARTICLES[p][1]}</lastmod></url>"
                   for p in ("/news/4.html", "/news/5.html", "/private/secret.html"))
    return f'<?xml version="1.0"?><urlset {ns}>{urls}</urlset>'.encode()


def listing(page: int) -> bytes:
    """Page 1 or 2 of the news listing: navigation, articles, a link off the site, the pager."""
    links = ("/news/1.html", "/news/2.html", "/news/3.html") if page == 1 else ("/news/5.html", "/news/6.html")
    pager = '<a href="/news/?page=2">Далее »</a>' if page == 1 else '<a href="/news/">« Назад</a>'
    return ('<!doctype html><html><body><nav><a href="/">Главная</a><a href="/about.html">О нас</a></nav>'
            + "".join(f'<a href="{p}">Статья {p}</a>' for p in links)
            + '<a href="https://example.org/elsewhere.html">elsewhere</a>' + pager + "</body></html>").encode()


def _rfc822(date: str) -> str:
    import datetime as dt
    from email.utils import format_datetime
    return format_datetime(dt.datetime.fromisoformat(date + "T09:00:00+00:00"))


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hung up (the fetcher gave up on a slow or endless page) is no error here."""


class Site:
    """The server, its request log and its switches; `start()` then `base`, `stop()` at the end."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.answers: list[tuple[str, int]] = []  # (path, status) of every answer
        self.agents: set[str] = set()
        self.limited_once = False
        self.hold: dict[str, threading.Event] = {}  # a path held until its event is set (kill -9 tests)
        self.feed_paths = list(FEED_ITEMS)
        self.extra: dict[str, bytes] = {}  # more pages: path -> HTML
        self.typed: dict[str, tuple[bytes, str]] = {}  # more files: path -> (bytes, Content-Type)
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "Site":
        self.thread.start()
        return self

    def stop(self) -> None:
        for event in self.hold.values():
            event.set()
        self.server.shutdown()
        self.server.server_close()

    def fetched(self, path: str) -> int:
        return sum(1 for p in self.log if p.split("?")[0] == path)


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers) -> None:
            site.answers.append((self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: C901 (one branch per page of the site)
            site.log.append(self.path)
            site.agents.add(self.headers.get("User-Agent", ""))
            path, _, query = self.path.partition("?")
            if path in site.hold:
                site.hold[path].wait(30)
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path == "/feed.xml":
                if self.headers.get("If-None-Match") == '"feed-v1"':
                    return self.send(304, b"")
                return self.send(200, rss(site.base, site.feed_paths), "application/rss+xml", ETag='"feed-v1"')
            if path in ("/sitemap.xml", "/sitemap-news.xml"):
                return self.send(200, sitemap(site.base, path), "application/xml")
            if path == "/news/":
                return self.send(200, listing(2 if query == "page=2" else 1))
            if path == "/moved.html":
                return self.send(302, b"", Location="/news/4.html")
            if path == "/bad-feed.xml":
                return self.send(200, b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti',
                                 "application/rss+xml")
            if path == "/to-file.html":
                return self.send(302, b"", Location="file:///etc/passwd")
            if path == "/loop.html":
                return self.send(302, b"", Location="/loop.html")
            if path == "/limited.html" and not site.limited_once:
                site.limited_once = True
                return self.send(429, b"slow down", "text/plain", Retry_After="1")
            if path == "/broken.html":
                return self.send(500, b"oops", "text/plain")
            if path == "/slow.html":
                time.sleep(3)
                return self.send(200, article("/news/1.html"))
            if path == "/big.html":  # says nothing of its size: the reader must stop by itself
                return self._endless()
            if path == "/huge.html":  # announces 500 MB: refused before a byte of it is read
                return self._huge()
            if path == "/cp1251.html":
                body = article(path).decode("utf-8").replace('<meta charset="utf-8">', "").encode("cp1251")
                return self.send(200, body, "text/html; charset=utf-8")  # the header lies: the bytes are cp1251
            if path in site.typed:
                return self.send(200, *site.typed[path])
            if path in site.extra:
                return self.send(200, site.extra[path])
            if path in ARTICLES:
                return self.send(200, article(path))
            return self.send(404, b"not found", "text/plain")

        def _endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _huge(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(500_000_000))
            self.end_headers()

    return Handler
