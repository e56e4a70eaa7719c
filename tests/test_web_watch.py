"""The Sources and Alerts pages in a real browser (Debian's chromium via Playwright, as
tests/test_web_browser.py): an admin adds a source served on loopback, runs it and sees its
documents counted; a signed-in user saves a search and finds its feed on the Alerts page;
everyone sees the sources' status. Any console error (a CSP violation too) fails the test."""
from __future__ import annotations

import time
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from .test_web_browser import browser, page, serving, shot  # noqa: F401 (fixtures); skips without chromium

from kurultai.auth import create_user  # noqa: E402
from kurultai.store import Store  # noqa: E402
from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.web.app import create_app  # noqa: E402

from .conftest import TEST_PASSWORD  # noqa: E402
from .watch_site import REPORTS, Site  # noqa: E402


@pytest.fixture(scope="module")
def site():
    s = Site()
    s.feed_paths = ["/news/1.html", "/news/2.html", "/broken.html"]
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def base(extractor, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-watch")
    store = Store.open(str(folder / "kurultai.db"))
    ingest(store, [REPORTS / "039-ru-meeting-heads-institutes-ashgabat-2024.txt"], extractor)
    create_user(store, "boss", TEST_PASSWORD, "admin")
    create_user(store, "reader", TEST_PASSWORD, "editor")
    with serving(create_app(store.url, extractor=extractor)) as url:
        yield url
    store.close()


def sign_in(page, base: str, name: str, then: str) -> None:
    page.goto(f"{base}/login?next={then}")
    page.fill("#login-name", name)
    page.fill("#login-password", TEST_PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"**{then}")


def test_an_admin_adds_and_runs_a_source_and_everyone_sees_its_status(page, base, site):
    sign_in(page, base, "boss", "/sources")
    assert "No sources yet" in page.locator("main").inner_text()
    page.fill("#new-source input[name=url]", f"{site.base}/feed.xml")
    page.fill("#new-source input[name=name]", "Test <news>")
    page.click("#new-source button[type=submit]")
    page.wait_for_url("**/sources")
    row = page.locator("#sources tr[data-source='1']")
    assert "Test <news>" in row.inner_text()  # shown as text, never as markup
    row.locator("button.run").click()
    page.wait_for_url("**/sources")
    assert "private or local address" in _after_run(page, row)  # not added with "allow private": refused
    assert not site.log

    page.click("#new-source input[name=allow_private]")
    page.fill("#new-source input[name=url]", f"{site.base}/feed.xml?v=2")
    page.fill("#new-source input[name=name]", "Local news")
    page.click("#new-source button[type=submit]")
    page.wait_for_url("**/sources")
    local = page.locator("#sources tr[data-source='2']")
    local.locator("button.run").click()
    page.wait_for_url("**/sources")
    _after_run(page, local)
    assert local.locator("td.documents").inner_text() == "2", local.inner_text()
    assert "HTTP 500" not in local.locator("td.last-error").inner_text()  # an item's failure is not the source's
    items = " ".join(local.locator("td.items").inner_text().split())
    assert items.startswith("fetched 3 · stored 2 · unreadable 0 · failed 1"), items  # the item's failure shows here
    shot(page, "sources")
    local.locator("button.pause").click()
    page.wait_for_url("**/sources")
    assert "paused" in local.locator("td.status").inner_text()

    page.context.clear_cookies()  # anyone: sees the status, not the admin's forms
    page.goto(base + "/sources")
    assert page.locator("#sources tr[data-source='2'] td.documents").inner_text() == "2"
    assert page.locator("#new-source").count() == 0 and page.locator("button.run").count() == 0


def _after_run(page, row, seconds: float = 60) -> str:
    """Reload until the row no longer says the run goes on; its last error (or '—')."""
    deadline = time.time() + seconds
    while True:
        page.reload()
        if "running" not in row.locator("td.status").inner_text():
            return row.locator("td.last-error").inner_text()
        assert time.time() < deadline, "the run did not end"
        time.sleep(0.3)


def test_a_signed_in_user_saves_a_search_and_reads_its_feed(page, base):
    page.goto(base + "/search?q=" + "водные ресурсы")
    assert page.locator("#save-search").count() == 0  # only for a signed-in user
    sign_in(page, base, "reader", "/alerts")
    assert "No alerts yet" in page.locator("main").inner_text()
    page.goto(base + "/search?q=водные ресурсы&country=TM")
    page.locator("#save-search button").click()
    page.wait_for_url("**/alerts")
    alert = page.locator("section.alert").first
    assert "«водные ресурсы» country=TM" in alert.inner_text()
    feed = alert.locator("a.feed").get_attribute("href")
    shot(page, "alerts")
    with urllib.request.urlopen(feed) as r:
        assert r.headers["Content-Type"].startswith("application/atom+xml")
        assert ET.fromstring(r.read()).find("{http://www.w3.org/2005/Atom}title").text.startswith("kurultai: «водные")
    page.goto(base + "/search?lang=ru")
    assert page.locator("nav a[href='/alerts']").inner_text() == "Оповещения"
    alert_page = page.goto(base + "/alerts")
    assert alert_page.status == 200
    page.locator("section.alert button.remove").click()
    page.wait_for_url("**/alerts")
    assert page.locator("section.alert").count() == 0
