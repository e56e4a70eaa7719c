"""Speakers with their affiliations, outcomes and earlier events, on short texts composed for each
behaviour (the fixtures ru-meeting-iir-ambassador-passive-2025, ru-forum-kisi-head-of-state-cut,
en-rt-edb-middle-corridor-2025 and en-conf-iir-president-ambassador-2024 hold them together)."""
from __future__ import annotations

import pytest

from kurultai.read import Text


def extract(extractor, raw: str) -> dict:
    return extractor.extract(Text(raw, "test.txt", {"format": "txt"}))


def person(rec, name: str) -> dict:
    return next(p for p in rec["persons"] if p["name"] == name)


def affiliation(rec, p: dict) -> str | None:
    return next((o["name"] for o in rec["organizations"] if o["id"] == p["affiliation"]), None)


def speaker_names(rec) -> set[str]:
    by_id = {p["id"]: p["name"] for p in rec["persons"]}
    return {by_id[i] for i in rec["events"][0]["speakers"]}


# -- people ------------------------------------------------------------------------------------

def test_one_person_across_case_forms_named_in_the_nominative(extractor):
    rec = extract(extractor, "12 мая 2025 года в Ашхабаде прошла конференция. В ней принял участие министр "
                             "иностранных дел Туркменистана Р.Мередов. Были заслушаны выступления министра "
                             "иностранных дел Туркменистана Р.Мередова и других гостей.")
    people = [p for p in rec["persons"] if "Мередов" in p["name"]]
    assert [p["name"] for p in people] == ["Р.Мередов"]
    assert len(people[0]["mentions"]) == 2
    assert affiliation(rec, people[0]) == "Министерство иностранных дел Туркменистана"


def test_no_person_from_a_namesake_a_title_or_a_word_cut_by_the_page(extractor):
    rec = extract(extractor, "10 апреля 2025 года в Москве прошел семинар. Д-р Иван Петров из Университета "
                             "им. Е. М. Примакова отметил рост торговли. В обсуждении выступил К.Имн")
    names = {p["name"] for p in rec["persons"]}
    assert "Иван Петров" in names
    assert not any("Примаков" in n or "Имн" in n or n.startswith("Д-р") for n in names)


def test_an_ambassador_works_at_his_states_embassy_in_the_host_state(extractor):
    rec = extract(extractor, "5 марта 2025 года в Ашхабаде состоялся круглый стол. Посол Узбекистана в "
                             "Туркменистане Шухрат Исмаилов отметил рост товарооборота.")
    p = person(rec, "Шухрат Исмаилов")
    assert affiliation(rec, p) == "Посольство Республики Узбекистан в Туркменистане"
    assert p["id"] in rec["events"][0]["speakers"]


def test_an_office_named_without_a_name_is_its_holder(extractor):
    rec = extract(extractor, "Астана, 5 июня 2024 года. В Акорде состоялась встреча Президента Казахстана "
                             "Касым-Жомарта Токаева с участниками форума аналитических центров.\n"
                             "Глава нашего государства подчеркнул, что региону нужны новые транспортные коридоры.")
    p = person(rec, "Касым-Жомарт Токаев")
    assert affiliation(rec, p) == "Президент Республики Казахстан"
    assert p["id"] in rec["events"][0]["speakers"]


def test_the_head_of_a_delegation_works_where_it_comes_from(extractor):
    rec = extract(extractor, "On May 14, 2025, a delegation of the Russian International Affairs Council "
                             "led by Program Director Pavel Sorokin visited Tashkent. Pavel Sorokin said that "
                             "joint research was a priority.")
    assert affiliation(rec, person(rec, "Pavel Sorokin")) == "Russian International Affairs Council"


def test_english_names_after_a_speech_verb_and_before_a_title(extractor):
    rec = extract(extractor, "A round table was held in Almaty on 3 June 2025. \"Trade grew,\" said Arman "
                             "Bekov, Chief Economist of the Eurasian Development Bank. Saule Dzhaksybekova, "
                             "Senior Research Fellow, Kazakhstan Institute for Strategic Studies, presented a "
                             "study. The Management Board noted the results.")
    assert speaker_names(rec) == {"Arman Bekov", "Saule Dzhaksybekova"}
    assert affiliation(rec, person(rec, "Arman Bekov")) == "Eurasian Development Bank"


# -- outcomes ----------------------------------------------------------------------------------

def outcomes(rec) -> list[tuple[str, str]]:
    return [(o["kind"], o["text"]) for o in rec["events"][0]["outcomes"]]


def test_passive_and_nominal_outcomes_need_no_named_subject(extractor):
    rec = extract(extractor, "18 марта 2025 года в Ташкенте состоялась встреча экспертов. "
                             "Была принята совместная резолюция о развитии академических обменов. "
                             "Также определены задачи по подготовке совместного доклада. "
                             "Участники сошлись во мнении, что такие встречи укрепляют доверие.")
    kinds = outcomes(rec)
    assert ("agreement", "Была принята совместная резолюция о развитии академических обменов.") in kinds
    assert any(k == "agreement" and "определены задачи" in t for k, t in kinds)
    assert any(k == "assessment" and "сошлись во мнении" in t for k, t in kinds)


def test_an_agreement_of_an_earlier_year_is_not_this_events_outcome(extractor):
    rec = extract(extractor, "18 марта 2025 года в Ташкенте состоялась встреча экспертов. Напомним, что "
                             "соглашение о сотрудничестве между странами было подписано в 2019 году.")
    assert outcomes(rec) == []


def test_the_pages_last_sentence_cut_mid_way_still_states_an_outcome(extractor):
    rec = extract(extractor, "9 октября 2025 года в Астане прошел форум экспертов.\n\nПо итогам форума "
                             "участники приняли итоговую декларацию и договорились провести следующую встречу в го")
    assert any(k == "agreement" and "итоговую декларацию" in t for k, t in outcomes(rec))


def test_one_speakers_opinion_is_no_outcome(extractor):
    rec = extract(extractor, "18 марта 2025 года в Ташкенте состоялась встреча экспертов. Директор центра "
                             "Иван Петров предложил создать рабочую группу.")
    assert outcomes(rec) == []



def test_the_event_judged_a_platform_is_an_assessment_in_each_language(extractor):
    texts = {
        "ru": "4 апреля 2025 года в Бишкеке прошел форум аналитиков. Форум стал важной площадкой для обмена "
              "мнениями о водной политике.",
        "en": "On 4 April 2025 a conference of analysts took place in Bishkek. The organisers said the conference "
              "is a platform for young researchers to test their ideas.",
        "kk": "2025 жылғы 4 сәуірде Бішкекте сарапшылар форумы өтті. Форум су саясаты туралы пікір алмасу үшін "
              "маңызды алаң болды.",
    }
    for lang, raw in texts.items():
        assert any(k == "assessment" and ("площадкой" in t or "platform" in t or "алаң" in t)
                   for k, t in outcomes(extract(extractor, raw))), lang


def test_a_platform_said_of_something_else_is_no_assessment(extractor):
    rec = extract(extractor, "4 апреля 2025 года в Бишкеке прошел форум аналитиков. Участники говорили о "
                             "платформе Консультативной встречи, которая стала площадкой для диалога. "
                             "В 2026 году форум станет площадкой для молодых ученых.")
    assert not any("площадкой" in t for _, t in outcomes(rec))

# -- references --------------------------------------------------------------------------------

def references(rec) -> list[tuple[str, str | None]]:
    return [(r["title"], r["date"]) for r in rec["events"][0]["references"]]


def test_a_past_summit_without_a_year_is_the_latest_one_before_the_event(extractor):
    rec = extract(extractor, "12 марта 2025 года в Ташкенте состоялся круглый стол, посвященный итогам "
                             "прошедшего саммита ШОС.")
    assert [d for t, d in references(rec) if "ШОС" in t] == ["2024-07-03"]


def test_a_series_name_joined_by_a_dash_and_a_dated_visit_are_references(extractor):
    rec = extract(extractor, "12 марта 2024 года в Ташкенте прошел круглый стол. Эксперты вспомнили первый "
                             "саммит Центральная Азия-Китай и обсудили итоги визита Президента Узбекистана в "
                             "Казахстан, который состоялся 5 февраля 2024 года.")
    refs = references(rec)
    assert ("I Саммит Китай – Центральная Азия", "2023-05-18") in refs
    assert any(t.startswith("визита") and d == "2024-02-05" for t, d in refs)


def test_the_event_itself_and_planned_events_are_no_references(extractor):
    rec = extract(extractor, "На прошлой неделе, 9 октября 2025 года, в Душанбе состоялся второй саммит "
                             "«Центральная Азия – Россия». Следующий форум пройдет 20 ноября 2025 года в Бишкеке.")
    assert references(rec) == []



def test_names_with_no_regional_surname_beside_a_role_in_uzbek_and_kazakh(extractor):
    # a name in any script, with no -ov/-ev ending, after a role word or before a comma and a title
    rec = extract(extractor, "2025 жылғы 4 сәуірде Алматыда дөңгелек үстел өтті. Институт директоры Ербол "
                             "Сәрсенбай баяндама жасады. Андреас Фогель, доктор, іс-шараға онлайн қатысты.")
    names = {p["name"] for p in rec["persons"]}
    assert {"Ербол Сәрсенбай", "Андреас Фогель"} <= names
    rec = extract(extractor, "2025-yil 4-aprel kuni Toshkentda davra suhbati bo‘lib o‘tdi. Markaz direktori "
                             "Dilshod Yunus Qozog‘iston bilan hamkorlik haqida so‘zladi.")
    assert "Dilshod Yunus" in {p["name"] for p in rec["persons"]}
    assert not any("Qozog" in p["name"] for p in rec["persons"])


@pytest.mark.parametrize("sentence, name", [
    ('"We are ready," said Kazakh Minister of Foreign Affairs Murat Nurtleu at the opening.', "Murat Nurtleu"),
    ("Minister of National Economy Serik Zhumangarin noted the growth of exports.", "Serik Zhumangarin"),
    ("Deputy Minister of Energy Almasadam Satkaliyev presented the new grid plan.", "Almasadam Satkaliyev"),
])
def test_an_english_title_with_its_body_before_the_name(extractor, sentence, name):
    rec = extract(extractor, "On 3 May 2025 a forum took place in Astana. " + sentence)
    assert [p["name"] for p in rec["persons"]] == [name]
    assert person(rec, name)["id"] in rec["events"][0]["speakers"]


def test_a_title_with_its_body_and_no_name_is_nobody(extractor):
    rec = extract(extractor, "On 3 May 2025 a forum took place in Astana. The Director of the Institute of World "
                             "Economy and Politics spoke about trade.")
    assert rec["persons"] == []

def test_english_appositions_with_a_dash_and_a_title_before_a_comma(extractor):
    rec = extract(extractor, "A workshop was held on 11 September 2025 at the Kazakh-German University. Aigerim "
                             "Satpayeva – Head of the Water Programme of the Kazakh-German University – presented "
                             "a report. Director of the Institute for Strategic and Regional Studies, B. Karimov, "
                             "said that data should be shared.")
    assert speaker_names(rec) == {"Aigerim Satpayeva", "B. Karimov"}
    assert affiliation(rec, person(rec, "B. Karimov")).startswith("Institute for Strategic and Regional Studies")


def test_an_earlier_event_at_a_relative_time(extractor):
    rec = extract(extractor, "ALMATY, 12 September 2025\n\nA workshop was held on 11 September 2025 in Almaty. "
                             "Participants recalled the conclusions of the round table on water diplomacy held "
                             "last month in Bishkek.")
    assert references(rec) == [("round table on water diplomacy", "2025-08")]


def test_background_sentences_state_no_outcome(extractor):
    rec = extract(extractor, "18 марта 2025 года в Ташкенте состоялась встреча экспертов. Напомним, ранее "
                             "участники договорились создать общую базу данных. Участники высоко оценили "
                             "итоги встречи.")
    assert [k for k, _ in outcomes(rec)] == ["assessment"]


def test_a_bare_title_works_at_the_body_named_by_its_head_noun(extractor):
    rec = extract(extractor, "On September 10, 2024, a delegation visited the Center for Strategic Research "
                             "under the President of the Republic of Tajikistan. Director Jamshed Rajabzoda "
                             "briefed the guests on the Center's research priorities.")
    assert affiliation(rec, person(rec, "Jamshed Rajabzoda")).startswith("Center for Strategic Research")


def test_an_earlier_event_is_named_with_its_modifiers_and_dated_after_its_quoted_name(extractor):
    rec = extract(extractor, "21 мая 2024 года в институте прошел круглый стол. Участники обсудили итоги "
                             "Ташкентской международной конференции, состоявшейся в июле 2021 года.")
    assert references(rec) == [("Ташкентской международной конференции", "2021-07")]
    rec = extract(extractor, "On 21 May 2024, the institute held a round table on transport. The participants "
                             "discussed the outcomes of the Samarkand International Forum \"Water, Energy and "
                             "Food in a Warming Region of Central Asia\" held in July 2021.")
    [(title, date)] = references(rec)
    assert title.startswith("Samarkand International Forum") and date == "2021-07"


def participants(rec) -> set[str]:
    names = {o["id"]: o["name"] for o in rec["organizations"]}
    return {names[i] for i in rec["events"][0]["participants"]}


def test_a_person_who_took_part_brings_the_body_of_their_office(extractor):
    rec = extract(extractor, "Сегодня, 3 марта 2025 года, в Ашхабаде состоялось заседание глав внешнеполитических "
                             "ведомств. В заседании приняли участие Министр иностранных дел Республики Таджикистан "
                             "Сироджиддин Мухриддин и Министр иностранных дел Туркменистана Рашид Мередов.")
    assert {"Министерство иностранных дел Республики Таджикистан",
            "Министерство иностранных дел Туркменистана"} <= participants(rec)
    rec = extract(extractor, "2025-yil 3-mart kuni Toshkentda davra suhbati bo‘lib o‘tdi. Unda O‘zbekiston "
                             "Respublikasi Tashqi ishlar vaziri Bakhtiyor Saidov ishtirok etdi.")
    assert any("Tashqi ishlar vazirligi" in n or "иностранных дел" in n for n in participants(rec))
    # a person who took part in an earlier year's meeting brings nobody to this one
    rec = extract(extractor, "Сегодня, 3 марта 2025 года, в Ашхабаде состоялся круглый стол экспертов. В 2019 "
                             "году в подобной встрече принял участие Министр иностранных дел Туркменистана "
                             "Рашид Мередов.")
    assert "Министерство иностранных дел Туркменистана" not in participants(rec)


def test_an_event_ahead_is_no_earlier_event_even_with_a_date_near(extractor):
    rec = extract(extractor, "7 октября 2025 года в Бишкеке состоялось заседание министров. Стороны обсудили "
                             "итоги форума, прошедшего в ноябре 2024 года, а также подготовку к очередной "
                             "встрече глав государств.")
    assert [t for t, _ in references(rec)] == ["форума"]
    rec = extract(extractor, "On 7 October 2025 the ministers met in Bishkek. They discussed the results of the forum held in "
                             "November 2024 and the preparations for the summit of heads of state.")
    assert [t for t, _ in references(rec)] == ["forum"]


def test_last_years_event_takes_its_day_when_the_text_gives_it(extractor):
    rec = extract(extractor, "15 мая 2025 года в институте прошел круглый стол. Эксперты обсудили итоги "
                             "прошлогоднего форума, прошедшего 20 мая 2024 года.")
    assert references(rec) == [("прошлогоднего форума", "2024-05-20")]


def test_people_named_after_whose_side_they_are_on_work_there(extractor):
    rec = extract(extractor, "17 апреля 2025 года в Астане состоялась встреча экспертов. Со стороны КИСИ в "
                             "мероприятии приняли участие заместитель директора Санат Кушкумбаев и главный "
                             "научный сотрудник Жулдыз Абдиева.")
    assert affiliation(rec, person(rec, "Санат Кушкумбаев")).startswith("Казахстанский институт стратегических")


@pytest.mark.parametrize("raw, name, body", [
    ("5 мая 2025 года в Астане прошел форум. Его организовало Министерство энергетики Республики Казахстан. "
     "Министр энергетики Казахстана Алмасадам Саткалиев отметил рост экспорта.", "Алмасадам Саткалиев",
     "Министерство энергетики Республики Казахстан"),
    ("On 11 September 2025 a forum was organised in Almaty by the Ministry of National Economy of Kazakhstan. "
     "\"We are ready,\" said Kazakh Minister of National Economy Serik Zhumangarin.", "Serik Zhumangarin",
     "Ministry of National Economy of Kazakhstan"),
])
def test_a_minister_works_at_the_ministry_named_with_the_same_words(extractor, raw, name, body):
    rec = extract(extractor, raw)
    assert affiliation(rec, person(rec, name)) == body


def test_an_english_office_with_its_state_after_it_before_the_name(extractor):
    rec = extract(extractor, "On September 22, 2025, Minister of Foreign Affairs of the Republic of Uzbekistan "
                             "Bakhtiyor Saidov took part in a ministerial meeting held in New York. The meeting "
                             "was chaired by U.S. Deputy Secretary of State Christopher Landau.")
    p = person(rec, "Bakhtiyor Saidov")
    assert affiliation(rec, p) == "Ministry of Foreign Affairs of the Republic of Uzbekistan"
    assert "Christopher Landau" in {q["name"] for q in rec["persons"]}
    assert "UZ" in rec["events"][0]["countries"]


def test_a_summit_chaired_by_the_chairman_of_a_state_is_organised_by_that_office(extractor):
    rec = extract(extractor, "1 сентября 2025 года в Тяньцзине под председательством Председателя КНР Си "
                             "Цзиньпина прошел саммит глав государств. Председатель ОО «Диалог» Айгуль Сеитова "
                             "выступила с докладом.")
    names = {o["id"]: o["name"] for o in rec["organizations"]}
    assert "Председатель Китайской Народной Республики" in {names[i] for i in rec["events"][0]["organizers"]}
    assert not any(o["name"].startswith("Председатель") and o["id"] == person(rec, "Айгуль Сеитова")["affiliation"]
                   for o in rec["organizations"])
