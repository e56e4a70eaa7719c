"""What a source lists: the items of a feed (feedparser), of a sitemap or sitemap index, the article
links of a listing page and the pages after it, and the messages and links of a Telegram Desktop
export. Each is an `Item`: a URL to fetch, or (Telegram) the document's bytes at hand.

Listing pages: an article link is a link on the listing's own site whose URL contains `match` (a
regular expression) when one is given, else one whose path lies under the listing's folder
(`/news/` lists `/news/2024/forum.html`). The next listing page is a link marked rel="next", or
whose text says so (next, далее, следующая, », ›, →); `depth` listing pages are read, the first
included.
"""
from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from .urls import same_site

MAX_SITEMAPS = 50  # sitemaps read from one sitemap index
MAX_UNPACKED = 50_000_000  # a gzipped sitemap's unpacked size
NEXT_WORDS = re.compile(r"^\s*(?:(?:next|older|далее|следующая|следующие|дальше|keyingi|келесі)\b|»|›|→|>>)", re.IGNORECASE)
TELEGRAM_MIN_CHARS = 200  # a message shorter than this is a caption or a link, not a report


class Malformed(Exception):
    """A source whose answer is not the feed, sitemap or page it should be; says what was wrong."""


@dataclass(frozen=True, slots=True)
class Item:
    url: str  # what the item is known by; http(s), or telegram:CHANNEL/ID, or a local file's path
    date: str | None = None  # YYYY-MM-DD as the source dates it
    title: str | None = None
    data: bytes | None = None  # the document itself, when the source holds it (a Telegram message)
    path: str | None = None  # a local file to read (a Telegram export's attachment)


def kind_of(data: bytes) -> str:
    """"feed", "sitemap" or "listing", from the answer's first element."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"\x1f\x8b"):
        return "sitemap"  # gzipped: sitemaps are the only listings served so
    match = re.search(rb"<(?![?!])([A-Za-z_][\w:.-]*)", head)
    root = match.group(1).split(b":")[-1].lower() if match else b""
    if root in (b"rss", b"feed", b"rdf"):
        return "feed"
    if root in (b"urlset", b"sitemapindex"):
        return "sitemap"
    return "listing"


def feed_items(data: bytes, url: str) -> list[Item]:
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", ()) if l.get("href")), None)
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        date = dt.date(*when[:3]).isoformat() if when else None
        items.append(Item(urljoin(url, link), date, entry.get("title")))
    if not items and parsed.bozo:  # feedparser reads what it can of a broken feed; nothing here (a valid empty feed is not bozo)
        raise Malformed(f"{url}: not a readable feed ({parsed.get('bozo_exception')})")
    return items


def sitemap_items(data: bytes, url: str, fetch: Callable[[str], bytes]) -> list[Item]:
    """The pages a sitemap lists; a sitemap index's sitemaps are fetched with `fetch` (at most MAX_SITEMAPS)."""
    root = _xml(data, url)
    name = lxml.etree.QName(root).localname
    if name == "sitemapindex":
        items: list[Item] = []
        for loc in _locs(root, "sitemap")[:MAX_SITEMAPS]:
            items += sitemap_items(fetch(loc[0]), loc[0], lambda u: b"")  # an index in an index is not followed
        return items
    if name != "urlset":
        raise Malformed(f"{url}: not a sitemap (its root element is <{name}>)")
    return [Item(urljoin(url, loc), lastmod) for loc, lastmod in _locs(root, "url")]


def _xml(data: bytes, url: str):
    if data.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as z:
                data = z.read(MAX_UNPACKED + 1)
        except (OSError, EOFError) as exc:
            raise Malformed(f"{url}: a broken gzip file ({exc})") from None
        if len(data) > MAX_UNPACKED:
            raise Malformed(f"{url}: unpacks to more than {MAX_UNPACKED:,} bytes")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise Malformed(f"{url}: not well-formed XML ({exc})") from None


def _locs(root, element: str) -> list[tuple[str, str | None]]:
    out = []
    for node in root:
        if not isinstance(node.tag, str) or lxml.etree.QName(node).localname != element:
            continue
        fields = {lxml.etree.QName(c).localname: (c.text or "").strip() for c in node if isinstance(c.tag, str)}
        if fields.get("loc"):
            lastmod = fields.get("lastmod") or None
            out.append((fields["loc"], lastmod[:10] if lastmod else None))
    return out


def listing_links(data: bytes, url: str, match: str | None) -> tuple[list[Item], str | None]:
    """The article links of one listing page, and the URL of the next listing page (or None)."""
    from ..read import ReadError
    from ..read.encoding import decode
    try:
        tree = lxml.html.document_fromstring(decode(data, url, declared=_charset(data)).text)
    except ReadError as exc:
        raise Malformed(str(exc)) from None
    except (lxml.etree.ParserError, ValueError) as exc:
        raise Malformed(f"{url}: not a readable HTML page ({exc})") from None
    pattern = re.compile(match) if match else None
    folder = urlsplit(url).path.rsplit("/", 1)[0] + "/"
    items, seen, following = [], set(), None
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = urljoin(url, href).split("#")[0]
        if not target.startswith(("http://", "https://")) or not same_site(target, url):
            continue
        text = " ".join(a.text_content().split())
        if following is None and target != url and ("next" in (a.get("rel") or "").split() or NEXT_WORDS.match(text)):
            following = target
            continue
        path = urlsplit(target).path
        wanted = pattern.search(target) if pattern else (path.startswith(folder) and len(path) > len(folder)
                                                         and target != url)
        if wanted and target not in seen:
            seen.add(target)
            items.append(Item(target, None, text or None))
    return items, following


def _charset(data: bytes) -> str | None:
    """The charset a page's <meta> declares (tried first; the bytes decide when they disagree)."""
    found = re.search(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
    if not found:
        return None
    name = found.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def telegram_items(folder: Path, match: str | None) -> list[Item]:
    """A Telegram Desktop export (a folder holding result.json, or the file itself): each message of
    TELEGRAM_MIN_CHARS or more becomes a document dated by its message, each attached document
    (.pdf, .docx, .html, .txt) a file to read, each link in a message (that contains `match`, when
    given) a page to fetch."""
    from ..read.dispatch import SUFFIXES
    path = folder / "result.json" if folder.is_dir() else folder
    try:
        export = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise Malformed(f"{path}: no such file (a Telegram Desktop export holds result.json)") from None
    except (OSError, ValueError) as exc:
        raise Malformed(f"{path}: not a readable Telegram export ({exc})") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise Malformed(f"{path}: not a Telegram channel export (no list of messages)")
    channel = str(export.get("id") or export.get("name") or path.parent.name)
    pattern = re.compile(match) if match else None
    items: list[Item] = []
    for message in export["messages"]:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        date = str(message.get("date") or "")[:10] or None
        text, links = _message_text(message.get("text"))
        if len(text.strip()) >= TELEGRAM_MIN_CHARS:
            body = (f"{date}\n\n{text}" if date else text).encode("utf-8")
            items.append(Item(f"telegram:{channel}/{message.get('id')}", date, export.get("name"), data=body))
        attached = message.get("file")
        if isinstance(attached, str) and Path(attached).suffix.lower() in SUFFIXES and Path(attached).suffix:
            local = (path.parent / attached).resolve()
            if local.is_relative_to(path.parent.resolve()):  # a crafted export cannot point outside its folder
                items.append(Item(str(local), date, path=str(local)))
        items += [Item(link, date) for link in links if pattern is None or pattern.search(link)]
    return items


def _message_text(text) -> tuple[str, list[str]]:
    """A message's text (a string, or a list of strings and entities) and the http(s) links in it."""
    parts = text if isinstance(text, list) else [text]
    out, links = [], []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict):
            out.append(str(part.get("text") or ""))
            href = part.get("href") or (part.get("text") if part.get("type") == "link" else None)
            if isinstance(href, str) and href.startswith(("http://", "https://")):
                links.append(href)
    return "".join(out), links
