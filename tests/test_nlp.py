"""Language-level pieces: dates, nominative forms, language detection."""
from __future__ import annotations

import datetime as dt

import pytest

from kurultai.nlp.dates import find_dates, resolve
from kurultai.nlp.lang import detect_language
from kurultai.nlp.morph import Morph, is_abbreviation


@pytest.fixture(scope="module")
def morph():
    return Morph()


@pytest.mark.parametrize("text, ref, value", [
    ("18 августа т.г. состоялся круглый стол", None, "--08-18"),
    ("18 августа т.г. состоялся круглый стол", dt.date(2022, 9, 1), "2022-08-18"),
    ("28-30 августа в Кабуле", dt.date(2015, 9, 3), "2015-08-28"),
    ("С 21 по 25 октября в Бишкеке", None, "--10-21"),
    ("24 ноября 2025 года прошёл", None, "2025-11-24"),
    ("met on September 22, 2021 in New York", None, "2021-09-22"),
    ("on 3 March 2024 the institute", None, "2024-03-03"),
    ("Опубликовано 19.06.2025", None, "2025-06-19"),
    ("в ноябре 2025 года", None, "2025-11"),
    # a December date in a January report belongs to the previous year
    ("18 декабря эксперты обсудили", dt.date(2024, 1, 10), "2023-12-18"),
])
def test_absolute_dates(text, ref, value):
    d = find_dates(text, "en" if text.isascii() else "ru")[0]
    assert resolve(d, ref) == value


@pytest.mark.parametrize("text, ref, value", [
    ("Вчера в столице открылся форум", dt.date(2025, 6, 3), "2025-06-02"),
    ("Сегодня состоялся круглый стол", dt.date(2025, 6, 3), "2025-06-03"),
    ("the think tanks met on Thursday", dt.date(2023, 9, 28), "2023-09-28"),  # a Thursday
    ("В понедельник делегация посетила", dt.date(2025, 2, 12), "2025-02-10"),
    ("в прошлом месяце прошла встреча", dt.date(2025, 3, 5), "2025-02"),
])
def test_relative_dates_need_the_documents_date(text, ref, value):
    d = find_dates(text, "en" if text.isascii() else "ru")[0]
    assert resolve(d, ref) == value
    assert resolve(d, None) is None


def test_impossible_day_is_not_a_date():
    d = find_dates("31 июня 2024 года", "ru")[0]
    assert d.text_value is None
    assert resolve(find_dates("31 июня", "ru")[0], dt.date(2024, 7, 1)) is None


@pytest.mark.parametrize("oblique, nominative", [
    ("Институтом мировой экономики и политики", "Институт мировой экономики и политики"),
    ("Казахстанско-немецкого университета", "Казахстанско-немецкий университет"),
    ("Центра стратегических исследований при Президенте Республики Таджикистан",
     "Центр стратегических исследований при Президенте Республики Таджикистан"),
    ("Кыргызско-Российском Славянском университете", "Кыргызско-Российский Славянский университет"),
    ("Высшей школы экономики", "Высшая школа экономики"),
    ("Дипломатической академией МИД", "Дипломатическая академия МИД"),
    # an adjective the dictionary reads first as a noun ('главное'), before a noun in its case
    ("Главного управления по вопросам миграции", "Главное управление по вопросам миграции"),
    ("Учебного центра МИД", "Учебный центр МИД"),
    ("Совета министров иностранных дел", "Совет министров иностранных дел"),
])
def test_institution_names_to_nominative(morph, oblique, nominative):
    assert " ".join(morph.nominative_phrase(oblique.split())) == nominative


@pytest.mark.parametrize("words, oblique, expected", [
    ("Ерланом Кариным", True, "Ерлан Карин"),
    ("Бакыта Жумабаева", None, "Бакыт Жумабаев"),
    ("Мурад Узаков", None, "Мурад Узаков"),
    ("Нодира Каримова", False, "Нодира Каримова"),  # a woman's name, nominative by its context
    ("Д. Хамидова", None, "Д. Хамидова"),
])
def test_person_names_to_nominative(morph, words, oblique, expected):
    assert " ".join(morph.nominative_name(words.split(), oblique)) == expected


def test_abbreviations_are_told_from_compound_adjectives():
    assert is_abbreviation("ИМЭП") and is_abbreviation("KazISS") and is_abbreviation("ЕврАзЭС")
    assert not is_abbreviation("Кыргызско-Российский") and not is_abbreviation("Институт")


@pytest.mark.parametrize("text, lang", [
    ("Эксперты обсудили перспективы регионального сотрудничества в Центральной Азии.", "ru"),
    ("Experts discussed the prospects of regional cooperation in Central Asia.", "en"),
    ("Сарапшылар Орталық Азиядағы өңірлік ынтымақтастықтың болашағын талқылады және "
     "бұл мәселе бойынша ұсыныстар әзірледі.", "kk"),
    ("Ekspertlar Markaziy Osiyoda mintaqaviy hamkorlik istiqbollarini muhokama qildi va "
     "bu bo'yicha tavsiyalar ishlab chiqildi.", "uz"),
    ("", "und"),
])
def test_language(text, lang):
    assert detect_language(text) == lang


def test_kazakh_chrome_around_a_russian_report_stays_russian():
    text = "Жаңалықтар | Басты бет\n" + "Эксперты обсудили вопросы водной безопасности и энергетики региона. " * 5
    assert detect_language(text) == "ru"


def test_a_list_separated_by_semicolons_is_one_sentence():
    from kurultai.nlp.analyse import Analyser
    text = ("Speakers included A. Bekov, Director of the Center; S. Nurova, Senior Fellow; and Dr. K. Li, "
            "Professor, who presented the study. The round table ended at noon.")
    sentences = Analyser().analyse(text, "en").sentences
    assert [text[s.start:s.stop] for s in sentences] == [text[:text.index(" The round")], "The round table ended at noon."]


def test_an_english_month_of_a_year_is_a_date():
    from kurultai.nlp.dates import find_dates
    text = "The forum held in July 2021 and the one of Sept. 2023 were larger than the May 21, 2024 meeting."
    got = [(text[d.start:d.stop], d.kind, d.year, d.month, d.day) for d in find_dates(text, "en")]
    assert got == [("in July 2021", "month", 2021, 7, None), ("Sept. 2023", "month", 2023, 9, None),
                   ("May 21, 2024", "date", 2024, 5, 21)]
