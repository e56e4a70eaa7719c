"""The query layer through the real application (FastAPI's TestClient on a real store, SQLite
and PostgreSQL when $KURULTAI_TEST_PG is set): several values per filter, excluded values, the
downloads of a search and of the lists, one check of periods for every page, and query strings
that are neither echoed nor allowed to grow a page; the download link in a real browser."""
from __future__ import annotations

import csv
import io
import json
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kurultai.ingest.run import ingest
from kurultai.web.app import create_app
from kurultai.store.csvsafe import neutral

from .conftest import FIXTURES, STORES, fresh_store, sign_in

DOCS = FIXTURES / "docs"
FORMULA = ("=HYPERLINK(\"http://example.org\",\"x\") Круглый стол о водных ресурсах\n\n"
           "12 марта 2024 года в Алматы Казахстанский институт стратегических исследований провел круглый стол "
           "«Водные ресурсы Центральной Азии». В обсуждении приняли участие эксперты из Узбекистана.")


@pytest.fixture(scope="module", params=STORES)
def client(request, extractor, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"query-web-{request.param}")
    (folder / "formula.txt").write_text(FORMULA, encoding="utf-8")
    store = fresh_store(request.param, folder)
    ingest(store, [DOCS, folder / "formula.txt"], extractor)
    with TestClient(create_app(store.url, extractor=extractor)) as c:
        c.store = store
        yield c
    store.close()


def ids(client, query: str) -> set[int]:
    r = client.get(f"/api/search?limit=100&{query}")
    assert r.status_code == 200, r.text
    return {h["id"] for h in r.json()["hits"]}


def test_several_values_of_a_filter_and_excluded_ones(client):
    kz, uz = ids(client, "country=KZ"), ids(client, "country=UZ")
    assert kz - uz and uz - kz
    both = client.get("/api/search?country=KZ&country=UZ&limit=100").json()
    assert both["filters"] == {"country": ["KZ", "UZ"]} and {h["id"] for h in both["hits"]} == kz | uz
    assert ids(client, "country=KZ&country=-UZ") == kz - uz
    assert ids(client, "country=Казахстан") == kz
    page = client.get("/search?country=KZ&country=UZ").text
    assert page.count('data-filter="country"') == 2  # two chips, each removable alone
    assert 'href="/search?country=UZ"' in page and 'href="/search?country=KZ"' in page


def test_the_page_teaches_the_syntax_and_orders(client):
    page = client.get("/search?q=вода", headers={"accept-language": "en"}).text
    assert 'id="syntax"' in page and "water OR energy" in page and "water -energy" in page  # examples in English
    ru = client.get("/search?q=вода", headers={"accept-language": "ru"}).text
    assert "вода OR энергия" in ru and "вода -энергия" in ru
    assert 'data-sort="date"' in page and "sort=title" in page
    by_title = client.get("/api/search?q=центральная&sort=title&limit=100").json()["hits"]
    titles = [h["title"] for h in by_title if h["title"]]
    assert titles == sorted(titles, key=str.casefold)
    assert client.get("/api/search?sort=newest").status_code == 400


# -- downloads ---------------------------------------------------------------------------------------------------------

def test_a_search_downloads_as_csv_and_json_streamed(client):
    api = client.get("/api/search?q=вода+OR+водные&limit=100").json()
    r = client.get("/search.csv?q=вода+OR+водные")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "content-length" not in r.headers  # streamed
    assert 'filename="search.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert [int(x["id"]) for x in rows] == [h["id"] for h in api["hits"]] and len(rows) == api["total"]
    formula = [x for x in rows if "HYPERLINK" in (x["title"] or "")]
    assert formula and all(x["title"].startswith("'=") for x in formula)
    data = json.loads(client.get("/api/search.json?q=вода+OR+водные").text)
    assert data["total"] == api["total"] and [h["id"] for h in data["hits"]] == [h["id"] for h in api["hits"]]
    assert data["hits"][0]["title"] == api["hits"][0]["title"]  # JSON keeps the text as it is
    assert client.get("/search.csv?direction=wate").status_code == 400


def test_the_page_links_its_downloads_with_the_same_search(client):
    page = client.get("/search?q=вода&country=KZ&sort=date").text
    assert 'href="/search.csv?q=%D0%B2%D0%BE%D0%B4%D0%B0&amp;country=KZ&amp;sort=date"' in page
    assert 'href="/search.json?q=%D0%B2%D0%BE%D0%B4%D0%B0&amp;country=KZ&amp;sort=date"' in page


@pytest.mark.parametrize("path, kind", [("orgs", "org"), ("people", "person")])
def test_the_lists_download_whole(client, path, kind):
    total = client.get(f"/api/{path}").json()["total"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/{path}.csv").text.lstrip("\ufeff"))))
    assert len(rows) == total > 0 and set(rows[0]) >= {"id", "name", "events", "documents"}
    data = client.get(f"/api/{path}.json").json()
    assert data["kind"] == kind and len(data["items"]) == total


def test_csv_cells_that_look_like_formulas_are_neutralised():
    assert [neutral(v) for v in ("=1+1", "+7", "-2", "@SUM(A1)", "\t=x", "plain", 5, None, -3)] == \
        ["'=1+1", "'+7", "'-2", "'@SUM(A1)", "'\t=x", "plain", 5, "", -3]


# -- periods: the same 400 on every page that takes one --------------------------------------------------------------

BAD_PERIODS = ["to=2024-02-30", "from=0000", "to=9999-12-31", "from=2024-13"]


@pytest.mark.parametrize("period", BAD_PERIODS)
@pytest.mark.parametrize("path", ["/api/search", "/api/briefing", "/briefing", "/briefing.html", "/api/timeline",
                                  "/api/dashboards/activity", "/api/dashboards/network"])
def test_an_impossible_period_is_a_400_everywhere(client, path, period):
    r = client.get(f"{path}?{period}")
    assert r.status_code == 400, (path, period, r.text[:300])
    value = period.split("=")[1]
    assert value in (r.json()["detail"] if path.startswith("/api") else r.text)


def test_an_impossible_period_is_a_400_on_a_sessions_agenda(client):
    editor = sign_in(client, client.store, "editor")
    made = client.post("/api/sessions", headers=editor, json={
        "title": "Вода", "starts": "2024-06-10 15:00", "format": "offline", "venue": "Алматы", "organizer": "КИСИ"})
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    for period in BAD_PERIODS:
        r = client.get(f"/api/session/{sid}/agenda?{period}")
        assert r.status_code == 400 and period.split("=")[1] in r.json()["detail"], (period, r.text[:300])


# -- query strings -----------------------------------------------------------------------------------------------------

def test_unknown_parameters_are_dropped_and_long_query_strings_refused(client):
    clean = client.get("/search?q=вода").text
    junk = "&".join(f"utm_{i}=" + "x" * 40 for i in range(150))  # 7 KB, under the limit
    page = client.get(f"/search?q=вода&{junk}")
    assert page.status_code == 200 and "utm_" not in page.text
    assert len(page.text) < 1.2 * len(clean)
    huge = "&".join(f"utm_{i}=" + "x" * 100 for i in range(600))  # 60 KB
    started = time.perf_counter()
    refused = client.get(f"/search?q=вода&{huge}")
    assert refused.status_code == 414 and time.perf_counter() - started < 1.0
    assert len(refused.text) < 10_000 and "utm_" not in refused.text
    many = "&".join(["country=KZ"] * 21)
    assert client.get(f"/api/search?{many}").status_code in (400, 422)


# -- the download link in a real browser --------------------------------------------------------------------------------

def test_the_download_link_downloads_in_a_browser(client, extractor, tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("needs Debian's chromium")
    sync = pytest.importorskip("playwright.sync_api")
    uvicorn = pytest.importorskip("uvicorn")
    import socket
    import threading
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(client.store.url, extractor=extractor), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline and thread.is_alive()
        time.sleep(0.05)
    try:
        with sync.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(accept_downloads=True).new_page()
            page.goto(f"http://127.0.0.1:{port}/search?q=вода")
            with page.expect_download() as info:
                page.click("#download-csv")
            name = info.value.suggested_filename
            saved = tmp_path / name
            info.value.save_as(saved)
            browser.close()
        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        assert name == "search.csv"
        assert len(rows) == client.get("/api/search?q=вода").json()["total"] > 0
    finally:
        server.should_exit = True
        thread.join(10)
