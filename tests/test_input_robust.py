"""Inputs from outside the suite that once stopped or fooled a batch (issue 20): file names that
are not UTF-8 or carry control characters, names with glob characters, symbolic-link loops,
archives (large, nested, bombs, empty), and text readers fooled by a lying charset, deep markup,
a NUL byte, RTF markup or a garbage PDF text layer. Each test failed before its mend."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kurultai.ingest import discover
from kurultai.read import Limits, ReadError, read_bytes
from kurultai.read.limits import MAX_NESTING
from kurultai.read.printable import printable
from kurultai.store import Store

from .conftest import FIXTURES
from .odd_inputs import nested, pdf_with_glyphs, rtf_of, zip_bytes
from .test_cli import run

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
RU = [p for p in DOCS if p.name.startswith("ru-")]
EN = [p for p in DOCS if p.name.startswith("en-")]
CP1251_NAME = "Отчёт о круглом столе".encode("cp1251") + b".txt"
KOI8_NAME = "Доклад ИСМИ".encode("koi8-r") + b".txt"
SUBFOLDER = "Папка".encode("cp1251")
FORGED_NAME = "evil\nkurultai: error: forged line\x1b[2J\x1b]0;title\x07.txt"


def write(path: bytes, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)


def load_all(sources) -> dict[str, bytes | str]:
    """name -> bytes, or the cause of the ReadError loading it raised."""
    out: dict[str, bytes | str] = {}
    for source in sources:
        try:
            out[source.name] = source.load()
        except ReadError as error:
            out[source.name] = error.cause
    return out


# -- names -------------------------------------------------------------------------------------------------------------

def test_printable_escapes_undecodable_bytes_and_controls_and_nothing_else():
    name = os.fsdecode(b"d/" + CP1251_NAME)
    shown = printable(name)
    assert shown == r"d/\xce\xf2\xf7\xb8\xf2 \xee \xea\xf0\xf3\xe3\xeb\xee\xec \xf1\xf2\xee\xeb\xe5.txt"
    assert printable(b"d/" + CP1251_NAME) == shown
    assert printable(FORGED_NAME) == r"evil\nkurultai: error: forged line\x1b[2J\x1b]0;title\x07.txt"
    assert printable("\u202eexe.txt\u2028") == r"\u202eexe.txt\u2028"
    kept = "отчёт «круглый стол» 日本語 👩‍👩‍👧 $(x) [1] ‘q’.txt"
    assert printable(kept) == kept
    assert printable(shown) == shown  # twice changes nothing more
    shown.encode("utf-8")  # a terminal, a file or a database takes it


def test_a_read_error_names_the_file_escaped_on_one_line():
    error = ReadError(os.fsdecode(b"x/" + KOI8_NAME), "its part \x1b[31mred\x1b[0m is bad")
    assert "\x1b" not in str(error) and "\n" not in str(error)
    assert str(error).startswith(r"x/\xe4\xcf\xcb") and r"\x1b[31mred" in str(error)
    str(error).encode("utf-8")


@pytest.fixture(scope="module")
def named_batch(tmp_path_factory):
    """A folder of reports named in cp1251 and KOI8-R, one empty file whose name would forge an
    error line and clear the terminal, a zip, and a glob; ingested twice and extracted once."""
    root = tmp_path_factory.mktemp("names")
    folder = root / "old archive"
    folder.mkdir()
    subfolder = os.path.join(os.fsencode(folder), SUBFOLDER)
    os.mkdir(subfolder)
    write(os.path.join(os.fsencode(folder), CP1251_NAME), RU[0].read_bytes())
    write(os.path.join(subfolder, KOI8_NAME), RU[1].read_bytes())
    (folder / FORGED_NAME).write_bytes(b"")
    zipped = root / "batch.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("inner/en.txt", EN[0].read_bytes())
    loose = root / "loose"
    loose.mkdir()
    (loose / "one.txt").write_bytes(EN[1].read_bytes())
    db = root / "k.db"
    args = [folder, zipped, loose / "*.txt"]
    first = run("ingest", "--db", db, *args)
    again = run("ingest", "--db", db, "--quiet", *args)
    out = root / "records"
    extracted = run("extract", *args, "-o", out)
    store = Store.open(str(db))
    from sqlalchemy import text
    with store.connect() as conn:
        stored = set(conn.execute(text("SELECT source FROM documents")).scalars())
        failures = dict(conn.execute(text("SELECT source, error FROM failures")).all())
    store.close()
    return {"folder": folder, "zip": zipped, "loose": loose, "first": first, "again": again, "extract": extracted,
            "out": out, "stored": stored, "failures": failures}


def test_a_name_that_is_not_utf8_does_not_stop_ingest_and_is_stored_escaped(named_batch):
    first, folder = named_batch["first"], named_batch["folder"]
    assert first.returncode == 1, first.stderr[-3000:]  # the empty file fails, nothing else
    assert "Traceback" not in first.stderr
    assert "4 new, 0 unchanged, 0 re-extracted, 1 failed" in first.stdout
    expected = {printable(os.path.join(os.fsencode(folder), name))
                for name in (CP1251_NAME, SUBFOLDER + b"/" + KOI8_NAME)}
    expected |= {f"{named_batch['zip']}!inner/en.txt", str(named_batch["loose"] / "one.txt")}
    assert named_batch["stored"] == expected
    assert r"\xce\xf2\xf7\xb8\xf2" in "".join(named_batch["stored"])
    again = named_batch["again"]
    assert "0 new, 4 unchanged, 0 re-extracted, 1 failed" in again.stdout, again.stdout + again.stderr[-2000:]


def test_a_forged_name_is_one_escaped_line_and_reaches_no_terminal(named_batch):
    for result in (named_batch["first"], named_batch["again"], named_batch["extract"]):
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        lines = result.stderr.splitlines()
        assert not any(line.startswith("kurultai: error: forged line") for line in lines)
        mine = [line for line in lines if line.startswith("kurultai: error: ") and "forged" in line]
        assert mine == [f"kurultai: error: {printable(named_batch['folder'] / FORGED_NAME)}: empty file"], lines
    assert named_batch["failures"] == {printable(named_batch["folder"] / FORGED_NAME): "empty file"}


def test_extract_takes_the_same_inputs_and_names_outputs_from_the_original_bytes(named_batch):
    result = named_batch["extract"]
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    written = sorted(os.listdir(os.fsencode(named_batch["out"])))
    assert written == sorted([CP1251_NAME[:-4] + b".json", KOI8_NAME[:-4] + b".json", b"en.json", b"one.json"])
    with open(os.path.join(os.fsencode(named_batch["out"]), CP1251_NAME[:-4] + b".json"), "rb") as file:
        record = json.load(file)
    assert record["document"]["source"].endswith(r"\xee\xec \xf1\xf2\xee\xeb\xe5.txt") and record["events"]


def test_output_names_keep_the_bytes_drop_controls_and_paths_and_never_collide(tmp_path):
    from kurultai.cli_extract import _OutputNames
    from kurultai.ingest import Source

    names = _OutputNames(tmp_path)

    def named(path: str) -> bytes:
        return os.fsencode(names.path(Source(printable(path), bytes, path)).name)
    assert named(os.fsdecode(b"/in/" + CP1251_NAME)) == CP1251_NAME[:-4] + b".json"
    assert named("/in/" + FORGED_NAME) == b"evil_kurultai: error: forged line_[2J_]0;title_.json"
    assert named("../../report.txt") == b"report.json"  # an archive member's name: never a path
    assert named("a\\b\\report.txt") == b"report-2.json"
    assert named("..") == b"document.json"
    assert len(named("я" * 300 + ".txt")) <= 255


# -- paths -------------------------------------------------------------------------------------------------------------

def test_a_path_that_exists_is_never_read_as_a_pattern(tmp_path):
    (tmp_path / "report[1].txt").write_text("the literal one", encoding="utf-8")
    (tmp_path / "report1.txt").write_text("what the pattern matches", encoding="utf-8")
    (tmp_path / "*.txt").write_text("a star in its name", encoding="utf-8")
    assert load_all(discover([tmp_path / "report[1].txt"])) == {str(tmp_path / "report[1].txt"): b"the literal one"}
    assert load_all(discover([tmp_path / "*.txt"])) == {str(tmp_path / "*.txt"): b"a star in its name"}
    matched = load_all(discover([str(tmp_path / "report[0-9].txt")]))  # names nothing: a pattern
    assert matched == {str(tmp_path / "report1.txt"): b"what the pattern matches"}
    assert load_all(discover([str(tmp_path / "minutes-*.txt")])) == {
        str(tmp_path / "minutes-*.txt"): "no file matches this pattern"}
    assert load_all(discover([str(tmp_path / "minutes.txt")])) == {str(tmp_path / "minutes.txt"): "no such file"}


def looped_tree(root: Path) -> Path:
    """reports/ with two files, a link to its own parent and two folders linked to each other."""
    reports = root / "reports"
    (reports / "a" / "deep").mkdir(parents=True)
    (reports / "a" / "one.txt").write_text("one", encoding="utf-8")
    (reports / "a" / "deep" / "two.txt").write_text("two", encoding="utf-8")
    (reports / "a" / "deep" / "up").symlink_to("../..")
    (reports / "b").mkdir()
    (reports / "b" / "to-c").symlink_to("../c")
    (reports / "c").mkdir()
    (reports / "c" / "to-b").symlink_to("../b")
    (reports / "self").symlink_to(".")
    return reports


def test_walks_and_double_star_end_on_link_loops_giving_each_file_once(tmp_path):
    reports = looped_tree(tmp_path)
    for argument in (reports, f"{reports}/**/*.txt", f"{reports}/**", f"{reports}/*"):
        found = load_all(discover([argument]))
        assert sorted(found.values()) == [b"one", b"two"], (argument, found)


# -- archives ----------------------------------------------------------------------------------------------------------

def test_a_zip_is_opened_once_for_all_its_members(tmp_path):
    """Counted by the interpreter's own audit events, in a process of its own: every file kurultai
    opens while the 2,000 members are found and loaded."""
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in range(2000):
            z.writestr(f"r/{n:04d}.txt", f"report {n}")
    script = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(args[0]) if event == 'open' else None)\n"
        "from kurultai.ingest import discover\n"
        f"loaded = sum(1 for source in discover([{str(archive)!r}]) if source.load())\n"
        f"print(loaded, sum(1 for path in opened if str(path) == {str(archive)!r}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.stdout.split() == ["2000", "1"], result.stdout + result.stderr[-2000:]


def test_zips_inside_zips_are_read_and_bombs_inside_are_refused_naming_the_limit(tmp_path):
    report = RU[2].read_bytes()
    bomb = zip_bytes({f"part{n}.txt": b"0" * 2_000_000 for n in range(3)})  # 6 MB of zeros in about 18 KB
    outer = tmp_path / "outer.zip"
    outer.write_bytes(zip_bytes({
        "a.txt": report,
        "inner.zip": zip_bytes({"b.txt": b"inner report", "deeper.zip": zip_bytes({"c.txt": b"deeper report"})}),
        "bomb.zip": bomb,
        "tower.zip": nested(MAX_NESTING + 1, {"top.txt": b"too deep"}),
        "broken.zip": b"PK\x03\x04 not a zip",
    }))
    found = load_all(discover([outer], Limits(max_unpacked=5_000_000)))
    assert found[f"{outer}!a.txt"] == report
    assert found[f"{outer}!inner.zip!b.txt"] == b"inner report"
    assert found[f"{outer}!inner.zip!deeper.zip!c.txt"] == b"deeper report"
    assert found[f"{outer}!bomb.zip"] == ("what it holds unpacks to more than 5 MB, the limit for an archive inside an "
                                          "archive (--max-unpacked; a zip bomb?)")
    assert found[f"{outer}!tower.zip"].startswith(f"archives nested more than {MAX_NESTING} deep")
    assert found[f"{outer}!broken.zip"].startswith("not a readable .zip archive")
    assert len(found) == 6
    within = load_all(discover([outer], Limits(max_unpacked=7_000_000)))  # the same bomb, under a higher limit
    assert within[f"{outer}!bomb.zip!part0.txt"] == b"0" * 2_000_000


def test_an_empty_archive_and_one_without_documents_are_reported(tmp_path):
    empty, pictures = tmp_path / "empty.zip", tmp_path / "pictures.zip"
    zipfile.ZipFile(empty, "w").close()
    pictures.write_bytes(zip_bytes({"a.jpg": b"\xff\xd8", "b.png": b"\x89PNG", "folder/": b""}))
    nested_empty = tmp_path / "outer.zip"
    nested_empty.write_bytes(zip_bytes({"x.txt": b"report", "empty.zip": zip_bytes({})}))
    assert load_all(discover([empty, pictures, nested_empty])) == {
        str(empty): "empty archive (no documents in it)",
        str(pictures): "no documents in the archive (2 files of other kinds)",
        f"{nested_empty}!x.txt": b"report",
        f"{nested_empty}!empty.zip": "empty archive (no documents in it)",
    }


# -- text readers ------------------------------------------------------------------------------------------------------

PAGE = ("<html><head><meta charset=\"{charset}\"><title>Круглый стол</title></head><body><article>{body}"
        "</article></body></html>")


def paragraphs(source: Path) -> str:
    return "".join(f"<p>{p}</p>" for p in source.read_text(encoding="utf-8").split("\n\n") if p.strip())


@pytest.mark.parametrize("charset", ["koi8-r", "cp866", "windows-1252"])
def test_a_lying_meta_charset_is_overruled_by_utf8_bytes_with_a_warning(charset):
    page = PAGE.format(charset=charset, body=paragraphs(RU[3])).encode("utf-8")
    text = read_bytes(page, "page.html")
    first = RU[3].read_text(encoding="utf-8").split("\n")[0].strip()
    assert first[:40] in text.raw and text.meta["encoding"] == "utf-8"
    assert text.meta["warnings"] == [f"declares the charset {charset}, but its bytes are UTF-8: read as UTF-8"]


def test_a_true_meta_charset_is_still_obeyed_without_a_warning():
    page = PAGE.format(charset="koi8-r", body=paragraphs(RU[3])).encode("koi8-r")
    text = read_bytes(page, "page.html")
    assert text.meta["encoding"] == "koi8-r" and "warnings" not in text.meta
    assert RU[3].read_text(encoding="utf-8").split("\n")[0].strip()[:40] in text.raw


@pytest.mark.parametrize("depth", [300, 1500, 5000])
def test_a_report_inside_hundreds_of_nested_tags_keeps_its_text(depth):
    page = PAGE.format(charset="utf-8", body="<div>" * depth + paragraphs(RU[4]) + "</div>" * depth).encode()
    text = read_bytes(page, "deep.html")
    sentences = [p.strip() for p in RU[4].read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40]
    assert sentences and all(" ".join(s.split())[:60] in " ".join(text.raw.split()) for s in sentences[:3])
    assert text.meta["title"] == "Круглый стол"
    assert ("warnings" in text.meta) == (depth > 2048)


def test_one_nul_byte_does_not_make_a_report_binary():
    data = RU[5].read_bytes()
    at = data.index(b" ", 300)  # between two characters
    damaged = data[:at] + b"\x00" + data[at:]
    text = read_bytes(damaged, "nul.txt")
    assert text.raw == damaged.decode("utf-8").replace("\x00", "\ufffd")
    assert text.meta["warnings"] == ["1 NUL byte (damaged text?) read as U+FFFD"]
    with pytest.raises(ReadError, match="binary data"):
        read_bytes(data[:at] + b"\x00\x01\x02\x03" * 200 + data[at:], "noise.txt")


def test_rtf_is_read_as_text_not_markup():
    source = RU[6].read_text(encoding="utf-8")
    text = read_bytes(rtf_of(source), "report.rtf")
    assert text.meta["format"] == "rtf" and "\\rtf" not in text.raw and "fonttbl" not in text.raw
    first = source.split("\n")[0].strip()
    assert first in text.raw
    assert read_bytes(rtf_of(source), "report.txt").meta["format"] == "rtf"  # the magic wins over .txt


ENGLISH_LINES = [line.encode("ascii", "replace") for line in EN[0].read_text(encoding="utf-8").splitlines()
                 if line.strip()][:30]


@pytest.mark.parametrize("glyphs", [lambda c: 0xE000 + c, lambda c: 0x2500 + c % 0x60],
                         ids=["private-use", "box-drawing"])
def test_a_pdf_with_a_garbage_text_layer_is_refused_not_stored_empty(glyphs):
    with pytest.raises(ReadError, match=r"no readable text layer"):
        read_bytes(pdf_with_glyphs(ENGLISH_LINES, glyphs), "garbled.pdf")
    text = read_bytes(pdf_with_glyphs(ENGLISH_LINES, lambda c: c), "plain.pdf")  # the same, mapped to itself
    assert ENGLISH_LINES[0].decode() in text.raw and "warnings" not in text.meta


# -- in the store, on each database ------------------------------------------------------------------------------------

def test_odd_names_and_texts_are_stored_whole_on_each_database(store, extractor, tmp_path):
    """Undecodable bytes and controls in names, a NUL in a text, a lying charset: PostgreSQL
    refuses NUL characters and invalid UTF-8 outright, so what is stored must be escaped already."""
    from sqlalchemy import text as sql

    from kurultai.ingest.run import ingest

    from .odd_inputs import html_of, with_nul
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    write(os.path.join(folder, CP1251_NAME), RU[7].read_bytes())
    write(os.path.join(folder, os.fsencode(FORGED_NAME)), with_nul(RU[8].read_bytes()))
    write(os.path.join(folder, b"report[1].html"), html_of(RU[9].read_text(encoding="utf-8"), "cp866").encode())
    report = ingest(store, [folder], extractor)
    assert report.new == 3 and not report.failed, report
    assert sorted(w for _, w in report.warnings) == [
        "1 NUL byte (damaged text?) read as U+FFFD", "declares the charset cp866, but its bytes are UTF-8: read as UTF-8"]
    with store.connect() as conn:
        rows = {source: (text, json.loads(record)) for source, text, record in
                conn.execute(sql("SELECT source, text, record FROM documents"))}
    shown = {printable(os.path.join(folder, name))
             for name in (CP1251_NAME, os.fsencode(FORGED_NAME), b"report[1].html")}
    assert set(rows) == shown
    forged_text, forged_record = rows[printable(os.path.join(folder, os.fsencode(FORGED_NAME)))]
    assert "\ufffd" in forged_text and "\x00" not in forged_text and forged_record["events"]
    assert forged_record["document"]["warnings"] == ["1 NUL byte (damaged text?) read as U+FFFD"]
    assert ingest(store, [folder], extractor).unchanged == 3
