"""Odd inputs made on the fly, shared by tests/test_input_robust.py and the bad-input batch
(tests/test_bad_input.py): archives nested in archives, RTF as Word writes it, a PDF whose
fonts map their glyphs to garbage, HTML wrapped in any depth of tags, a folder of link loops."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kurultai.read.limits import MAX_NESTING


def zip_bytes(members: dict[str, bytes], compress: bool = True) -> bytes:
    """A zip archive in memory holding `members` (name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def nested(depth: int, leaf: dict[str, bytes]) -> bytes:
    """A zip holding a zip ... `depth` archives deep, the innermost holding `leaf`."""
    data = zip_bytes(leaf)
    for level in range(depth - 1):
        data = zip_bytes({f"layer{depth - 1 - level}.zip": data})
    return data


def rtf_of(text: str, code_page: int = 1251) -> bytes:
    """RTF as Word writes it: a header, a font table, the text in \\'xx escapes of the code page."""
    body = "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in text.encode(f"cp{code_page}", errors="replace"))
    body = body.replace("\n\n", "\\par\n")
    head = ("{\\rtf1\\ansi\\ansicpg%d\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset204 Arial;}}{\\colortbl ;\\red0\\green0"
            "\\blue255;}{\\*\\generator Writer;}\\viewkind4\\uc1\\pard\\lang1049\\f0\\fs24 " % code_page)
    return (head + body + "\\par\n}").encode("ascii")


def pdf_with_glyphs(lines: list[bytes], unicode_of) -> bytes:
    """A one-page PDF whose font maps each byte of `lines` to the code point `unicode_of(byte)`
    (its /ToUnicode map): the text layer a font without a real Unicode map leaves."""
    codes = sorted({b for line in lines for b in line})
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Garbled def "
            "1 begincodespacerange <00> <FF> endcodespacerange "
            f"{len(codes)} beginbfchar " + " ".join(f"<{c:02X}> <{unicode_of(c):04X}>" for c in codes)
            + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    shown = b" ".join(b"(" + line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*"
                      for line in lines)
    content = b"BT /F1 11 Tf 13 TL 60 760 Td " + shown + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def html_of(text: str, charset: str = "utf-8", depth: int = 0) -> str:
    """A page with `text`'s paragraphs inside `depth` nested <div>s, declaring `charset`."""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return (f'<html><head><meta charset="{charset}"><title>Отчёт</title></head><body>' + "<div>" * depth
            + paragraphs + "</div>" * depth + "</body></html>")


def bomb_zip(members: int = 5, megabytes: int = 45) -> bytes:
    """A zip of `members` members of `megabytes` MB of zeros each, about a thousandth the size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n in range(members):
            with archive.open(f"part{n}.txt", "w") as member:
                for _ in range(megabytes):
                    member.write(b"0" * 1_000_000)
    return buffer.getvalue()


def nested_archives(report: bytes) -> bytes:
    """A zip holding a zip with `report` (inner.zip!report.txt), a zip bomb (bomb.zip: 225 MB of
    zeros in about 220 KB) and a tower of zips nested one deeper than the limit (tower.zip)."""
    return zip_bytes({"inner.zip": zip_bytes({"report.txt": report}), "bomb.zip": bomb_zip(),
                      "tower.zip": nested(MAX_NESTING + 1, {"top.txt": report})})


def with_nul(data: bytes) -> bytes:
    """`data` with one NUL byte between two characters in its middle (a damaged text file)."""
    at = data.index(b" ", len(data) // 2)
    return data[:at] + b"\x00" + data[at:]


def garbled_pdf(text: str) -> bytes:
    """A PDF of `text`'s first 30 lines whose font maps every glyph into the private-use area."""
    lines = [line.encode("ascii", "replace") for line in text.splitlines() if line.strip()][:30]
    return pdf_with_glyphs(lines, lambda c: 0xE000 + c)


def looped_folder(path: Path, one: bytes, two: bytes) -> None:
    """path/a/one.txt and path/a/deep/two.txt, with links to a parent (a/deep/up) and to itself."""
    (path / "a" / "deep").mkdir(parents=True)
    (path / "a" / "one.txt").write_bytes(one)
    (path / "a" / "deep" / "two.txt").write_bytes(two)
    (path / "a" / "deep" / "up").symlink_to("../..")
    (path / "self").symlink_to(".")
