"""Seed inputs for the fuzz targets: one small valid file of each format, so that the fuzzer
starts inside the readers' real paths instead of at their first check.

    python fuzz/seeds.py DIR        # then: python fuzz/read_target.py -runs=100000 DIR

Each seed is the read target's input: one byte choosing the suffix, then the file's bytes.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

REPORT = ("18 августа 2022 года ИМЭП провёл онлайн круглый стол с участием ИСМИ и ЦСИ при Президенте "
          "Республики Таджикистан. Эксперты обсудили транспорт и водные ресурсы.")
HTML = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Круглый стол</title><script>x()</script>"
        "</head><body><nav>Меню</nav><article><h1>Круглый стол</h1><p>{}</p><ul><li>торговля</li></ul>"
        "<table><tr><td>ИМЭП</td><td>KZ</td></tr></table></article></body></html>")


def suffix_byte(suffix: str) -> bytes:
    from kurultai.read.dispatch import SUFFIXES
    return bytes([sorted(set(SUFFIXES)).index(suffix)])


def files() -> dict[str, tuple[str, bytes]]:
    """name -> (suffix, bytes) of every seed."""
    out = {
        "utf8.txt": (".txt", REPORT.encode()),
        "utf16.txt": (".txt", REPORT.encode("utf-16")),
        "cp1251.txt": (".txt", REPORT.encode("cp1251")),
        "koi8r": ("", REPORT.encode("koi8-r")),
        "page.html": (".html", HTML.format(REPORT).encode()),
        "page-cp1251.htm": (".htm", HTML.replace("utf-8", "windows-1251").format(REPORT).encode("cp1251")),
        "report.rtf": (".rtf", ("{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0\\fcharset204 Arial;}}\\f0 "
                                + "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in REPORT.encode("cp1251"))
                                + "\\par}").encode("ascii")),
    }
    try:
        import docx
        document = docx.Document()
        document.add_paragraph(REPORT)
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "ИМЭП", "KZ"
        buffer = io.BytesIO()
        document.save(buffer)
        out["report.docx"] = (".docx", buffer.getvalue())
    except ImportError:
        pass
    try:
        import fpdf
        pdf = fpdf.FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, "Round table on regional cooperation, 18 August 2022. Experts met online.")
        out["report.pdf"] = (".pdf", bytes(pdf.output()))
    except ImportError:
        pass
    return out


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (suffix, data) in files().items():
        path = folder / name
        path.write_bytes(suffix_byte(suffix) + data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write(Path(sys.argv[1])):
        print(p)
