"""read(): real files of every format and encoding, written to tmp_path, and the ways they fail."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import zipfile
from pathlib import Path

import pytest

from kurultai.read import ReadError, Text, clean, read, read_bytes

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_font = pytest.mark.skipif(
    not FONT.exists(), reason=f"{FONT} missing: install the Debian package fonts-dejavu-core"
)

RUSSIAN = [
    "Участники договорились регулярно проводить такие обсуждения.",
    "Делегация ИСМИ посетила Бишкек. Стороны подписали меморандум.",
    "Онлайн круглый стол был посвящён итогам IV Консультативной встречи глав государств Центральной Азии.",
    (
        "В обсуждении приняли участие представители Института стратегических и межрегиональных "
        "исследований при Президенте Республики Узбекистан, Центра стратегических исследований при "
        'Президенте Республики Таджикистан и фонда "Финансовая свобода".\r\n'
        "Эксперты отметили, что Транскаспийский маршрут становится ключевым направлением сотрудничества."
    ),
]
"""Russian sentences of 40-400 characters, in characters every code page below can encode."""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text and encodings -------------------------------------------------------------

ENCODINGS = [
    # (how the file is written, the encodings read() may report)
    ("utf-8", {"utf-8"}),
    ("utf-8-sig", {"utf-8"}),
    ("utf-16", {"utf-16-le", "utf-16-be"}),  # Python writes a BOM, native order
    ("utf-16-le+bom", {"utf-16-le"}),
    ("utf-16-be+bom", {"utf-16-be"}),
    ("utf-16-le", {"utf-16-le"}),  # no BOM: the byte pattern shows it
    ("utf-16-be", {"utf-16-be"}),
    ("cp1251", {"cp1251"}),
    ("koi8-r", {"koi8-r"}),
    ("mac-cyrillic", {"mac-cyrillic"}),
    ("cp866", {"cp866", "cp1125"}),  # identical for Russian letters
]


def encode(text: str, encoding: str) -> bytes:
    if encoding.endswith("+bom"):
        base = encoding.removesuffix("+bom")
        return "\ufeff".encode(base) + text.encode(base)
    return text.encode(encoding)


@pytest.mark.parametrize("encoding, reported", ENCODINGS, ids=[e for e, _ in ENCODINGS])
@pytest.mark.parametrize("sentence", range(len(RUSSIAN)))
def test_every_encoding_round_trips_a_russian_paragraph(tmp_path, encoding, reported, sentence):
    original = RUSSIAN[sentence]
    data = encode(original, encoding)
    text = read(write(tmp_path, "report.txt", data))
    assert text.raw == original  # exactly: BOM removed, "\r\n" kept
    assert text.meta["encoding"] in reported
    assert text.meta == {"format": "txt", "encoding": text.meta["encoding"], "bytes": len(data)}
    assert text.source == str(tmp_path / "report.txt")


def test_plain_text_keeps_every_character(tmp_path):
    original = "  Заголовок\r\n\r\nТекст\tс табуляцией\u00a0и мягким\u00adпереносом.\rКонец\n"
    text = read(write(tmp_path, "notes.md", original.encode("utf-8-sig")))
    assert text.raw == original
    cleaned = clean(text.raw)
    start = cleaned.text.index("Текст")
    assert text.raw[cleaned.offsets[start]: cleaned.offsets[start] + 5] == "Текст"


def test_utf8_cut_mid_character_keeps_its_text(tmp_path):
    original = RUSSIAN[3].removesuffix(".")
    data = original.encode("utf-8")[:-1]  # the last letter loses its second byte
    text = read(write(tmp_path, "cut.txt", data))
    assert text.meta["encoding"] == "utf-8"
    assert text.raw == original[:-1] + "\ufffd"


def test_english_ascii_is_utf8(tmp_path):
    text = read(write(tmp_path, "en.txt", b"The round table was held online on 18 August 2022."))
    assert text.meta["encoding"] == "utf-8"


def test_path_may_be_a_str(tmp_path):
    path = write(tmp_path, "a.txt", "Текст отчёта о встрече экспертов.".encode())
    assert read(str(path)).source == str(path)


# --- failures that name the file ------------------------------------------------------------

def read_error(path, **limits) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read(path, **limits)
    error = caught.value
    assert str(error) == f"{path}: {error.cause}"
    assert error.path == str(path)
    assert "\n" not in str(error)
    return error


def test_missing_file(tmp_path):
    assert read_error(tmp_path / "missing.txt").cause == "no such file"


def test_empty_file(tmp_path):
    assert read_error(write(tmp_path, "x.txt", b"")).cause == "empty file"


def test_whitespace_only_file(tmp_path):
    assert read_error(write(tmp_path, "x.txt", " \r\n\t\u00a0\u200b\n".encode())).cause == "no text"


def test_binary_noise(tmp_path):
    noise = os.urandom(4096)
    assert read_error(write(tmp_path, "y.txt", noise)).cause == "binary data, not a text document"
    assert read_error(write(tmp_path, "y.bin", noise)).cause == "binary data, not a text document"


def test_oversized_file(tmp_path):
    error = read_error(write(tmp_path, "big.txt", b"a" * 2048), max_bytes=1000)
    assert error.cause == "2.0 KB exceeds the 1 KB limit (--max-bytes)"


def test_directory(tmp_path):
    assert read_error(tmp_path).cause == "is a directory"


def test_read_error_pickles_intact():
    error = pickle.loads(pickle.dumps(ReadError("a.docx", "not a valid .docx")))
    assert (error.path, error.cause, str(error)) == ("a.docx", "not a valid .docx", "a.docx: not a valid .docx")


def test_read_bytes_reads_memory_like_a_file():
    text = read_bytes("Отчёт о встрече.".encode("cp1251"), "upload.txt")
    assert isinstance(text, Text) and text.raw == "Отчёт о встрече."
    with pytest.raises(ReadError, match=r"^upload: empty file$"):
        read_bytes(b"", "upload")


# --- PDF ------------------------------------------------------------------------------------

def pdf_document():
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    return pdf


@needs_font
def test_pdf_text_layer_two_pages(tmp_path):
    pdf = pdf_document()
    pdf.set_title("Круглый стол ИМЭП")
    pdf.set_creation_date(dt.datetime(2022, 8, 18, 10, 0, tzinfo=dt.timezone.utc))
    pdf.add_page()
    pdf.multi_cell(0, 8, RUSSIAN[2] + " " + RUSSIAN[1])
    pdf.cell(0, 8, "Обсуждались вопросы транспортно-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "логистического сотрудничества.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 8, RUSSIAN[0])
    path = tmp_path / "report.pdf"
    pdf.output(str(path))

    text = read(path)
    first, second = text.raw.split("\n\f\n")
    assert "Консультативной встречи" in first and "Бишкек" in first
    assert "транспортно-логистического" in first
    assert second.strip() == RUSSIAN[0]
    assert text.meta["format"] == "pdf" and text.meta["pages"] == 2
    assert text.meta["title"] == "Круглый стол ИМЭП"
    assert text.meta["published"] == "2022-08-18"
    cleaned = clean(text.raw)
    assert RUSSIAN[2] in cleaned.text


@needs_font
def test_pdf_sniffed_without_its_suffix(tmp_path):
    pdf = pdf_document()
    pdf.add_page()
    pdf.multi_cell(0, 8, RUSSIAN[0])
    path = tmp_path / "download"
    pdf.output(str(path))
    assert read(path).meta["format"] == "pdf"


def test_pdf_with_an_image_only_page_has_no_text_layer(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    image = pytest.importorskip("PIL.Image")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(image.new("RGB", (120, 80), "gray"), x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert read_error(path).cause == "no text layer (scanned PDF? OCR is not supported)"


@needs_font
def test_encrypted_pdf_is_named(tmp_path):
    pdf = pdf_document()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(0, 10, "Секретный отчёт")
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    assert read_error(path).cause == "encrypted PDF (password required)"


@needs_font
def test_truncated_pdf_fails_cleanly(tmp_path):
    pdf = pdf_document()
    for sentence in RUSSIAN:
        pdf.add_page()
        pdf.multi_cell(0, 8, sentence)
    data = bytes(pdf.output())
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        path = write(tmp_path, f"cut{cut}.pdf", data[:cut])
        try:
            text = read(path)
        except ReadError as error:
            assert str(error).startswith(f"{path}: ")
        else:
            assert text.raw.strip()


@needs_font
def test_pdf_page_limit(tmp_path):
    pdf = pdf_document()
    for sentence in RUSSIAN[:3]:
        pdf.add_page()
        pdf.multi_cell(0, 8, sentence)
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    assert read_error(path, max_pages=2).cause == "3 pages exceed the 2-page limit (--max-pages)"


def test_not_a_pdf(tmp_path):
    assert read_error(write(tmp_path, "fake.pdf", b"%PDF-1.7\n garbage")).cause.startswith("not a valid PDF")


# --- HTML -----------------------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="{charset}">
<title>Круглый стол ИМЭП | Новости</title>
<meta property="og:title" content="Круглый стол о региональном сотрудничестве">
<meta property="article:published_time" content="2022-08-18T10:00:00+06:00">
<script>alert(1)</script><style>body {{ color: red }}</style>
</head><body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/events">Мероприятия</a></li>
<li><a href="/about">О нас</a></li></ul></nav></header>
<main><article>
<h1>Круглый стол о региональном сотрудничестве</h1>
<p>18 августа 2022 года Институт мировой экономики и политики (ИМЭП) провёл онлайн круглый стол,
посвящённый итогам IV Консультативной встречи глав государств Центральной Азии.</p>
<p>В обсуждении приняли участие представители ИСМИ и Центра стратегических исследований.</p>
<ul><li>торговля и инвестиции;</li><li>транспорт и логистика.</li></ul>
<script>alert(1)</script>
<p>Участники договорились регулярно проводить такие онлайн-обсуждения.</p>
</article></main>
<footer>© 2022 ИМЭП. Подпишитесь на рассылку</footer>
</body></html>"""


def test_html_main_text_without_menu_or_script(tmp_path):
    text = read(write(tmp_path, "news.html", ARTICLE.format(charset="utf-8").encode()))
    assert "Институт мировой экономики и политики (ИМЭП) провёл онлайн круглый стол" in " ".join(text.raw.split())
    assert "alert" not in text.raw and "color" not in text.raw
    assert "Главная" not in text.raw and "Мероприятия" not in text.raw and "Подпишитесь" not in text.raw
    paragraphs = text.raw.split("\n\n")
    assert paragraphs[0] == "Круглый стол о региональном сотрудничестве"
    assert "- торговля и инвестиции;\n- транспорт и логистика." in paragraphs
    assert paragraphs[-1] == "Участники договорились регулярно проводить такие онлайн-обсуждения."
    assert text.meta == {
        "format": "html", "encoding": "utf-8", "bytes": len(ARTICLE.format(charset="utf-8").encode()),
        "title": "Круглый стол о региональном сотрудничестве", "published": "2022-08-18",
    }


def test_html_in_a_declared_cp1251(tmp_path):
    data = ARTICLE.format(charset="windows-1251").replace("©", "(c)").encode("cp1251")
    text = read(write(tmp_path, "news.htm", data))
    assert text.meta["encoding"] == "cp1251"
    assert "Участники договорились" in text.raw


def test_html_title_tag_when_no_open_graph(tmp_path):
    page = ARTICLE.format(charset="utf-8").replace('<meta property="og:title" content="Круглый стол о региональном сотрудничестве">', "")
    assert read(write(tmp_path, "a.html", page.encode())).meta["title"] == "Круглый стол ИМЭП | Новости"


def test_html_falls_back_to_visible_body_text(tmp_path):
    page = (
        "<html><head><title>Заметка</title><script>alert(1)</script></head><body>"
        "<nav>Меню</nav><aside><p>Встреча экспертов прошла в Ташкенте.</p><p>Вторая<br>строка</p></aside>"
        "<script>alert(2)</script><footer>Подвал</footer></body></html>"
    )
    text = read(write(tmp_path, "note.html", page.encode()))
    assert text.raw == "Встреча экспертов прошла в Ташкенте.\n\nВторая\nстрока"
    assert text.meta["title"] == "Заметка"


def test_html_sniffed_without_its_suffix(tmp_path):
    text = read(write(tmp_path, "page.dat", ARTICLE.format(charset="utf-8").encode()))
    assert text.meta["format"] == "html" and "alert" not in text.raw


def test_html_without_text(tmp_path):
    page = b"<html><body><nav>Menu</nav><script>alert(1)</script></body></html>"
    assert read_error(write(tmp_path, "empty.html", page)).cause == "no text"


# --- DOCX -----------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "Итоги круглого стола"
    document.core_properties.created = dt.datetime(2022, 8, 18, 12, 0)
    document.add_heading("Круглый стол ИМЭП", level=1)
    document.add_paragraph(RUSSIAN[2])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Институт", "Страна"
    table.cell(1, 0).text, table.cell(1, 1).text = "ИСМИ", "Узбекистан"
    document.add_paragraph(RUSSIAN[0])
    path = tmp_path / "a.docx"
    document.save(str(path))

    text = read(path)
    assert text.raw.split("\n") == [
        "Круглый стол ИМЭП", RUSSIAN[2], "Институт | Страна", "ИСМИ | Узбекистан", RUSSIAN[0],
    ]
    assert text.meta["format"] == "docx"
    assert text.meta["title"] == "Итоги круглого стола"
    assert text.meta["published"] == "2022-08-18"


def zip_bomb(path: Path, inflated: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"0" * 1_000_000
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return path


def test_docx_zip_bomb_is_refused(tmp_path):
    path = zip_bomb(tmp_path / "bomb.docx", 5_000_000)
    assert path.stat().st_size < 100_000
    error = read_error(path, max_unpacked=1_000_000)
    assert error.cause == "decompressed size exceeds 1 MB (zip bomb?)"
    os.rename(path, tmp_path / "bomb")  # sniffed as .docx without its suffix, refused the same
    assert read_error(tmp_path / "bomb", max_unpacked=1_000_000).cause == error.cause


def test_non_zip_docx(tmp_path):
    error = read_error(write(tmp_path, "a.docx", "Это не docx, а текст.".encode()))
    assert error.cause.startswith("not a valid .docx (bad zip: ")


def test_zip_without_a_word_document(tmp_path):
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert read_error(path).cause.startswith("not a valid .docx")
    os.rename(path, tmp_path / "archive.zip")
    assert read_error(tmp_path / "archive.zip").cause == "a zip archive, not a .docx (not supported)"


def test_legacy_doc_is_named(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert "legacy" in read_error(write(tmp_path, "old.doc", data)).cause
    assert "legacy" in read_error(write(tmp_path, "old.docx", data)).cause
