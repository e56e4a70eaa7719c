"""Sessions of the expert dialogue: planning, invitations, calendar and letters, recording, CLI."""
from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest

from kurultai.convene import invite as inv, sessions as S
from kurultai.convene.tagging import Tagger
from kurultai.i18n import Labels

from .inprocess import invoke


def _session(store, registry, **kw):
    args = dict(title="Водные ресурсы региона", starts="2025-12-10 15:00", tz="Asia/Almaty", format="hybrid",
                link="https://meet.example.org/room", venue="Алматы, ул. Абая 1", organizer="ИМЭП",
                moderator="Асель Назарова")
    args.update(kw)
    return S.create_session(store, registry, **args)


def test_create_and_read_back(store, registry):
    sid = _session(store, registry)
    s = S.get_session(store, sid, registry)
    assert s["starts_at"] == "2025-12-10T15:00:00+05:00"  # Almaty is UTC+5 since 2024
    assert s["organizer"].startswith("Институт мировой экономики и политики") and s["organizer_country"] == "KZ"
    assert s["status"] == "planned" and s["agenda"] == [] and s["format"] == "hybrid"
    assert [x["id"] for x in S.list_sessions(store)] == [sid]


@pytest.mark.parametrize("change,says", [
    ({"title": "  "}, "title: required"),
    ({"starts": "10.12.2026"}, "starts:"),
    ({"tz": "Mars/Olympus"}, "timezone: unknown zone"),
    ({"format": "radio"}, "format:"),
    ({"format": "online", "link": None}, "link: an online session needs a meeting link"),
    ({"format": "offline", "venue": None}, "venue:"),
    ({"link": "javascript:alert(1)"}, "link:"),
    ({"type": "party"}, "type:"),
])
def test_create_refuses_bad_input(store, registry, change, says):
    with pytest.raises(S.SessionError, match=says):
        _session(store, registry, **change)
    assert S.list_sessions(store) == []  # nothing half-written


def test_invitations_resolve_the_registry_and_keep_a_status(store, registry):
    sid = _session(store, registry)
    a = S.invite(store, registry, sid, "ИСМИ", email="isrs@example.uz")
    assert a["kind"] == "org" and a["country"] == "UZ" and a["name"].startswith("Институт стратегических")
    b = S.invite(store, registry, sid, "Анна Ким", kind="person", language="en")
    with pytest.raises(S.SessionError, match="already invited"):
        S.invite(store, registry, sid, "ISRS")  # the same body by its English abbreviation
    with pytest.raises(S.SessionError, match="email"):
        S.invite(store, registry, sid, "КИСИ", email="not an address")
    S.set_invitation_status(store, sid, a["id"], "accepted")
    with pytest.raises(S.SessionError, match="status"):
        S.set_invitation_status(store, sid, b["id"], "maybe")
    with pytest.raises(LookupError):
        S.set_invitation_status(store, sid + 1, a["id"], "declined")
    statuses = {i["name"]: i["status"] for i in S.get_session(store, sid)["invitations"]}
    assert statuses == {a["name"]: "accepted", "Анна Ким": "pending"}


def test_calendar_is_valid_icalendar_in_utc(store, registry):
    from icalendar import Calendar
    sid = _session(store, registry, title="Вода; энергия, «климат» — " + "очень длинное название " * 5)
    S.invite(store, registry, sid, "ИСМИ", email="isrs@example.uz")
    S.invite(store, registry, sid, 'John "Q" Smith', kind="person")
    S.set_agenda(store, sid, [{"kind": "custom", "label": "Водно-энергетический баланс"}])
    text = inv.ics(S.get_session(store, sid))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(text)
    ev = next(c for c in cal.walk("VEVENT"))
    assert str(ev["SUMMARY"]).startswith("Вода; энергия, «климат»")
    assert ev.decoded("DTSTART").isoformat() == "2025-12-10T10:00:00+00:00"
    assert (ev.decoded("DTEND") - ev.decoded("DTSTART")).total_seconds() == 7200
    assert "Водно-энергетический баланс" in str(ev["DESCRIPTION"])
    attendees = [str(a) for a in (ev["ATTENDEE"] if isinstance(ev["ATTENDEE"], list) else [ev["ATTENDEE"]])]
    assert "mailto:isrs@example.uz" in attendees and len(attendees) == 2


def test_letters_in_each_language_as_markdown_and_eml(store, registry):
    sid = _session(store, registry)
    S.invite(store, registry, sid, "ИСМИ", email="isrs@example.uz")
    S.invite(store, registry, sid, "Anna Kim", kind="person", language="en", email="anna@example.org")
    s = S.get_session(store, sid, registry)
    ru, en = inv.letters(s, Labels.load(registry), registry=registry)
    assert ru.lang == "ru" and "10 декабря 2025 г. в 15:00 (Asia/Almaty)" in ru.markdown
    assert "https://meet.example.org/room" in ru.markdown and "Институт мировой экономики" in ru.markdown
    assert en.lang == "en" and en.markdown.startswith("Dear Anna Kim,")
    assert "Institute of World Econom" in en.markdown  # the organiser as the registry names it in English
    msg = email.message_from_bytes(en.eml(s), policy=policy.default)
    assert msg["To"] == "anna@example.org" and msg["Subject"].startswith("Invitation: Водные ресурсы")
    parts = {p.get_content_type(): p for p in msg.walk()}
    assert "Dear Anna Kim" in parts["text/plain"].get_content()
    assert parts["text/calendar"].get_filename() == f"session-{sid}.ics"
    assert "/" not in ru.filename and "\\" not in ru.filename


def test_contributions_are_tagged_with_evidence(store, registry, extractor):
    sid = _session(store, registry)
    text = ("Считаю, что приоритетами остаются водные ресурсы и энергетика.\nНаркотрафик остается угрозой "
            "для всего региона. Предлагаю рекомендовать создать совместный центр в рамках ШОС.")
    c = S.add_contribution(store, registry, sid, speaker="Мурад Узаков", institution="ИСМИ", text=text,
                           tagger=Tagger(extractor))
    tags = c["tags"]
    assert [t["id"] for t in tags["directions"]] == ["water", "energy"]
    assert [t["id"] for t in tags["threats"]] == ["drug_trafficking"]
    assert [t["id"] for t in tags["frameworks"]] == ["sco"]
    assert [o["kind"] for o in tags["outcomes"]] == ["recommendation"]
    for field in ("directions", "threats", "frameworks", "outcomes"):
        for t in tags[field]:
            assert text[t["start"]:t["end"]] == t["text"]
    assert c["country"] == "UZ"
    # an editor's correction replaces the ids, keeps the evidence of those kept, and is remembered
    fixed = S.correct_tags(store, sid, c["id"], directions=["water", "security"],
                           known={"directions": {"water", "security", "energy"}})
    assert fixed["directions"][0]["text"] == "водные ресурсы" and fixed["directions"][1] == {"id": "security"}
    with pytest.raises(S.SessionError, match="unknown id"):
        S.correct_tags(store, sid, c["id"], directions=["astrology"], known={"directions": {"water"}})
    assert S.get_session(store, sid)["status"] == "held"
    stored = S.get_session(store, sid)["contributions"][0]
    assert stored["corrected"] and [t["id"] for t in stored["tags"]["directions"]] == ["water", "security"]


def test_outcomes(store, registry):
    sid = _session(store, registry)
    S.add_outcome(store, sid, "commitment", "проводить подобные дискуссии ежеквартально.")
    with pytest.raises(S.SessionError, match="kind"):
        S.add_outcome(store, sid, "wish", "x")
    assert [(o["kind"], o["text"]) for o in S.get_session(store, sid)["outcomes"]] == \
        [("commitment", "проводить подобные дискуссии ежеквартально")]


def _run(*args, cwd, input=None):
    """The command in this process (the process itself is tests/test_cli.py's concern)."""
    return invoke(*args, cwd=cwd, input=input)


def test_cli_plans_records_and_publishes(tmp_path):
    db = str(tmp_path / "k.db")
    r = _run("session", "create", "--title", "Водные ресурсы региона", "--starts", "2025-12-10 15:00",
             "--format", "online", "--link", "https://meet.example.org/x", "--organizer", "ИМЭП", "--db", db,
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    sid = r.stdout.strip()
    assert _run("session", "invite", sid, "ИСМИ", "--db", db, cwd=tmp_path).returncode == 0
    assert _run("session", "invite", sid, "1", "--status", "accepted", "--db", db, cwd=tmp_path).returncode == 0
    r = _run("session", "record", sid, "--speaker", "Мурад Узаков", "--institution", "ИСМИ", "--text",
             "Приоритетами остаются водные ресурсы и энергетика.", "--db", db, cwd=tmp_path)
    assert r.returncode == 0 and "water «водные ресурсы»" in r.stdout, r.stderr
    assert _run("session", "record", sid, "--outcome", "commitment", "--text",
                "проводить подобные дискуссии ежеквартально", "--db", db, cwd=tmp_path).returncode == 0
    r = _run("session", "invite", sid, "--out", "letters", "--db", db, cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "letters" / f"session-{sid}.ics").exists()
    assert len(list((tmp_path / "letters").glob("*.eml"))) == 1
    r = _run("session", "publish", sid, "--out", "out", "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ru = (tmp_path / "out" / f"session-{sid}-release-ru.txt").read_text(encoding="utf-8")
    assert "Мурад Узаков" in ru and "водные ресурсы" in ru
    assert (tmp_path / "out" / f"session-{sid}-release-en.html").exists()
    shown = json.loads(_run("session", "show", sid, "--db", db, cwd=tmp_path).stdout)
    assert shown["status"] == "published" and shown["document_id"]
    # the release is now a document of the knowledge base, with the session as its event
    r = _run("show", "doc", str(shown["document_id"]), "--db", db, cwd=tmp_path)
    assert r.returncode == 0 and "Водные ресурсы региона" in r.stdout
    # and the briefing of its month lists it
    r = _run("briefing", "--from", "2025-12", "--to", "2025-12", "-o", "b.json", "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert "Водные ресурсы региона" in json.dumps(b, ensure_ascii=False)
    r = _run("briefing", "--from", "2025-12", "--to", "2025-12", "-o", "b.pdf", "--lang", "en", "--db", db,
             cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF"), r.stderr
    r = _run("briefing", "--from", "2025-12", "--to", "2025-12", "-o", "b.doc", "--db", db, cwd=tmp_path)
    assert r.returncode == 1 and "b.doc: give a file name ending in .html, .pdf or .json" in r.stderr


def test_cli_errors_name_the_problem(tmp_path):
    db = str(tmp_path / "k.db")
    r = _run("session", "create", "--title", "x", "--starts", "2026-13-01 10:00", "--link",
             "https://meet.example.org/x", "--db", db, cwd=tmp_path)
    assert r.returncode == 1 and "kurultai: error: starts: '2026-13-01 10:00'" in r.stderr
    r = _run("session", "record", "99", "--outcome", "commitment", "--text", "x", "--db", db, cwd=tmp_path)
    assert r.returncode == 1 and "no session has id 99" in r.stderr


def test_translations_print_in_the_other_release(store, registry, extractor):
    from kurultai.convene import publish
    sid = _session(store, registry, format="online", venue=None, title_other="Water resources of the region")
    S.add_contribution(store, registry, sid, speaker="Бахтиёр Шарипов", institution="ИСМИ",
                       text="Приоритетами остаются водные ресурсы.", tagger=Tagger(extractor))
    S.add_outcome(store, sid, "commitment", "проводить такие встречи ежеквартально", text_other="meet every quarter")
    s = S.get_session(store, sid, registry)
    labels = Labels.load(registry)
    en = publish.release(s, registry, labels, "en", store).text
    assert '"Water resources of the region"' in en and "readiness to meet every quarter" in en
    assert "Bakhtier Sharipov (ISRS)" in en and "moderated by Asel Nazarova" in en  # names transliterated
    ru = publish.release(s, registry, labels, "ru", store).text
    assert "«Водные ресурсы региона»" in ru and "проводить такие встречи ежеквартально" in ru
