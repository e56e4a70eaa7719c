"""The web interface in a real browser: Debian's chromium, headless, driven by Playwright, against
`kurultai serve`'s application on a free loopback port. Each test saves screenshots (to
$KURULTAI_SCREENSHOTS, default tests/screenshots/) and fails on any console error, which is
also how a Content-Security-Policy violation shows."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn")

from kurultai.auth import create_user  # noqa: E402
from kurultai.store import Store  # noqa: E402
from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.web.app import create_app  # noqa: E402

from .conftest import FIXTURES, ROOT, TEST_PASSWORD  # noqa: E402

DOCS = FIXTURES / "docs"
SHOTS = Path(os.environ.get("KURULTAI_SCREENSHOTS") or ROOT / "tests" / "screenshots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
EVIL = ("<script>window.__xss = 1</script> 14 марта 2024 года в Бишкеке прошел круглый стол «Вода и энергия». "
        "Организатор — Национальный институт стратегических исследований Кыргызской Республики.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base(extractor, tmp_path_factory):
    """The application over a store of the fixture reports (and one with a <script> in its text)."""
    folder = tmp_path_factory.mktemp("browser")
    (folder / "evil.txt").write_text(EVIL, encoding="utf-8")
    store = Store.open(str(folder / "kurultai.db"))
    ingest(store, [DOCS, folder / "evil.txt"], extractor)
    create_user(store, "editor", TEST_PASSWORD, "editor")
    with serving(create_app(store.url, extractor=extractor)) as url:
        yield url
    store.close()


@contextlib.contextmanager
def serving(app):
    """The application served by uvicorn in a thread on a free loopback port; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_errors = errors  # a test may remove the errors it caused on purpose
    yield pg
    context.close()
    assert not errors, errors


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def api(base: str, path: str):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


def sign_in(page, base: str, then: str = "/upload") -> None:
    """Sign in as the editor through the sign-in form, which leads back to `then`."""
    page.goto(f"{base}/login?next={then}")
    page.fill("#login-name", "editor")
    page.fill("#login-password", TEST_PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"**{then}")
    assert page.locator("#signed-in").inner_text().endswith("editor")


def total(page) -> int:
    return int("".join(c for c in page.locator("#total").inner_text() if c.isdigit()))


def test_search_and_facet_filtering(page, base):
    page.goto(base + "/search")
    everything = total(page)
    page.fill("#q", "сотрудничества")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    found = total(page)
    assert 0 < found <= everything
    assert page.locator("li.hit").count() == min(found, 20)
    assert page.locator("li.hit mark").count() >= 1
    shot(page, "search")
    facet = page.locator('section[data-facet="direction"] li a').first
    name, expected = facet.inner_text(), int(page.locator('section[data-facet="direction"] li .count').first.inner_text())
    facet.click()
    page.wait_for_url("**direction=*")
    assert total(page) == expected <= found
    chip = page.locator('a.chip[data-filter="direction"]')
    assert name in chip.inner_text()
    shot(page, "search-facet")
    chip.click()
    page.wait_for_url(lambda url: "direction=" not in url)
    assert total(page) == found


def test_document_evidence_and_institution_profile(page, base):
    page.goto(base + "/search?q=" + "Транскаспийский")
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url("**/doc/*")
    doc_id = int(page.url.rsplit("/", 1)[1].split("?")[0])
    text = api(base, f"/api/doc/{doc_id}")["text"]
    assert page.locator("#doc-text").inner_text().strip() == text.strip()
    page.evaluate("window.__stayed = true")
    organizer = page.locator("dl.record dt:text-is('Organizers') + dd a.ev").first
    organizer.click()
    ranges = [tuple(map(int, r.split("-"))) for r in organizer.get_attribute("data-hl").split()]
    lit = page.locator("#doc-text span.hl")
    assert lit.count() >= 1
    assert "".join(lit.all_inner_texts()) == "".join(text[s:e] for s, e in ranges)
    assert page.evaluate("window.__stayed") is True  # highlighted in place, no reload
    assert lit.first.is_visible()
    shot(page, "document-evidence")
    direction = page.locator("dl.record dt:text-is('Directions') + dd a.ev").first
    direction.click()
    s, e = map(int, direction.get_attribute("data-hl").split()[0].split("-"))
    assert page.locator("#doc-text span.hl").first.inner_text() in text[s:e]
    page.locator("dl.record dt:text-is('Organizers') + dd a.go").first.click()
    page.wait_for_url("**/org/*")
    assert page.locator("h1").inner_text()
    for heading in ("Events over time", "Co-participants", "Directions it raises", "Names and aliases"):
        assert page.locator(f"h2:text-is('{heading}')").count() == 1, heading
    assert page.locator(".chart svg").count() >= 1
    shot(page, "institution")
    page.locator("ul.events li a").first.click()
    page.wait_for_url("**/event/*")
    shot(page, "event")


@pytest.mark.parametrize("name", ["activity", "directions", "network", "convergence", "frameworks"])
def test_dashboards(page, base, name):
    page.goto(f"{base}/dashboards/{name}")
    assert page.locator(".tabs a[aria-current]").count() == 1
    if name in ("activity", "directions", "network"):
        assert page.locator("#chart svg").count() == 1
    else:
        assert page.locator("#matrix td a").count() >= 1
    if name == "network":
        page.locator("svg.network a.node").first.hover()
        assert "focus" in page.locator("svg.network").get_attribute("class")
        assert page.locator("svg.network .edge.on").count() >= 1
        page.select_option("select[name=country]", "KZ")
        page.click("form.filters button")
        page.wait_for_url("**country=KZ*")
        assert page.locator("#chart svg").count() == 1
    if name == "convergence":
        page.locator("#matrix td a").first.click()
        page.wait_for_url("**cell=*")
        assert page.locator("#cell li a").count() >= 1
        assert page.locator("#similarity td").count() == 25
    if name == "activity":
        page.fill("input[name=from]", "2024")
        page.click("form.filters button")
        page.wait_for_url("**from=2024*")
    shot(page, f"dashboard-{name}")


def test_upload_by_choosing_and_by_dropping(page, base, tmp_path):
    fresh = tmp_path / "fresh report.txt"
    fresh.write_bytes((DOCS / "ru-rt-kisi-isrs-transport-2024.txt").read_bytes() + "\n(загружено в браузере)".encode())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    sign_in(page, base)
    page.set_input_files("#files", [str(fresh), str(empty)])
    page.click("#upload-button")
    page.wait_for_selector("body[data-uploaded=yes]")
    rows = page.locator("#upload-results tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("class") == "status-new"
    assert rows.nth(1).get_attribute("class") == "status-failed" and "empty file" in rows.nth(1).inner_text()
    page.evaluate("delete document.body.dataset.uploaded")
    transfer = page.evaluate_handle("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File([`Круглый стол «Перетаскивание» прошел 2 апреля 2025 года в Ташкенте.`], "dropped.txt",
                              {type: "text/plain"}));
        return dt;
    }""")
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("body[data-uploaded=yes]")
    assert page.locator('#upload-results tr[data-source="dropped.txt"]').get_attribute("class") == "status-new"
    assert "2" in page.locator("#upload-summary").inner_text()
    shot(page, "upload")
    found = api(base, "/api/search?q=" + urllib.request.quote("Перетаскивание"))
    assert found["total"] == 1 and found["hits"][0]["source"].endswith("dropped.txt")


def test_language_switch(page, base):
    page.goto(base + "/timeline")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click(".langs a[lang=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text().startswith("Хронология")
    assert "марта 2024 г." in page.locator("ol.timeline").inner_text()
    shot(page, "timeline-ru")
    page.goto(base + "/dashboards/convergence")
    assert "Казахстан" in page.locator("#matrix").inner_text()
    shot(page, "dashboard-convergence-ru")


def test_script_in_a_document_is_shown_as_text(page, base):
    found = api(base, "/api/search?q=" + urllib.request.quote("энергия") + "&limit=100")
    doc = next(h for h in found["hits"] if h["source"].endswith("evil.txt"))
    page.goto(f"{base}/doc/{doc['id']}")
    assert page.evaluate("window.__xss") is None
    assert "<script>window.__xss = 1</script>" in page.locator("#doc-text").inner_text()
    page.goto(base + "/search?q=" + urllib.request.quote("энергия"))
    assert page.evaluate("window.__xss") is None


def test_pages_work_without_javascript(browser, base, tmp_path):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        page.goto(base + "/search?q=" + urllib.request.quote("круглый стол"))
        page.locator("li.hit h3 a").first.click()
        page.wait_for_url("**/doc/*")
        page.locator("dl.record a.ev").first.click()
        page.wait_for_url("**hl=*")
        assert page.locator("#doc-text span.hl").count() >= 1
        shot(page, "document-no-js")
        report = tmp_path / "plain.txt"
        report.write_text("Семинар «Без скриптов» прошел 3 мая 2025 года в Душанбе.", encoding="utf-8")
        sign_in(page, base)
        page.set_input_files("#files", str(report))
        page.click("#upload-button")
        page.wait_for_url("**/upload")
        assert page.locator("#upload-results tr.status-new").count() == 1
        shot(page, "upload-no-js")
    finally:
        context.close()


def test_sign_in_upload_sign_out(page, base, tmp_path):
    """Uploading needs a login: signed in, a file goes in; signed out, the upload leads to the
    sign-in page, and the file is not stored."""
    page.goto(base + "/upload")
    assert page.locator("#sign-in").is_visible() and page.locator("#upload-sign-in").is_visible()
    page.click("#sign-in")
    page.wait_for_url("**/login?next=**")
    page.fill("#login-name", "editor")
    page.fill("#login-password", "not the password")
    page.click("#login-button")
    assert page.locator("#login-error").is_visible()
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    page.console_errors.clear()
    page.fill("#login-password", TEST_PASSWORD)
    page.click("#login-button")
    page.wait_for_url("**/upload")
    assert "editor" in page.locator("#signed-in").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "kurultai_login")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("kurultai_login") < 0
    first = tmp_path / "signed in.txt"
    first.write_text("Круглый стол «Со входом» прошел 5 мая 2025 года в Астане.", encoding="utf-8")
    page.set_input_files("#files", str(first))
    page.click("#upload-button")
    page.wait_for_selector("body[data-uploaded=yes]")
    assert page.locator('#upload-results tr[data-source="signed in.txt"]').get_attribute("class") == "status-new"
    shot(page, "signed-in-upload")
    page.click("#sign-out")
    page.wait_for_url("**/search")
    assert page.locator("#sign-in").is_visible() and page.locator("#signed-in").count() == 0
    page.goto(base + "/upload")
    second = tmp_path / "signed out.txt"
    second.write_text("Круглый стол «Без входа» прошел 6 мая 2025 года в Бишкеке.", encoding="utf-8")
    page.set_input_files("#files", str(second))
    page.click("#upload-button")
    page.wait_for_url("**/login?next=%2Fupload")
    assert page.locator("#login-form").is_visible()
    shot(page, "upload-needs-sign-in")
    assert api(base, "/api/search?q=" + urllib.request.quote("Без входа"))["total"] == 0


@pytest.fixture(scope="module")
def dialogue(extractor, tmp_path_factory):
    """A server over generated reports in which the agenda has something to suggest for the second
    half of 2023 (tests/agenda_corpus.py: water rising, the SCO debated, a new direction), with an
    editor."""
    from .agenda_corpus import Memo, plan, write
    folder = tmp_path_factory.mktemp("dialogue")
    write(plan(extractor.registry, 2023, twins=16, seed=5, planted=True), extractor.registry, folder / "reports", seed=5)
    store = Store.open(str(folder / "kurultai.db"))
    ingest(store, [folder / "reports"], Memo(extractor), dedup=False)
    create_user(store, "editor", TEST_PASSWORD, "editor")
    server = uvicorn.Server(uvicorn.Config(create_app(store.url, extractor=extractor), host="127.0.0.1",
                                           port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)
    store.close()


def test_plan_a_session_accept_its_agenda_record_publish_and_brief(page, dialogue, tmp_path):
    """The expert dialogue end to end: plan a session, invite, accept the suggested agenda, record
    three contributions (one from a transcript file), mark an outcome, publish, read the release in
    both languages and the briefing, and render the briefing's PDF to PNG."""
    import re

    import pypdfium2
    sign_in(page, dialogue, "/sessions")
    form = page.locator("#new-session")
    form.locator("input[name=title]").fill("Центральная Азия: вода, транспорт и новые направления")
    form.locator("input[name=starts]").fill("2024-01-25T15:00")
    form.locator("input[name=timezone]").fill("Asia/Tashkent")
    form.locator("select[name=format]").select_option("hybrid")
    form.locator("input[name=link]").fill("https://meet.example.org/ca-dialogue")
    form.locator("input[name=venue]").fill("Ташкент, ИСМИ")
    form.locator("input[name=organizer]").fill("ИСМИ")
    form.locator("input[name=moderator]").fill("Айгерим Касымова")
    page.click("#create-session")
    page.wait_for_url(re.compile(r"/session/\d+$"))
    sid = int(page.url.rsplit("/", 1)[1])
    assert "UTC+05:00" in page.locator("dl.facts").inner_text()

    who = page.locator("#invite-form input[name=who]")
    who.press_sequentially("Институт", delay=20)  # the knowledge base's names come as one types
    page.locator("#invitee-names option").first.wait_for(state="attached")
    who.fill(page.locator("#invitee-names option").first.get_attribute("value"))
    with page.expect_navigation():
        page.click("#invite-button")
    row = page.locator("tr.invitation").first
    row.locator("select[name=status]").select_option("accepted")
    with page.expect_navigation():
        row.locator("button").click()
    assert "status-accepted" in page.locator("tr.invitation").first.get_attribute("class")

    page.click("#suggest-agenda")
    page.wait_for_url(f"**/session/{sid}/agenda")
    page.fill("#agenda-period input[name=from]", "2023-07")
    page.fill("#agenda-period input[name=to]", "2023-12")
    page.click("#agenda-period button")
    page.wait_for_url("**from=2023-07**")
    suggested = page.locator("#suggested li.agenda-item")
    kinds = [suggested.nth(i).get_attribute("data-kind") for i in range(suggested.count())]
    assert {"rising", "framework", "new_direction"} <= set(kinds)
    assert page.locator("#suggested li[data-kind=rising] details.evidence a[href^='/doc/']").count() >= 3
    for kind in ("rising", "framework", "new_direction"):
        page.check(f"#suggested li[data-kind={kind}] input[name=item]")
    shot(page, "session-agenda")
    page.click("#accept-agenda")
    page.wait_for_url(f"**/session/{sid}#agenda")
    agenda = page.locator("ol.agenda > li")
    assert agenda.count() == 3 and "water resources" in agenda.first.inner_text()

    transcript = tmp_path / "транскрипт.txt"
    transcript.write_text("Экономика региона зависит от энергетического сотрудничества и цифровизации экономики. "
                          "Эксперты рекомендовали создать постоянную площадку для обмена данными.", encoding="utf-8")
    talks = [("Бахтиёр Рахимов", "ИСМИ", "Приоритетами остаются развитие транспортно-логистических коридоров и "
              "рациональное использование водных ресурсов. Серьезной угрозой остается терроризм и экстремизм."),
             ("Айгуль Сейтказиева", "КИСИ", "Важно учитывать опыт взаимодействия в рамках ШОС. Участники "
              "договорились проводить такие встречи ежеквартально."),
             ("Фаррух Назаров", "", None)]
    for k, (speaker, institution, text) in enumerate(talks):
        form = page.locator("#contribution-form")
        form.locator("input[name=speaker]").fill(speaker)
        form.locator("input[name=institution]").fill(institution)
        if text:
            form.locator("textarea[name=text]").fill(text)
        else:
            form.locator("input[name=transcript]").set_input_files(str(transcript))
        with page.expect_navigation():
            page.click("#record-button")
        assert page.locator("article.contribution").count() == k + 1
    assert "транскрипт.txt" in page.locator("article.contribution").nth(2).inner_text()
    second = page.locator("article.contribution").nth(1)
    assert second.locator("a.chip[data-key='frameworks:sco']").count() == 1
    with page.expect_navigation():
        second.locator("form.outcome-suggestion").last.locator("button").click()
    assert page.locator("ul.outcomes").inner_text().endswith("проводить такие встречи ежеквартально")
    first = page.locator("article.contribution").first
    first.locator("a.chip[data-key='directions:water']").click()  # its evidence lights up in the text
    lit = first.locator(".contribution-text mark.on")
    assert lit.count() >= 1 and "".join(lit.all_inner_texts()) == "водных ресурсов"
    shot(page, "session")

    page.click("#publish-button")
    page.wait_for_url(f"**/session/{sid}/release?lang=ru")
    release = page.locator("#release").inner_text()
    assert "Бахтиёр Рахимов" in release and "Ташкент" in release and "ежеквартально" in release
    shot(page, "release-ru")
    page.click(".release-lang[hreflang=en]")
    page.wait_for_url("**lang=en")
    assert page.locator("#release").get_attribute("lang") == "en" and "hybrid" in page.locator("#release").inner_text()
    shot(page, "release-en")

    page.goto(dialogue + "/briefing?from=2023-07&to=2023-12")
    assert "water resources" in page.locator("#rising").inner_text()
    assert page.locator("#matrix table.heat td").count() >= 5 and page.locator("#events .chart svg").count() == 1
    shot(page, "briefing")
    pdf = page.request.get(dialogue + page.locator("a.briefing-pdf[data-lang=ru]").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    doc = pypdfium2.PdfDocument(pdf.body())
    assert len(doc) >= 1
    image = doc[0].render(scale=1.5).to_pil()
    image.save(SHOTS / "briefing-pdf.png")
    gray = image.convert("L")
    dark = sum(gray.histogram()[:128]) / (gray.width * gray.height)
    assert 0.005 < dark < 0.5  # text and charts on a white page, neither blank nor black


@pytest.mark.parametrize("width", [360, 1024, 1400])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_layout_fits_small_screens_and_the_navigation_one_line(browser, base, width, lang):
    """Signed in, the search page never scrolls sideways; at 360 px the results come before the
    facets, which are folded; from 1024 px the navigation is one line."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=f"{lang}-{lang.upper()}")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, "/search")
    page.goto(f"{base}/lang/{lang}?next=/search%3Fq%3D" + urllib.request.quote("вода"))
    page.wait_for_selector("#total")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    results = page.locator("section.results").bounding_box()
    facets = page.locator("#facets").bounding_box()
    hits = page.locator("li.hit").count()
    assert hits > 0
    if width < 861:
        assert results["y"] < facets["y"], "the facets come before the results"
        assert page.locator("#facets").get_attribute("open") is None, "the facets are not folded"
        page.click("#facets > summary")
        assert page.locator("#facets section.facet").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.click("#facets > summary")
    else:
        assert facets["x"] < results["x"] and page.locator("#facets section.facet").first.is_visible()
    if width >= 1024:
        tops = page.evaluate("[...document.querySelectorAll('header.top nav a')].map(a => a.offsetTop)")
        assert len(tops) >= 10 and len(set(tops)) == 1, f"the navigation wraps: {tops}"
        room = page.evaluate("(() => { const n = document.querySelector('header.top nav');"
                             " const last = n.lastElementChild.getBoundingClientRect();"
                             " return n.getBoundingClientRect().right - last.right; })()")
        # an editor's navigation includes the duplicates queue; an admin's adds the Users link
        assert room >= 130, f"{room:.0f} px left in the navigation: an admin's Users link would not fit"
        assert page.locator("#signed-in").is_visible()
    shot(page, f"layout-search-{lang}-{width}")
    for path in ("/timeline", "/orgs", "/sessions", "/upload", "/docs"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways at {width}"
        if width >= 1024:
            tops = page.evaluate("[...document.querySelectorAll('header.top nav a')].map(a => a.offsetTop)")
            assert len(set(tops)) == 1, (path, tops)
    shot(page, f"layout-docs-{lang}-{width}")
    context.close()
    assert not errors, errors
