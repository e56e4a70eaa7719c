"""Event type, format and the topic fields (directions, threats, frameworks) on short composed texts."""
from __future__ import annotations

from kurultai.read import Text


def extract(extractor, raw: str) -> dict:
    return extractor.extract(Text(raw, "test.txt", {"format": "txt"}))


def event(extractor, raw: str) -> dict:
    rec = extract(extractor, raw)
    assert rec["events"], raw
    return rec["events"][0]


# --- type: which trigger anchors the event ---------------------------------------------------

def test_event_dedicated_to_another_event_is_not_that_event(extractor):
    ev = event(extractor, "12 марта 2025 года в Институте востоковедения состоялась встреча, посвящённая "
                          "значению предстоящего форума «Центральная Азия и мир». Перед студентами выступил "
                          "профессор Бахтияр Каримов.")
    assert ev["type"] in ("meeting", "lecture")
    ev = event(extractor, "On 4 June 2024 the Institute held a meeting dedicated to the upcoming Summit "
                          "\"Central Asia and Europe\". Professor Anna Berg said the region is changing.")
    assert ev["type"] in ("meeting", "lecture")


def test_capitalised_event_noun_after_an_event_noun_names_the_body(extractor):
    ev = event(extractor, "17 мая 2024 года в Вене состоялось пленарное заседание Форума ОБСЕ по "
                          "сотрудничеству в области безопасности. Посол Рустам Назаров отметил рост угроз.")
    assert ev["type"] == "meeting"


def test_format_phrase_is_not_the_event_noun(extractor):
    ev = event(extractor, "В пятницу 3 мая 2024 года в режиме видеоконференции прошел экспертный круглый стол "
                          "на тему «Вода и безопасность». Эксперт Алишер Юсупов отметил важность диалога.")
    assert ev["type"] == "round_table" and ev["format"] == "online"


def test_video_bridge_is_an_online_discussion(extractor):
    ev = event(extractor, "5 февраля 2024 г. состоялся видеомост Москва – Бишкек о сотрудничестве России со "
                          "странами Центральной Азии.")
    assert ev["type"] == "round_table" and ev["format"] == "online"
