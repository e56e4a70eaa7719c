"""Event type, format and the topic fields (directions, threats, frameworks) on short composed texts."""
from __future__ import annotations

import pytest

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


# --- format --------------------------------------------------------------------------------------

def test_event_held_in_a_named_place_is_offline(extractor):
    ev = event(extractor, "В российском городе Новосибирск состоялся международный форум «Регионы и связи», "
                          "который собрал экспертов из четырех стран.")
    assert ev["format"] == "offline"
    ev = event(extractor, "3 апреля 2025 года в Вене прошла встреча послов стран Центральной Азии.")
    assert ev["format"] == "offline"
    ev = event(extractor, "A regional conference on water diplomacy was held in Geneva on 4 March 2024. "
                          "Experts from five countries attended.")
    assert ev["format"] == "offline"


def test_online_cue_beats_a_named_place(extractor):
    ev = event(extractor, "3 апреля 2025 года в Бишкеке в режиме онлайн прошел вебинар о водных ресурсах.")
    assert ev["format"] == "online"


def test_in_person_and_online_audience_is_hybrid(extractor):
    ev = event(extractor, "On 24 September 2022 the Academy held a conference on regional change. The panels "
                          "engaged with the online and in-person audience through a Q&A.")
    assert ev["format"] == "hybrid"
    ev = event(extractor, "14 мая 2024 года в Ташкенте прошла конференция. Часть участников присутствовала очно, "
                          "другие подключились онлайн.")
    assert ev["format"] == "hybrid"


# --- directions, threats, frameworks ---------------------------------------------------------------

def test_description_filter_needs_an_institution_as_subject(extractor):
    ev = event(extractor, "12 мая 2024 года в Алматы прошел круглый стол. Участники сошлись во мнении, что "
                          "проблемы экономической интеграции не являются препятствием для роста.")
    assert "trade" in ev["directions"]
    ev = event(extractor, "12 мая 2024 года в Алматы прошел круглый стол. По итогам участники рекомендовали "
                          "создать рабочую группу по водным ресурсам.")
    assert "water" in ev["directions"]
    # a sentence that describes the host institution adds none of its fields of work
    ev = event(extractor, "12 мая 2024 года в Алматы прошел круглый стол о безопасности. Институт мировой "
                          "экономики и политики является аналитическим центром и занимается энергетикой.")
    assert "energy" not in ev["directions"]


def test_registry_additions_are_not_listed_as_frameworks(extractor):
    ev = event(extractor, "12 мая 2024 года в Ташкенте прошел круглый стол. Эксперты обсудили строительство "
                          "Трансафганской железной дороги и роль ШОС в регионе.")
    assert ev["frameworks"] == ["sco"]


def test_country_in_a_list_of_participating_countries_is_no_topic(extractor):
    ev = event(extractor, "12 мая 2024 года в Алматы прошла конференция по торговле, в которой приняли участие "
                          "эксперты из Китая, России, Таджикистана и Афганистана.")
    assert "afghanistan" not in ev["directions"] and "trade" in ev["directions"]
    ev = event(extractor, "12 мая 2024 года в Алматы прошла конференция. Эксперты обсудили ситуацию в "
                          "Афганистане и вопросы безопасности.")
    assert "afghanistan" in ev["directions"]


def test_research_words_of_think_tank_reports_are_no_education_topic(extractor):
    ev = event(extractor, "On 4 March 2024 the Institute hosted a round table on trade in the university's main "
                          "auditorium. A senior researcher presented academic research on regional markets.")
    assert "education_science" not in ev["directions"] and "trade" in ev["directions"]
    ev = event(extractor, "On 4 March 2024 the Institute hosted a round table on academic exchange and research "
                          "cooperation between Central Asian universities.")
    assert "education_science" in ev["directions"]


def test_a_shortage_names_a_threat(extractor):
    ev = event(extractor, "On 16 November 2023 a round table on regional development was held in Almaty. Speakers "
                          "said the region will face a severe water deficit within five years.")
    assert "water_scarcity" in ev["threats"]
    ev = event(extractor, "16 ноября 2023 года в Алматы прошел круглый стол. Эксперты отметили, что дефицит "
                          "воды в низовьях рек растет.")
    assert "water_scarcity" in ev["threats"]


def test_threat_needs_a_marker_in_its_sentence(extractor):
    ev = event(extractor, "16 ноября 2023 года в Алматы прошел круглый стол об изменении климата и "
                          "сотрудничестве в энергетике.")
    assert ev["threats"] == [] and "climate_environment" in ev["directions"]


def test_trade_from_economic_partnership_and_development(extractor):
    for raw in ("12 мая 2024 года в Бишкеке прошел круглый стол «Значение экономического партнерства ЕАЭС и ЕС».",
                "5 февраля 2024 г. в Москве состоялась встреча, на которой обсуждены вопросы развития экономики.",
                "On 4 March 2024 a conference on regional value chains was held in Astana."):
        assert "trade" in event(extractor, raw)["directions"], raw
    # an academic field's name is no area of cooperation
    ev = event(extractor, "12 мая 2024 года в Ташкенте прошла встреча директоров институтов, изучающих проблемы "
                          "международных политических и экономических отношений.")
    assert "trade" not in ev["directions"]


def test_direction_said_once_in_background_is_no_topic(extractor):
    # said once, in a sentence about the host's history: not an area the event spoke of
    ev = event(extractor, "12 мая 2024 года в Ташкенте прошел круглый стол о безопасности в регионе. Институт "
                          "в прошлом году переехал в здание бывшего туристического агентства.")
    assert "tourism" not in ev["directions"] and "security" in ev["directions"]
    # said once by a speaker, or twice anywhere: it counts
    ev = event(extractor, "12 мая 2024 года в Ташкенте прошел круглый стол о безопасности. Эксперт Алишер "
                          "Юсупов отметил рост туризма между странами.")
    assert "tourism" in ev["directions"]


def test_framework_named_once_in_a_job_title_is_no_topic(extractor):
    ev = event(extractor, "17 июля 2019 года в Вене состоялось заседание по безопасности. Ключевыми докладчиками "
                          "были приглашены Валерий Семенов и начальник отдела Первого департамента стран СНГ "
                          "Олег Кравцов.")
    assert "cis" not in ev["frameworks"]
    ev = event(extractor, "17 июля 2019 года в Вене состоялось заседание по безопасности. Эксперты обсудили "
                          "роль СНГ в регионе.")
    assert "cis" in ev["frameworks"]


def test_next_day_is_a_time_not_a_future_event(extractor):
    rec = extractor.extract(Text("12 мая 2024 года в Алматы прошла встреча экспертов. На следующий день состоялся "
                                 "форум «Центральная Азия и мир».", "t.txt", {"format": "txt"}))
    assert [(e["type"], e["date"]["value"]) for e in rec["events"]] == [("meeting", "2024-05-12"), ("forum", "2024-05-13")]


def test_people_met_in_a_city_and_others_joined_online_is_hybrid(extractor):
    ev = event(extractor, "14 мая 2024 года в Ташкенте прошел форум экспертов. Часть участников подключилась "
                          "к обсуждению в режиме видеоконференции.")
    assert ev["format"] == "hybrid"


@pytest.mark.parametrize("text", [
    "14 сентября 2023 года в Душанбе главы государств Центральной Азии провели встречу.",
    "On 14 September 2023 the heads of state of Central Asia held a meeting in Dushanbe.",
    "Ұжымдық қауіпсіздік туралы шарт ұйымына мүше елдердің басшылары 23 тамызда жиын өткізді.",
])
def test_a_meeting_of_heads_of_state_is_a_summit(extractor, text):
    assert extract(extractor, text)["events"][0]["type"] == "summit"


@pytest.mark.parametrize("raw, value", [
    ("Tashkent, 22 May 2024. On May 21, the institute held a round table on water policy.", "2024-05-21"),
    ("Алматы, 3 октября 2024 года. 2 октября в институте прошел семинар по цифровой экономике.", "2024-10-02"),
])
def test_a_dateline_opening_with_a_known_place_gives_the_year(extractor, raw, value):
    rec = extract(extractor, raw)
    assert rec["document"]["published"] == value[:8] + str(int(value[8:]) + 1).zfill(2)
    assert rec["events"][0]["date"]["value"] == value


def test_a_compound_adjective_speaks_of_each_of_its_parts(extractor):
    rec = extract(extractor, "17 апреля 2025 года в Астане состоялась встреча экспертов. Стороны обсудили "
                             "развитие транзитно-транспортного потенциала и финансово-банковского сектора.")
    assert {"transport_logistics", "finance_investment"} <= set(rec["events"][0]["directions"])


def test_an_announcement_reports_no_event(extractor):
    rec = extract(extractor, "13.05.2025\n\nАнонс: 15 мая в институте состоится круглый стол «Центральная Азия и "
                             "ЕАЭС».\n\n15 мая 2025 года институт проведет экспертный круглый стол. Итоги "
                             "прошлогоднего заседания, прошедшего 20 мая 2024 года, см. здесь.")
    assert rec["events"] == []


def test_a_background_sentence_does_not_give_the_reported_event(extractor):
    rec = extract(extractor, "Ашхабад, 10 августа 2025 года. В Ашхабаде министры провели переговоры. Стороны "
                             "обсудили торговлю.\n\nНапомним, что предыдущий форум министров состоялся в Астане "
                             "в августе 2024 года.")
    assert [e["type"] for e in rec["events"]] == ["meeting"]
    assert rec["events"][0]["date"] is None or not rec["events"][0]["date"]["value"].startswith("2024")


@pytest.mark.parametrize("raw, value", [
    ("ТАШКЕНТ, 4 апреля. Сегодня в Ташкенте прошел форум экспертов.", "--04-04"),
    ("Ташкент, 4 апреля. Вчера в Ташкенте прошел форум экспертов.", "--04-03"),
    ("Almaty, 5 qazan. Búgin Almatyda sarapshylar forýmy ótti.", "--10-05"),
    ("Самарқанд, 4 апрель. Бугун Самарқанд шаҳрида иқтисодий форум ўз ишини бошлади.", "--04-04"),
])
def test_a_relative_day_counts_from_a_dateline_with_no_year(extractor, raw, value):
    assert extract(extractor, raw)["events"][0]["date"]["value"] == value


def test_a_quoted_lower_case_word_is_no_title(extractor):
    rec = extract(extractor, "4 апреля 2025 года в Ташкенте прошел форум. На форуме обсудили «зеленую» "
                             "экономику и «умные» города.")
    assert rec["events"][0]["title"] is None


def test_a_job_title_is_no_topic(extractor):
    rec = extract(extractor, "2025 жылғы 12 наурызда Астанада дөңгелек үстел өтті. Институттың жетекші ғылыми "
                             "қызметкері Ерлан Сейітов су ресурстары туралы айтты.")
    assert "education_science" not in rec["events"][0]["directions"]
    assert "water" in rec["events"][0]["directions"]
