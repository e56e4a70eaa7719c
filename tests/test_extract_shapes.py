"""Extraction on the shapes of real pages, each on short composed texts: several events told in the
clauses of one sentence, and institution names that list their sectors."""
from __future__ import annotations

import pytest

from kurultai.read import Text


def extract(extractor, raw: str) -> dict:
    return extractor.extract(Text(raw, "test.txt", {"format": "txt"}))


def org_names(extractor, raw: str) -> list[str]:
    """The names of every institution the text gives, in the record's order."""
    return [o["name"] for o in extract(extractor, raw)["organizations"]]


def names(record, ids) -> set[str]:
    by_id = {o["id"]: o["name"] for o in record["organizations"]}
    return {by_id[i] for i in ids}


_THREE_CLAUSES = (
    "May 21, 2026\nOn May 20, the Foreign Minister of Kazakhstan Aidos Temirov, who is in Bishkek, held talks with "
    "the Foreign Minister of the Kyrgyz Republic Bakyt Osmonov at the Ministry of Foreign Affairs of the Kyrgyz "
    "Republic; later that day, A. Temirov met with the Toraga of the Jogorku Kenesh of the Kyrgyz Republic, and on "
    "the same evening he delivered a lecture to students of the Diplomatic Academy of the Ministry of Foreign "
    "Affairs of the Kyrgyz Republic.")


def test_clauses_of_one_sentence_each_tell_their_event(extractor):
    rec = extract(extractor, _THREE_CLAUSES)
    assert [(e["type"], (e["date"] or {}).get("value")) for e in rec["events"]] == [
        ("meeting", "2026-05-20"), ("meeting", "2026-05-20"), ("lecture", "2026-05-20")]


def test_a_later_clauses_institutions_are_not_the_first_events(extractor):
    rec = extract(extractor, _THREE_CLAUSES)
    first = names(rec, rec["events"][0]["organizers"] + rec["events"][0]["participants"])
    assert not any("Jogorku" in n or "Academy" in n for n in first), first
    assert any("Academy" in n for n in names(rec, rec["events"][2]["participants"] + rec["events"][2]["organizers"]))


@pytest.mark.parametrize("raw, want", [
    ("Kecha Oliy ta’lim, fan va innovatsiyalar vazirligida seminar bo‘lib o‘tdi.",
     "Oliy ta’lim, fan va innovatsiyalar vazirligi"),
    ("Кеча Транспорт, алоқа ва логистика вазирлигида учрашув бўлиб ўтди.", "Транспорт, алоқа ва логистика вазирлиги"),
    ("Кеше Экология, геология және табиғи ресурстар министрлігінде кездесу өтті.",
     "Экология, геология және табиғи ресурстар министрлігі"),
])
def test_a_ministry_named_by_its_list_of_sectors_is_one_name(extractor, raw, want):
    assert want in org_names(extractor, raw)


def test_a_comma_between_a_place_and_a_ministry_joins_nothing(extractor):
    rec = extract(extractor, "Кеча Тошкентда, Олий таълим вазирлигида учрашув бўлиб ўтди.")
    assert [o["name"] for o in rec["organizations"]] == ["Олий таълим вазирлиги"]


@pytest.mark.parametrize("raw, want", [
    ("On May 20 the Minister delivered a lecture to students of the Diplomatic Academy of the Ministry of Foreign "
     "Affairs of the Kyrgyz Republic.", "Diplomatic Academy of the Ministry of Foreign Affairs of the Kyrgyz Republic"),
    ("The meeting was attended by the Scientific Information Center of ICWC.", "Scientific Information Center of ICWC"),
    ("Researchers of the Institute of History of the Academy of Sciences of the Republic of Uzbekistan took part.",
     "Institute of History of the Academy of Sciences of the Republic of Uzbekistan"),
])
def test_a_body_named_as_a_unit_of_a_known_institution_is_its_own(extractor, raw, want):
    assert want in org_names(extractor, raw)


def test_a_kind_of_bodies_of_a_known_institution_is_no_institution(extractor):
    rec = extract(extractor, "He attended the ninth meeting of the Research Centers of the Member States of the "
                             "Organization of Turkic States on Thursday.")
    assert [o["name"] for o in rec["organizations"]] == ["Organization of Turkic States"]


@pytest.mark.parametrize("raw, want", [
    ("12 May 2026. The Ambassador delivered a lecture to students of the University of World Economy and "
     "Diplomacy.", "University of World Economy and Diplomacy"),
    ("12 мая 2026 г. Посол прочитал лекцию студентам Университета мировой экономики и дипломатии.",
     "Университет мировой экономики и дипломатии"),
])
def test_the_students_an_event_addresses_bring_their_institution(extractor, raw, want):
    rec = extract(extractor, raw)
    assert want in names(rec, rec["events"][0]["participants"] + rec["events"][0]["organizers"])


_SAME_DAY_ITEMS = [
    ("Новости\n21.05.2026\nВстреча с делегацией Казахстана\n20 мая в Министерстве экономики прошла встреча с "
     "делегацией Министерства торговли и интеграции Республики Казахстан.\n20.05.2026\nМинистр принял посла "
     "Японии\nМинистр экономики принял Чрезвычайного и Полномочного Посла Японии.\n",
     "Министерство торговли и интеграции Республики Казахстан"),
    ("News\n21.05.2026\nTalks with the Kazakh delegation\nOn May 20, the Ministry of Economy held talks with a "
     "delegation of the Ministry of Trade and Integration of the Republic of Kazakhstan.\n20.05.2026\nMinister "
     "receives the Ambassador of the Asian Development Bank mission\nThe Minister of Economy received the head "
     "of the Asian Development Bank mission.\n", "Ministry of Trade and Integration of the Republic of Kazakhstan"),
]


@pytest.mark.parametrize("raw, party", _SAME_DAY_ITEMS)
def test_news_items_of_one_day_are_each_an_event(extractor, raw, party):
    rec = extract(extractor, raw)
    assert [(e["date"] or {}).get("value") for e in rec["events"]] == ["2026-05-20", "2026-05-20"]


@pytest.mark.parametrize("raw, party", _SAME_DAY_ITEMS)
def test_the_next_items_headline_belongs_to_the_next_item(extractor, raw, party):
    rec = extract(extractor, raw)
    first, second = rec["events"]
    assert party in names(rec, first["participants"])
    assert not any("Asian" in n for n in names(rec, first["participants"] + first["organizers"]))


@pytest.mark.parametrize("raw", [
    "Министр принял Специального представителя Европейского союза по Центральной Азии.",
    "Постоянный представитель Республики Казахстан при ООН выступил на заседании.",
    "Генеральный секретарь ОДКБ провел встречу с послами.",
])
def test_an_office_named_with_its_body_is_no_institution(extractor, raw):
    orgs = org_names(extractor, raw)
    assert not any(n.lower().startswith(("специальный", "постоянный", "генеральный")) for n in orgs), orgs


@pytest.mark.parametrize("stamp", ["March 9, 2026 / 17:40", "09.03.2026 17:40 | 1 204", "09.03.2026 | 842 views"])
def test_a_news_items_date_line_may_carry_time_and_views(extractor, stamp):
    rec = extract(extractor, f"News\n{stamp}\nMinisters meet in Osh\nThe energy ministers of Kyrgyzstan and "
                             f"Uzbekistan held talks in Osh on Monday.\n{stamp.replace('9', '6', 1)}\nWorking groups "
                             f"meet in Batken\nBorder working groups of Kyrgyzstan and Tajikistan met in Batken on "
                             f"March 5. The meeting resulted in a signed protocol.\n")
    assert [(e["date"] or {}).get("value") for e in rec["events"]] == ["2026-03-09", "2026-03-05"]


@pytest.mark.parametrize("raw, want", [
    ("12 мая 2026 г. В Оше прошла встреча. Стороны обсудили делимитацию и демаркацию государственной границы.", True),
    ("12 May 2026. A seminar for border guards of Kyrgyzstan and Tajikistan was held in Osh. The border guards "
     "studied risk analysis at border crossings.", True),
    ("12 мая 2026 г. В Алматы прошел семинар по здравоохранению. Эксперты отметили, что инфекции не знают "
     "границ, и границы не остановят эпидемию.", False),
    ("12 May 2026. The webinar on electronic trade documents was held online. Speakers discussed how data moves "
     "across borders and why borders matter less for digital services.", False),
])
def test_border_cooperation_is_delimitation_or_management_not_any_border(extractor, raw, want):
    assert ("borders" in extract(extractor, raw)["events"][0]["directions"]) is want


@pytest.mark.parametrize("raw, body", [
    ("Бишкек, 12 мая 2026 г. Сегодня министр экономики провел переговоры с делегацией Министерства инвестиций, "
     "промышленности и торговли Республики Узбекистан.\nВ тот же день узбекская делегация побывала в "
     "Торгово-промышленной палате Кыргызской Республики, где прошла встреча с предпринимателями.",
     "Министерство инвестиций, промышленности и торговли Республики Узбекистан"),
    ("Bishkek, 12 May 2026. Today the Minister of Economy held talks with a delegation of the Ministry of Energy "
     "of the Republic of Uzbekistan.\nThe next day the delegation visited the Toktogul hydropower plant, where a "
     "meeting with engineers took place.", "Ministry of Energy of the Republic of Uzbekistan"),
    ("Toshkent, 2026-yil 12-may. Bugun vazirlikda Tojikiston Respublikasi Energetika vazirligi delegatsiyasi bilan "
     "uchrashuv bo‘lib o‘tdi.\nErtasi kuni delegatsiya a’zolari Chirchiq shahrida seminar o‘tkazdi.",
     "Tojikiston Respublikasi Energetika vazirligi"),
])
def test_a_delegation_named_once_takes_part_in_its_visits_later_events(extractor, raw, body):
    rec = extract(extractor, raw)
    assert len(rec["events"]) == 2
    assert body in names(rec, rec["events"][1]["participants"])


def test_a_later_event_without_the_delegation_does_not_get_it(extractor):
    rec = extract(extractor, "Bishkek, 12 May 2026. Today the Minister of Economy held talks with a delegation of "
                             "the Ministry of Energy of the Republic of Uzbekistan.\nThe next day the Minister "
                             "opened a seminar on tax reform for accountants at the Ministry of Finance.")
    assert "Ministry of Energy of the Republic of Uzbekistan" not in names(rec, rec["events"][-1]["participants"])


def test_a_venue_right_before_a_delegation_is_not_listed_with_it(extractor):
    rec = extract(extractor, "Кеча Олий таълим, фан ва инновациялар вазирлигида Қозоғистон Республикаси Фан ва олий "
                             "таълим вазирлиги делегацияси билан учрашув бўлиб ўтди.")
    ev = rec["events"][0]
    assert names(rec, ev["participants"]) == {"Қозоғистон Республикаси Фан ва олий таълим вазирлиги"}


@pytest.mark.parametrize("raw, want", [
    ("ASHGABAT, 12 May 2026. The meeting was held today in Ashgabat. The meeting followed the C5+1 health "
     "ministers' consultation held in Almaty in September 2025, which endorsed a plan.",
     [("C5+1 health ministers' consultation", "2025-09")]),
    ("Ташкент, 12 мая 2026 г. Сегодня состоялась онлайн-встреча депутатов. Встреча стала продолжением переговоров, "
     "прошедших в ноябре 2025 года в Астане.", [("переговоров", "2025-11")]),
    ("Душанбе, 12 мая 2026 г. Сегодня открылся второй региональный диалог по сохранению ледников. Эксперт Анна "
     "Келлерман подчеркнула, что первый диалог, прошедший в ноябре 2025 года, заложил основу сотрудничества.",
     [("первый диалог", "2025-11")]),
])
def test_a_meeting_of_the_events_kind_dated_months_before_is_a_reference(extractor, raw, want):
    refs = extract(extractor, raw)["events"][0]["references"]
    assert [(r["title"], r["date"]) for r in refs] == want


def test_a_meeting_of_the_events_kind_dated_days_before_is_no_reference(extractor):
    rec = extract(extractor, "ASHGABAT, 12 May 2026. The meeting was held today in Ashgabat. Another meeting of "
                             "the working group was held in Mary on 5 May.")
    assert rec["events"][0]["references"] == []


def test_a_known_series_meeting_the_registry_lacks_is_dated_from_the_text(extractor):
    rec = extract(extractor, "TASHKENT, 12 May 2026. The roundtable on critical minerals was held today. The "
                             "roundtable builds on the C5+1 ministerial meeting held in Astana in March 2026, where "
                             "the ministers endorsed a critical minerals dialogue.")
    assert [(r["title"], r["date"]) for r in rec["events"][0]["references"]] == [("C5+1 ministerial meeting", "2026-03")]


@pytest.mark.parametrize("raw, want", [
    ("Tashkent, May 15, 2026\nOn May 14, the Minister of Foreign Affairs held talks with the Foreign Minister of "
     "Kazakhstan. The sides discussed trade. On May 13, the Minister met with the Ambassador of Japan. The parties "
     "discussed investment.", ["2026-05-14", "2026-05-13"]),
    ("Ташкент, 15 мая 2026 г.\n14 мая министр иностранных дел провел переговоры с министром иностранных дел "
     "Казахстана. Стороны обсудили торговлю. 12 мая министр встретился с послом Японии. Обсуждены вопросы "
     "инвестиций.", ["2026-05-14", "2026-05-12"]),
    ("Bishkek, 15 May 2026\nOn 14 May, the Institute held a round table on water. Experts discussed irrigation. On "
     "11 May, the Institute held a round table on digital trade. Experts discussed e-commerce.",
     ["2026-05-14", "2026-05-11"]),
])
def test_a_sentence_opening_with_its_own_full_date_inside_a_paragraph_tells_another_event(extractor, raw, want):
    assert [(e["date"] or {}).get("value") for e in extract(extractor, raw)["events"]] == want


@pytest.mark.parametrize("raw", [
    "Алматы, 9 июня 2026. Сегодня открылась конференция. По итогам участники согласились создать рабочую группу.",
    "Бишкек, 9 июня 2026. Сегодня прошел круглый стол. Стороны условились создать совместную рабочую группу.",
])
def test_agreeing_to_do_something_together_is_an_agreement(extractor, raw):
    assert [o["kind"] for o in extract(extractor, raw)["events"][0]["outcomes"]] == ["agreement"]


@pytest.mark.parametrize("raw, want", [
    ("On Tuesday the Nazarbayev University Graduate School of Public Policy held an online webinar.",
     "Nazarbayev University Graduate School of Public Policy"),
    ("On Tuesday the KIMEP University Center for Social Research held a seminar.",
     "KIMEP University Center for Social Research"),
])
def test_a_school_or_centre_named_after_its_university_is_its_own_body(extractor, raw, want):
    assert want in org_names(extractor, raw)


def test_a_department_named_after_its_university_stands_for_it(extractor):
    rec = extract(extractor, "The visit was organized by the Nazarbayev University Department of International "
                             "Cooperation.")
    assert "Nazarbayev University Department of International Cooperation" not in [
        o["name"] for o in rec["organizations"]]


def test_a_year_inside_a_quoted_title_does_not_date_the_event_back(extractor):
    rec = extract(extractor, "May 14, 2026\nOn Tuesday the Nazarbayev University Graduate School of Public Policy "
                             "held an online webinar entitled \"Labour Migrants after 2025\", co-organized with the "
                             "International Organization for Migration (IOM).")
    assert names(rec, rec["events"][0]["organizers"]) == {
        "Nazarbayev University Graduate School of Public Policy", "International Organization for Migration"}


@pytest.mark.parametrize("raw", [
    "Бугун вазирликда учрашув бўлиб ўтди, вазир ўринбосари Азизбек Норматов савдо ўсганини таъкидлади, учрашув "
    "якунида қўшма ишчи гуруҳ тузишга келишилди ва баённома имзоланди.",
    "Bishkek, 12 May 2026. Today the ministers held talks, Deputy Minister Azamat Bekov noted the growth of trade, "
    "and at the end of the meeting the parties agreed to set up a working group.",
])
def test_a_collective_clause_after_a_speakers_clause_is_an_outcome(extractor, raw):
    assert [o["kind"] for o in extract(extractor, raw)["events"][0]["outcomes"]] == ["agreement"]


@pytest.mark.parametrize("raw", [
    "Bishkek, 12 May 2026. A conference was held today. Professor Li Wenhao recalled that the parties had pledged "
    "to expand transit capacity.",
    "Бишкек, 12 мая 2026 г. Сегодня прошла лекция. Проректор Асель Байжанова, приветствуя гостей, подчеркнула "
    "важность соглашения о сотрудничестве.",
])
def test_a_collective_word_inside_a_speakers_clause_is_no_outcome(extractor, raw):
    assert extract(extractor, raw)["events"][0]["outcomes"] == []


def test_during_the_day_opens_a_clause_event_in_uzbek(extractor):
    rec = extract(extractor, "20.08.2026\nБугун вазирликда Қозоғистон делегацияси билан учрашув бўлиб ўтди, кун "
                             "давомида делегация аъзолари Тошкент давлат аграр университетида ўтказилган семинарда "
                             "иштирок этди.")
    assert [(e["type"], (e["date"] or {}).get("value")) for e in rec["events"]] == [
        ("meeting", "2026-08-20"), ("seminar", "2026-08-20")]


@pytest.mark.parametrize("raw, want", [
    ("18.02.2026\n17 февраля в режиме видеоконференции состоялось заседание Консультативного комитета. Работа "
     "ведётся во исполнение решений Евразийского межправительственного совета, заседание которого состоялось "
     "30 января 2026 года в Алматы.", [("Евразийского межправительственного совета, заседание", "2026-01-30")]),
    ("GENEVA, 12 March 2026. The Working Group met today in Geneva. Delegates also reviewed the implementation of "
     "the decisions of the SPECA Governing Council, which met in Baku on 20 November 2025.",
     [("SPECA Governing Council, which met in Baku", "2025-11-20")]),
])
def test_a_meeting_named_by_its_body_through_a_relative_pronoun_is_a_reference(extractor, raw, want):
    refs = extract(extractor, raw)["events"][0]["references"]
    assert [(r["title"], r["date"]) for r in refs] == want


# An earlier time in another clause of the sentence does not make the event's own organisers earlier.
@pytest.mark.parametrize("raw, want", [
    ("June 10, 2026\nOn 3 June, the Institute for Strategic and Regional Studies held a round table on water, "
     "building on the outcomes of the meeting held in Khiva last year.", "Institute for Strategic and Regional"),
    ("10 июня 2026\n3 июня Институт стратегических и межрегиональных исследований провел круглый стол, "
     "посвященный итогам форума, прошедшего в 2025 году.", "Институт стратегических и межрегиональных"),
    ("June 10, 2026\nBuilding on the dialogue launched in Almaty in 2025, the Kazakhstan Institute for Strategic "
     "Studies held an expert seminar on 3 June.", "Kazakhstan Institute for Strategic Studies"),
    # a co-organiser set off by commas (', together with the ...,') organises too
    ("June 10, 2026\nOn 3 June, the UNESCO Office in Tashkent, together with the Ministry of Culture and Tourism "
     "of the Republic of Uzbekistan, held a training workshop on museums.", "Ministry of Culture and Tourism"),
    ("10 июня 2026\n3 июня Институт мировой экономики и политики, совместно с Министерством иностранных дел "
     "Республики Казахстан, провел круглый стол.", "Министерство иностранных дел"),
    ("June 10, 2026\nOn 3 June, the Eurasian Development Bank, jointly with the Ministry of Energy of the Kyrgyz "
     "Republic, held a conference on hydropower.", "Ministry of Energy"),
])
def test_the_organiser_of_the_clause_that_tells_the_event(extractor, raw, want):
    rec = extract(extractor, raw)
    assert any(want in n for n in names(rec, rec["events"][0]["organizers"])), rec["events"][0]


@pytest.mark.parametrize("raw", [
    "10 июня 2026\nВ ноябре 2025 года в Бишкеке уже прошел семинар, организованный совместно с МАГАТЭ.",
    "June 10, 2026\nIn November 2025, a seminar organized jointly with the IAEA took place in Bishkek.",
])
def test_an_earlier_time_in_the_cues_own_clause_still_counts(extractor, raw):
    rec = extract(extractor, raw)
    assert not any("МАГАТЭ" in n or "Atomic" in n or "IAEA" in n
                   for e in rec["events"] for n in names(rec, e["organizers"])), rec["events"]


@pytest.mark.parametrize("raw, body", [
    ("10 июня 2026\n3 июня в Астане прошла встреча сенаторов. Председатель комитета напомнил о решениях "
     "Межпарламентского совета и предложил провести следующее заседание в Туркестане.", "Межпарламентск"),
    ("10 июня 2026\n3 июня в Ташкенте состоялся семинар по цифровизации. Стороны договорились провести "
     "совместный форум Торгово-промышленной палаты Узбекистана осенью.", "Торгово-промышленн"),
    ("June 10, 2026\nA seminar on digital trade took place in Almaty on 3 June. The Eurasian Development Bank "
     "agreed to hold a follow-up conference in the autumn.", "Eurasian Development Bank"),
])
def test_a_body_that_proposes_to_hold_a_meeting_does_not_organise_this_one(extractor, raw, body):
    rec = extract(extractor, raw)
    assert not any(body in n for n in names(rec, rec["events"][0]["organizers"])), rec["events"][0]


# A minister's day inside one paragraph: each meeting opened by a word of the next thing done.
@pytest.mark.parametrize("raw, n", [
    ("14 апреля 2026\nВчера министр энергетики Республики Казахстан принял посла Республики Узбекистан, стороны "
     "обсудили поставки электроэнергии. Затем министр встретился с делегацией Министерства энергетики "
     "Кыргызской Республики. После этого в министерстве прошли переговоры с руководством Евразийского банка "
     "развития.", 3),
    ("April 14, 2026\nYesterday, the Minister of Energy of Kazakhstan received the Ambassador of Uzbekistan, and "
     "the sides discussed electricity supplies. Afterwards, the Minister held talks with a delegation of the "
     "Ministry of Energy of the Kyrgyz Republic.", 2),
    ("14 апреля 2026\nВчера заместитель министра иностранных дел Республики Таджикистан встретился с послом "
     "Японии. Затем он провел переговоры с делегацией Азиатского банка развития.", 2),
    ("14 апреля 2026\nВчера министр иностранных дел Кыргызской Республики провел переговоры с министром "
     "иностранных дел Турции. Стороны обсудили торговлю. Министр также встретился с послом Японии.", 2),
    ("April 14, 2026\nYesterday, the Foreign Minister of Kyrgyzstan held talks with the Foreign Minister of "
     "Turkey. The sides discussed trade. The Minister also met with the Ambassador of Japan.", 2),
])
def test_meetings_told_one_after_another_in_a_paragraph_are_each_an_event(extractor, raw, n):
    rec = extract(extractor, raw)
    assert [e["type"] for e in rec["events"]] == ["meeting"] * n, rec["events"]
    assert {(e["date"] or {}).get("value") for e in rec["events"]} == {"2026-04-13"}


def test_a_session_after_the_opening_of_a_meeting_is_no_further_meeting(extractor):
    rec = extract(extractor, "14 апреля 2026\nВчера в Астане прошло заседание Совета министров иностранных дел "
                             "СНГ. Затем состоялось заседание в узком составе.")
    assert len(rec["events"]) == 1, rec["events"]


# An earlier event said to be last year's is dated by that year.
@pytest.mark.parametrize("raw, stem", [
    ("10 июня 2026\n9 июня в Астане прошла конференция по региональной интеграции. Конференция продолжила "
     "работу, начатую на прошлогодней конференции в Бишкеке.", "прошлогодней конференции"),
    ("June 10, 2026\nOn 9 June, the presidents held talks in Bishkek. They reviewed the implementation of the "
     "agreements reached during last year's state visit to Tashkent.", "state visit"),
    ("2026-yil 10-iyun\nKecha Samarqandda davra suhbati bo‘lib o‘tdi. Unda o‘tgan yili Toshkentda o‘tkazilgan "
     "forum qarorlari muhokama qilindi.", "forum"),
])
def test_last_years_event_is_dated_by_the_year(extractor, raw, stem):
    refs = extract(extractor, raw)["events"][0]["references"]
    assert any(stem in r["title"] and r["date"] == "2025" for r in refs), refs


def test_two_earlier_events_of_one_year_are_both_kept(extractor):
    rec = extract(extractor, "10 июня 2026\n9 июня в Ташкенте прошло заседание совета. Участники обсудили итоги "
                             "прошлогоднего форума в Алматы и прошлогоднего визита делегации в Бишкек.")
    titles = [r["title"] for r in rec["events"][0]["references"]]
    assert any("форум" in t for t in titles) and any("визит" in t for t in titles), titles


# A meeting held once, named by its title, is that meeting: the registry gives its day.
@pytest.mark.parametrize("raw, want", [
    ("Эксперты обсудили итоги международной конференции «Афганистан: безопасность и экономическое развитие» "
     "и перспективы транзита.", "2022-07-25"),
    ("10 March 2023\nOn 9 March the Institute held a round table on the results of the Tashkent conference "
     "\"Central and South Asia: Regional Connectivity. Challenges and Opportunities\".", "2021-07-15"),
    ("Kecha universitetda davra suhbati bo‘lib o‘tdi. Unda «Markaziy va Janubiy Osiyo: mintaqaviy o‘zaro "
     "bog‘liqlik» konferensiyasining natijalari muhokama qilindi.", "2021-07-15"),
])
def test_a_conference_held_once_is_dated_by_the_registry(extractor, raw, want):
    refs = [r for e in extract(extractor, raw)["events"] for r in e["references"]]
    assert any(r["date"] == want for r in refs), refs


def test_a_meeting_still_to_come_is_no_reference(extractor):
    rec = extract(extractor, "10 March 2023\nOn 9 March the ministers met in Astana. They discussed the upcoming "
                             "Tashkent Conference on Central and South Asia.")
    assert not [r for e in rec["events"] for r in e["references"]], rec["events"]


# Directions from the matter's own words, not only from the name of the area.
@pytest.mark.parametrize("raw, want", [
    ("June 10, 2026\nOn 9 June, experts held a round table in Osh on cross-border pasture use and livestock "
     "movement between the two countries.", "agriculture_food"),
    ("10 июня 2026\n9 июня в Бишкеке прошел семинар, посвященный развитию животноводства и рациональному "
     "использованию пастбищ.", "agriculture_food"),
    ("10 июня 2026\n9 июня в Оше прошел семинар по повышению квалификации учителей из приграничных районов.",
     "education_science"),
    ("June 10, 2026\nOn 9 June, a regional workshop in Almaty discussed land degradation and drought in the "
     "mountain valleys.", "climate_environment"),
])
def test_a_direction_is_read_from_the_words_of_its_matter(extractor, raw, want):
    assert want in extract(extractor, raw)["events"][0]["directions"]


@pytest.mark.parametrize("raw", [
    "10 июня 2026\n9 июня комитет парламента провел видеоконференцию с коллегами из Туркменистана.",
    "2026-yil 10-iyun\nKecha vazirlikda Qozog‘iston hamkasblari bilan videokonferensiya bo‘lib o‘tdi.",
    "10 маусым 2026\nКеше министрлікте қырғыз әріптестерімен бейнеконференция өтті.",
])
def test_a_video_conference_is_a_meeting_held_online(extractor, raw):
    ev = extract(extractor, raw)["events"][0]
    assert (ev["type"], ev["format"]) == ("meeting", "online"), ev


# What an earlier event left, through a participle: the earlier event is reviewed, not the one reported.
@pytest.mark.parametrize("raw", [
    "10 июня 2026\nВ развитие договоренностей, достигнутых в ходе государственного визита Президента Казахстана "
    "в Узбекистан, 9 июня в здании Торгово-промышленной палаты Узбекистана состоялось третье заседание делового "
    "совета.",
    "June 10, 2026\nTo implement the agreements reached during the state visit of the President of Kazakhstan, "
    "the business council met in Tashkent on 9 June.",
    "10 июня 2026\nВо исполнение решений, принятых на саммите в Астане, 9 июня в Ташкенте состоялось заседание "
    "рабочей группы.",
])
def test_an_event_whose_agreements_are_implemented_is_not_the_one_reported(extractor, raw):
    ev = extract(extractor, raw)["events"][0]
    assert (ev["type"], (ev["date"] or {}).get("value")) == ("meeting", "2026-06-09"), ev


@pytest.mark.parametrize("raw", [
    "10 маусым 2026\nКеше министрлікте Премьер-Министрдің Бішкекке ресми сапары барысында қол жеткізілген "
    "уағдаластықтарды іске асыру мақсатында кездесу өтті.",
    "2026-yil 10-iyun\nKecha vazirlikda Prezidentning Dushanbega davlat tashrifi davomida erishilgan kelishuvlarni "
    "amalga oshirish bo‘yicha uchrashuv bo‘lib o‘tdi.",
    "2026 йил 10 июнь\nКеча вазирликда Президентнинг Душанбега давлат ташрифи давомида эришилган келишувларни "
    "амалга ошириш бўйича учрашув бўлиб ўтди.",
])
def test_a_visit_whose_agreements_are_implemented_is_no_event_in_turkic(extractor, raw):
    assert [e["type"] for e in extract(extractor, raw)["events"]] == ["meeting"]


@pytest.mark.parametrize("raw, want", [
    ("10 июня 2026\n9 июня в Ашхабаде состоялось заседание Межправительственной туркмено-казахстанской комиссии "
     "по экономическому сотрудничеству.", {"TM", "KZ"}),
    ("10 июня 2026\n9 июня в Ташкенте прошло заседание Узбекско-казахстанского делового совета.", {"UZ", "KZ"}),
    ("June 10, 2026\nOn 9 June, the Kazakh-Kyrgyz business forum took place in Almaty.", {"KZ", "KG"}),
    ("10 июня 2026\n9 июня в Казахстанско-Немецком университете прошел круглый стол.", {"KZ"}),
])
def test_a_joint_adjective_on_the_event_names_both_sides(extractor, raw, want):
    assert set(extract(extractor, raw)["events"][0]["countries"]) == want


@pytest.mark.parametrize("raw, want, country", [
    ("5 февраля 2026\nВо вторник в Бишкеке прошел семинар. В семинаре приняли участие сотрудники Комитета "
     "продовольственной безопасности при Правительстве Республики Таджикистан.",
     "Комитет продовольственной безопасности при Правительстве Республики Таджикистан", "TJ"),
    ("5 февраля 2026\nВо вторник в Алматы прошел круглый стол. В нем приняли участие эксперты Агентства по "
     "стратегическому планированию и реформам при Президенте Республики Казахстан.",
     "Агентство по стратегическому планированию и реформам при Президенте Республики Казахстан", "KZ"),
    ("5 февраля 2026\nВо вторник в Ташкенте прошла конференция. В ней приняли участие сотрудники Центра "
     "исследований водных ресурсов при Кабинете Министров Республики Узбекистан.",
     "Центр исследований водных ресурсов при Кабинете Министров Республики Узбекистан", "UZ"),
])
def test_a_body_under_a_state_body_keeps_its_full_name_and_state(extractor, raw, want, country):
    rec = extract(extractor, raw)
    assert want in names(rec, rec["events"][0]["participants"]), rec["events"][0]
    assert country in rec["events"][0]["countries"]


@pytest.mark.parametrize("raw, want", [
    ("5 февраля 2026\nВо вторник в Бишкеке прошел семинар. В семинаре участвовали сотрудники Национального "
     "статистического комитета Кыргызской Республики.", "Национальный статистический комитет"),
    ("5 февраля 2026\nВчера в Астане прошла конференция. В ее работе участвовали эксперты Казахстанского "
     "института стратегических исследований.", "Казахстанский институт стратегических исследований"),
    ("5 февраля 2026\nВчера в Душанбе состоялся круглый стол, в котором участвовали представители Академии "
     "наук Республики Таджикистан.", "академия наук Таджикистана"),
])
def test_took_part_said_by_the_verb_participate(extractor, raw, want):
    rec = extract(extractor, raw)
    ev = rec["events"][0]
    assert any(want in n for n in names(rec, ev["participants"] + ev["organizers"])), ev


@pytest.mark.parametrize("raw, want", [
    ("Сотрудники Центра исследований водных ресурсов при Министерстве водного хозяйства Республики Узбекистан "
     "выступили с докладами.", "Центр исследований водных ресурсов при Министерстве водного хозяйства Республики Узбекистан"),
    ("Эксперты Научного центра при Министерстве иностранных дел Республики Казахстан выступили с докладами.",
     "Научный центр при Министерстве иностранных дел Республики Казахстан"),
    ("Представители Учебного центра при Министерстве сельского хозяйства Кыргызской Республики выступили.",
     "Учебный центр при Министерстве сельского хозяйства Кыргызской Республики"),
])
def test_a_body_under_a_ministry_named_with_lower_case_words(extractor, raw, want):
    assert want in org_names(extractor, raw)


@pytest.mark.parametrize("raw", [
    "10 июня 2026\n9 июня в Астане прошла встреча депутатов. Стороны обсудили выполнение договоренностей, "
    "достигнутых в ходе прошлогоднего визита делегации в Ташкент.",
    "June 10, 2026\nOn 9 June the deputies met in Astana. The sides reviewed the implementation of the agreements "
    "reached during last year's visit of the delegation to Tashkent.",
    "2026-yil 10-iyun\nKecha Samarqandda uchrashuv bo‘lib o‘tdi. Uchrashuvda o‘tgan yili erishilgan kelishuvlar "
    "ijrosi ko‘rib chiqildi.",
])
def test_agreements_reached_before_and_carried_out_are_no_outcome(extractor, raw):
    assert extract(extractor, raw)["events"][0]["outcomes"] == []


@pytest.mark.parametrize("raw, stem", [
    ("June 10, 2026\nOn 9 June a seminar was held in Tashkent, building on the meeting of Central Asian ministers "
     "of culture held in Khiva last year.", "ministers of culture"),
    ("June 10, 2026\nOn 9 June the experts met in Almaty to review the recommendations of the conference on "
     "glacier monitoring held in Dushanbe last year.", "conference on glacier monitoring"),
    ("10 июня 2026\n9 июня в Бишкеке прошел семинар, продолживший работу конференции молодых исследователей "
     "региона, прошедшей в Оше в прошлом году.", "конференции"),
])
def test_last_year_after_a_references_title_dates_it(extractor, raw, stem):
    refs = extract(extractor, raw)["events"][0]["references"]
    assert any(stem in r["title"] and r["date"] == "2025" for r in refs), refs


@pytest.mark.parametrize("raw, want", [
    ("Agency Office\nNews\n\n2026.03.17\nWorkshop on seed testing held in Namangan\nOn March 16, the Office held a "
     "workshop on seed testing in Namangan.", "2026-03-16"),
    ("Embassy News\n\n2026/04/09\nAmbassador meets students\nOn April 8, the Ambassador met with students of the "
     "University of World Economy and Diplomacy.", "2026-04-08"),
    ("Новости посольства\n\n2026.05.21\nСеминар по таможенному делу\n20 мая в посольстве прошел семинар по "
     "таможенному администрированию.", "2026-05-20"),
])
def test_a_date_line_written_year_first_gives_the_year(extractor, raw, want):
    """2026.03.17, 2026/04/09: East Asian agencies' and embassies' date lines."""
    assert (extract(extractor, raw)["events"][0]["date"] or {}).get("value") == want


@pytest.mark.parametrize("raw, stem, year", [
    ("On 12 May 2026, the University held a conference on labour migration. Building on the recommendations of the "
     "first regional migration conference held in 2024, the organisers added a panel on remittances.",
     "migration conference", "2024"),
    ("On 3 June 2026, the working group met in Bishkek. Building on the outcomes of the 2025 SPECA Economic Forum in "
     "Baku, the delegations reviewed the trade facilitation strategy.", "Economic Forum", "2025"),
    ("14 апреля 2026 года в Институте прошел круглый стол. Участники обсудили итоги конференции по водным ресурсам, "
     "состоявшейся в 2024 году в Душанбе.", "конференции", "2024"),
])
def test_an_earlier_event_dated_by_a_year_alone_is_a_reference(extractor, raw, stem, year):
    refs = extract(extractor, raw)["events"][0]["references"]
    assert [(stem in r["title"], r["date"]) for r in refs] == [(True, year)], refs


@pytest.mark.parametrize("raw", [
    "On 24 November 2026, the ministers held talks in Ashgabat, where they reviewed the agreements reached during "
    "the visit of the President of Tajikistan to Turkmenistan in March 2025; they agreed to hold the next round in Dushanbe.",
    "March 2, 2026\nOn 2 March 2026, the Minister met with the Ambassador of Japan, and they recalled the forum held "
    "in Tokyo in May 2024; the sides will hold the next meeting in the autumn.",
    "2 марта 2026 г.\n2 марта 2026 года министр провел переговоры с послом Японии, стороны вспомнили форум, "
    "состоявшийся в мае 2024 года "
    "в Токио; следующая встреча состоится осенью.",
])
def test_a_plan_later_in_the_sentence_does_not_hide_an_earlier_event(extractor, raw):
    assert len(extract(extractor, raw)["events"][0]["references"]) == 1



@pytest.mark.parametrize("raw, threat, direction", [
    ("On 8 May 2026, the Agency held a workshop for customs officers in Almaty. Speakers named drug trafficking "
     "the main threat to the region.", "drug_trafficking", "security"),
    ("12 мая 2026 года в Бишкеке прошел круглый стол экспертов. Участники назвали терроризм главной угрозой для "
     "стран региона.", "terrorism_extremism", "security"),
    ("Kecha Toshkentda davra suhbati bo‘lib o‘tdi. Ekspertlar terrorizm mintaqa uchun asosiy tahdid ekanini "
     "ta’kidladi.", "terrorism_extremism", "security"),
])
def test_a_threat_discussed_is_a_matter_of_the_direction_it_endangers(extractor, raw, threat, direction):
    ev = extract(extractor, raw)["events"][0]
    assert threat in ev["threats"] and direction in ev["directions"], (ev["threats"], ev["directions"])


@pytest.mark.parametrize("raw", [
    "2026 жылғы 27 қаңтар\nКеше Астанада Қазақстан-Қырғыз іскерлік кеңесінің отырысы өтті.",
    "2026-yil 27-yanvar\nKecha Toshkentda O‘zbekiston-Qozog‘iston ishbilarmonlar kengashining yig‘ilishi bo‘lib o‘tdi.",
    "2026-yil 27-yanvar\nKecha Samarqandda O‘zbekiston-Tojikiston Ishbilarmonlar kengashi yig‘ilishi bo‘lib o‘tdi.",
])
def test_a_bodys_session_named_after_the_body_is_an_event_in_turkic(extractor, raw):
    """The body's name ends inside «кеңесінің отырысы», 'kengashining yig‘ilishi': the session is no name."""
    assert [(e["type"], e["date"]["value"]) for e in extract(extractor, raw)["events"]] == [("meeting", "2026-01-26")]


@pytest.mark.parametrize("raw, full, short", [
    ("Форум провела Торгово-промышленная палата Республики Узбекистан. Председатель ТПП Узбекистана Анвар "
     "Каримов отметил рост торговли.", "Торгово-промышленная палата Республики Узбекистан", "ТПП"),
    ("Круглый стол организовала Торгово-промышленная палата Кыргызской Республики. Вице-президент ТПП КР Асель "
     "Джумабаева выступила с докладом.", "Торгово-промышленная палата Кыргызской Республики", "ТПП"),
    ("Форум организовал Союз промышленников и предпринимателей Узбекистана. Председатель СПП Узбекистана Анвар "
     "Каримов отметил рост экспорта.", "Союз промышленников и предпринимателей Узбекистана", "СПП"),
])
def test_an_abbreviation_is_the_institution_whose_initials_it_spells(extractor, raw, full, short):
    rec = extract(extractor, raw)
    names = [o["name"] for o in rec["organizations"]]
    assert full in names and not any(n.startswith(short) for n in names), names



@pytest.mark.parametrize("menu, body, person", [
    ("Menu | U.S. Citizen Services | Visas | News & Events", "On 4 May 2026, the Embassy held a seminar in Almaty. "
     "Ambassador Daniel Rosen said that the programme would grow.", "Daniel Rosen"),
    ("By U.S. Embassy Ashgabat | 12 June, 2026 | Topics: News", "On 10 June 2026, the Embassy held a round table in "
     "Ashgabat. Deputy Chief of Mission Laura Benson opened it.", "Laura Benson"),
    ("Главная / Руководство / Иван Петров", "12 мая 2026 года в Институте прошел семинар. Директор Института Иван "
     "Петров открыл семинар.", "Иван Петров"),
])
def test_no_one_is_named_in_a_menu_line(extractor, menu, body, person):
    rec = extract(extractor, f"{menu}\n{body}")
    assert person in [p["name"] for p in rec["persons"]]
    assert not [m["text"] for p in rec["persons"] for m in p["mentions"] if m["start"] < len(menu)]


@pytest.mark.parametrize("raw, person, country", [
    ("On 24 November 2026, Tajikistan's Minister of Foreign Affairs Abdullo Sharifzoda held talks in Ashgabat.",
     "Abdullo Sharifzoda", "TJ"),
    ("On 3 March 2026, Kazakhstan’s Foreign Minister Murat Nurtleu met with the Ambassador of Japan in Astana.",
     "Murat Nurtleu", "KZ"),
    ("On 9 April 2026, Uzbekistan's Minister of Foreign Affairs Bakhtiyor Saidov held talks in Bishkek.",
     "Bakhtiyor Saidov", "UZ"),
])
def test_a_state_in_the_possessive_names_the_offices_state(extractor, raw, person, country):
    rec = extract(extractor, raw)
    orgs = {o["id"]: o for o in rec["organizations"]}
    p = next(p for p in rec["persons"] if p["name"] == person)
    assert orgs[p["affiliation"]]["country"] == country, [(o["name"], o["country"]) for o in orgs.values()]


@pytest.mark.parametrize("raw, person", [
    ("Судья ЕСПЧ Дмитрий Дедов\n12 мая 2026 года в Страсбурге прошла конференция.", "Дмитрий Дедов"),
    ("Директор ИСМИ Эльдор Арипов\n14 мая 2026 года в Ташкенте прошел круглый стол.", "Эльдор Арипов"),
])
def test_a_caption_of_capitalised_words_is_no_menu_for_names(extractor, raw, person):
    assert person in [p["name"] for p in extract(extractor, raw)["persons"]]


@pytest.mark.parametrize("raw, name", [
    ("12 марта 2026 года аким области провел переговоры с губернатором Алтайского края Виктором Томиловым.",
     "Виктор Томилов"),
    ("В обсуждении приняла участие проректор университета Асель Байжанова.", "Асель Байжанова"),  # stays
    ("14 мая 2026 года министр встретился с директором компании Айдосом Жаксылыковым.", "Айдос Жаксылыков"),
    ("14 мая 2026 года министр встретился с заведующей отделом Элеонорой Маматовой.", "Элеонора Маматова"),
])
def test_a_surname_the_dictionary_lacks_declines_as_a_possessive(extractor, raw, name):
    assert name in [p["name"] for p in extract(extractor, raw)["persons"]]


@pytest.mark.parametrize("raw", [
    "14 мая 2026 года в Торгово-промышленной палате прошла встреча с предпринимателями Кыргызстана и "
    "Узбекистана. Предприниматели обсудили совместные проекты.",
    "On 3 June 2026, the Chamber held a meeting with entrepreneurs from Kazakhstan and Uzbekistan in Almaty. The "
    "entrepreneurs discussed joint projects.",
    "Kecha Toshkentda O‘zbekiston va Qozog‘iston tadbirkorlari uchrashuvi bo‘lib o‘tdi.",
])
def test_a_meeting_of_entrepreneurs_is_a_matter_of_trade(extractor, raw):
    assert "trade" in extract(extractor, raw)["events"][0]["directions"]


@pytest.mark.parametrize("raw", [
    "Kecha Samarqand viloyati hokimligida Tojikiston Respublikasi Sug‘d viloyati delegatsiyasi bilan uchrashuv "
    "bo‘lib o‘tdi. Uchrashuvda Samarqand viloyati hokimligi va Tojikiston Sug‘d viloyati savdo-sanoat palatasi "
    "vakillari ishtirok etdi.",
    "14 мая 2026 года Акимат Туркестанской области провел встречу с делегацией Ферганской области Республики "
    "Узбекистан. Во встрече приняли участие представители Управления предпринимательства Туркестанской области.",
    "On 3 June 2026, the Akimat of Mangystau Region hosted a meeting with a delegation of the Administration of "
    "Balkan Province of Turkmenistan in Aktau, Kazakhstan.",
])
def test_regional_bodies_of_two_states_meeting_is_interregional(extractor, raw):
    ev = extract(extractor, raw)["events"][0]
    assert "interregional" in ev["directions"], (ev["directions"], ev["countries"])


@pytest.mark.parametrize("raw, name, country", [
    ("14 мая 2026 года Акимат Туркестанской области провел форум.", "Акимат Туркестанской области", "KZ"),
    ("On 3 June 2026, the Akimat of Mangystau Region held a forum in Aktau.", "Akimat of Mangystau Region", "KZ"),
    ("On 3 June 2026, the Khokimiyat of Fergana Region held a forum.", "Khokimiyat of Fergana Region", "UZ"),
])
def test_a_body_only_one_state_has_is_of_that_state(extractor, raw, name, country):
    assert (name, country) in [(o["name"], o["country"]) for o in extract(extractor, raw)["organizations"]]


@pytest.mark.parametrize("raw, name, country", [
    ("Вчера в акимате Восточно-Казахстанской области прошла встреча с делегацией Алтайского края.",
     "Акимат Восточно-Казахстанской области", "KZ"),
    ("14 мая 2026 года в хокимияте Самаркандской области прошла встреча с делегацией Таджикистана.",
     "Хокимият Самаркандской области", "UZ"),
    ("Вчера в акимате города Шымкента прошел форум предпринимателей.", "Акимат города Шымкента", "KZ"),
])
def test_a_local_body_with_its_region_is_an_institution_of_its_state(extractor, raw, name, country):
    rec = extract(extractor, raw)
    orgs = {o["id"]: (o["name"], o["country"]) for o in rec["organizations"]}
    assert (name, country) in orgs.values() and orgs[rec["events"][0]["organizers"][0]][0] == name, orgs


def test_a_local_body_without_its_region_names_no_institution(extractor):
    assert extract(extractor, "Вчера в акимате прошла встреча.")["organizations"] == []


@pytest.mark.parametrize("raw", [
    "On 12 May 2026, the Embassy held a roundtable on critical minerals in Tashkent. The roundtable builds on the "
    "ministerial meeting held in Astana in March 2026, where the ministers endorsed a joint programme.",
    "14 мая 2026 года в Институте прошел круглый стол. Директор напомнил, что на форуме, состоявшемся в марте 2025 "
    "года в Бишкеке, стороны договорились создать рабочую группу.",
    "On 3 June 2026, the Centre held a seminar in Almaty. It followed the conference held in Bishkek in May 2025, "
    "during which the participants adopted a set of recommendations.",
])
def test_what_a_recalled_event_agreed_is_no_outcome_of_this_one(extractor, raw):
    ev = extract(extractor, raw)["events"][0]
    assert len(ev["references"]) == 1 and ev["outcomes"] == [], (ev["references"], ev["outcomes"])


def test_an_outcome_after_the_recalled_events_clause_is_this_events(extractor):
    raw = ("On 3 June 2026, the Office held a workshop in Tashkent, building on the meeting of ministers held in "
           "Khiva last year, where the ministers called for joint work; at the end of the workshop the participants "
           "recommended establishing a regional network.")
    outcomes = extract(extractor, raw)["events"][0]["outcomes"]
    assert len(outcomes) == 1 and outcomes[0]["kind"] == "recommendation", outcomes
