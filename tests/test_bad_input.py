"""Bad input, generated here: one `kurultai ingest` batch of every kind of broken, hostile or odd
file beside good reports. Each bad file gets one line naming it and the cause, each odd but
legitimate one a correct record, the good ones are stored, and the batch ends within a time and
memory bound (the limits of kurultai/read/limits.py and the time limit per document)."""
from __future__ import annotations

import json
import os
import random
import struct
import subprocess
import sys
import time
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from kurultai.deadline import TimeLimit, time_limit
from kurultai.read import Limits, ReadError, read_bytes
from kurultai.read.printable import printable
from kurultai.store import Store

from .conftest import FIXTURES
from .odd_inputs import garbled_pdf, html_of, looped_folder, nested_archives, rtf_of, with_nul
from .tally import count

pytestmark = pytest.mark.tally

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
GOOD = FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"
RU = [p for p in DOCS if p.name.startswith("ru-") and p != GOOD]
OTHERS = [p for p in DOCS if p != GOOD and p not in RU]  # English reports
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MAX_SECONDS = 5
"""The batch's time limit per document: far above what a report takes (~0.3 s), far below what
the slow input would (~40 s)."""
BATCH_SECONDS = 150
PEAK_MB = 1500


@dataclass
class Case:
    """One input: how to make it, and what the batch must say: the cause of its one-line error,
    or None for a document that must be stored (then `check` looks at its stored row)."""
    name: str
    make: Callable[[Path], None]
    error: str | None
    check: Callable[[dict], None] | None = None


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def rng() -> random.Random:
    return random.Random(7)


def pdf_with_text(pages: list[str]):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, page)
    return pdf


def make_truncated_pdf(path: Path) -> None:
    data = bytes(pdf_with_text([text_of(RU[0])[:1500], text_of(RU[1])[:1500]]).output())
    path.write_bytes(data[: len(data) // 2])


def make_encrypted_pdf(path: Path) -> None:
    pdf = pdf_with_text([])
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.multi_cell(0, 6, text_of(RU[2])[:800])
    pdf.output(str(path))


def make_scanned_pdf(path: Path) -> None:
    """Pages with shapes and a picture and no text layer, as a scanner makes them."""
    fpdf = pytest.importorskip("fpdf")
    image = pytest.importorskip("PIL.Image")
    pdf = fpdf.FPDF()
    for shade in ("gray", "white"):
        pdf.add_page()
        pdf.rect(20, 20, 100, 40)
        pdf.ellipse(30, 80, 60, 30, style="F")
        pdf.line(10, 150, 200, 150)
        pdf.image(image.new("RGB", (300, 200), shade), x=10, y=170, w=120)
    pdf.output(str(path))


def make_long_pdf(path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    for _ in range(Limits().max_pages + 1):
        pdf.add_page()
    pdf.output(str(path))


def make_zip_bomb(path: Path) -> None:
    """A .docx of 1 MB whose document.xml inflates to 250 MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"0" * (1 << 20)
            for _ in range(250):
                member.write(chunk)


def make_lying_bomb(path: Path) -> None:
    """A .docx whose document.xml says it inflates to 100 bytes and inflates to 30 MB."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(text_of(RU[3])[:500])
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["word/document.xml"]
    parts["word/document.xml"] = xml.replace(b"<w:body>", b"<w:body>" + b" " * 30_000_000, 1)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # the local header's size
    entry = struct.unpack_from("<I", data, data.rindex(b"PK\x05\x06") + 16)[0]  # the central directory
    while struct.unpack_from("<I", data, entry + 42)[0] != info.header_offset:
        entry += 46 + sum(struct.unpack_from("<HHH", data, entry + 28))
    struct.pack_into("<I", data, entry + 24, 100)  # and its entry's
    path.write_bytes(bytes(data))


def make_entity_bomb(path: Path) -> None:
    """A .docx whose document.xml declares nested entities ("billion laughs")."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("LAUGH")
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    entities = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "ha"}">' for i in range(10))
    xml = parts["word/document.xml"].decode()
    head, _, rest = xml.partition("?>")
    xml = head + "?>" + f"<!DOCTYPE w:document [{entities}]>" + rest.replace("LAUGH", "&l9;")
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def make_sparse_100mb(path: Path) -> None:
    with open(path, "wb") as f:
        f.write("Отчёт о круглом столе.\n".encode() * 1000)
        f.truncate(100_000_000)


def make_long_line(path: Path) -> None:
    """A report's words, repeated on one line of exactly a million characters."""
    words = " ".join(text_of(GOOD).split()) + " "
    path.write_text((words * (1_000_000 // len(words) + 1))[:1_000_000], encoding="utf-8")


def make_dense_names(path: Path) -> None:
    """200,000 characters of institutions and people: cheap to read, slow to extract (about 15 s
    on the 2-core machine of bench/RESULTS.md, 3 times MAX_SECONDS; 100,000 came within it)."""
    sentence = ("ИМЭП, КИСИ и ИСМИ провели круглый стол в Астане 5 мая 2024 года. "
                "Эксперт Иван Петров отметил рост торговли. ")
    path.write_text(sentence * (200_000 // len(sentence)), encoding="utf-8")


def make_big_html(path: Path) -> None:
    junk = '<div><script>var x = "' + "x" * 200 + '";</script><iframe src="/ad"></iframe></div>\n'
    path.write_text("<html><body>" + junk * (11_000_000 // len(junk)) + "<p>Текст.</p></body></html>",
                    encoding="utf-8")


def first_words(source: Path, n: int = 8) -> str:
    return " ".join(text_of(source).split()[:n])


def check_read(source: Path, warning: str | None = None, fmt: str | None = None) -> Callable[[dict], None]:
    """The report's words are in the stored text, its record has events, and the reader's warning
    (if any) is kept in the record."""
    def check(row: dict) -> None:
        assert first_words(source) in " ".join(row["text"].split()), row["text"][:300]
        assert row["record"]["events"], row["source"]
        warnings = row["record"]["document"].get("warnings", [])
        assert (warning is None and not warnings) or any(warning in w for w in warnings), warnings
        assert fmt is None or row["format"] == fmt
    return check


def make_archive(path: Path) -> None:
    """A .zip with a good report under a name that climbs out of any folder, and a member that
    inflates past the size limit."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("../../climbed.txt", RU[4].read_bytes())
        with archive.open("inner/huge.txt", "w", force_zip64=True) as member:
            chunk = b"a" * (1 << 20)
            for _ in range(60):
                member.write(chunk)


SCRIPTED_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Круглый стол</title>
<script>document.write('SCRIPTED-1')</script><style>body{{background:url(javascript:alert('STYLED'))}}</style>
<script src="https://evil.example/x.js"></script></head><body onload="alert('ONLOAD')">
<nav><a href="javascript:alert('NAVLINK')">Меню</a></nav>
<iframe src="https://evil.example/" srcdoc="&lt;p&gt;FRAMED&lt;/p&gt;"></iframe>
<article><h1>Круглый стол в Ташкенте</h1>
{paragraphs}
<img src="x" onerror="alert('IMGERR')"><script>alert('SCRIPTED-2')</script>
<noscript><p>NOSCRIPTED</p></noscript><svg><script>alert('SVGSCRIPT')</script></svg>
<iframe src="javascript:alert('FRAMEJS')"></iframe>
<p><a href="javascript:alert('LINKJS')">Подробнее</a></p>
</article></body></html>"""
HOSTILE_WORDS = ("SCRIPTED", "STYLED", "ONLOAD", "NAVLINK", "FRAMED", "IMGERR", "NOSCRIPTED", "SVGSCRIPT",
                 "FRAMEJS", "alert", "javascript", "<script", "onerror")


def make_scripted_html(path: Path) -> None:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in text_of(RU[5]).split("\n\n") if p.strip())
    path.write_text(SCRIPTED_HTML.format(paragraphs=paragraphs), encoding="utf-8")


def check_scripted_html(row: dict) -> None:
    stored = row["text"] + json.dumps(row["record"], ensure_ascii=False)
    assert not [w for w in HOSTILE_WORDS if w in stored], row["source"]
    assert "Ташкент" in row["text"] and row["format"] == "html"


RTL = "שלום עולם — مرحبا بالعالم — 👩‍👩‍👧‍👦 🇰🇿 🇺🇿 ✊🏽 — \u202eобратный\u202c текст"


def make_rtl_emoji(path: Path) -> None:
    paragraphs = text_of(RU[6]).split("\n\n")
    paragraphs.insert(1, RTL)
    paragraphs.append("Итог 🎉: سلام و 谢谢 — участники довольны 👍.")
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def check_rtl_emoji(row: dict) -> None:
    assert RTL in row["text"] and "👍" in row["text"]
    assert row["record"]["events"]


def make_invalid_utf8(path: Path) -> None:
    """UTF-8 with a stray byte in every few hundred characters, a truncated sequence and an
    overlong encoding."""
    data = bytearray(RU[7].read_bytes())
    for at in range(400, len(data), 700):
        while data[at] & 0xC0 == 0x80:  # not inside a character
            at += 1
        data[at:at] = b"\xff"
    path.write_bytes(bytes(data) + b"\xd0" + b" \xc0\xaf")


def check_invalid_utf8(row: dict) -> None:
    assert "\ufffd" in row["text"] and row["encoding"] == "utf-8"
    assert text_of(RU[7])[:200].split()[0] in row["text"]


def make_mixed_encodings(path: Path) -> None:
    """A UTF-8 report with a paragraph pasted from a cp1251 file."""
    first, second = text_of(RU[8]), "Участники обсудили водные ресурсы и энергетику региона."
    path.write_bytes(first.encode("utf-8") + b"\n\n" + second.encode("cp1251") + b"\n")


def check_mixed_encodings(row: dict) -> None:
    text = row["text"]
    assert text_of(RU[8])[:300] in text  # the UTF-8 part decoded as it was written
    assert row["record"]["events"]


def make_utf16(path: Path) -> None:
    path.write_bytes(text_of(RU[9]).encode("utf-16-le"))


def check_exact(source: Path) -> Callable[[dict], None]:
    def check(row: dict) -> None:
        assert row["text"] == text_of(source)
        assert row["record"]["events"], row["source"]
    return check


def copy_of(source: Path) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(source.read_bytes())
    return make


FORGED = "forged\nkurultai: error: all stored\x1b[2J\x1b]0;pwned\x07.txt"
"""A name that would forge an error line, clear the terminal and retitle its window."""

ODD_NAMES = [
    "отчёт с пробелами и «ёлочками».txt",
    "\"double\" and 'single' quotes.txt",
    "Ташкент 日本語 عربي हिन्दी.md",
    " leading and trailing space .txt",
    "semi;colon $(echo no) `echo no` & pipe|.txt",
    "-looks-like-an-option.txt",
]

CASES = [
    Case("good.txt", copy_of(GOOD), None, check_exact(GOOD)),
    Case("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    Case("blank.txt", lambda p: p.write_text(" \r\n\t\u00a0\u200b\ufeff\n" * 50), "no text"),
    Case("noise.txt", lambda p: p.write_bytes(rng().randbytes(65536)), "binary data, not a text document"),
    Case("noise.bin", lambda p: p.write_bytes(rng().randbytes(4096)), "binary data, not a text document"),
    Case("noise.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n" + rng().randbytes(4096)), "not a valid PDF"),
    Case("noise.docx", lambda p: p.write_bytes(rng().randbytes(4096)), "not a valid .docx (bad zip"),
    Case("noise.html", lambda p: p.write_bytes(rng().randbytes(4096)), "binary data, not a text document"),
    Case("truncated.pdf", make_truncated_pdf, "not a valid PDF (damaged or truncated)"),
    Case("encrypted.pdf", make_encrypted_pdf, "encrypted PDF (password required)"),
    Case("scanned.pdf", make_scanned_pdf, "no text layer (scanned PDF? OCR is not supported)"),
    Case("2001 pages.pdf", make_long_pdf, "2001 pages exceed the 2000-page limit (--max-pages)"),
    Case("bomb.docx", make_zip_bomb, "decompressed size exceeds 200 MB (zip bomb?)"),
    Case("lying bomb.docx", make_lying_bomb, "not a valid .docx"),
    Case("entity bomb.docx", make_entity_bomb, "not a valid .docx"),
    Case("legacy.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)), "legacy Word .doc"),
    Case("100mb.txt", make_sparse_100mb, "100.0 MB exceeds the 50 MB limit (--max-bytes)"),
    Case("million-char line.txt", make_long_line, "1,000,000 characters exceed the 500,000-character limit (--max-chars)"),
    Case("dense names.txt", make_dense_names,
         f"reading and extraction took longer than {MAX_SECONDS} s, the limit per document (--max-seconds)"),
    Case("11mb.html", make_big_html, "MB of HTML exceeds the 10 MB limit for markup (--max-markup)"),
    Case("deep.html", lambda p: p.write_text(html_of(text_of(RU[1]), depth=100_000), encoding="utf-8"), None,
         check_read(RU[1], "nested more than 2048 elements deep")),
    Case("fifo.txt", lambda p: os.mkfifo(p), "not a regular file"),
    Case("symlink loop.txt", lambda p: p.symlink_to(p.name), "too many levels of symbolic links"),
    Case("missing.txt", lambda p: None, "no such file"),
    Case("archive.zip!inner/huge.txt", make_archive, "unpacks to 62.9 MB, over the 50 MB limit (--max-bytes)"),
    Case("archive.zip!../../climbed.txt", lambda p: None, None, check_exact(RU[4])),
    Case("scripts and iframes.html", make_scripted_html, None, check_scripted_html),
    Case("rtl emoji.txt", make_rtl_emoji, None, check_rtl_emoji),
    Case("invalid utf-8.txt", make_invalid_utf8, None, check_invalid_utf8),
    Case("mixed encodings.txt", make_mixed_encodings, None, check_mixed_encodings),
    Case("utf-16 without bom.txt", make_utf16, None, check_exact(RU[9])),
    *(Case(name, copy_of(source), None, check_exact(source)) for name, source in zip(ODD_NAMES, RU[10:] + OTHERS)),
    Case(os.fsdecode("Отчёт 2019".encode("cp1251") + b".txt"), copy_of(RU[16]), None, check_exact(RU[16])),
    Case(FORGED, copy_of(OTHERS[0]), None, check_exact(OTHERS[0])),
    Case("empty " + FORGED, lambda p: p.write_bytes(b""), "empty file"),
    Case("report[1].txt", copy_of(OTHERS[1]), None, check_exact(OTHERS[1])),
    Case("report1.txt", copy_of(OTHERS[2]), None, check_exact(OTHERS[2])),
    Case("nested.zip!inner.zip!report.txt", lambda p: p.write_bytes(nested_archives(OTHERS[3].read_bytes())), None,
         check_exact(OTHERS[3])),
    Case("nested.zip!bomb.zip", lambda p: None, "more than 200 MB, the limit for an archive inside an archive "
                                                "(--max-unpacked"),
    Case("nested.zip!tower.zip", lambda p: None, "archives nested more than 3 deep inside archives (the nesting limit"),
    Case("empty.zip", lambda p: zipfile.ZipFile(p, "w").close(), "empty archive"),
    Case("looped/a/one.txt", lambda p: looped_folder(p, OTHERS[5].read_bytes(), OTHERS[6].read_bytes()), None,
         check_exact(OTHERS[5])),
    Case("looped/a/deep/two.txt", lambda p: None, None, check_exact(OTHERS[6])),
    Case("lying charset.html", lambda p: p.write_bytes(html_of(text_of(RU[0]), "koi8-r").encode()), None,
         check_read(RU[0], "declares the charset koi8-r")),
    Case("one nul.txt", lambda p: p.write_bytes(with_nul(RU[2].read_bytes())), None,
         check_read(RU[2], "1 NUL byte")),
    Case("report.rtf", lambda p: p.write_bytes(rtf_of(text_of(RU[3]))), None, check_read(RU[3], fmt="rtf")),
    Case("garbled.pdf", lambda p: p.write_bytes(garbled_pdf(text_of(OTHERS[7]))), "no readable text layer"),
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every input made in one folder, then one `kurultai ingest` over all of them, in a process
    that reports its child's peak memory."""
    folder = tmp_path_factory.mktemp("bad input")
    paths = []
    for case in CASES:
        path = folder / case.name.split("!")[0].split("/")[0]  # a file, an archive or a folder
        if path in paths:
            continue  # an archive or folder that an earlier case made
        case.make(path)
        paths.append(path)
    db = folder / "k.db"
    Store.open(str(db)).close()
    measure = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(r.returncode)")
    command = [sys.executable, "-c", measure, sys.executable, "-m", "kurultai", "ingest", "--quiet", "--db", str(db),
               "--max-seconds", str(MAX_SECONDS), "--", *map(str, paths)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "COLUMNS": "200"})
    seconds = time.perf_counter() - started
    store = Store.open(str(db))
    with store.connect() as conn:
        from sqlalchemy import text
        rows = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM documents"))]
        failures = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM failures"))]
        integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
    store.close()
    for row in rows:
        row["record"] = json.loads(row["record"])
    peak = int(next(line.split()[1] for line in result.stderr.splitlines() if line.startswith("peak-rss-kb")))
    return {"folder": folder, "result": result, "seconds": seconds, "peak_mb": peak / 1024, "rows": rows,
            "failures": failures, "integrity": integrity}


def source_of(batch, case: Case) -> str:
    """How the batch names the case's document: its path, control characters and undecodable
    bytes escaped."""
    return printable(str(batch["folder"] / case.name))


def test_every_bad_input_gets_one_line_naming_it_and_the_cause(batch):
    result = batch["result"]
    assert result.returncode == 1, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("kurultai: error: ")]
    bad = [case for case in CASES if case.error is not None]
    for case in bad:
        prefix = f"kurultai: error: {source_of(batch, case)}: "
        mine = [line for line in errors if line.startswith(prefix)]
        assert len(mine) == 1, (case.name, mine, result.stderr[-3000:])
        assert case.error in mine[0][len(prefix):], (case.name, mine[0])
    assert len(errors) == len(bad), "\n".join(errors)
    assert "\x1b" not in result.stderr + result.stdout and "\x07" not in result.stderr + result.stdout
    stored = {f["source"]: f["error"] for f in batch["failures"]}
    assert {source_of(batch, case) for case in bad} == set(stored)
    count("bad inputs", "broken or hostile files in one ingest batch, each named with its cause", len(bad))


def test_every_legitimate_input_is_stored_with_a_correct_record(batch):
    rows = {row["source"]: row for row in batch["rows"]}
    legit = [case for case in CASES if case.error is None]
    assert set(rows) == {source_of(batch, case) for case in legit}
    for case in legit:
        row = rows[source_of(batch, case)]
        case.check(row)
        record, text = row["record"], row["text"]
        spans = [m for o in record["organizations"] for m in o["mentions"]]
        spans += [m for p in record["persons"] for m in p["mentions"]]
        spans += [e for ev in record["events"] for e in ev["evidence"]]
        assert all(text[m["start"]:m["end"]] == m["text"] for m in spans), case.name
    assert batch["integrity"] == "ok"
    summary = batch["result"].stdout
    assert f"{len(legit)} new, 0 unchanged, 0 re-extracted, {len(CASES) - len(legit)} failed" in summary
    count("bad inputs", "odd but legitimate files in the batch (names, encodings, archives, markup)", len(legit))


def test_the_batch_is_bounded_in_time_and_memory(batch):
    print(f"\n{len(CASES)} inputs: {batch['seconds']:.1f} s, peak RSS {batch['peak_mb']:.0f} MB")
    assert batch["seconds"] < BATCH_SECONDS
    assert batch["peak_mb"] < PEAK_MB


# -- the limits one by one, in process --------------------------------------------------------------------------------

def test_the_character_limit_stops_a_pdf_while_it_is_read(tmp_path):
    if not FONT.exists():
        pytest.skip(f"{FONT} missing")
    data = bytes(pdf_with_text([text_of(RU[0])[:1500]] * 4).output())
    with pytest.raises(ReadError, match=r"more than 2,000 characters by page 2 of 4, over the 2,000-character limit"):
        read_bytes(data, "long.pdf", max_chars=2000)


def test_markup_limit_covers_each_xml_part_of_a_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Круглый стол " * 2000)
    document.save(str(tmp_path / "a.docx"))
    data = (tmp_path / "a.docx").read_bytes()
    with pytest.raises(ReadError, match=r"its part word/document.xml unpacks to .* over the 10 KB limit for markup"):
        read_bytes(data, "a.docx", max_markup=10_000)
    assert "Круглый стол" in read_bytes(data, "a.docx").raw


def test_time_limit_interrupts_a_busy_thread_and_nothing_after_it():
    import threading
    started = time.perf_counter()
    with pytest.raises(TimeLimit):
        with time_limit(0.2):
            while True:
                pass
    assert time.perf_counter() - started < 2
    caught = []

    def worker() -> None:
        try:
            with time_limit(0.2):
                while True:
                    try:
                        sum(range(1000))
                    except Exception:  # a library's catch-all does not swallow it
                        pass
        except TimeLimit:
            caught.append(True)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert caught == [True]
    # a firing swallowed by a finalizer (CPython: "Exception ignored in ...", through sys.unraisablehook)
    # is fired again, and the block still stops
    swallowed = []
    with pytest.raises(TimeLimit):
        with time_limit(0.2):
            while True:
                try:
                    while True:
                        pass
                except TimeLimit as error:
                    if swallowed:
                        raise
                    swallowed.append(error)
                    sys.unraisablehook(types.SimpleNamespace(exc_type=TimeLimit, exc_value=error, exc_traceback=None,
                                                             err_msg="Exception ignored in", object=None))
    assert len(swallowed) == 1
    # blocks that end just before, as or after their limit runs out (busy for 0 to 4 limits, by the
    # clock, whatever the machine's speed): the exception comes from the block or never after it
    limit, strays, fired = 0.005, 0, 0
    for n in range(300):
        try:
            try:
                with time_limit(limit):
                    end = time.perf_counter() + limit * (n % 40) / 10
                    while time.perf_counter() < end:
                        pass
            except TimeLimit:
                fired += 1
            for _ in range(20_000):
                pass
        except TimeLimit:
            strays += 1
    assert strays == 0 and fired >= 30, (strays, fired)


def test_limits_in_the_help_are_the_defaults():
    from dataclasses import asdict
    from typer.testing import CliRunner

    from kurultai.cli import app
    shown = " ".join(CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "300"}).output.split())
    for name, value in asdict(Limits()).items():
        assert f"--{name.replace('_', '-')}" in shown
        default = f"(default {value:,})" if isinstance(value, int) else f"(default {value:g})"
        assert default in shown, name
