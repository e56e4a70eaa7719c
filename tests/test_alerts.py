"""Alerts: a saved search's new matches, after a watch run brought new documents, delivered as an
Atom feed (read with its private token) and as an e-mail digest received by a real SMTP server
(aiosmtpd) on loopback; search results and an institution's events as Atom feeds."""
from __future__ import annotations

import email
import email.policy
import socket
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kurultai.auth import create_user
from kurultai.cli import app as cli_app
from kurultai.ingest.run import ingest
from kurultai.store.search import Filters
from kurultai.watch import alerts as A, sources as S
from kurultai.watch.mail import Settings
from kurultai.watch.run import Run
from kurultai.web.app import create_app

from .conftest import TEST_PASSWORD, sign_in
from .test_watch import page_of
from .watch_site import REPORTS, Site

ATOM = "{http://www.w3.org/2005/Atom}"
BEFORE = ["001-ru-summit-astana-2018.txt", "010-ru-summit-tashkent-2019.txt", "039-ru-meeting-heads-institutes-ashgabat-2024.txt"]
NEW = {"/isrs-water.html": "036-ru-rt-kisi-isrs-astana-2024.txt", "/isrs-climate.html": "049-ru-rt-isrs-fes-climate-tashkent-2025.txt",
       "/glaciers.html": "045-ru-rt-csr-glaciers-dushanbe-2025.txt"}


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[tuple[list[str], str]] = []

        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((list(envelope.rcpt_tos), f"Subject: {message['subject']}\n{message.get_content()}"))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def followed(store, extractor):
    """A store with three reports, an alert made then, and a site whose feed brings three more
    (two of them match the alert)."""
    ingest(store, [REPORTS / name for name in BEFORE], extractor)
    site = Site()
    site.extra.update({path: page_of(name) for path, name in NEW.items()})
    site.feed_paths = list(NEW)
    site.start()
    alert = A.add(store, "водные ресурсы", Filters(institution="ИСМИ", country="UZ"), email="analyst@example.org",
                  registry=extractor.registry)
    yield store, site, alert
    site.stop()


def sources_of(store, ids):
    with store.connect() as conn:
        return {row[0].rsplit("/", 1)[-1] for row in conn.exec_driver_sql(
            f"SELECT url FROM documents WHERE id IN ({','.join(str(i) for i in ids) or 'NULL'})")}


def test_an_alert_delivers_only_the_new_matches_by_feed_and_by_mail(followed, extractor, mailbox):
    store, site, alert = followed
    assert A.run(store, alert, extractor.registry) == []  # 039 matches, but it was there before the alert
    source = S.add(store, f"{site.base}/feed.xml", allow_private=True)
    assert Run(store, lambda: extractor, delay=0, timeout=2).all([source]).new == 3

    lines = A.run_all(store, Settings("127.0.0.1", mailbox.port, starttls=False), "http://kb.example",
                      registry=extractor.registry)
    assert f"alert {alert.id} («водные ресурсы» country=UZ institution=ИСМИ): 2 new" in lines
    found = A.matches(store, alert.id)
    assert sources_of(store, [m["id"] for m in found]) == {"isrs-water.html", "isrs-climate.html"}

    assert len(mailbox.messages) == 1
    to, body = mailbox.messages[0]
    assert to == ["analyst@example.org"]
    assert "Subject: kurultai: 2 new for" in body
    for m in found:
        assert f"http://kb.example/doc/{m['id']}" in body
    assert f"/alerts/{alert.id}.atom?token={alert.token}" in body

    client = TestClient(create_app(store.url, extractor=extractor))
    feed = client.get(f"/alerts/{alert.id}.atom?token={alert.token}")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert sorted(e.find(f"{ATOM}link").get("href").rsplit("/", 1)[-1] for e in entries) == \
        sorted(str(m["id"]) for m in found)
    assert client.get(f"/alerts/{alert.id}.atom?token=wrong").status_code == 404
    assert client.get(f"/alerts/{alert.id}.atom").status_code == 404

    again = A.run_all(store, Settings("127.0.0.1", mailbox.port, starttls=False), registry=extractor.registry)
    assert again == [] and len(mailbox.messages) == 1  # nothing new: no second digest


def test_the_cli_adds_lists_runs_and_removes_alerts(followed, extractor, mailbox):
    store, site, alert = followed
    cli = CliRunner()
    made = cli.invoke(cli_app, ["alert", "add", "водные ресурсы", "--institution", "ИСМИ", "--country", "UZ",
                                "--include-existing", "--db", store.url])
    assert made.exit_code == 0, made.output
    assert "alert 2: «водные ресурсы» country=UZ institution=ИСМИ" in made.output
    assert "/alerts/2.atom?token=" in made.output
    ran = cli.invoke(cli_app, ["alert", "run", "--smtp-host", "127.0.0.1", "--smtp-port", str(mailbox.port),
                               "--no-starttls", "--db", store.url])
    assert ran.exit_code == 0, ran.output
    assert "alert 2 («водные ресурсы» country=UZ institution=ИСМИ): 1 new" in ran.output  # 039, stored before
    assert mailbox.messages == []  # alert 2 has no address; alert 1 found nothing
    listed = cli.invoke(cli_app, ["alert", "list", "--db", store.url])
    assert "1 matches" in listed.output and "analyst@example.org" in listed.output
    assert cli.invoke(cli_app, ["alert", "remove", "2", "--db", store.url]).exit_code == 0
    missing = cli.invoke(cli_app, ["alert", "remove", "2", "--db", store.url])
    assert missing.exit_code == 1 and "no alert has id 2" in missing.output


def test_an_alert_that_would_match_everything_or_nothing_is_refused(store, extractor):
    with pytest.raises(A.AlertError, match="needs a query or a filter"):
        A.add(store, "  ", Filters(), registry=extractor.registry)
    with pytest.raises(A.AlertError, match="has no words to search for"):
        A.add(store, "!!!", Filters(), registry=extractor.registry)
    with pytest.raises(A.AlertError, match="--email: 'nobody' is not an e-mail address"):
        A.add(store, "вода", Filters(), email="nobody", registry=extractor.registry)


def test_an_unreachable_mail_server_keeps_the_digest_for_the_next_run(followed, extractor, mailbox):
    store, site, alert = followed
    Run(store, lambda: extractor, delay=0, timeout=2).all([S.add(store, f"{site.base}/feed.xml", allow_private=True)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    lines = A.run_all(store, Settings("127.0.0.1", closed, starttls=False, timeout=2), registry=extractor.registry)
    assert any("the digest was not sent" in line for line in lines)
    A.run_all(store, Settings("127.0.0.1", mailbox.port, starttls=False), registry=extractor.registry)
    assert len(mailbox.messages) == 1 and mailbox.messages[0][1].count("/doc/") == 2


def test_alerts_on_the_web_are_a_signed_in_users_own(store, extractor):
    ingest(store, [REPORTS / name for name in BEFORE], extractor)
    client = TestClient(create_app(store.url, extractor=extractor))
    assert client.get("/api/alerts").json() == {"alerts": [], "signed_in": False}
    assert client.post("/api/alerts", json={"q": "вода"}).status_code == 401
    viewer = TestClient(create_app(store.url, extractor=extractor))
    refused = viewer.post("/api/alerts", json={"q": "вода"}, headers=sign_in(viewer, store, "viewer"))
    assert refused.status_code == 403  # a write, as every write of the site, needs an editor
    headers = sign_in(client, store, "editor")
    made = client.post("/api/alerts", json={"q": "водные ресурсы", "country": "UZ"}, headers=headers)
    assert made.status_code == 200, made.text
    page = client.get("/alerts")
    assert page.status_code == 200 and "«водные ресурсы» country=UZ" in page.text
    assert client.post("/api/alerts", json={"q": "", "type": "nonsense"}, headers=headers).status_code == 400
    create_user(store, "second-editor", TEST_PASSWORD, "editor")
    other = TestClient(create_app(store.url, extractor=extractor))
    login = other.post("/api/login", json={"name": "second-editor", "password": TEST_PASSWORD}).json()
    assert other.get("/api/alerts").json() == {"alerts": [], "signed_in": True}  # another user's are not listed
    gone = other.post(f"/api/alerts/{made.json()['id']}/remove", headers={"X-CSRF-Token": login["csrf"]})
    assert gone.status_code == 404
    assert client.post(f"/api/alerts/{made.json()['id']}/remove", headers=headers).status_code == 200


def test_the_web_adds_only_http_sources_and_only_for_an_admin(store, extractor, tmp_path):
    client = TestClient(create_app(store.url, extractor=extractor))
    editor = sign_in(client, store, "editor")
    assert client.post("/api/sources", json={"url": "https://example.org/rss.xml"}, headers=editor).status_code == 403
    admin_client = TestClient(create_app(store.url, extractor=extractor))
    admin = sign_in(admin_client, store, "admin")
    (tmp_path / "result.json").write_text('{"messages": []}', encoding="utf-8")
    local = admin_client.post("/api/sources", json={"url": str(tmp_path)}, headers=admin)
    assert local.status_code == 400 and "added from the command line" in local.json()["detail"]
    made = admin_client.post("/api/sources", json={"url": "https://example.org/rss.xml", "every": "1d"}, headers=admin)
    assert made.status_code == 200 and made.json()["every_s"] == 86400
    bad = admin_client.post("/api/sources", json={"url": "https://example.org/a", "every": "often"}, headers=admin)
    assert bad.status_code == 400 and "--every: 'often' is not a period" in bad.json()["detail"]
    assert admin_client.post("/api/sources/1/pause", headers=admin).json()["paused"] is True
    assert client.get("/api/sources").json()["sources"][0]["paused"] is True  # everyone sees the status
    assert admin_client.post("/api/sources/1/remove", headers=admin).status_code == 200
    assert admin_client.post("/api/sources/1/run", headers=admin).status_code == 404


def test_an_alert_feed_opens_with_its_token_where_reading_needs_a_login(store, extractor):
    alert = A.add(store, "водные ресурсы", registry=extractor.registry)
    client = TestClient(create_app(store.url, extractor=extractor, read_role="viewer"), follow_redirects=False)
    assert client.get("/search").status_code == 303
    assert client.get(f"/alerts/{alert.id}.atom?token={alert.token}").status_code == 200
    assert client.get(f"/alerts/{alert.id}.atom?token=x").status_code == 404


def test_search_results_and_an_institutions_events_are_atom_feeds(store, extractor):
    ingest(store, [REPORTS / name for name in BEFORE + ["036-ru-rt-kisi-isrs-astana-2024.txt"]], extractor)
    client = TestClient(create_app(store.url, extractor=extractor))
    found = client.get("/search.atom", params={"q": "водные ресурсы", "country": "UZ"})
    assert found.status_code == 200
    root = ET.fromstring(found.content)
    assert root.find(f"{ATOM}title").text == "kurultai: водные ресурсы country=UZ"
    assert len(root.findall(f"{ATOM}entry")) == client.get("/api/search", params={"q": "водные ресурсы",
                                                                                  "country": "UZ"}).json()["total"]
    assert client.get("/search.atom", params={"type": "nonsense"}).status_code == 400
    org = client.get("/api/search", params={"q": "ИСМИ"}).json()["facets"]["institution"][0]["value"]
    events = client.get(f"/org/{org}/events.atom")
    assert events.status_code == 200
    assert ET.fromstring(events.content).findall(f"{ATOM}entry")
    assert client.get("/org/999999/events.atom").status_code == 404
    assert "search-feed" in client.get("/search", params={"q": "вода"}).text
