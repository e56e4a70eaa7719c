"""DOCX: the body's paragraphs and tables, in document order.

`raw` holds one line per paragraph (joined by "\\n"); a table gives one line per row with its
cells joined by " | ". Text inside content controls (w:sdt) and tracked insertions counts;
deleted text, field codes, headers, footers and notes do not. A .docx is a zip archive, so the
sizes its members declare are checked before anything is inflated (zipfile never inflates a
member past its declared size, so the check bounds memory).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .error import ReadError
from .limits import limit_text, size_text
from .meta import describe
from .text import Text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound-file header: a legacy .doc, or an Office file encrypted with a password."""

_P, _R, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn(tag) for tag in ("w:p", "w:r", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent")
)
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def read_docx(data: bytes, source: str, *, max_unpacked: int, max_markup: int | None = None) -> Text:
    """The body's text; `max_unpacked` bounds the members' total decompressed size, `max_markup`
    the size of each XML part python-docx parses (the tree costs many times the XML)."""
    if data.startswith(OLE_MAGIC):
        raise ReadError(source, "not a valid .docx (a password-protected Office file or a legacy .doc)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise ReadError(source, f"not a valid .docx (bad zip: {error})") from None
    if sum(member.file_size for member in members) > max_unpacked:
        raise ReadError(source, f"decompressed size exceeds {limit_text(max_unpacked)} (zip bomb?)")
    for member in members:
        if max_markup is not None and member.filename.endswith((".xml", ".rels")) and member.file_size > max_markup:
            raise ReadError(source, f"its part {member.filename} unpacks to {size_text(member.file_size)}, over the "
                                    f"{limit_text(max_markup)} limit for markup (--max-markup)")
    document = _open(data, source)
    lines = list(_blocks(document.element.body))
    properties = document.core_properties
    meta = describe("docx", data, "utf-8", properties.title, _created(properties))
    return Text("\n".join(lines), source, meta)


def _open(data: bytes, source: str):
    try:
        return docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ReadError(source, "not a valid .docx (no Word document inside)") from None
    except KeyError as error:
        missing = re.search(r"named '([^']+)'", str(error))
        raise ReadError(source, f"not a valid .docx (no {missing.group(1) if missing else error} inside)") from None
    except ValueError as error:
        content_type = str(error).rpartition("content type is ")[2] or str(error)
        raise ReadError(source, f"not a Word .docx (main part is {content_type})") from None
    except etree.XMLSyntaxError as error:
        raise ReadError(source, f"not a valid .docx (broken XML: {error})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise ReadError(source, f"not a valid .docx (damaged zip member: {error})") from None


def _blocks(container):
    """Lines of text of the paragraphs and tables directly in `container`, in order."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield _paragraph(child)
        elif child.tag == _TBL:
            for row in child.iterchildren(_TR):
                yield " | ".join(_cell(cell) for cell in row.iterchildren(_TC))
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _paragraph(paragraph) -> str:
    """The text of the paragraph's runs, text boxes included once: Word stores a text box twice,
    as DrawingML and as a VML fallback, and only the first is read. (A w:tab outside a run
    defines a tab stop, not text.)"""
    parts = []
    walker = etree.iterwalk(paragraph, events=("start",))
    for _, node in walker:
        if node.tag == _FALLBACK:
            walker.skip_subtree()
        elif node.tag in _TEXT and node.getparent().tag == _R:
            replacement = _TEXT[node.tag]
            parts.append((node.text or "") if replacement is None else replacement)
    return "".join(parts)


def _cell(cell) -> str:
    """A cell on one line: its paragraphs, and those of tables nested in it, joined by spaces."""
    texts = (_paragraph(paragraph) for paragraph in _cell_paragraphs(cell))
    return " ".join(text.replace("\n", " ") for text in texts if text.strip())


def _cell_paragraphs(container):
    for child in container.iterchildren(_P, _TBL, _SDT):
        if child.tag == _P:
            yield child
        elif child.tag == _TBL:
            for cell in child.iter(_TC):
                yield from _cell_paragraphs(cell)
        else:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _cell_paragraphs(content)


def _created(properties):
    try:
        return properties.created
    except ValueError:  # a malformed dcterms:created
        return None
