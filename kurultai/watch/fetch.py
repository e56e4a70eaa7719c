"""Polite, safe HTTP fetching (httpx): what a crawler owes the sites it reads and the network it runs in.

- robots.txt is read once per host and run (urllib.robotparser) and obeyed, its Crawl-delay too;
  as RFC 9309 says, a robots.txt that is missing (4xx) allows everything and one that cannot be
  fetched (5xx, network) allows nothing;
- one request at a time (the runner is sequential), at least `delay` seconds apart per host;
- conditional requests (ETag, Last-Modified) and 304 Not Modified;
- 429 and 503 with Retry-After waited out when the wait is short, else the fetch fails saying when;
- network errors and 502/504 retried with exponential backoff;
- redirects followed by hand, at most MAX_REDIRECTS, each target checked again (scheme, address,
  robots.txt);
- the body streamed: refused by its Content-Length or Content-Type before it is read, and cut off
  as soon as it passes the size limit;
- every address a host resolves to is checked (urls.check) unless the source allows private ones.
"""
from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from ..read import MAX_BYTES
from .urls import Refused, check

USER_AGENT = "kurultai/{version} (+https://github.com/kurultai; follows sources its users add; obeys robots.txt)"
ROBOTS_AGENT = "kurultai"
MAX_REDIRECTS = 5
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf", "text/markdown",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/octet-stream")
LISTING_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
                 "application/x-gzip", "application/gzip", "text/html", "application/xhtml+xml", "text/plain",
                 "application/feed+json", "application/json", "application/octet-stream")


class FetchError(Exception):
    """A fetch that failed; the message says why in one line. `retry` is False when trying
    again would fail the same way (404, a body too large, a refused address)."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class Disallowed(FetchError):
    """robots.txt of the site does not let kurultai fetch this URL."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url}: robots.txt disallows it", retry=False)


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # after redirects
    status: int  # 200, or 304 when not modified
    data: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Fetcher:
    """One run's HTTP client: its robots.txt cache and per-host clock live as long as it does."""

    allow_private: bool = False
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 60.0
    log: list[str] = field(default_factory=list)  # every URL requested, in order (for summaries and tests)
    _robots: dict = field(default_factory=dict)
    _last: dict = field(default_factory=dict)
    _client: httpx.Client | None = None

    def __post_init__(self) -> None:
        from importlib.metadata import version
        self._client = httpx.Client(follow_redirects=False, timeout=httpx.Timeout(self.timeout),
                                    headers={"User-Agent": USER_AGENT.format(version=version("kurultai"))})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets kurultai fetch it (read once per host)."""
        host = _origin(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        robots = self._robots[host]
        return robots.can_fetch(ROBOTS_AGENT, url)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            types: tuple[str, ...] = DOCUMENT_TYPES) -> Page:
        """GET `url` politely; a Page with status 200 or 304, else FetchError (or Disallowed)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            self.refuse_private(url)
            if not self.allowed(url):
                raise Disallowed(url)
            result = self._request(url, headers, types)
            if isinstance(result, str):  # a redirect's target
                url = result
                continue
            return result
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects", retry=False)

    def refuse_private(self, url: str) -> None:
        """FetchError when `url` is not http(s) or (unless private addresses are allowed) resolves to
        a private or local address; a host that does not resolve passes here and fails when fetched."""
        try:
            check(url, self.allow_private)
        except Refused as exc:
            raise FetchError(str(exc), retry=False) from None
        except OSError:
            pass

    # -- one request, with its waits and retries ------------------------------------------------------------------

    def _request(self, url: str, headers: dict, types: tuple[str, ...]) -> Page | str:
        attempt = 0
        while True:
            attempt += 1
            try:
                check(url, self.allow_private)
            except Refused as exc:
                raise FetchError(str(exc), retry=False) from None
            except OSError as exc:  # DNS
                error: Exception = exc
            else:
                self._wait_turn(url)
                try:
                    return self._once(url, headers, types)
                except _Again as again:
                    if attempt > self.retries:
                        raise FetchError(f"{url}: {again.reason}, still after {self.retries} retries") from None
                    time.sleep(again.after if again.after is not None else self.backoff * 2 ** (attempt - 1))
                    continue
                except httpx.TransportError as exc:
                    error = exc
            if attempt > self.retries:
                raise FetchError(f"{url}: {_network_reason(error)} (after {self.retries} retries)") from None
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def _once(self, url: str, headers: dict, types: tuple[str, ...]) -> Page | str:
        self.log.append(url)
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                target = response.headers.get("location")
                if not target:
                    raise FetchError(f"{url}: HTTP {status} without a Location", retry=False)
                return urljoin(url, target)
            if status == 304:
                return Page(url, 304, etag=response.headers.get("etag"),
                            last_modified=response.headers.get("last-modified"))
            if status in (429, 503):
                after = retry_after(response.headers.get("retry-after"))
                if after is not None and after > self.max_retry_after:
                    raise FetchError(f"{url}: HTTP {status}, the server asks to come back in {after:.0f} s")
                raise _Again(f"HTTP {status}", after)
            if status in (502, 504):
                raise _Again(f"HTTP {status}", None)
            if status != 200:
                raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}".rstrip(),
                                 retry=status >= 500 or status == 408)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type and content_type not in types:
                raise FetchError(f"{url}: content type {content_type!r} is not a document kurultai reads", retry=False)
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise FetchError(f"{url}: {int(length):,} bytes, over the {self.max_bytes:,}-byte limit", retry=False)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"{url}: more than the {self.max_bytes:,}-byte limit", retry=False)
            return Page(url, 200, bytes(body), content_type, response.headers.get("etag"),
                        response.headers.get("last-modified"))

    def _wait_turn(self, url: str) -> None:
        host = _origin(url)
        robots = self._robots.get(host)
        delay = max(self.delay, float((robots.crawl_delay(ROBOTS_AGENT) if robots else None) or 0))
        wait = self._last.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            page = self._request(origin + "/robots.txt", {}, ("text/plain", "text/html", "application/octet-stream"))
        except FetchError as exc:
            missing = "HTTP 4" in str(exc) and "HTTP 429" not in str(exc)
            robots.allow_all, robots.disallow_all = missing, not missing
            return robots
        if isinstance(page, str):  # robots.txt redirected: followed once, as most crawlers do
            try:
                page = self._request(page, {}, ("text/plain", "application/octet-stream"))
            except FetchError:
                page = None
        if not isinstance(page, Page):
            robots.allow_all = True
            return robots
        robots.parse(page.data.decode("utf-8", "replace").splitlines())
        return robots


class _Again(Exception):
    def __init__(self, reason: str, after: float | None) -> None:
        self.reason, self.after = reason, after


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"


def _network_reason(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
