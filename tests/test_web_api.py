"""The JSON API and the pages of `kurultai serve`, through FastAPI's TestClient, on a real store
(SQLite, and PostgreSQL when $KURULTAI_TEST_PG is set): every endpoint, its page twin, and bad
parameters, which must get a 4xx with a message and never a 500."""
from __future__ import annotations

import io
import json
import re
import warnings
import zipfile

import pytest
from sqlalchemy import select

fastapi = pytest.importorskip("fastapi")
with warnings.catch_warnings():  # Starlette's notice that it will prefer httpx2 one day
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.store.schema import documents, entities, events  # noqa: E402
from kurultai.store.search import search  # noqa: E402
from kurultai.web import app as web  # noqa: E402
from kurultai.web.app import create_app, safe_name  # noqa: E402

from .conftest import FIXTURES, STORES, fresh_store, sign_in  # noqa: E402

DOCS = FIXTURES / "docs"
KISI_DOC = DOCS / "ru-rt-kisi-isrs-transport-2024.txt"


@pytest.fixture(scope="module", params=STORES)
def store(request, extractor, tmp_path_factory):
    s = fresh_store(request.param, tmp_path_factory.mktemp(f"web-{request.param}"))
    ingest(s, [DOCS], extractor)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store, extractor):
    with TestClient(create_app(store.url, extractor=extractor)) as c:
        yield c


@pytest.fixture(scope="module")
def editor(client, store) -> dict:
    """The client signed in as an editor (uploads need one); the CSRF header its writes send."""
    return sign_in(client, store, "editor")


@pytest.fixture(scope="module")
def ids(store) -> dict:
    """Ids to visit: the KISI/ISRS round table's document and event, KISI, a person."""
    with store.connect() as conn:
        doc = conn.execute(select(documents.c.id).where(documents.c.source.like("%ru-rt-kisi-isrs-transport-2024%"))).scalar()
        event = conn.execute(select(events.c.id).where(events.c.document_id == doc).order_by(events.c.idx)).scalar()
        kisi = conn.execute(select(entities.c.id).where(entities.c.registry_id == "kz.kisi")).scalar()
        person = conn.execute(select(entities.c.id).where(entities.c.kind == "person").order_by(entities.c.id)).scalar()
    assert doc and event and kisi and person
    return {"doc": doc, "event": event, "org": kisi, "person": person}


def get(client, url: str, status: int = 200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    return r


# -- every page has a JSON twin ---------------------------------------------------------------------------------------

def page_paths(client, ids) -> list[str]:
    out = []
    for route in client.app.routes:
        path = getattr(route, "path", "")
        if "GET" not in (getattr(route, "methods", None) or ()) or path.startswith(("/api", "/static", "/lang")):
            continue
        if path in ("/", "/docs") or path.startswith("/admin"):  # the admin's pages: tests/test_auth.py
            continue
        if path.startswith("/review"):  # the editors' review queue: tests/test_review.py
            continue
        if path.startswith("/session/") or path.endswith((".pdf", ".html", ".csv", ".json")):  # files: test_web_convene, test_query_web
            continue
        if path.endswith(".atom"):  # Atom feeds, not pages: tests/test_alerts.py
            continue
        out.append(path.replace("{doc_id}", str(ids["doc"])).replace("{event_id}", str(ids["event"]))
                   .replace("{org_id}", str(ids["org"])).replace("{person_id}", str(ids["person"])))
    return out


def test_every_page_has_a_json_twin(client, ids):
    paths = page_paths(client, ids)
    assert {"/search", "/timeline", "/orgs", "/people", "/upload", "/dashboards", "/dashboards/network"} <= set(paths)
    spec = get(client, "/api/openapi.json").json()
    for path in paths:
        page = get(client, path)
        assert page.headers["content-type"].startswith("text/html")
        assert "<script>" not in page.text and 'src="http' not in page.text and 'href="http' not in page.text
        twin = get(client, "/api" + path)
        assert twin.headers["content-type"].startswith("application/json")
        assert isinstance(twin.json(), dict)
    documented = set(spec["paths"])
    for route in client.app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/") and path != "/api/openapi.json":
            assert path in documented, path


def test_security_headers_and_offline_assets(client):
    r = get(client, "/search")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert get(client, "/static/app.js").headers["content-type"].startswith(("application/javascript", "text/javascript"))
    assert "http" not in get(client, "/static/style.css").text.replace("http-equiv", "")
    assert get(client, "/api/openapi.json").json()["openapi"].startswith("3.")
    assert get(client, "/", status=200).url.path == "/search"


# -- search --------------------------------------------------------------------------------------------------------

def test_search_returns_hits_facets_and_highlights(client, store):
    data = get(client, "/api/search?q=сотрудничества").json()
    _, total = search(store, "сотрудничества")
    assert data["total"] == total > 0
    hit = data["hits"][0]
    assert {"id", "source", "title", "snippet", "highlights", "events", "score"} <= set(hit)
    s, e = hit["highlights"][0]
    assert "сотрудничеств" in hit["snippet"][s:e].lower()
    assert set(data["facets"]) == {"country", "institution", "person", "type", "direction", "threat", "framework", "year"}
    assert sum(f["count"] for f in data["facets"]["year"]) >= 1
    page = get(client, "/search?q=сотрудничества").text
    assert "<mark>" in page and f">{total}<" not in page or str(total) in page


def test_search_facets_narrow_the_results(client):
    everything = get(client, "/api/search").json()
    kz = next(f for f in everything["facets"]["country"] if f["value"] == "KZ")
    only_kz = get(client, "/api/search?country=KZ&limit=100").json()
    assert only_kz["total"] == kz["count"] <= everything["total"]
    assert only_kz["filters"] == {"country": ["KZ"]}
    kisi = next(f for f in everything["facets"]["institution"] if f["short"] == "КИСИ")
    by_id = get(client, f"/api/search?institution={kisi['value']}").json()
    by_name = get(client, "/api/search?institution=КИСИ").json()
    assert by_id["total"] == by_name["total"] == kisi["count"]
    year = everything["facets"]["year"][0]
    assert get(client, f"/api/search?year={year['value']}").json()["total"] == year["count"]
    page = get(client, "/search?country=KZ").text
    assert 'data-filter="country"' in page  # the active filter, removable


def test_a_search_past_the_cap_says_more_than_and_counts_facets_over_what_it_ranked(client, monkeypatch):
    from kurultai.store import search as search_mod
    exact = get(client, "/api/search?q=сотрудничества").json()
    cap = 2
    assert exact["total_exact"] and exact["total"] > cap
    monkeypatch.setattr(search_mod, "RESULT_CAP", cap)
    data = get(client, "/api/search?q=сотрудничества").json()
    assert (data["total"], data["total_exact"], data["facets_over"]) == (cap, False, cap)
    assert sum(f["count"] for f in data["facets"]["year"]) <= cap < sum(f["count"] for f in exact["facets"]["year"])
    ru = client.get("/search?q=сотрудничества", headers={"accept-language": "ru-RU,ru"}).text
    en = client.get("/search?q=сотрудничества", headers={"accept-language": "en-US,en"}).text
    assert f"Найдено более {cap} документов" in ru, re.findall(r"id=\"total\">[^<]*", ru)
    assert f"More than {cap} documents found" in en
    paged = client.get("/search?q=сотрудничества&limit=1", headers={"accept-language": "en-US,en"}).text
    assert f"1–1 of over {cap}" in paged and 'rel="next"' in paged


def test_search_alias_and_paging(client):
    data = get(client, "/api/search?q=ISRS").json()
    assert any(m.startswith("alias:") for h in data["hits"] for m in h["matched_by"])
    first = get(client, "/api/search?limit=2&page=1").json()
    second = get(client, "/api/search?limit=2&page=2").json()
    assert first["total"] == second["total"] and len(first["hits"]) == 2
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    assert 'rel="next"' in get(client, "/search?limit=2").text


@pytest.mark.parametrize("query, status, says", [
    ("limit=0", 422, "limit"), ("limit=abc", 422, "limit"), ("limit=1000", 422, "limit"), ("page=0", 422, "page"),
    ("year=20", 422, "year"), ("from=last+year", 400, "from"), ("to=2024-13", 400, "to"), ("from=2025&to=2020", 400, "after"),
    ("country=KAZ", 400, "country"), ("country=K1", 400, "country"), ("direction=nowhere", 400, "direction"),
    ("type=party", 400, "type"), ("framework=nato", 400, "framework"), ("threat=x", 400, "threat"),
    ("institution=Институт+которого+нет", 400, "institution"), ("person=Никто+Никтоев", 400, "person"),
    ("q=%21%21%21", 400, "no words"), ("q=" + "a" * 501, 422, "q"), ("language=klingon", 400, "language"),
    ("q=%00", 400, "NUL"),
])
def test_search_bad_parameters(client, query, status, says):
    r = client.get(f"/api/search?{query}")
    assert r.status_code == status, (query, r.text)
    assert says.lower() in r.json()["detail"].lower()
    page = client.get(f"/search?{query}")
    assert page.status_code == status and "text/html" in page.headers["content-type"]
    assert 'id="error-message"' in page.text


# -- document, event, institution, person ----------------------------------------------------------------------------

def test_document_twin_has_text_record_and_entities(client, ids):
    doc = get(client, f"/api/doc/{ids['doc']}").json()
    assert doc["text"].startswith("Главная") and doc["events"] == [ids["event"]]
    text = doc["text"]
    for ev in doc["record"]["events"]:
        for x in ev["evidence"]:
            assert text[x["start"]:x["end"]] == x["text"]
    assert set(doc["entities"]) == {o["id"] for o in doc["record"]["organizations"]} | {p["id"] for p in doc["record"]["persons"]}
    original = get(client, f"/api/doc/{ids['doc']}/original")
    assert original.content == KISI_DOC.read_bytes()
    assert "attachment" in original.headers["content-disposition"]


def spans_of(html: str) -> list[tuple[int, int, str]]:
    pre = html[html.index('<pre id="doc-text"'):html.index("</pre>")]
    import html as h
    return [(int(s), int(e), h.unescape(t)) for s, e, t in re.findall(r'<span data-s="(\d+)" data-e="(\d+)"[^>]*>(.*?)</span>', pre, re.S)]


def test_document_page_links_every_value_to_its_evidence(client, ids):
    doc = get(client, f"/api/doc/{ids['doc']}").json()
    html = get(client, f"/doc/{ids['doc']}").text
    spans = spans_of(html)
    ranges = re.findall(r'data-hl="([\d\- ]+)"', html)
    assert len(ranges) > 10
    for value in ranges:  # each range is covered exactly by pieces of the text, so app.js can mark it
        for part in value.split():
            s, e = map(int, part.split("-"))
            covered = "".join(t for a, b, t in spans if s <= a and b <= e)
            assert covered == doc["text"][s:e], part
    organizer = doc["record"]["events"][0]["evidence"][0] if doc["record"]["events"] else None
    assert organizer is not None
    marked = get(client, f"/doc/{ids['doc']}?hl={organizer['start']}-{organizer['end']}").text
    assert 'class="hl" id="hl"' in marked
    lit = "".join(t for a, b, t in spans_of(marked) if organizer["start"] <= a and b <= organizer["end"])
    assert lit == organizer["text"]
    assert get(client, f"/doc/{ids['doc']}?hl=12-x", status=400)


def test_event_twin(client, ids):
    ev = get(client, f"/api/event/{ids['event']}").json()
    assert ev["type"] == "round_table" and ev["document"]["id"] == ids["doc"]
    assert {o["id"] for o in ev["organizers"]} >= {ids["org"]}
    assert ev["evidence"] and all("start" in o for o in ev["outcomes"])
    html = get(client, f"/event/{ids['event']}").text
    assert f'href="/doc/{ids["doc"]}?hl=' in html


def test_institution_profile(client, ids):
    org = get(client, f"/api/org/{ids['org']}").json()
    assert org["short"] == "КИСИ" and org["country"] == "KZ"
    assert org["registry_names"]["en"].startswith("Kazakhstan Institute for Strategic Studies")
    assert org["events"] and org["co_participants"] and org["directions"] and org["documents"]
    assert sum(y["events"] for y in org["events_per_year"]) == len({e["id"] for e in org["events"]})
    assert {a["alias"] for a in org["aliases"]} >= {"КИСИ"}
    html = get(client, f"/org/{ids['org']}").text
    assert "<svg" in html and "/org/" in html


def test_person_page(client, ids):
    person = get(client, f"/api/person/{ids['person']}").json()
    assert person["name"] and person["documents"]
    get(client, f"/person/{ids['person']}")


@pytest.mark.parametrize("kind", ["doc", "event", "org", "person"])
def test_unknown_and_malformed_ids(client, ids, kind):
    r = get(client, f"/api/{kind}/999999", status=404)
    assert "999999" in r.json()["detail"]
    assert "999999" in get(client, f"/{kind}/999999", status=404).text
    for bad in ("0", "-3", "abc", "1.5", "99999999999999999999"):
        r = get(client, f"/api/{kind}/{bad}", status=422)
        assert kind in r.json()["detail"] or "id" in r.json()["detail"]
    other = {"org": ids["person"], "person": ids["org"]}.get(kind)
    if other:  # an institution's id is not a person's
        get(client, f"/api/{kind}/{other}", status=404)
    get(client, "/api/doc/999999/original", status=404)
    assert get(client, "/api/nothing/here", status=404).json()["detail"]


def test_listings(client, store):
    orgs = get(client, "/api/orgs").json()
    assert orgs["total"] > 10 and orgs["items"][0]["events"] >= orgs["items"][-1]["events"]
    kz = get(client, "/api/orgs?country=kz").json()
    assert kz["items"] and all(r["country"] == "KZ" for r in kz["items"])
    assert get(client, "/api/orgs?name=киси").json()["items"][0]["short"] == "КИСИ"
    assert get(client, "/api/people").json()["total"] > 0
    get(client, "/api/orgs?country=KAZ", status=400)
    get(client, "/api/people?page=0", status=422)


def test_timeline(client):
    data = get(client, "/api/timeline").json()
    dated = [e["date"] for y in data["years"] for e in y["events"]]
    assert dated == sorted(dated) and data["total"] == data["shown"] == len(dated) + len(data["undated"])
    latest = get(client, "/api/timeline?limit=3").json()
    assert latest["shown"] == 3 and latest["total"] == data["total"]
    assert [e["date"] for y in latest["years"] for e in y["events"]] == dated[-3:]
    assert 'id="partial"' in get(client, "/timeline?limit=3").text
    only = get(client, "/api/timeline?from=2024&to=2024&type=round_table").json()
    assert only["years"] and all(y["year"] == "2024" for y in only["years"])
    assert all(e["type"] == "round_table" for y in only["years"] for e in y["events"])
    get(client, "/api/timeline?type=party", status=400)
    get(client, "/api/timeline?from=2024-02-30x", status=422)
    get(client, "/api/timeline?from=2026&to=2024", status=400)


# -- dashboards ----------------------------------------------------------------------------------------------------

def test_dashboards(client):
    overview = get(client, "/api/dashboards").json()
    assert overview["stats"]["documents"] >= 18
    act = get(client, "/api/dashboards/activity").json()
    assert act["months"] == sorted(act["months"]) and sum(act["totals"]) == act["events"] > 0
    assert all(len(v) == len(act["months"]) for v in act["series"].values())
    trends = get(client, "/api/dashboards/directions?top=3").json()
    assert trends["directions"] and all(len(v) == len(trends["years"]) for v in trends["series"].values())
    net = get(client, "/api/dashboards/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids and e["weight"] == len(e["events"])
                                for e in net["edges"])
    kz = get(client, "/api/dashboards/network?country=KZ").json()
    by_id = {n["id"]: n for n in kz["nodes"]}
    assert all("KZ" in (by_id[e["source"]]["country"], by_id[e["target"]]["country"]) for e in kz["edges"])
    strong = get(client, "/api/dashboards/network?min_weight=2").json()
    assert all(e["weight"] >= 2 for e in strong["edges"])
    conv = get(client, "/api/dashboards/convergence").json()
    assert conv["countries"] == ["KZ", "KG", "TJ", "TM", "UZ"]
    for c in conv["countries"]:
        for d in conv["directions"]:
            assert len(conv["documents"][c][d]) <= conv["counts"][c][d]
        if conv["events"][c]:
            assert conv["similarity"][c][c] == pytest.approx(1.0)
    fw = get(client, "/api/dashboards/frameworks").json()
    assert fw["frameworks"] and all(max(fw["counts"][f].values(), default=0) <= fw["events"][f] for f in fw["frameworks"])
    for page in ("activity", "directions", "network", "frameworks"):
        assert "<svg" in get(client, f"/dashboards/{page}").text or page == "frameworks"
    cell = f"{conv['countries'][0]}:{conv['directions'][0]}"
    assert 'id="cell"' in get(client, f"/dashboards/convergence?cell={cell}").text
    get(client, "/dashboards/convergence?cell=XX:water", status=400)


@pytest.mark.parametrize("url, status", [
    ("/api/dashboards/activity?from=2024-99", 400), ("/api/dashboards/activity?country=Kaz", 400),
    ("/api/dashboards/directions?top=0", 422), ("/api/dashboards/directions?top=x", 422),
    ("/api/dashboards/network?min_weight=0", 422), ("/api/dashboards/network?max_nodes=1", 422),
    ("/api/dashboards/network?max_nodes=100000", 422), ("/api/dashboards/convergence?to=yesterday", 400),
    ("/api/dashboards/frameworks?country=123", 400), ("/api/dashboards/frameworks?from=2025&to=2024", 400),
])
def test_dashboard_bad_parameters(client, url, status):
    r = client.get(url)
    assert r.status_code == status and r.json()["detail"], (url, r.text)


def test_no_parameter_value_gives_a_server_error(client, ids):
    """Every GET endpoint of the OpenAPI spec, every parameter, junk values: 4xx at worst."""
    spec = get(client, "/api/openapi.json").json()
    junk = ["", "x", "-1", "0", "99999999999999999999", "'; DROP TABLE documents; --", "<script>", "é" * 300, "1e9"]
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        concrete = (path.replace("{doc_id}", str(ids["doc"])).replace("{event_id}", str(ids["event"]))
                    .replace("{org_id}", str(ids["org"])).replace("{person_id}", str(ids["person"])))
        for p in op.get("parameters", []):
            if p["in"] != "query":
                continue
            for value in junk:
                r = client.get(concrete, params={p["name"]: value})
                assert r.status_code < 500, (path, p["name"], value)
                if r.status_code >= 400:
                    assert r.json()["detail"], (path, p["name"], value)


# -- language -------------------------------------------------------------------------------------------------------

def test_language_switch_and_dates(client, ids):
    ru = client.get(f"/event/{ids['event']}", headers={"accept-language": "ru-RU,ru"}).text
    en = client.get(f"/event/{ids['event']}", headers={"accept-language": "en-US,en"}).text
    assert '<html lang="ru">' in ru and "14 марта 2024 г." in ru and "круглый стол" in ru
    assert '<html lang="en">' in en and "14 March 2024" in en and "round table" in en
    r = client.get("/lang/en?next=/timeline", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/timeline" and "lang=en" in r.headers["set-cookie"]
    assert client.get("/lang/en?next=//evil.example", follow_redirects=False).headers["location"] == "/search"
    get(client, "/lang/fr", status=404)
    client.cookies.set("lang", "ru")
    try:
        assert '<html lang="ru">' in get(client, "/timeline").text
    finally:
        client.cookies.clear()
    vocab = get(client, "/api/vocabulary").json()
    for kind in ("event_types", "directions", "threats", "frameworks", "countries", "formats"):
        assert all(set(v) >= {"ru", "en"} and all(isinstance(x, str) for x in v.values()) for v in vocab[kind].values()), kind
    assert vocab["central_asia"] == ["KZ", "KG", "TJ", "TM", "UZ"]


# -- upload (changes the store: these run last) ---------------------------------------------------------------------

def test_safe_names():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\boot.ini") == "boot.ini"
    assert safe_name("...") == "upload" and safe_name("") == "upload" and safe_name(None) == "upload"
    assert safe_name("отчёт 2024 (итог).txt") == "отчёт 2024 (итог).txt"
    assert safe_name("a!b<c>.zip") == "a_b_c_.zip"
    assert len(safe_name("x" * 500 + ".docx")) <= 120 and safe_name("x" * 500 + ".docx").endswith(".docx")


def test_upload_ingests_and_reports_each_file(client, store, editor, tmp_path):
    fresh = KISI_DOC.read_bytes() + "\n(копия для загрузки)".encode()
    files = [("files", ("../../evil dir/fresh.txt", fresh, "text/plain")),
             ("files", ("same.txt", KISI_DOC.read_bytes(), "text/plain")),
             ("files", ("empty.txt", b"", "text/plain"))]
    before = get(client, "/api/dashboards").json()["stats"]["documents"]
    data = client.post("/api/upload", files=files, headers=editor).json()
    by_name = {f["source"]: f for f in data["files"]}
    assert by_name["fresh.txt"]["status"] == "new"
    assert by_name["same.txt"]["status"] == "unchanged"
    assert by_name["empty.txt"]["status"] == "failed" and by_name["empty.txt"]["reason"] == "empty file"
    assert (data["new"], data["unchanged"], data["failed"]) == (1, 1, 1)
    assert get(client, "/api/dashboards").json()["stats"]["documents"] == before + 1
    assert not (tmp_path.parent / "evil dir").exists()
    with store.connect() as conn:  # stored under its own name, not the temporary folder's path
        assert conn.exec_driver_sql("SELECT count(*) FROM documents WHERE source = 'upload/fresh.txt'").scalar() == 1


def test_upload_zip_streams_ndjson(client, editor):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/one.txt", KISI_DOC.read_bytes() + b"\n(zip one)")
        z.writestr("inner/blank.txt", b"")
        z.writestr("inner/picture.png", b"\x89PNG")  # not a document: skipped
    r = client.post("/api/upload?stream=true", files=[("files", ("batch.zip", buf.getvalue(), "application/zip"))],
                    headers=editor)
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert lines[-1]["done"] is True and lines[-1]["new"] == 1 and lines[-1]["failed"] == 1
    statuses = {(x["source"], x["status"]) for x in lines[:-1]}
    assert ("batch.zip!inner/one.txt", "new") in statuses and ("batch.zip!inner/blank.txt", "failed") in statuses
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    data = client.post("/api/upload", files=[("files", ("nothing.zip", empty.getvalue()))], headers=editor).json()
    assert data["files"][0]["status"] == "failed" and "no documents" in data["files"][0]["reason"]
    bad = client.post("/api/upload", files=[("files", ("broken.zip", b"PK not really"))], headers=editor).json()
    assert bad["failed"] == 1 and "zip" in bad["files"][0]["reason"]


def test_upload_limits_and_refusals(client, editor, monkeypatch):
    assert client.post("/api/upload", headers=editor).status_code == 400
    assert "no files" in client.post("/api/upload", files=[("files", ("", b""))], headers=editor).json()["detail"]
    monkeypatch.setattr(web, "MAX_FILE_BYTES", 100)
    data = client.post("/api/upload", files=[("files", ("big.txt", b"x" * 101))], headers=editor).json()
    assert data["files"][0]["status"] == "failed" and "limit" in data["files"][0]["reason"]
    monkeypatch.setattr(web, "MAX_REQUEST_BYTES", 1000)
    r = client.post("/api/upload", files=[("files", ("big.txt", b"x" * 2000))], headers=editor)
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    monkeypatch.undo()
    r = client.post("/api/upload", files=[("files", ("a.txt", b"text"))], headers={"origin": "http://evil.example", **editor})
    assert r.status_code == 403 and "another site" in r.json()["detail"]
    limits = get(client, "/api/upload").json()
    assert limits["max_file_bytes"] == 50_000_000 and ".zip" in limits["suffixes"]


def test_upload_form_without_javascript_and_escaping(client, editor):
    evil = ("<script>alert('x')</script> 14 марта 2024 года в Астане прошел круглый стол "
            "«<b>Вода</b> и энергия». Организатор — Казахстанский институт стратегических исследований.").encode()
    page = client.post("/upload", files=[("files", ("evil.txt", evil, "text/plain"))], data={"csrf": editor["X-CSRF-Token"]})
    assert page.status_code == 200 and "status-new" in page.text and "evil.txt" in page.text
    hits = get(client, "/api/search?q=энергия&institution=КИСИ&limit=100").json()["hits"]
    doc_id = next(h["id"] for h in hits if h["source"].endswith("evil.txt"))
    html = get(client, f"/doc/{doc_id}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<b>Вода</b>" not in html
    listing = get(client, "/search?q=alert").text
    assert "<script>alert" not in listing


# -- the interface's strings and the serve command ------------------------------------------------------------------

def test_every_string_the_templates_use_exists_in_both_languages():
    from kurultai.i18n import Labels
    labels = Labels.load()
    templates = (web.HERE / "templates").glob("*.html")
    used = {k for p in templates for k in re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", p.read_text(encoding="utf-8"))}
    used |= {f"facet_{k}" for k in ("country", "institution", "person", "type", "direction", "threat", "framework", "year")}
    used |= {f"dash_{k}{s}" for k in ("activity", "directions", "network", "convergence", "frameworks") for s in ("", "_about")}
    used |= {f"status_{k}" for k in ("new", "unchanged", "failed", "reextracted")}
    missing = sorted(k for k in used if not k.endswith("_") and set(labels.ui.get(k) or ()) < {"ru", "en"})
    assert not missing
    for vocabulary, entries in labels.vocab.items():
        for key, entry in entries.items():
            if vocabulary not in ("frameworks", "countries"):
                assert set(entry) == {"ru", "en"} and all(isinstance(v, str) for v in entry.values()), (vocabulary, key)
    assert labels.date("2024-03-14", "ru") == "14 марта 2024 г." and labels.date("2024-03-14", "en") == "14 March 2024"
    assert labels.date("--04-11", "ru") == "11 апреля (год не указан)" and labels.date("2024-11", "en") == "November 2024"
    assert labels.date("2024", "ru") == "2024 г." and labels.date(None, "en") == "undated"


def test_serve_command(tmp_path, extractor):
    """`kurultai serve` in its own process answers on the port it was given."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from kurultai.store import Store
    db = tmp_path / "served.db"
    s = Store.open(str(db))
    ingest(s, [KISI_DOC], extractor)
    s.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kurultai", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/dashboards", timeout=2) as r:
                    assert json.load(r)["stats"]["documents"] == 1
                    break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stdout.read() if proc.poll() is not None else "timeout"
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)
    bad = subprocess.run([sys.executable, "-m", "kurultai", "serve", "--db", str(tmp_path / "no" / "such.db")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "does not exist" in bad.stderr
