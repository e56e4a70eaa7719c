"""Personal data and owned sessions, through the web application on a real store (SQLite, and
PostgreSQL when $KURULTAI_TEST_PG is set): the meeting link and the invitees' e-mail addresses reach
editors and admins only (pages, JSON, .ics, .md and .eml alike), and a session is changed only by
the editor who planned it or by an admin; any other editor gets 403 and the session stays as it was."""
from __future__ import annotations

import email
import warnings
from email import policy

import pytest

from kurultai import auth
from kurultai.convene import sessions as S
from kurultai.web.auth import COOKIE

from .conftest import STORES, TEST_PASSWORD, fresh_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.web.app import create_app  # noqa: E402

ROOM = "secret-room-7f3a"
LINK = f"https://meet.example.org/{ROOM}"
EMAILS = ("aigerim.kasymova@example.kz", "office@isrs.example.uz")
USERS = {"owner": "editor", "other": "editor", "boss": "admin", "reader": "viewer"}


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory):
    s = fresh_store(request.param, tmp_path_factory.mktemp(f"privacy-{request.param}"))
    for name, role in USERS.items():
        auth.create_user(s, name, TEST_PASSWORD, role)
    yield s
    s.close()


@pytest.fixture(scope="module")
def app(store, extractor):
    return create_app(store.url, extractor=extractor)


def as_user(app, store, name: str | None) -> tuple[TestClient, dict]:
    """A client signed in as `name` (None: nobody) and the CSRF header its writes send."""
    client = TestClient(app)
    if name is None:
        return client, {}
    login = auth.start_login(store, auth.get_user(store, name))
    client.cookies.set(COOKIE, login.token)
    return client, {"X-CSRF-Token": login.csrf}


@pytest.fixture(scope="module")
def planned(app, store) -> dict:
    """A hybrid session planned by `owner`, with two invitees who have e-mail addresses."""
    owner, csrf = as_user(app, store, "owner")
    r = owner.post("/api/sessions", json={"title": "Водная дипломатия", "starts": "2026-03-10 11:00",
                                          "timezone": "Asia/Almaty", "format": "hybrid", "link": LINK,
                                          "venue": "Алматы", "organizer": "КИСИ"}, headers=csrf)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    invs = [owner.post(f"/api/session/{sid}/invite", json={"who": who, "kind": kind, "email": address},
                       headers=csrf).json()["id"]
            for who, kind, address in (("Айгерим Касымова", "person", EMAILS[0]), ("ИСМИ", "org", EMAILS[1]))]
    return {"id": sid, "invitations": invs}


def downloads(sid: int, invitations: list[int]) -> list[str]:
    urls = [f"/session/{sid}", f"/api/session/{sid}", f"/session/{sid}/calendar.ics",
            f"/api/session/{sid}/calendar.ics", f"/session/{sid}/agenda?from=2025-01&to=2025-12"]
    for iid in invitations:
        urls += [f"/session/{sid}/letters/{iid}.md", f"/session/{sid}/letters/{iid}.eml",
                 f"/api/session/{sid}/letters/{iid}.eml"]
    return urls


@pytest.mark.parametrize("who", [None, "reader"])
def test_readers_see_no_link_and_no_address(app, store, planned, who):
    client, _ = as_user(app, store, who)
    for url in downloads(planned["id"], planned["invitations"]):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        body = r.content.decode("utf-8", "replace")
        for secret in (ROOM, *EMAILS, "mailto:"):
            assert secret not in body, (who, url, secret)
    data = client.get(f"/api/session/{planned['id']}").json()
    assert data["link"] is None and data["personal_data_hidden"] is True and data["may_change"] is False
    assert [i["email"] for i in data["invitations"]] == [None, None] and data["owner"] is None
    assert "Водная дипломатия" in data["title"] and len(data["invitations"]) == 2  # the rest stays readable
    page = client.get(f"/session/{planned['id']}").text
    assert 'id="personal-data-hidden"' in page and 'id="invite-form"' not in page
    letter = email.message_from_bytes(client.get(f"/session/{planned['id']}/letters/{planned['invitations'][0]}.eml")
                                      .content, policy=policy.default)
    assert letter["To"] is None and "Водная дипломатия" in letter["Subject"]


@pytest.mark.parametrize("who", ["other", "boss"])
def test_editors_and_admins_see_them(app, store, planned, who):
    client, _ = as_user(app, store, who)
    sid, first = planned["id"], planned["invitations"][0]
    data = client.get(f"/api/session/{sid}").json()
    assert data["link"] == LINK and [i["email"] for i in data["invitations"]] == list(EMAILS)
    assert data["owner"] == "owner" and "personal_data_hidden" not in data
    page = client.get(f"/session/{sid}").text
    assert ROOM in page and all(a in page for a in EMAILS) and 'id="personal-data-hidden"' not in page
    assert f"mailto:{EMAILS[0]}" in client.get(f"/session/{sid}/calendar.ics").text.replace("\r\n ", "")
    letter = email.message_from_bytes(client.get(f"/session/{sid}/letters/{first}.eml").content, policy=policy.default)
    assert letter["To"] == EMAILS[0] and ROOM in letter.get_body(("plain",)).get_content()


def writes(sid: int, iid: int) -> list[tuple[str, dict | None, dict | None]]:
    """(url, JSON body, form) of a write of each kind to session `sid`."""
    return [(f"/api/session/{sid}/invite", {"who": "Нурлан Сатпаев", "kind": "person"}, None),
            (f"/api/session/{sid}/invitation/{iid}", {"status": "declined"}, None),
            (f"/api/session/{sid}/agenda", {"items": [{"label": "Чужая повестка"}]}, None),
            (f"/api/session/{sid}/contributions", {"speaker": "Чужой", "text": "Вода."}, None),
            (f"/api/session/{sid}/contribution/1/tags", {"directions": ["water"]}, None),
            (f"/api/session/{sid}/outcomes", {"kind": "commitment", "text": "встречаться"}, None),
            (f"/api/session/{sid}/publish", None, None),
            (f"/session/{sid}/invite", None, {"who": "Нурлан Сатпаев", "kind": "person"}),
            (f"/session/{sid}/invitation/{iid}", None, {"status": "declined"}),
            (f"/session/{sid}/agenda", None, {"custom": "Чужая повестка"}),
            (f"/session/{sid}/outcomes", None, {"kind": "commitment", "text": "встречаться"}),
            (f"/session/{sid}/publish", None, {})]


def test_another_editor_cannot_change_a_session(app, store, planned):
    sid, iid = planned["id"], planned["invitations"][0]
    before = S.get_session(store, sid)
    other, csrf = as_user(app, store, "other")
    for url, body, fields in writes(sid, iid):
        if fields is None:
            r = other.post(url, json=body, headers=csrf)
        else:
            r = other.post(url, data={**fields, "csrf": csrf["X-CSRF-Token"]}, follow_redirects=False)
        assert r.status_code == 403, (url, r.status_code, r.text[:300])
        assert "belongs to owner: only its owner or an admin may change it" in r.text, url
    assert S.get_session(store, sid) == before
    page = other.get(f"/session/{sid}").text
    assert 'id="session-not-yours"' in page and 'id="invite-form"' not in page and 'id="publish-button"' not in page
    assert other.get(f"/api/session/{sid}").json()["may_change"] is False


@pytest.mark.parametrize("who", ["owner", "boss"])
def test_the_owner_and_admins_change_it(app, store, planned, who):
    client, csrf = as_user(app, store, who)
    sid = planned["id"]
    assert client.get(f"/api/session/{sid}").json()["may_change"] is True
    assert 'id="invite-form"' in client.get(f"/session/{sid}").text
    r = client.post(f"/api/session/{sid}/outcomes", json={"kind": "agreement", "text": f"решение {who}"}, headers=csrf)
    assert r.status_code == 201, r.text
    r = client.post(f"/session/{sid}/agenda", data={"custom": f"Пункт {who}", "csrf": csrf["X-CSRF-Token"]},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert S.get_session(store, sid)["agenda"][-1]["label"]["ru"] == f"Пункт {who}"


def test_a_session_without_owner_is_changed_by_admins_only(app, store, registry):
    sid = S.create_session(store, registry, title="Сессия без владельца", starts="2026-04-01 10:00",
                           tz="Asia/Tashkent", format="offline", venue="Ташкент")
    editor, csrf = as_user(app, store, "owner")
    r = editor.post(f"/api/session/{sid}/outcomes", json={"kind": "agreement", "text": "решение"}, headers=csrf)
    assert r.status_code == 403 and "has no owner" in r.json()["detail"] and "only an admin" in r.json()["detail"]
    r = editor.post("/api/session/999999/outcomes", json={"kind": "agreement", "text": "x"}, headers=csrf)
    assert r.status_code == 404 and "no session has id 999999" in r.json()["detail"]
    boss, boss_csrf = as_user(app, store, "boss")
    assert boss.post(f"/api/session/{sid}/outcomes", json={"kind": "agreement", "text": "решение"},
                     headers=boss_csrf).status_code == 201
