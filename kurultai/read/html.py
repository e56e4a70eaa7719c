"""HTML: the article's main text, without menus, comments, scripts or page chrome.

trafilatura finds the main text. Its output tree is turned into `raw` here (rather than taking
its plain-text output) so that paragraphs are separated by "\\n\\n", list items and table rows
by "\\n", and table cells by " | ", as in the other readers. Navigation, and headers and footers
outside the article, are pruned before extraction: on short pages trafilatura falls back to a
baseline that would otherwise keep them; so are <template> and <noscript>, which a browser does
not show. When trafilatura finds nothing, `raw` is the visible
text of <body> without script, style, nav, header and footer.

libxml2 stops building the tree past 256 nested elements, dropping the rest of the page: a
page that deep is parsed again without that limit (up to libxml2's 2048), and one deeper still
is read by a streaming tokenizer (`_streamed_text`) that keeps no tree at all, with a warning.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

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
    warnings = list(decoded.warnings)
    huge = False
    tree, cut = _parse(page)
    if cut:
        huge = True
        tree, cut = _parse(page, huge=True)
    title = published = None
    if tree is not None:
        title = _meta_content(tree, "og:title") or tree.findtext(".//title")
        published = _meta_content(tree, "article:published_time")
    raw = ""
    if cut:
        warnings.append("markup nested more than 2048 elements deep: read as plain text, without the page's layout")
        raw = _streamed_text(page)
    else:
        extracted = _extract(_parse(page, huge=True)[0] if huge else page)
        if extracted is not None:
            title = title if title and title.strip() else extracted.title
            published = published or extracted.date
            if extracted.body is not None:
                raw = _main_text(extracted.body)
    if not raw.strip() and tree is not None and not cut:
        raw = _visible_text(tree)
    extra = {"warnings": warnings} if warnings else {}
    return Text(raw, source, describe("html", data, decoded.encoding, title, published, **extra))


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    return _WHATWG_ALIASES.get(label, label)


def _parse(page: str, huge: bool = False):
    """(tree or None, whether libxml2 stopped at its depth limit and left the rest out)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=huge)
    try:
        tree = lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        tree = None
    cut = any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log)
    return tree, cut


def _extract(page):
    """trafilatura's main-content tree of `page` (markup, or a tree parsed already), or None.
    Comments and images are left out; the date comes from markup only (no guessing from the
    copyright line)."""
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


_STREAM_HIDDEN = frozenset(("script", "style", "noscript", "template", "head", "svg", "iframe", "title"))
"""What a browser never shows as text. (nav, header and footer are kept: left unclosed in a broken
page, hiding them would hide the rest of it.)"""


class _TextStream(HTMLParser):
    """The visible text of markup read as a stream of tags, however deep they nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _STREAM_HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_MARK)
        elif tag == "br":
            self.parts.append(_LINE_MARK)

    def handle_startendtag(self, tag, attrs) -> None:
        if tag == "br":
            self.parts.append(_LINE_MARK)

    def handle_endtag(self, tag) -> None:
        if tag in _STREAM_HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_MARK)

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data.replace(_BLOCK_MARK, " ").replace(_LINE_MARK, " "))


def _streamed_text(page: str) -> str:
    stream = _TextStream()
    stream.feed(page)
    stream.close()
    blocks = (_lines(block) for block in _flat("".join(stream.parts)).split(_BLOCK_MARK))
    return "\n\n".join(block for block in blocks if block)
