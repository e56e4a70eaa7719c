"""Extraction rules on short texts composed for each behaviour."""
from __future__ import annotations

from kurultai.read import Text


def extract(extractor, raw: str) -> dict:
    return extractor.extract(Text(raw, "test.txt", {"format": "txt"}))


def orgs_by_name(record) -> dict:
    return {o["name"]: o for o in record["organizations"]}


def names(record, ids) -> set[str]:
    by_id = {o["id"]: o["name"] for o in record["organizations"]}
    return {by_id[i] for i in ids}


def test_registry_institution_in_any_case_gets_its_nominative_name(extractor):
    rec = extract(extractor, "Круглый стол организован Казахстанским институтом стратегических исследований "
                             "при Президенте Республики Казахстан (КИСИ). Эксперты КИСИ отметили рост торговли.")
    kisi = [o for o in rec["organizations"] if o.get("short") == "КИСИ"]
    assert len(kisi) == 1 and kisi[0]["country"] == "KZ"
    assert kisi[0]["name"].startswith("Казахстанский институт стратегических исследований")
    assert [m["text"] for m in kisi[0]["mentions"]][1:] == ["КИСИ", "КИСИ"]
    assert names(rec, rec["events"][0]["organizers"]) == {kisi[0]["name"]}


def test_unknown_institution_is_named_in_the_nominative_with_its_bracket_abbreviation(extractor):
    rec = extract(extractor, "14 марта 2024 года в Алматы прошел семинар, организованный Центром прикладных "
                             "исследований водных ресурсов (ЦПИВР). Директор ЦПИВР Айдар Сеитов отметил рост "
                             "дефицита воды.")
    org = next(o for o in rec["organizations"] if o.get("short") == "ЦПИВР")
    assert org["name"] == "Центр прикладных исследований водных ресурсов"
    ev = rec["events"][0]
    assert ev["type"] == "seminar" and ev["date"]["value"] == "2024-03-14" and ev["format"] == "offline"
    assert org["id"] in ev["organizers"]
    person = next(p for p in rec["persons"] if p["name"] == "Айдар Сеитов")
    assert person["affiliation"] == org["id"] and person["id"] in ev["speakers"]


def test_title_after_na_temu_and_no_title_for_a_series_name(extractor):
    rec = extract(extractor, "15 мая 2024 года состоялся круглый стол на тему «Водная дипломатия в Центральной "
                             "Азии», организованный ИСМИ.")
    assert rec["events"][0]["title"] == "Водная дипломатия в Центральной Азии"
    rec = extract(extractor, "9 октября в Душанбе состоялся второй саммит «Центральная Азия – Россия».")
    assert rec["events"][0]["title"] is None and rec["events"][0]["type"] == "summit"


def test_webinar_is_online_and_hall_with_video_link_is_hybrid(extractor):
    rec = extract(extractor, "Вчера ИМЭП провел вебинар, посвященный транспортным коридорам.")
    assert rec["events"][0]["format"] == "online"
    rec = extract(extractor, "В конференц-зале КИСИ состоялась конференция; часть экспертов подключилась "
                             "в режиме видеоконференции.")
    assert rec["events"][0]["format"] == "hybrid"


def test_threat_only_when_named_as_one(extractor):
    calm = extract(extractor, "25 мая 2024 года прошел семинар ИСМИ. Участники обсудили изменение климата и "
                              "водные ресурсы.")
    assert calm["events"][0]["threats"] == []
    assert {"climate_environment", "water"} <= set(calm["events"][0]["directions"])
    named = extract(extractor, "25 мая 2024 года прошел семинар ИСМИ. Участники назвали изменение климата "
                               "главной угрозой для региона.")
    assert named["events"][0]["threats"] == ["climate_change"]


def test_outcomes_are_the_participants_not_one_speaker(extractor):
    rec = extract(extractor, "12 апреля 2024 года в Ташкенте состоялся круглый стол ИСМИ. Директор ИСМИ "
                             "Бахтиёр Каримов предложил создать экспертную сеть. По итогам участники "
                             "договорились проводить встречи ежегодно и высоко оценили уровень дискуссии.")
    outcomes = rec["events"][0]["outcomes"]
    kinds = {o["kind"] for o in outcomes}
    assert kinds == {"agreement", "assessment"}
    assert not any("предложил" in o["text"] for o in outcomes)
    raw = "12 апреля 2024 года в Ташкенте состоялся круглый стол ИСМИ. Директор ИСМИ Бахтиёр Каримов предложил " \
          "создать экспертную сеть. По итогам участники договорились проводить встречи ежегодно и высоко " \
          "оценили уровень дискуссии."
    for o in outcomes:
        assert raw[o["start"]:o["end"]] == o["text"]


def test_two_events_with_their_own_days(extractor):
    rec = extract(extractor, "БИШКЕК, 3 июня 2025 года.\n\nВчера в столице открылся форум аналитических центров, "
                             "организованный НИСИ КР.\n\nСегодня в продолжение программы прошел круглый стол "
                             "на тему «Приграничное сотрудничество», его организатором выступила Академия ОБСЕ.")
    events = sorted(rec["events"], key=lambda e: e["date"]["value"])
    assert [(e["type"], e["date"]["value"]) for e in events] == [("forum", "2025-06-02"), ("round_table", "2025-06-03")]
    assert names(rec, events[1]["organizers"]) == {"Академия ОБСЕ в Бишкеке"}


def test_year_inferred_from_a_known_summit_the_report_discusses(extractor):
    rec = extract(extractor, "18 августа т.г. состоялся онлайн круглый стол ИМЭП. Участники обсудили итоги "
                             "IV Консультативной встречи глав государств Центральной Азии.")
    ev = rec["events"][0]
    assert ev["date"]["value"] == "2022-08-18" and ev["date"]["year_inferred"] is True
    assert [(r["title"], r["date"]) for r in ev["references"]] == [
        ("IV Консультативная встреча глав государств Центральной Азии", "2022-07-21")]
    assert "c5_consultative" in ev["frameworks"]


def test_english_report_speakers_and_partners(extractor):
    rec = extract(extractor, "March 3, 2024\n\nIn Tashkent, the Institute for Advanced International Studies (IAIS), "
                             "in partnership with the Friedrich Ebert Foundation, held a roundtable on the topic "
                             "\"Water and Energy Nexus\". IAIS Director Sardor Rakhimov noted that water "
                             "scarcity was the main risk for the region.")
    ev = rec["events"][0]
    assert ev["type"] == "round_table" and ev["title"] == "Water and Energy Nexus" and ev["format"] == "offline"
    assert len(ev["organizers"]) == 2
    speaker = next(p for p in rec["persons"] if p["name"] == "Sardor Rakhimov")
    assert speaker["id"] in ev["speakers"] and speaker["affiliation"] in ev["organizers"]
    assert "water_scarcity" in ev["threats"]


def test_every_span_of_a_messy_page_reproduces_its_text(extractor):
    raw = ("\ufeffГлавная | Новости\r\n12.03.2024\r\n\r\nЭксперты обсудили транспортно-\r\nлогистический "
           "потенциал   региона\r\n\r\nВ  Астане  прошел  круглый  стол  КИСИ  и  ИСМИ.  Директор  КИСИ  "
           "Е.Карин  подчеркнул  важность  Среднего  коридора.  Участники  выразили  готовность  продолжить  "
           "диалог.\r\nПодпишитесь на наш канал")
    rec = extract(extractor, raw)
    spans = [m for o in rec["organizations"] for m in o["mentions"]]
    spans += [m for p in rec["persons"] for m in p["mentions"]]
    spans += [e for ev in rec["events"] for e in ev["evidence"]] + [o for ev in rec["events"] for o in ev["outcomes"]]
    assert spans
    for m in spans:
        assert raw[m["start"]:m["end"]] == m["text"]
    assert rec["document"]["published"] == "2024-03-12"
    assert "middle_corridor" in rec["events"][0]["frameworks"]


def test_kazakh_document_is_recognised_not_extracted(extractor):
    rec = extract(extractor, "Сарапшылар Орталық Азиядағы өңірлік ынтымақтастықтың болашағын талқылады және "
                             "бұл мәселе бойынша ұсыныстар әзірледі.")
    assert rec["document"]["language"] == "kk" and rec["events"] == []


def test_nothing_to_report_gives_no_event(extractor):
    rec = extract(extractor, "Курс тенге к доллару на бирже сегодня почти не изменился.")
    assert rec["events"] == []
