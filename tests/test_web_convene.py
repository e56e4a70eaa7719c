"""The expert dialogue's pages and their JSON twins, through FastAPI's TestClient on a real store
(SQLite, and PostgreSQL when $KURULTAI_TEST_PG is set) holding generated reports in which the agenda
has something to suggest: plan, invite, export, accept the agenda, record, correct, mark outcomes,
publish, read the release and the briefing; bad input gets a 400 with its message, a missing
session a 404, and hostile text is shown as text."""
from __future__ import annotations

import email
import html
import io
import re
import warnings
from email import policy

import pytest

fastapi = pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.web.app import create_app  # noqa: E402
from kurultai.web.downloads import attachment  # noqa: E402
from kurultai.web.tagged import outcome_text, segments  # noqa: E402

from .agenda_corpus import Memo, plan, write  # noqa: E402
from .conftest import STORES, fresh_store, sign_in  # noqa: E402

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
PERIOD = "from=2023-07&to=2023-12"  # the planted corpus: water rising, the SCO debated, borders gone quiet
TALK = ("Приоритетами остаются развитие транспортно-логистических коридоров и рациональное использование "
        "водных ресурсов. Серьезной угрозой для региона остается терроризм и экстремизм. Важно учитывать опыт "
        "взаимодействия в рамках ШОС. Участники договорились проводить такие встречи ежеквартально.")


@pytest.fixture(scope="module", params=STORES)
def store(request, extractor, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dialogue-corpus")
    docs = plan(extractor.registry, 2023, twins=16, seed=5, planted=True)
    write(docs, extractor.registry, folder, seed=5)
    s = fresh_store(request.param, tmp_path_factory.mktemp(f"dialogue-{request.param}"))
    report = ingest(s, [folder], Memo(extractor), dedup=False)
    assert report.new == len(docs) and not report.failed
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store, extractor):
    """A client whose pages are in English, in which the messages asserted below are written (the
    Russian pages say them in Russian: tests/test_web_i18n.py)."""
    with TestClient(create_app(store.url, extractor=extractor)) as c:
        c.cookies.set("lang", "en")
        yield c


@pytest.fixture(scope="module")
def editor(client, store) -> dict:
    """The CSRF header of the client's editor login (the cookie rides with the client)."""
    return sign_in(client, store, "editor")


def form(editor: dict, **fields) -> dict:
    return {"csrf": editor["X-CSRF-Token"], **fields}


def new_session(client, editor, **changes) -> dict:
    body = {"title": "Центральная Азия: новые возможности партнерства", "starts": "2024-01-25 15:00",
            "timezone": "Asia/Tashkent", "format": "hybrid", "link": "https://meet.example.org/ca",
            "venue": "Ташкент, ИСМИ", "organizer": "ИМЭП", "moderator": "Айгерим Касымова", **changes}
    r = client.post("/api/sessions", json=body, headers=editor)
    assert r.status_code == 201, r.text
    return r.json()


def error_of(r) -> str:
    """The message of an error answer: JSON's detail, or the page's #error-message."""
    if r.headers["content-type"].startswith("application/json"):
        return r.json()["detail"]
    m = re.search(r'id="error-message"[^>]*>(.*?)</p>', r.text, re.S)
    assert m, r.text[:500]
    return m.group(1)


# -- planning -----------------------------------------------------------------------------------------------------------

def test_plan_a_session_by_form_and_by_json(client, editor):
    r = client.post("/sessions", data=form(editor, title="Водно-энергетический баланс", starts="2024-02-10T10:00",
                                          timezone="Asia/Almaty", format="offline", venue="Алматы, КазНУ",
                                          organizer="КИСИ", moderator="Ерлан Касымов", type="seminar",
                                          language="en", duration_min="90"), follow_redirects=False)
    assert r.status_code == 303 and re.fullmatch(r"/session/\d+", r.headers["location"])
    s = client.get("/api" + r.headers["location"]).json()
    assert s["title"] == "Водно-энергетический баланс" and s["format"] == "offline" and s["type"] == "seminar"
    assert s["starts_at"] == "2024-02-10T10:00:00+06:00" and s["timezone"] == "Asia/Almaty"
    assert s["organizer"].startswith("Казахстанский институт стратегических исследований")
    assert s["organizer_country"] == "KZ" and s["duration_min"] == 90 and s["language"] == "en"
    made = new_session(client, editor)
    assert made["organizer_country"] == "KZ" and made["links"]["calendar"] == f"/session/{made['id']}/calendar.ics"
    listed = client.get("/api/sessions").json()["sessions"]
    assert {made["id"], s["id"]} <= {x["id"] for x in listed}
    page = client.get("/sessions")
    assert page.status_code == 200 and f'href="/session/{made["id"]}"' in page.text and 'id="new-session"' in page.text
    shown = client.get(f"/session/{made['id']}")
    assert shown.status_code == 200 and "Айгерим Касымова" in shown.text and "UTC+05:00" in shown.text
    assert 'id="invite-form"' in shown.text and 'id="contribution-form"' in shown.text


@pytest.mark.parametrize("changes, field", [
    ({"format": "online", "link": ""}, "link: an online session needs a meeting link"),
    ({"format": "offline", "venue": ""}, "venue: an in-person session needs a venue"),
    ({"timezone": "Mars/Olympus"}, "timezone: unknown zone 'Mars/Olympus'"),
    ({"starts": "next tuesday"}, "starts: 'next tuesday' is not a date and time"),
    ({"format": "video"}, "format: 'video' is not one of online, offline, hybrid"),
    ({"title": "  "}, "title: required"),
    ({"link": "javascript:alert(1)"}, "is not an http(s) address"),
    ({"language": "de"}, "language: 'de' is not one of ru, en"),
])
def test_a_session_that_cannot_be_planned_is_refused_with_the_reason(client, editor, changes, field):
    body = {"title": "X", "starts": "2024-03-01 10:00", "timezone": "Asia/Almaty", "format": "hybrid",
            "link": "https://meet.example.org/x", "venue": "Бишкек", **changes}
    r = client.post("/api/sessions", json=body, headers=editor)
    assert r.status_code == 400 and field in r.json()["detail"]
    page = client.post("/sessions", data=form(editor, **body))
    assert page.status_code == 400 and field in error_of(page).replace("&#39;", "'")
    assert f'value="{body["title"]}"' in page.text  # what was typed is kept


def test_missing_sessions_are_404_and_bad_ids_are_refused(client, editor):
    for path in ("/session/999999", "/api/session/999999", "/session/999999/agenda", "/session/999999/release",
                 "/session/999999/calendar.ics", "/session/999999/release.txt"):
        r = client.get(path)
        assert r.status_code == 404 and "no session has id 999999" in error_of(r), path
    assert client.post("/api/session/999999/invite", json={"who": "ИМЭП"}, headers=editor).status_code == 404
    assert client.get("/session/abc").status_code == 422
    assert client.get("/session/99999999999").status_code == 422


# -- invitations and what is sent ---------------------------------------------------------------------------------------

def test_invitations_with_status_calendar_and_letters(client, editor, store):
    s = new_session(client, editor)
    sid = s["id"]
    org = client.post(f"/api/session/{sid}/invite", json={"who": "ИСМИ", "email": "office@isrs.example.uz"},
                      headers=editor)
    assert org.status_code == 201 and org.json()["country"] == "UZ" and org.json()["kind"] == "org"
    kb = client.get("/api/orgs?name=" + "Кыргыз").json()["items"][0]
    by_id = client.post(f"/session/{sid}/invite", data=form(editor, who=str(kb["id"]), kind="org", language="en"),
                        follow_redirects=False)
    assert by_id.status_code == 303 and by_id.headers["location"] == f"/session/{sid}#invitations"
    typed = client.post(f"/api/session/{sid}/invite", json={"who": "Нурлан Абдыкалыков", "kind": "person"},
                        headers=editor).json()
    assert typed["entity_id"] is None or typed["name"] == "Нурлан Абдыкалыков"
    invs = client.get(f"/api/session/{sid}").json()["invitations"]
    assert [i["name"] for i in invs][1] == kb["name"] and invs[1]["language"] == "en"
    again = client.post(f"/api/session/{sid}/invite", json={"who": "ИСМИ"}, headers=editor)
    assert again.status_code == 400 and "already invited" in again.json()["detail"]
    bad = client.post(f"/session/{sid}/invite", data=form(editor, who="ИМЭП", email="not an address"))
    assert bad.status_code == 400 and "is not an e-mail address" in error_of(bad)

    iid = org.json()["id"]
    r = client.post(f"/session/{sid}/invitation/{iid}", data=form(editor, status="accepted"), follow_redirects=False)
    assert r.status_code == 303
    assert client.post(f"/api/session/{sid}/invitation/{invs[1]['id']}", json={"status": "declined"},
                       headers=editor).json()["status"] == "declined"
    wrong = client.post(f"/session/{sid}/invitation/{iid}", data=form(editor, status="maybe"))
    assert wrong.status_code == 400 and "status: 'maybe' is not one of" in error_of(wrong).replace("&#39;", "'")
    assert client.post(f"/api/session/{sid}/invitation/999999", json={"status": "sent"}, headers=editor).status_code == 404

    cal = client.get(f"/session/{sid}/calendar.ics")
    assert cal.headers["content-type"].startswith("text/calendar")
    assert cal.headers["content-disposition"].startswith(f'attachment; filename="session-{sid}.ics"')
    unfolded = cal.text.replace("\r\n ", "")
    assert "DTSTART:20240125T100000Z" in unfolded  # 15:00 in Tashkent
    assert re.search(r"ATTENDEE;CN=\"Институт стратегических и межрегиональных[^\"]*\";CUTYPE=GROUP;"
                     r"ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:office@isrs.example.uz", unfolded)

    md = client.get(f"/session/{sid}/letters/{iid}.md")
    assert md.headers["content-type"].startswith("text/markdown")
    disposition = md.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="session-{sid}-letter-{iid}-ru.md"; filename*=UTF-8\'\'')
    assert "/" not in disposition.split("filename*=")[1] and "25 января 2024" in md.text
    eml = client.get(f"/session/{sid}/letters/{invs[1]['id']}.eml")
    assert eml.headers["content-type"] == "message/rfc822"
    msg = email.message_from_bytes(eml.content, policy=policy.default)
    assert msg["Subject"] and "January" in msg.get_body(("plain",)).get_content()
    parts = {p.get_content_type(): p for p in msg.iter_attachments()}
    assert "BEGIN:VCALENDAR" in parts["text/calendar"].get_content()
    assert client.get(f"/session/{sid}/letters/999999.md").status_code == 404
    other = new_session(client, editor)
    assert client.get(f"/session/{other['id']}/letters/{iid}.eml").status_code == 404

    page = client.get(f"/session/{sid}").text
    assert f'id="invitation-{iid}" class="invitation status-accepted"' in page
    assert f'href="/session/{sid}/letters/{iid}.eml"' in page


def test_a_title_with_line_breaks_still_makes_a_letter(client, editor):
    title = "Вода и энергия:\nновый баланс\r\nрегиона\u2028(второй раунд)\x85итоги"
    sid = new_session(client, editor, title=title)["id"]
    iid = client.post(f"/api/session/{sid}/invite", json={"who": "Aigerim Kasymova", "kind": "person",
                                                          "email": "aigerim@example.kz"}, headers=editor).json()["id"]
    eml = client.get(f"/session/{sid}/letters/{iid}.eml")
    assert eml.status_code == 200, eml.text[:300]
    msg = email.message_from_bytes(eml.content, policy=policy.default)
    subject = msg["Subject"]
    assert not re.search(r"[\r\n\x85\u2028]", subject)  # (Python's folding may drop a space between encoded words)
    assert "Вода и энергия: новый баланс региона (второй раунд) итоги".replace(" ", "") in subject.replace(" ", "")
    assert msg["To"] == "aigerim@example.kz" and len(msg.keys()) == len(set(msg.keys()))  # no header smuggled in
    assert all(len(line) <= 78 for line in eml.content.split(b"\r\n" if b"\r\n" in eml.content else b"\n")[:12])
    assert "новый баланс" in msg.get_body(("plain",)).get_content()


def test_file_names_of_downloads_are_safe():
    value = attachment("../письмо «X».md", "x/../y.md")
    plain = re.search(r'filename="([^"]*)"', value).group(1)
    assert plain == "x_.._y.md" and "/" not in value.split("filename*=")[1] and "\n" not in value
    assert attachment("письмо.md").startswith('attachment; filename="download.md"; filename*=UTF-8\'\'%D0%BF')
    assert attachment("b.pdf", inline=True).startswith("inline;")


# -- the agenda -------------------------------------------------------------------------------------------------------

def test_agenda_suggested_with_evidence_and_accepted(client, editor):
    sid = new_session(client, editor)["id"]
    data = client.get(f"/api/session/{sid}/agenda?{PERIOD}").json()
    kinds = [(i["kind"], i["id"] or i["phrase"]) for i in data["suggestion"]["items"]]
    assert ("rising", "water") in kinds and ("framework", "sco") in kinds
    rising = next(i for i in data["suggestion"]["items"] if i["kind"] == "rising")
    page = client.get(f"/session/{sid}/agenda?{PERIOD}")
    assert page.status_code == 200
    for e in rising["evidence"]:
        assert f'href="/doc/{e["document_id"]}"' in page.text
    assert rising["why"]["ru"].split(" ")[0] in page.text
    assert page.text.count('type="checkbox" name="item"') == len(kinds)

    chosen = [i["accept"] for i in data["suggestion"]["items"] if i["kind"] in ("rising", "framework")]
    r = client.post(f"/session/{sid}/agenda", data=form(editor, item=chosen, custom="Итоги года\n\n"),
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/session/{sid}#agenda"
    agenda = client.get(f"/api/session/{sid}").json()["agenda"]
    assert [(a["kind"], a["id"]) for a in agenda] == [("rising", "water"), ("framework", "sco"), ("custom", None)]
    assert agenda[0]["label"] == {"ru": "водные ресурсы", "en": "water resources"} and agenda[0]["why"]["en"]
    again = client.get(f"/api/session/{sid}/agenda?{PERIOD}").json()
    assert next(i for i in again["suggestion"]["items"] if i["kind"] == "rising")["on_agenda"] is True
    shown = client.get(f"/session/{sid}").text
    assert "water resources" in shown and "Итоги года" in shown  # the agenda in the page's language
    assert "1. " + agenda[0]["label"]["ru"] in client.get(f"/session/{sid}/calendar.ics").text.replace("\r\n ", "")

    api = client.post(f"/api/session/{sid}/agenda", json={"items": [{"label": "Только свой пункт"}]}, headers=editor)
    assert api.status_code == 200 and [a["label"]["en"] for a in api.json()["agenda"]] == ["Только свой пункт"]
    bad = client.post(f"/session/{sid}/agenda", data=form(editor, item=["{not json"]))
    assert bad.status_code == 400 and "agenda item 1: not an item of the suggestion" in error_of(bad)
    empty = client.post(f"/api/session/{sid}/agenda", json={"items": [{"label": {"ru": " "}}]}, headers=editor)
    assert empty.status_code == 400 and "agenda item 1: needs a label" in empty.json()["detail"]
    for query, message in (("from=2023-13&to=2023-12", "from"), ("from=2024&to=2023", "after"),
                           (PERIOD + "&countries=XX", "countries: &#39;XX&#39; is not a country code"), (PERIOD + "&countries=KZ,%3Cb%3E", "&#39;&lt;B&gt;&#39; is not a country code")):
        r = client.get(f"/session/{sid}/agenda?{query}")
        assert r.status_code == 400 and message in error_of(r), query
    kz = client.get(f"/api/session/{sid}/agenda?{PERIOD}&countries=KZ").json()["suggestion"]
    assert kz["countries"] == ["KZ"] and kz["events"] < data["suggestion"]["events"]
    assert client.get(f"/api/session/{sid}/agenda").json()["suggestion"]["from"] == "2023-02"  # a year to its month


# -- contributions, tags, outcomes --------------------------------------------------------------------------------------

def test_agenda_defaults_to_a_period_with_events(client, editor):
    """A session long after the corpus's events (2023) opens its agenda page on the twelve months up
    to the latest event, not on an empty year before the session."""
    sid = new_session(client, editor, starts="2026-06-01 10:00")["id"]
    data = client.get(f"/api/session/{sid}/agenda").json()["suggestion"]
    assert data["events"] > 0 and data["to"].startswith("2023"), (data["from"], data["to"], data["events"])
    # a session within the corpus's year keeps its own twelve months
    own = client.get(f"/api/session/{new_session(client, editor)['id']}/agenda").json()["suggestion"]
    assert own["to"].startswith("2024-01") and own["events"] > 0


def test_contributions_are_tagged_with_their_evidence(client, editor):
    sid = new_session(client, editor)["id"]
    r = client.post(f"/api/session/{sid}/contributions", json={"speaker": "Бахтиёр Рахимов", "institution": "ИСМИ",
                                                               "text": TALK}, headers=editor)
    assert r.status_code == 201
    c = r.json()
    assert c["country"] == "UZ" and c["institution"].startswith("Институт стратегических")
    tags = c["tags"]
    assert {t["id"] for t in tags["directions"]} >= {"transport_logistics", "water"}
    assert [t["id"] for t in tags["threats"]] == ["terrorism_extremism"] and [t["id"] for t in tags["frameworks"]] == ["sco"]
    for field in ("directions", "threats", "frameworks", "outcomes"):
        for t in tags[field]:
            assert TALK[t["start"]:t["end"]] == t["text"], (field, t)
    assert any("ежеквартально" in o["text"] for o in tags["outcomes"])

    page = client.get(f"/session/{sid}").text
    water = next(t for t in tags["directions"] if t["id"] == "water")
    cid = c["id"]
    assert f'<a class="chip tag-directions" href="#c{cid}-directions-water" data-key="directions:water"' in page
    assert re.search(rf'<mark class="t-directions" data-keys="directions:water" id="c{cid}-directions-water">'
                     rf'{water["text"]}</mark>', page)
    assert re.search(rf'<mark class="t-frameworks[^"]*" data-keys="frameworks:sco[^"]*" id="c{cid}-frameworks-sco">ШОС</mark>',
                     page)
    assert 'name="text" value="проводить такие встречи ежеквартально"' in page  # to complete 'участники договорились'


def test_transcripts_are_read_from_files(client, editor, tmp_path):
    import docx
    sid = new_session(client, editor)["id"]
    txt = "Энергетическое сотрудничество и цифровизация экономики остаются приоритетами.".encode("cp1251")
    r = client.post(f"/session/{sid}/contributions", data=form(editor, speaker="Мадина Юсупова", institution="КИСИ"),
                    files={"transcript": ("расшифровка.txt", txt, "text/plain")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/session/{sid}#contributions"
    document = docx.Document()
    document.add_paragraph("Развитие туризма и академические обмены между университетами региона.")
    buf = io.BytesIO()
    document.save(buf)
    r = client.post(f"/session/{sid}/contributions", data=form(editor, speaker="Тимур Назаров"),
                    files={"transcript": ("speech.docx", buf.getvalue(), "application/octet-stream")},
                    follow_redirects=False)
    assert r.status_code == 303
    got = client.get(f"/api/session/{sid}").json()["contributions"]
    assert [c["source"] for c in got] == ["расшифровка.txt", "speech.docx"]
    assert got[0]["text"].startswith("Энергетическое") and {"energy", "digital_innovation"} <= {
        t["id"] for t in got[0]["tags"]["directions"]}
    assert "tourism" in {t["id"] for t in got[1]["tags"]["directions"]}
    for files, data, message in (
            ({"transcript": ("talk.exe", b"MZ", "application/octet-stream")}, {}, "is not a .txt, .docx or .pdf file"),
            ({"transcript": ("empty.txt", b"", "text/plain")}, {}, "empty.txt: empty file"),
            ({"transcript": ("broken.pdf", b"%PDF-1.4 not really", "application/pdf")}, {}, "broken.pdf: "),
            ({"transcript": ("t.txt", b"x", "text/plain")}, {"text": "and text"}, "give the text or a transcript"),
            (None, {}, "text: required")):
        r = client.post(f"/session/{sid}/contributions", data=form(editor, speaker="X", **data), files=files)
        assert r.status_code == 400 and message in error_of(r), message
    r = client.post(f"/session/{sid}/contributions", data=form(editor, speaker="", text="Текст"))
    assert r.status_code == 400 and "speaker: required" in error_of(r) and "Текст</textarea>" in r.text
    assert len(client.get(f"/api/session/{sid}").json()["contributions"]) == 2


def test_editor_corrects_tags_and_marks_outcomes(client, editor):
    sid = new_session(client, editor)["id"]
    c = client.post(f"/api/session/{sid}/contributions", json={"speaker": "Бахтиёр Рахимов", "text": TALK},
                    headers=editor).json()
    cid = c["id"]
    r = client.post(f"/session/{sid}/contribution/{cid}/tags",
                    data=form(editor, directions=["water", "energy"], frameworks=["sco", "eaeu"]), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/session/{sid}#contribution-{cid}"
    tags = client.get(f"/api/session/{sid}").json()["contributions"][0]["tags"]
    assert [t["id"] for t in tags["directions"]] == ["water", "energy"] and tags["threats"] == []
    assert TALK[tags["directions"][0]["start"]:tags["directions"][0]["end"]] == "водных ресурсов"  # evidence kept
    assert "start" not in tags["directions"][1] and [t["id"] for t in tags["frameworks"]] == ["sco", "eaeu"]
    page = client.get(f"/session/{sid}").text
    assert 'class="tag corrected"' in page and '<span class="chip tag-directions none"' in page
    assert 'name="directions" value="energy" checked' in page
    api = client.post(f"/api/session/{sid}/contribution/{cid}/tags", json={"threats": ["cyber"]}, headers=editor).json()
    assert [t["id"] for t in api["threats"]] == ["cyber"] and [t["id"] for t in api["directions"]] == ["water", "energy"]
    bad = client.post(f"/session/{sid}/contribution/{cid}/tags", data=form(editor, directions=["astrology"]))
    assert bad.status_code == 400 and "directions: unknown id 'astrology'" in error_of(bad).replace("&#39;", "'")
    assert client.post(f"/api/session/{sid}/contribution/999999/tags", json={}, headers=editor).status_code == 404

    r = client.post(f"/session/{sid}/outcomes", data=form(editor, kind="commitment", contribution_id=str(cid),
                                                          text="проводить такие встречи ежеквартально."),
                    follow_redirects=False)
    assert r.status_code == 303
    api = client.post(f"/api/session/{sid}/outcomes", json={"kind": "recommendation",
                                                            "text": "создать экспертную площадку"}, headers=editor)
    assert api.status_code == 201 and api.json()["kind"] == "recommendation"
    outs = client.get(f"/api/session/{sid}").json()["outcomes"]
    assert [(o["kind"], o["text"], o["contribution_id"]) for o in outs] == [
        ("commitment", "проводить такие встречи ежеквартально", cid), ("recommendation", "создать экспертную площадку", None)]
    for data, message in (({"kind": "wish", "text": "x"}, "kind: 'wish' is not one of"),
                          ({"kind": "agreement", "text": ""}, "outcome: required"),
                          ({"kind": "agreement", "text": "x", "contribution_id": "999999"}, "has no contribution 999999")):
        r = client.post(f"/session/{sid}/outcomes", data=form(editor, **data))
        assert r.status_code == 400 and message in error_of(r).replace("&#39;", "'"), message


def _same_refusal(client, editor, page_path, data, api_path, body):
    """The form and its JSON twin answer the same bad value alike: 422, one message."""
    api = client.post(api_path, json=body, headers=editor)
    page = client.post(page_path, data=form(editor, **data))
    assert api.status_code == page.status_code == 422, (api.text, page.status_code)
    said = api.json().get("message", api.json()["detail"])  # `message`: the same in the page's language
    assert html.unescape(error_of(page)) == said
    return page


def test_a_bad_session_form_value_is_refused_as_its_json_twin_refuses_it(client, editor):
    """Each form of a session is validated by the model its JSON twin takes (web/forms.py): the
    same bad value gets the same 422 and message either way, and the page keeps what was typed."""
    good = {"title": "X", "starts": "2024-03-01 10:00", "timezone": "Asia/Almaty", "format": "offline",
            "venue": "Бишкек"}
    page = _same_refusal(client, editor, "/sessions", {**good, "duration_min": "two hours"}, "/api/sessions",
                         {**good, "duration_min": "two hours"})
    assert "duration_min" in error_of(page) and "valid integer" in error_of(page) and 'value="Бишкек"' in page.text
    _same_refusal(client, editor, "/sessions", {**good, "title": "x" * 501}, "/api/sessions", {**good, "title": "x" * 501})
    sid = new_session(client, editor)["id"]
    page = _same_refusal(client, editor, f"/session/{sid}/invite", {"who": "ИМЭП", "kind": "robot"},
                         f"/api/session/{sid}/invite", {"who": "ИМЭП", "kind": "robot"})
    assert "'kind'" in html.unescape(error_of(page)) and 'value="ИМЭП"' in page.text
    iid = client.post(f"/api/session/{sid}/invite", json={"who": "ИСМИ"}, headers=editor).json()["id"]
    _same_refusal(client, editor, f"/session/{sid}/invitation/{iid}", {"status": "s" * 17},
                  f"/api/session/{sid}/invitation/{iid}", {"status": "s" * 17})
    page = _same_refusal(client, editor, f"/session/{sid}/outcomes",
                         {"kind": "agreement", "text": "обмен", "contribution_id": "abc"},
                         f"/api/session/{sid}/outcomes", {"kind": "agreement", "text": "обмен", "contribution_id": "abc"})
    assert "contribution_id" in error_of(page) and 'value="обмен"' in page.text
    cid = client.post(f"/api/session/{sid}/contributions", json={"speaker": "Бахтиёр Рахимов", "text": TALK},
                      headers=editor).json()["id"]
    many = [f"d{k}" for k in range(101)]
    _same_refusal(client, editor, f"/session/{sid}/contribution/{cid}/tags", {"directions": many},
                  f"/api/session/{sid}/contribution/{cid}/tags", {"directions": many})
    client.cookies.set("lang", "ru")  # said in Russian on a Russian page, and as `message` in the JSON
    page = _same_refusal(client, editor, "/sessions", {**good, "duration_min": "два часа"}, "/api/sessions",
                         {**good, "duration_min": "два часа"})
    assert html.unescape(error_of(page)) == "продолжительность: 'два часа' — не целое число"
    client.cookies.set("lang", "en")
    # a blank invitee is the store's refusal, the same for both
    api = client.post(f"/api/session/{sid}/invite", json={"who": "  "}, headers=editor)
    page = client.post(f"/session/{sid}/invite", data=form(editor, who="  "))
    assert api.status_code == page.status_code == 400 and "invitee: required" in api.json()["detail"]
    assert html.unescape(error_of(page)) == api.json().get("message", api.json()["detail"])


# -- publishing ---------------------------------------------------------------------------------------------------------

def test_a_session_ahead_of_its_date_is_announced_not_published(client, editor):
    """Nine days before the date a contribution leaves the session planned, the release announces
    it in the future tense, and publishing is refused with the date, in the page's language."""
    from datetime import datetime, timedelta
    starts = (datetime.now() + timedelta(days=9)).strftime("%Y-%m-%d 10:00")
    sid = new_session(client, editor, starts=starts)["id"]
    client.post(f"/api/session/{sid}/contributions", json={"speaker": "Бахтиёр Рахимов", "institution": "ИСМИ",
                                                           "text": TALK}, headers=editor)
    assert client.get(f"/api/session/{sid}").json()["status"] == "planned"
    release = client.get(f"/api/session/{sid}/release?lang=ru").json()["text"]
    assert "состоится" in release and "состоялся" not in release and "Рахимов" not in release
    r = client.post(f"/session/{sid}/publish", data=form(editor))
    assert r.status_code == 400 and "can be published once it has been held" in error_of(r)
    ru = client.post(f"/session/{sid}/publish?lang=ru", data=form(editor))
    assert "релиз можно опубликовать, когда она состоится" in error_of(ru)
    assert client.post(f"/api/session/{sid}/publish", headers=editor).status_code == 400
    assert client.get(f"/api/session/{sid}").json()["status"] == "planned"


def test_publish_and_read_the_release(client, editor):
    sid = new_session(client, editor)["id"]
    client.post(f"/api/session/{sid}/invite", json={"who": "ИСМИ"}, headers=editor)
    client.post(f"/api/session/{sid}/contributions", json={"speaker": "Бахтиёр Рахимов", "institution": "ИСМИ",
                                                           "text": TALK}, headers=editor)
    client.post(f"/api/session/{sid}/outcomes", json={"kind": "commitment", "text": "проводить такие встречи ежеквартально"},
                headers=editor)
    draft = client.get(f"/session/{sid}/release")
    assert draft.status_code == 200 and 'id="release-draft"' in draft.text
    r = client.post(f"/session/{sid}/publish", data=form(editor), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/session/{sid}/release?lang=ru"
    s = client.get(f"/api/session/{sid}").json()
    assert s["status"] == "published" and s["published_at"] and s["document_id"]
    stored = client.get(f"/api/doc/{s['document_id']}").json()  # the release is in the knowledge base now
    assert stored["text"] == client.get(f"/session/{sid}/release.txt?lang=ru").text
    assert f'href="/doc/{s["document_id"]}" id="release-document"' in client.get(f"/session/{sid}").text
    ru = client.get(f"/api/session/{sid}/release?lang=ru").json()
    en = client.get(f"/api/session/{sid}/release?lang=en").json()
    assert ru["lang"] == "ru" and "Бахтиёр Рахимов" in ru["text"] and "ежеквартально" in ru["text"]
    assert en["lang"] == "en" and "hybrid" in en["text"] and "Шанхайской" not in en["text"]
    page = client.get(f"/session/{sid}/release?lang=en")
    assert page.status_code == 200 and 'id="release-draft"' not in page.text
    assert f"<h1>{en['title']}</h1>" in page.text and all(p.split(" (")[0][:40] in page.text
                                                         for p in en["paragraphs"] if "'" not in p[:40])
    txt = client.get(f"/session/{sid}/release.txt?lang=en")
    assert txt.text == en["text"] and txt.headers["content-type"].startswith("text/plain")
    assert txt.headers["content-disposition"].startswith(f'attachment; filename="session-{sid}-release-en.txt"')
    html = client.get(f"/session/{sid}/release.html?lang=ru")
    assert html.headers["content-type"].startswith("text/html") and "<h1>" + ru["title"] in html.text
    assert client.get(f"/session/{sid}/release.txt?lang=de").status_code == 422
    api = client.post(f"/api/session/{sid}/publish", headers=editor).json()
    assert api["status"] == "published" and api["release"]["en"] == f"/session/{sid}/release?lang=en"
    assert api["document_id"] == s["document_id"]  # the same release is the same document
    empty = new_session(client, editor)["id"]
    r = client.post(f"/session/{empty}/publish", data=form(editor))
    assert r.status_code == 400 and f"session {empty} has no contributions or outcomes" in error_of(r)
    assert client.get(f"/api/session/{empty}").json()["status"] == "planned"


# -- hostile text -------------------------------------------------------------------------------------------------------

def test_hostile_text_is_shown_as_text(client, editor):
    s = new_session(client, editor, title=HOSTILE, moderator=HOSTILE, venue=HOSTILE, organizer=HOSTILE)
    sid = s["id"]
    client.post(f"/api/session/{sid}/invite", json={"who": HOSTILE}, headers=editor)
    client.post(f"/api/session/{sid}/contributions", json={"speaker": HOSTILE, "institution": HOSTILE,
                                                           "text": HOSTILE + " " + TALK}, headers=editor)
    client.post(f"/api/session/{sid}/outcomes", json={"kind": "agreement", "text": HOSTILE}, headers=editor)
    client.post(f"/api/session/{sid}/agenda", json={"items": [{"label": HOSTILE, "why": {"ru": HOSTILE, "en": HOSTILE}}]},
                headers=editor)
    for path in ("/sessions", f"/session/{sid}", f"/session/{sid}/agenda?{PERIOD}", f"/session/{sid}/release?lang=ru",
                 f"/session/{sid}/release?lang=en", f"/session/{sid}/release.html?lang=en"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, path
        assert "&lt;script&gt;alert(" in r.text, path
    ics = client.get(f"/session/{sid}/calendar.ics").text
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    r = client.post("/sessions", data=form(editor, title=HOSTILE, starts="bad", format="online"))
    assert r.status_code == 400 and "<script>alert" not in r.text


# -- who may write ------------------------------------------------------------------------------------------------------

def test_writes_need_an_editor_with_the_csrf_token(client, store, editor, extractor):
    sid = new_session(client, editor)["id"]
    with TestClient(create_app(store.url, extractor=extractor)) as anonymous:
        r = anonymous.post("/api/sessions", json={"title": "X"})
        assert r.status_code == 401
        r = anonymous.post(f"/session/{sid}/outcomes", data={"kind": "agreement", "text": "x"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert anonymous.get(f"/session/{sid}").status_code == 200  # reading stays open
        assert 'id="invite-form"' not in anonymous.get(f"/session/{sid}").text
        viewer = sign_in(anonymous, store, "viewer")
        r = anonymous.post(f"/api/session/{sid}/publish", headers=viewer)
        assert r.status_code == 403 and "editor" in r.json()["detail"]
    r = client.post(f"/api/session/{sid}/publish")  # signed in, but no token
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    r = client.post(f"/session/{sid}/publish", data={"csrf": "forged"})
    assert r.status_code == 403
    assert client.get(f"/api/session/{sid}").json()["status"] == "planned"


# -- the briefing -------------------------------------------------------------------------------------------------------

def test_briefing_page_json_and_files(client):
    data = client.get(f"/api/briefing?{PERIOD}").json()
    assert data["from"] == "2023-07" and data["to"] == "2023-12" and data["totals"]["events"] > 0
    assert "water" in [i["id"] for i in data["agenda"]["items"] if i["kind"] == "rising"]
    page = client.get(f"/briefing?{PERIOD}&lang=en")
    assert page.status_code == 200 and "Rising directions" in page.text and "water resources" in page.text
    event = data["events"][0]
    assert f'href="/event/{event["id"]}"' in page.text and "<svg" in page.text
    assert 'href="/briefing.pdf?from=2023-07&amp;to=2023-12&amp;lang=ru"' in page.text
    default = client.get("/api/briefing").json()  # by default, the twelve months up to the latest event
    y, m = int(default["to"][:4]), int(default["to"][5:])
    assert default["to"] >= "2023-12" and default["from"] == (f"{y - 1}-{m + 1:02d}" if m < 12 else f"{y}-01")
    kz = client.get(f"/api/briefing?{PERIOD}&countries=KZ").json()
    assert kz["countries"] == ["KZ"] and kz["totals"]["events"] < data["totals"]["events"]
    bad = client.get("/briefing?from=2023-07&to=2023-02")
    assert bad.status_code == 400 and "after" in error_of(bad)
    pdf = client.get(f"/briefing.pdf?{PERIOD}&lang=ru")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert pdf.headers["content-disposition"].startswith('inline; filename="briefing-2023-07-2023-12-ru.pdf"')
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf.content)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert len(doc) >= 1 and "водные ресурсы" in text.replace("\r\n", " ").replace("\n", " ")
    html = client.get(f"/briefing.html?{PERIOD}&lang=en")
    assert html.headers["content-disposition"].startswith("attachment;") and "<style>" in html.text


def test_a_briefing_pdf_is_laid_out_once_per_state_of_the_store(client, editor, monkeypatch):
    """fpdf2 takes a second or more over a briefing: the same one asked again (in a query the
    route does not read, too) is the file already made, until a write changes the store."""
    from kurultai.report import briefing as B
    laid_out, real = [], B.render_pdf
    monkeypatch.setattr(B, "render_pdf", lambda b, lang=None: laid_out.append((b.date_from, lang)) or real(b, lang))
    url = "/briefing.pdf?from=2023-01&to=2023-09"
    first, again = client.get(url + "&lang=en"), client.get(url + "&lang=en&x=1")
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert laid_out == [("2023-01", "en")]
    assert client.get(url + "&lang=ru").content[:5] == b"%PDF-" and laid_out[-1] == ("2023-01", "ru")
    new_session(client, editor, title="Сессия, после которой брифинг составляется заново")
    assert client.get(url + "&lang=en").status_code == 200 and laid_out[-1] == ("2023-01", "en")
    assert len(laid_out) == 3


def test_segments_cut_at_every_boundary():
    pieces = segments("abcdefgh", [(1, 4, "x"), (2, 6, "y"), (7, 99, "z"), (None, 3, "w")])
    assert [(p["text"], p["keys"], p["anchors"]) for p in pieces] == [
        ("a", [], []), ("b", ["x"], ["x"]), ("cd", ["x", "y"], ["y"]), ("ef", ["y"], []), ("g", [], []),
        ("h", ["z"], ["z"])]


def test_outcome_suggestions_complete_the_release_sentence(registry):
    """The words after an outcome cue complete 'the participants agreed / recommended …'."""
    cases = [("Участники договорились проводить такие встречи ежеквартально.", "agreement",
              "проводить такие встречи ежеквартально"),
             ("Важно учитывать опыт взаимодействия в рамках ШОС.", "recommendation",
              "учитывать опыт взаимодействия в рамках ШОС"),
             ("Эксперты рекомендовали создать постоянную площадку для обмена данными.", "recommendation",
              "создать постоянную площадку для обмена данными"),
             ("The participants agreed to meet every quarter.", "agreement", "meet every quarter"),
             ("Стороны подписали меморандум.", "agreement", "Стороны подписали меморандум"),
             ("Без ключевых слов здесь.", None, "Без ключевых слов здесь")]
    for sentence, kind, expected in cases:
        assert outcome_text(sentence, kind, registry) == expected, sentence
