"""A session is held only once its date has passed; its release speaks of the future before then
and cannot be published; the release agrees with each person's gender and names people, bodies and
the venue in the release's language."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from kurultai.convene import invite as inv
from kurultai.convene import publish
from kurultai.convene import sessions as S
from kurultai.convene.grammar import gender_of
from kurultai.i18n import Labels

SOON = (datetime.now(timezone.utc) + timedelta(days=9)).strftime("%Y-%m-%d 10:00")


def _session(store, registry, starts: str, **kw) -> int:
    args = dict(title="Вода и энергия", title_other="Water and energy", starts=starts, tz="Asia/Tashkent",
                format="hybrid", link="https://meet.example.org/room", venue="Ташкент, ИСМИ", organizer="ИМЭП",
                moderator="Айгерим Касымова")
    return S.create_session(store, registry, **{**args, **kw})


@pytest.mark.parametrize("name, gender", [
    ("Айгерим Касымова", "f"), ("Бахтиёр Рахимов", "m"), ("Фаррух Назаров", "m"), ("Дилноза Ахмедова", "f"),
    ("Aigerim Kasymova", "f"), ("Bakhtiyor Rakhimov", "m"), ("Айжан Нурлан кызы", "f"), ("Ирина Ким", "f"),
    ("Тимур Бекмаганбетович Шаймергенов", "m"), ("Мадина", "f"), ("Zhang Haibo", "x")])
def test_gender_from_the_name(registry, name, gender):
    assert gender_of(registry.morph, name) == gender


def test_a_contribution_before_the_date_leaves_the_session_planned(store, registry):
    sid = _session(store, registry, SOON)
    S.add_contribution(store, registry, sid, speaker="Бахтиёр Рахимов", text="Тезисы выступления, присланные заранее.")
    assert S.get_session(store, sid)["status"] == "planned"
    assert S.list_sessions(store)[0]["status"] == "planned"
    with pytest.raises(S.SessionError, match="cannot be held before its date"):
        S.set_status(store, sid, "held")
    # once the date has passed, what was recorded makes it held
    later = datetime.now(timezone.utc) + timedelta(days=10)
    assert S.current_status("planned", S.get_session(store, sid)["starts_at"], 1, now=later) == "held"
    past = _session(store, registry, "2025-03-10 10:00")
    S.add_contribution(store, registry, past, speaker="Бахтиёр Рахимов", text="Выступление.")
    assert S.get_session(store, past)["status"] == "held"


def test_before_the_date_the_release_announces_and_publishing_is_refused(store, registry, extractor):
    sid = _session(store, registry, SOON)
    S.add_contribution(store, registry, sid, speaker="Бахтиёр Рахимов", institution="ИСМИ",
                       text="Приоритетами остаются водные ресурсы и энергетика.")
    s = S.get_session(store, sid, registry)
    labels = Labels.load(registry)
    ru = publish.release(s, registry, labels, "ru", store)
    assert "состоится" in ru.text and "обсудят" in ru.title and "пройдёт" in ru.text
    assert not re.search(r"состоял|прошло|выступил|остановил|приняли", ru.text), ru.text
    assert "Модератором выступит Айгерим Касымова" in ru.text
    en = publish.release(s, registry, labels, "en", store)
    assert "will be held" in en.text and "was held" not in en.text and "spoke" not in en.text
    with pytest.raises(S.SessionError, match="can be published once it has been held"):
        publish.publish_session(store, registry, labels, sid, extractor)
    assert S.get_session(store, sid)["status"] == "planned"


def test_release_grammar_follows_each_persons_gender(store, registry):
    sid = _session(store, registry, "2025-03-10 10:00")
    for speaker in ("Дилноза Ахмедова", "Фаррух Назаров"):
        S.add_contribution(store, registry, sid, speaker=speaker, institution="ИСМИ", text="Спасибо за приглашение.")
    s = S.get_session(store, sid, registry)
    labels = Labels.load(registry)
    ru = publish.release(s, registry, labels, "ru", store)
    assert "Модератором выступила Айгерим Касымова" in ru.text
    assert "Выступила Дилноза Ахмедова" in ru.text and "Также выступил Фаррух Назаров" in ru.text
    assert "(а)" not in ru.text and "(-" not in ru.text and "состоялся" in ru.text
    en = publish.release(s, registry, labels, "en", store)
    first, second = next(p for p in en.paragraphs if "Akhmedova" in p).split(". ")[:2]
    assert "also" not in first and "took the floor" in first and "also spoke" in second
    S.invite(store, registry, sid, "Айгерим Касымова", kind="person")
    S.invite(store, registry, sid, "Бахтиёр Рахимов", kind="person")
    letters = inv.letters(S.get_session(store, sid, registry), labels, registry=registry)
    assert letters[0].markdown.startswith("Уважаемая Айгерим Касымова!")
    assert letters[1].markdown.startswith("Уважаемый Бахтиёр Рахимов!")
    assert not any("(-ая)" in x.markdown for x in letters)
    S.invite(store, registry, sid, "Anna Kim", kind="person", language="en")
    en = inv.letters(S.get_session(store, sid, registry), labels, registry=registry)[-1]
    assert en.subject.startswith("Invitation: Water and energy") and "Venue: Tashkent, ISRS" in en.markdown
    assert "Moderator: Aygerim Kasymova" in en.markdown and not re.search("[а-яё]", en.markdown, re.I), en.markdown


def test_english_release_names_people_bodies_and_venue_in_english(store, registry):
    sid = _session(store, registry, "2025-03-10 10:00")
    S.add_contribution(store, registry, sid, speaker="Бахтиёр Рахимов", institution="ИСМИ",
                       text="Приоритетами остаются водные ресурсы и энергетика.")
    S.add_outcome(store, sid, "agreement", "встречаться ежеквартально", text_other="meet every quarter")
    en = publish.release(S.get_session(store, sid, registry), registry, Labels.load(registry), "en", store)
    assert not re.search("[а-яё]", en.text, re.I), en.text
    assert " in Tashkent, ISRS." in en.text and "Rakhimov (ISRS)" in en.text, en.text
    assert "Institute of World Econom" in en.text
