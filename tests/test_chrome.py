"""Page chrome (menus, counters, bylines, share lines, related links) kept out of a document's
title and its search snippets, in composed pages in Russian, English, Uzbek and Kazakh."""
from __future__ import annotations

import subprocess

import pytest

from kurultai.ingest.run import ingest
from kurultai.read import read_bytes
from kurultai.read.chrome import chrome_lines, is_chrome
from kurultai.store.search import search

from .conftest import fresh_store
from .inprocess import invoke

PAGES = {
    "ru": ("Главная | Новости | Аналитика | Контакты |\n"
           "14:35 👁 1 118\n"
           "Поделиться: ВКонтакте Telegram WhatsApp\n"
           "Автор: Мария Иванова, фото пресс-службы института\n"
           "Круглый стол о водной безопасности прошёл в Алматы\n\n"
           "12 мая 2024 года в Алматы состоялся круглый стол «Водная безопасность Центральной Азии», "
           "организованный Казахстанским институтом стратегических исследований. Эксперты из "
           "Казахстана и Узбекистана обсудили совместное управление водными ресурсами бассейна.\n\n"
           "Теги: вода, безопасность, Центральная Азия\n"
           "Читайте также:\n"
           "Водный форум в Ташкенте собрал экспертов региона\n"
           "Эксперты обсудили водную дипломатию в Бишкеке\n",
           "Круглый стол о водной безопасности прошёл в Алматы", "водной", "Главная"),
    "en": ("Home › News › Events\n"
           "By Jane Walker | 3 min read\n"
           "Views: 2,401\n"
           "By Jane Walker and Tom Reed\n"
           "Experts discuss regional water security at Tashkent forum\n\n"
           "On 14 May 2024 the Institute for Strategic and Regional Studies held a forum in Tashkent "
           "on regional water security. Experts from Uzbekistan and Kazakhstan discussed joint "
           "management of water in the Aral Sea basin.\n\n"
           "Share: Facebook Twitter LinkedIn Email\n"
           "Related news\n"
           "Water diplomacy meeting held in Bishkek\n"
           "Regional water experts meet in Dushanbe\n",
           "Experts discuss regional water security at Tashkent forum", "water", "Home"),
    "uz": ("Bosh sahifa | Yangiliklar | Tahlil | Aloqa\n"
           "10:20   👁 3 507\n"
           "Ulashish: Telegram Facebook\n"
           "Telegram Facebook WhatsApp Instagram\n"
           "Toshkentda suv xavfsizligi bo‘yicha davra suhbati bo‘lib o‘tdi\n\n"
           "2024-yil 15-may kuni Toshkentda Strategik va mintaqalararo tadqiqotlar instituti "
           "suv xavfsizligi bo‘yicha davra suhbatini o‘tkazdi. Qozog‘iston va O‘zbekiston "
           "ekspertlari suv resurslarini birgalikda boshqarishni muhokama qildi.\n",
           "Toshkentda suv xavfsizligi bo‘yicha davra suhbati bo‘lib o‘tdi", "suv", "Bosh"),
    "kk": ("Басты бет | Жаңалықтар | Сарапшылар | Байланыс\n"
           "16 мамыр 2024, 11:05\n"
           "Қаралды: 1 204\n"
           "Тегтер: су, қауіпсіздік, Орталық Азия\n"
           "Алматыда су қауіпсіздігі туралы дөңгелек үстел өтті\n\n"
           "2024 жылы 16 мамырда Алматыда Қазақстан стратегиялық зерттеулер институты су "
           "қауіпсіздігі туралы дөңгелек үстел өткізді. Қазақстан мен Өзбекстан сарапшылары су "
           "ресурстарын бірлесіп басқаруды талқылады.\n",
           "Алматыда су қауіпсіздігі туралы дөңгелек үстел өтті", "су", "Басты"),
}


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_title_is_the_first_headline_after_the_chrome(lang, extractor):
    page, title, _, _ = PAGES[lang]
    record = extractor.extract(read_bytes(page.encode(), f"{lang}.txt"))
    assert record["document"]["title"] == title


def test_snippets_neither_start_in_nor_consist_of_chrome(tmp_path, extractor):
    for lang, (page, *_rest) in PAGES.items():
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "docs" / f"{lang}.txt").write_text(page, encoding="utf-8")
    store = fresh_store("sqlite", tmp_path)
    try:
        ingest(store, [tmp_path / "docs"], extractor)
        for lang, (page, title, word, menu) in PAGES.items():
            for query in (word, menu, ""):  # the menu's own word matches nothing but the menu
                hits, _ = search(store, query)
                hit = next(h for h in hits if h.source.endswith(f"{lang}.txt"))
                assert not hit.snippet.lstrip().startswith(page.split("\n")[0][:8]), (lang, query, hit.snippet)
                first = hit.snippet.strip().split("\n")[0]
                assert not is_chrome(first), (lang, query, hit.snippet)
                assert title[:10] in hit.snippet or page.split("\n\n")[1][:20] in hit.snippet, (lang, query, hit.snippet)
    finally:
        store.close()


CHROME = ["Главная | Новости |", "14:35 👁 1 118", "Просмотров: 1 118", "1 118 просмотров", "24 views",
          "Home › News › Central Asia water forum opens in Tashkent", "Поделиться: Facebook Telegram",
          "Share this: Facebook Twitter", "Facebook Twitter Telegram", "Теги: экономика, вода",
          "Tags: water, energy", "Автор: Иван Петров", "By Jane Doe", "Фото: пресс-служба МИД",
          "Читайте также:", "Related news", "12 мая 2024", "05.06.2024 10:15", "Главная Новости Аналитика Контакты",
          "Bosh sahifa | Yangiliklar", "Ko‘rishlar: 5 120", "Басты бет › Жаңалықтар", "Бөлісу: Telegram Facebook"]
TEXT = ["Круглый стол по водной безопасности прошёл в Алматы",
        "In Tashkent, experts discussed water security of the region.",
        "By the end of the forum, the sides agreed to meet again.",
        "Share of renewable energy in Kazakhstan grew to 5 percent in 2023.",
        "Toshkentda suv xavfsizligi bo‘yicha davra suhbati bo‘lib o‘tdi",
        "Алматыда су қауіпсіздігі туралы дөңгелек үстел өтті",
        "Автор доклада, директор института, выступил первым.",
        "Tashkent – Almaty – Bishkek: a new transport corridor for the region"]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_lines_are_told_by_shape_and_labels(line):
    assert is_chrome(line)


@pytest.mark.parametrize("line", TEXT)
def test_report_lines_are_not_chrome(line):
    assert not is_chrome(line)


def test_short_links_under_a_related_header_are_chrome_and_the_text_after_them_is_not():
    text = ("Отчёт о форуме.\nЧитайте также:\nВодный форум в Ташкенте собрал экспертов\n"
            "Эксперты обсудили водную дипломатию\n\nНа форуме выступили эксперты из пяти стран.\n")
    lines = [text[a:b] for a, b in chrome_lines(text)]
    assert lines == ["Читайте также:", "Водный форум в Ташкенте собрал экспертов", "Эксперты обсудили водную дипломатию"]


def _kurultai(*args) -> subprocess.CompletedProcess:
    """The command in this process (tests/inprocess.py)."""
    return invoke(*args)


def test_a_folders_readme_and_license_are_skipped_with_a_notice_and_read_when_named(tmp_path):
    """`kurultai ingest samples` took samples/README.md for a report."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "ru.txt").write_text(PAGES["ru"][0], encoding="utf-8")
    (folder / "README.md").write_text("# Reports\n\nSample reports for the demo; see the project's guide.\n",
                                      encoding="utf-8")
    (folder / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person.\n", encoding="utf-8")
    (folder / "readme-forum.txt").write_text(PAGES["en"][0], encoding="utf-8")  # a report, by its whole name
    db = tmp_path / "k.db"
    done = _kurultai("ingest", folder, "--db", db, "-q")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 new"), done.stdout
    for name in ("README.md", "LICENSE"):
        assert f"kurultai: skipped {folder / name}: a project file" in done.stderr
    assert "readme-forum" not in done.stderr
    out = tmp_path / "records"
    done = _kurultai("extract", folder, "-o", out)
    assert sorted(p.name for p in out.iterdir()) == ["readme-forum.json", "ru.json"]
    assert "skipped" in done.stderr and "README.md" in done.stderr
    done = _kurultai("ingest", folder / "README.md", "--db", db, "-q")  # named: read as asked
    assert done.stdout.startswith("1 new"), done.stdout
    assert "skipped" not in done.stderr
