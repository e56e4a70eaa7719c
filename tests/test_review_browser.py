"""The review queue in a real browser (Debian's chromium through Playwright, as
test_web_browser.py drives it): an editor signs in, finds the queue in the navigation, sees a
pair with the evidence of both sides, merges it, and undoes the merge from the notice."""
from __future__ import annotations

import pytest

from kurultai.auth import create_user
from kurultai.knowledge.registry import Registry
from kurultai.store import Store
from kurultai.web.app import create_app

from .conftest import TEST_PASSWORD
from .review_corpus import HOSTILE, fill
from .test_web_browser import browser, page, serving, shot  # noqa: F401  (fixtures: the browser, a page)

SPEAKER = ("Ерболат Кенжегулов@Центр развития Приаралья", "Ерболат Кенжегулов@Aral Region Development Centre")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("review-browser") / "kurultai.db"))
    ids = fill(store, Registry.load())
    create_user(store, "editor", TEST_PASSWORD, "editor")
    with serving(create_app(store.url)) as url:
        yield url, ids
    store.close()


def test_an_editor_sees_the_queue_and_merges_a_pair(served, page):  # noqa: F811
    base, ids = served
    a, b = sorted(ids[name] for name in SPEAKER)
    page.goto(f"{base}/login?next=/search")
    page.fill("#login-name", "editor")
    page.fill("#login-password", TEST_PASSWORD)
    page.click("#login-button")
    page.wait_for_url("**/search")
    page.click("nav >> text=Duplicates")
    page.wait_for_url("**/review")
    pair = page.locator(f"#pair-{a}-{b}")
    assert pair.is_visible()
    assert "the same name (in any script)" in pair.locator(".reasons").inner_text()
    sides = pair.locator(".side")
    assert sides.count() == 2
    assert "Yerbolat Kenzhegulov" in sides.nth(1).inner_text() and "Aral Region Development Centre" in sides.nth(1).inner_text()
    assert page.evaluate("window.__xss") is None and HOSTILE not in page.content()
    shot(page, "review-queue")
    pair.locator("button.merge").first.click()
    page.wait_for_url(lambda url: "done=merge" in url)
    notice = page.locator("#done")
    assert "Merged." in notice.inner_text()
    assert page.locator(f"#pair-{a}-{b}").count() == 0
    shot(page, "review-merged")
    notice.locator("button[data-undo]").click()
    page.wait_for_url(lambda url: "done=undo" in url)
    assert "Undone." in page.locator("#done").inner_text()
    assert page.locator(f"#pair-{a}-{b}").is_visible()
    assert page.locator("#review-log tr.undone").count() == 1
