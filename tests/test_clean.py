"""clean(): layout repair for NLP, with an offset map that leads every character back to raw."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kurultai.read import Cleaned, clean


def assert_exact_map(raw: str, cleaned: Cleaned) -> None:
    """The invariants the extraction relies on to cite evidence in the raw text."""
    offsets = list(cleaned.offsets)
    assert len(offsets) == len(cleaned.offsets) == len(cleaned.text) + 1
    assert offsets[-1] == len(raw)
    assert all(a < b for a, b in zip(offsets, offsets[1:]))
    assert offsets == [cleaned.offsets[i] for i in range(len(offsets))]
    for ch, at in zip(cleaned.text, offsets):
        if ch in " \n":
            assert raw[at].isspace(), (ch, at, raw[at])
        else:
            assert raw[at] == ch


def test_rejoins_a_word_hyphenated_across_a_line_end():
    raw = "Обсуждались вопросы транспортно-\nлогистического сотрудничества."
    cleaned = clean(raw)
    assert cleaned.text == "Обсуждались вопросы транспортно-логистического сотрудничества."
    assert_exact_map(raw, cleaned)


def test_rejoins_after_crlf_and_drops_the_indentation():
    raw = "развитие транспортно-\r\n    логистического коридора"
    cleaned = clean(raw)
    assert cleaned.text == "развитие транспортно-логистического коридора"
    start = cleaned.text.index("транспортно")
    raw_start, raw_end = cleaned.to_raw(start, start + len("транспортно-логистического"))
    assert raw[raw_start:raw_end] == "транспортно-\r\n    логистического"
    assert_exact_map(raw, cleaned)


def test_a_dash_between_spaces_is_not_a_hyphenated_word():
    cleaned = clean("Участники —\nэксперты из пяти стран.")
    assert cleaned.text == "Участники — эксперты из пяти стран."


def test_soft_hyphen_at_a_line_end_joins_the_word_and_disappears():
    raw = "сотруд\u00ad\nничество и со\u00adтрудничество"
    cleaned = clean(raw)
    assert cleaned.text == "сотрудничество и сотрудничество"
    assert_exact_map(raw, cleaned)


def test_folds_spaces_tabs_and_no_break_spaces():
    raw = "  Форум\u00a0\u00a0прошёл \t в\u202fАстане,\u2009 19 июня.  "
    cleaned = clean(raw)
    assert cleaned.text == "Форум прошёл в Астане, 19 июня."
    assert_exact_map(raw, cleaned)
    assert raw[cleaned.offsets[cleaned.text.index(" прошёл")]] == "\u00a0"


def test_zero_width_characters_are_removed():
    raw = "Цен\u200bтральная\ufeff Азия"
    cleaned = clean(raw)
    assert cleaned.text == "Центральная Азия"
    assert_exact_map(raw, cleaned)


def test_joins_lines_of_a_paragraph_broken_by_layout():
    raw = (
        "Онлайн круглый стол, организованный Институтом мировой экономики и\n"
        "политики, был посвящён итогам IV Консультативной встречи глав государств\n"
        "Центральной Азии.\n"
        "Следующий абзац начинается с новой строки.\n"
    )
    cleaned = clean(raw)
    assert cleaned.text == (
        "Онлайн круглый стол, организованный Институтом мировой экономики и политики, был "
        "посвящён итогам IV Консультативной встречи глав государств Центральной Азии.\n"
        "Следующий абзац начинается с новой строки."
    )
    assert_exact_map(raw, cleaned)


def test_blank_lines_become_exactly_one_paragraph_break():
    for raw in ("Первый абзац.\n\nВторой.", "Первый абзац.\r\n \r\n\t\r\n\r\nВторой.", "Первый абзац.\r\rВторой."):
        cleaned = clean(raw)
        assert cleaned.text == "Первый абзац.\n\nВторой."
        assert_exact_map(raw, cleaned)


def test_a_pdf_page_break_is_a_paragraph_break():
    raw = "конец первой страницы\n\f\nначало второй"
    assert clean(raw).text == "конец первой страницы\n\nначало второй"


def test_menu_lines_stay_apart_from_sentences():
    raw = (
        "Events\n19.06.2025\n|\nПодпишитесь\n"
        "Эксперты пяти стран Центральной Азии обсудили развитие Среднего коридора\n"
        "Events\n"
        "и договорились о новых встречах.\n"
    )
    lines = clean(raw).text.split("\n")
    assert lines[:4] == ["Events", "19.06.2025", "|", "Подпишитесь"]
    assert lines[4] == "Эксперты пяти стран Центральной Азии обсудили развитие Среднего коридора"
    assert lines[5] == "Events и договорились о новых встречах."


def test_a_long_line_goes_on_with_a_capitalised_line():
    raw = "В дискуссии приняли участие представители Института стратегических\nИсследований при Президенте Республики Узбекистан."
    assert "\n" not in clean(raw).text


def test_a_heading_stays_apart_from_the_paragraph_below_when_lines_are_paragraphs():
    raw = (
        "Turkic states' think tanks meet to advance regional cooperation\n"
        "Think tanks from Turkic countries have convened for a high-level meeting in Kazakhstan's "
        "capital Astana, where the heads of the foreign policy research centres of the member and "
        "observer states of the Organization of Turkic States discussed their joint research.\n"
    )
    assert clean(raw).text.split("\n")[0] == "Turkic states' think tanks meet to advance regional cooperation"


def test_list_items_keep_their_line_breaks():
    raw = (
        "Участники обсудили следующие направления сотрудничества, включая\n"
        "- торговлю и инвестиции\n"
        "• транспорт и логистику\n"
        "1) климат\n"
        "2. туризм\n"
    )
    lines = clean(raw).text.split("\n")
    assert lines[1:] == ["- торговлю и инвестиции", "• транспорт и логистику", "1) климат", "2. туризм"]


def test_a_line_after_a_finished_sentence_stays_apart():
    raw = "Стороны подписали меморандум о сотрудничестве в области образования.\nвторая строка"
    assert clean(raw).text == "Стороны подписали меморандум о сотрудничестве в области образования.\nвторая строка"


def test_to_raw_maps_a_span_back_to_its_evidence():
    raw = "Институт   мировой\nэкономики и политики\u00a0(ИМЭП)"
    cleaned = clean(raw)
    assert cleaned.text == "Институт мировой экономики и политики (ИМЭП)"
    start = cleaned.text.index("ИМЭП")
    assert cleaned.to_raw(start, start + 4) == (raw.index("ИМЭП"), raw.index("ИМЭП") + 4)
    start = cleaned.text.index("мировой")
    raw_start, raw_end = cleaned.to_raw(start, start + len("мировой экономики"))
    assert raw[raw_start:raw_end] == "мировой\nэкономики"
    assert cleaned.to_raw(3, 3) == (3, 3)


def test_empty_and_blank_text():
    for raw in ("", "\n\n  \r\n", "\u200b"):
        cleaned = clean(raw)
        assert cleaned.text == ""
        assert list(cleaned.offsets) == [len(raw)]


def test_offsets_behave_as_a_sequence_and_pickle():
    raw = "a  b\nC"
    cleaned = clean(raw)
    assert cleaned.text == "a b\nC"
    assert list(cleaned.offsets) == [0, 1, 3, 4, 5, 6]
    assert cleaned.offsets[-1] == 6
    assert cleaned.offsets[1:3] == [1, 3]
    with pytest.raises(IndexError):
        cleaned.offsets[6]
    assert pickle.loads(pickle.dumps(cleaned)) == cleaned


_ALPHABET = st.sampled_from(
    list("aZбЮ1.,;:-–«»|•() ") + ["\n", "\r", "\r\n", "\t", "\f", "\u00a0", "\u202f", "\u2009", "\u00ad", "\u200b", "\ufeff", "\x01", "\u2029", "\x85"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.text(max_size=8)), max_size=60).map("".join))
def test_offsets_are_exact_for_any_text(raw):
    assert_exact_map(raw, clean(raw))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["word", "Слово", "транспортно-", " ", "\n", "\n\n", "\r\n", "- ", "1) ", "\u00a0", "."]), max_size=80).map("".join))
def test_offsets_are_exact_for_layout_like_text(raw):
    cleaned = clean(raw)
    assert_exact_map(raw, cleaned)
    assert "  " not in cleaned.text and "\n\n\n" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()
