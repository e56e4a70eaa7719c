"""The briefing for a period, as HTML and PDF, over generated reports in a real store (SQLite and
PostgreSQL): its sections, escaping of hostile text, a PDF that parses and says what it should, and a
first page that is drawn (rendered to PNG into tests/screenshots/, and looked at)."""
from __future__ import annotations

import json
import re

import pypdfium2 as pdfium
import pytest
from PIL import ImageStat

from kurultai.report.briefing import BriefingError, briefing, font_files, render_html, render_pdf
from kurultai.ingest.run import ingest

from .agenda_corpus import Doc, Memo, plan, write
from .conftest import ROOT, STORES, fresh_store

SCREENSHOTS = ROOT / "tests" / "screenshots"
HOSTILE = "<script>alert('x')</script> & «Открытый регион»"


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory, extractor):
    registry = extractor.registry
    folder = tmp_path_factory.mktemp("briefing-corpus")
    docs = plan(registry, 2023, twins=16, seed=5, planted=True)
    docs.append(Doc("2023-h2-hostile.txt", "2023-11-28", "ru", "uz.isrs", ["kz.kisi", "tj.csr"], ["energy"],
                    title=HOSTILE))
    write(docs, registry, folder, seed=5)
    s = fresh_store(request.param, tmp_path_factory.mktemp("briefing-db"))
    report = ingest(s, [folder], Memo(extractor), dedup=False)
    assert report.new == len(docs) and not report.failed
    yield s
    s.close()


def _pdf_text(data: bytes) -> tuple[int, str]:
    doc = pdfium.PdfDocument(data)
    try:
        text = []
        for i in range(len(doc)):
            page = doc[i]
            text.append(page.get_textpage().get_text_range())
        return len(doc), re.sub(r"\s+", " ", " ".join(text))
    finally:
        doc.close()


def test_briefing_html_has_every_section_and_escapes(store, registry):
    b = briefing(store, registry, "2023-07", "2023-12", lang="ru", today="2024-01-15")
    assert b.totals["events"] == 20 and b.totals["countries"] == 5
    assert [i.id for i in b.agenda.of("rising")] == ["water"]
    assert b.months == [f"2023-{m:02d}" for m in range(7, 13)] and sum(map(sum, b.per_month.values())) == 20
    assert b.institutions[0]["events"] >= b.institutions[-1]["events"]
    assert b.matrix["countries"] == ["KG", "KZ", "TJ", "TM", "UZ"] and "water" in b.matrix["directions"]
    page = render_html(b, "ru")
    for section in ('id="events"', 'id="rising"', 'id="quiet"', 'id="institutions"', 'id="matrix"',
                    'id="new-directions"'):
        assert section in page
    for words in ("Брифинг за период июль 2023 г. – декабрь 2023 г.", "Растущие направления", "водные ресурсы",
                  "зелёный водород", "Матрица сближения", "Самые активные институты", "15 января 2024 г."):
        assert words in page
    assert page.count("<svg") >= 3  # events per month, rising, institutions
    assert "<script" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; «Открытый регион»" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from elsewhere
    assert "<link" not in page
    english = render_html(b, "en")
    assert "Rising directions" in english and "water resources" in english and 'lang="en"' in english
    json.dumps(b.to_dict(), ensure_ascii=False)


def test_briefing_pdf_parses_says_it_and_is_drawn(store, registry):
    b = briefing(store, registry, "2023-07", "2023-12", lang="ru", today="2024-01-15")
    SCREENSHOTS.mkdir(exist_ok=True)
    for lang, expected in (("ru", ["Брифинг за период", "Растущие направления", "водные ресурсы",
                                   "Затихшие направления", "Матрица сближения", "Кандидаты в новые направления",
                                   "зелёный водород", "<script>alert('x')</script>"]),
                           ("en", ["Briefing for July 2023", "Rising directions", "water resources",
                                   "Directions gone quiet", "Convergence matrix", "Candidate new directions",
                                   "Shanghai Cooperation Organisation"])):
        data = render_pdf(b, lang)
        assert data.startswith(b"%PDF-")
        pages, text = _pdf_text(data)
        assert pages >= 2
        for words in expected:
            assert words in text, (lang, words)
        doc = pdfium.PdfDocument(data)
        try:
            picture = doc[0].render(scale=1.5).to_pil()
        finally:
            doc.close()
        picture.save(SCREENSHOTS / f"briefing-{lang}-p1.png")
        image = picture.convert("L")
        stat = ImageStat.Stat(image)
        assert stat.var[0] > 500  # not a blank page
        dark = sum(image.histogram()[:200]) / (image.width * image.height)
        assert 0.02 < dark < 0.5  # text and charts, not a page painted over


def test_a_period_without_events_still_renders(store, registry):
    b = briefing(store, registry, "2030", "2030", lang="en")
    assert b.totals["events"] == 0 and b.agenda.items == []
    page = render_html(b)
    assert "The period has no events." in page
    pages, text = _pdf_text(render_pdf(b))
    assert pages >= 1 and "The period has no events." in text


def test_a_missing_font_is_named(tmp_path, monkeypatch, store, registry):
    monkeypatch.setenv("KURULTAI_FONTS", str(tmp_path))
    with pytest.raises(BriefingError, match=re.escape(str(tmp_path / "DejaVuSans.ttf")) + ": font file not found"):
        font_files()
    b = briefing(store, registry, "2023-07", "2023-12")
    with pytest.raises(BriefingError, match="fonts-dejavu-core"):
        render_pdf(b)
    with pytest.raises(BriefingError, match="lang: 'de'"):
        render_html(b, "de")


def test_english_briefing_names_registry_institutions_in_english(store, registry):
    """The knowledge base keeps an institution under the (Russian) name its reports gave it; the
    English briefing names it as the registry does in English, the Russian one as stored."""
    from kurultai.report.briefing import view
    b = briefing(store, registry, "2023-07", "2023-12", lang="en", today="2024-01-15")
    en, ru = view(b, "en"), view(b, "ru")
    names_en = [i["name"] for i in en["institutions"]]
    english = {inst.label("en") for inst in registry.institutions.values()}
    assert names_en and set(names_en) <= english, names_en
    assert all(re.search("[а-яё]", i["name"], re.I) for i in ru["institutions"])
    organisers = [o for e in en["events"] for o in e["organisers"]]
    assert organisers and set(organisers) <= english, organisers
    assert names_en[0] in render_html(b, "en")
