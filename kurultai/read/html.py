"""HTML: the article's main text, without menus, comments, scripts or page chrome.

trafilatura finds the main text. Its output tree is turned into `raw` here (rather than taking
its plain-text output) so that paragraphs are separated by "\\n\\n", list items and table rows
by "\\n", and table cells by " | ", as in the other readers. Navigation, and headers and footers
outside the article, are pruned before extraction: on short pages trafilatura falls back to a
baseline that would otherwise keep them; so are <template> and <noscript>, which a browser does
not show. When trafilatura finds nothing, `raw` is the visible
text of <body> without script, style, nav, header and footer.
"""
from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from .encoding import decode
from .meta import describe
from .text import Text

_PRUNE = [
    "//template", "//noscript",  # never shown (inert, or only where scripts are off): as in _INVISIBLE
    "//nav",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']",
    "//header[not(ancestor::article) and not(ancestor::main)]",
    "//footer[not(ancestor::article) and not(ancestor::main)]",
]
_INVISIBLE = ("script", "style", "noscript", "template", "nav", "header", "footer", "head", "svg", "iframe")
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure form h1 h2 h3 h4 h5 h6 hr "
    "li main ol p pre section table tr ul".split()
)
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
                   "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8"}
"""Labels that browsers read differently from what they say (WHATWG Encoding Standard)."""
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_BLOCK_MARK, _LINE_MARK = "\x00", "\x01"


def read_html(data: bytes, source: str) -> Text:
    decoded = decode(data, source, declared=_declared_charset(data))
    page = decoded.text
    tree = _parse(page)
    title = published = None
    if tree is not None:
        title = _meta_content(tree, "og:title") or tree.findtext(".//title")
        published = _meta_content(tree, "article:published_time")
    extracted = _extract(page)
    raw = ""
    if extracted is not None:
        title = title if title and title.strip() else extracted.title
        published = published or extracted.date
        if extracted.body is not None:
            raw = _main_text(extracted.body)
    if not raw.strip() and tree is not None:
        raw = _visible_text(tree)
    return Text(raw, source, describe("html", data, decoded.encoding, title, published))


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    return _WHATWG_ALIASES.get(label, label)


def _parse(page: str):
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _extract(page: str):
    """trafilatura's main-content tree, or None. Comments and images are left out; the date
    comes from markup only (no guessing from the copyright line)."""
    return trafilatura.bare_extraction(
        page,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=True,
        prune_xpath=_PRUNE,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _main_text(body) -> str:
    blocks = []
    if body.text and body.text.strip():
        blocks.append(_flat(body.text))
    for element in body:
        if element.tag == "list":
            block = "\n".join("- " + _inline(item) for item in element.iterfind("item"))
        elif element.tag == "table":
            block = "\n".join(
                " | ".join(_inline(cell) for cell in row.iterfind("cell")) for row in element.iter("row")
            )
        else:
            block = _inline(element)
        blocks.append(block)
        if element.tail and element.tail.strip():
            blocks.append(_flat(element.tail))
    return "\n\n".join(block for block in blocks if block.strip())


def _inline(element) -> str:
    """The text of a trafilatura element, its <lb/> as line breaks, its whitespace folded."""
    parts = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "lb":
                parts.append(_LINE_MARK)
            if node.text:
                parts.append(node.text)
        elif node is not element and node.tail:
            parts.append(node.tail)
    return _lines(_flat("".join(parts)))


def _visible_text(tree) -> str:
    """The text a browser shows in <body>, blocks separated by blank lines."""
    body = tree.find("body")
    if body is None:
        body = tree
    etree.strip_elements(body, *_INVISIBLE, with_tail=False)
    parts = []
    for event, node in etree.iterwalk(body, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                parts.append(_BLOCK_MARK)
            elif tag == "br":
                parts.append(_LINE_MARK)
            elif tag in ("td", "th") and node.getprevious() is not None:
                parts.append(" | ")
            if node.text:
                parts.append(node.text)
        else:
            if tag in _BLOCKS:
                parts.append(_BLOCK_MARK)
            if node is not body and node.tail:
                parts.append(node.tail)
    blocks = (_lines(block) for block in _flat("".join(parts)).split(_BLOCK_MARK))
    return "\n\n".join(block for block in blocks if block)


def _flat(text: str) -> str:
    return _WHITESPACE.sub(" ", text)


def _lines(text: str) -> str:
    lines = (line.strip(" ") for line in text.split(_LINE_MARK))
    return "\n".join(line for line in lines if line)


def _meta_content(tree, name: str) -> str | None:
    for element in tree.iterfind(".//meta"):
        if name in (element.get("property"), element.get("name")):
            content = element.get("content")
            if content and content.strip():
                return content
    return None
