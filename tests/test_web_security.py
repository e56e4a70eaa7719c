"""Attacks on `kurultai serve`, each made by a request that tries it: script injection from
document content and from every query parameter and form field (the payload must never come
back as markup), SQL injection through search and every filter (no 500, no delay, the store
unchanged; SQLite and PostgreSQL), path traversal through upload names (nothing written outside
the upload folder), oversized and unbounded bodies (413, 411), and the security headers on
every page. The module counts the attacks it made (printed with -s)."""
from __future__ import annotations

import io
import json
import re
import tempfile
import time
import warnings
from collections import Counter
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kurultai.store import Store
from kurultai.ingest.run import ingest
from kurultai.web import app as web
from kurultai.web.app import create_app

from .conftest import FIXTURES, STORES
from .private_pg import private_pg
from .tally import count

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
REPORT = FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"
ATTACKS: Counter = Counter()
pytestmark = pytest.mark.tally


def attack(what: str, n: int) -> None:
    ATTACKS[what] += n
    count("attacks", what, n)


XSS = [
    '<script>alert("xss1")</script>',
    '"><img src=x onerror=alert("xss2")>',
    "'><svg onload=alert('xss3')>",
    'javascript:alert("xss4")',
    '</title></textarea><script>alert("xss5")</script>',
    '<a href="javascript:alert(6)">xss6</a><iframe src="//evil.example/">',
]
UNSAFE = re.compile(r"""<script>alert|<img src=x onerror|<svg onload|<iframe src="//evil|<a href="javascript"""
                    r"""|(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
"""What a payload looks like when it came back as markup rather than as text."""

SQLI = [
    "' OR '1'='1", "1' OR 1=1 --", "'; DROP TABLE documents; --", '") UNION SELECT sql FROM sqlite_master --',
    "1; SELECT pg_sleep(5) --", "'||(SELECT pg_sleep(5))||'", "%' OR '%'='", "\\", "\"", "NEAR(a b", "title:x OR *",
    "a & !b | c:*", "' AND randomblob(500000000) AND '", "x' AND 1=(SELECT 1 FROM pg_sleep(5)) AND 'x",
]
HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


def is_html(response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


def check(response, what: str) -> None:
    """No server error; markup that carries no payload; the security headers."""
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    if is_html(response):
        found = UNSAFE.search(response.text)
        assert not found, (what, response.text[max(0, found.start() - 200):found.end() + 100])
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (what, name, response.headers.get(name))
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, (what, csp)


def hostile_html() -> bytes:
    """A news page whose title, meta, text and names carry payloads (as text, as a real page would)."""
    report = escape(REPORT.read_text(encoding="utf-8"))
    paragraphs = "".join(f"<p>{p} {escape(XSS[i % len(XSS)])}</p>" for i, p in enumerate(report.split("\n\n")))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(XSS[0])} Круглый стол</title>"
            f"<meta property='og:title' content='{escape(XSS[1], quote=True)} Круглый стол КИСИ'>"
            f"<script>alert('in-page script')</script></head><body><article><h1>{escape(XSS[4])}</h1>{paragraphs}"
            f"<p>Организатор — фонд «{escape(XSS[2])}» и Институт «{escape(XSS[5])}».</p>"
            f"<p><a href=\"javascript:alert('link')\">Подробнее</a></p></article></body></html>").encode()


def hostile_text() -> bytes:
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    lines.insert(0, f"{XSS[0]} {XSS[1]} Круглый стол о транспорте")
    lines.insert(3, f"Модератор — {XSS[2]}; сайт {XSS[3]}; {XSS[5]}")
    return "\n".join(lines).encode()


def filled(store, extractor, folder: Path):
    (folder / "hostile.html").write_bytes(hostile_html())
    (folder / "hostile.txt").write_bytes(hostile_text())
    ingest(store, [*DOCS, folder], extractor)
    return store


@pytest.fixture(scope="module")
def store(extractor, tmp_path_factory):
    """The reports and two hostile documents in SQLite: what a page shows does not depend on the
    database, so the script attacks run here; the SQL attacks run on PostgreSQL as well."""
    s = filled(Store.open(str(tmp_path_factory.mktemp("security") / "k.db")), extractor, tmp_path_factory.mktemp("h"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store, extractor):
    with TestClient(create_app(store.url, extractor=extractor)) as c:
        yield c


@pytest.fixture(scope="module")
def pg_client(extractor, tmp_path_factory):
    s = filled(Store.open_empty(private_pg("kurultai_test_security")), extractor, tmp_path_factory.mktemp("h"))
    with TestClient(create_app(s.url, extractor=extractor)) as c:
        yield s, c
    s.close()


@pytest.fixture(scope="module")
def editor(client, store) -> dict:
    from .conftest import sign_in
    return sign_in(client, store, "admin")


def snapshot(store) -> dict:
    """Row counts of every table and, on SQLite, the integrity check: what an injection would change."""
    with store.connect() as conn:
        if store.dialect == "sqlite":
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                       "'documents_fts%' AND name NOT LIKE 'sqlite_%'")).scalars().all()
            out = {"integrity": conn.execute(text("PRAGMA integrity_check")).scalar()}
        else:
            tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            out = {}
        for table in sorted(tables):
            out[table] = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
    return out


def spec_params(client) -> dict[str, list[str]]:
    """Query parameters of each GET endpoint, as the OpenAPI spec lists them."""
    out = {}
    for path, ops in client.get("/api/openapi.json").json()["paths"].items():
        op = ops.get("get")
        if op:
            out[path] = [p["name"] for p in op.get("parameters", ()) if p["in"] == "query"]
    return out


def ids(store) -> dict:
    with store.connect() as conn:
        doc = conn.execute(text("SELECT id FROM documents WHERE source LIKE '%hostile.html' ORDER BY id")).scalar()
        event = conn.execute(text("SELECT id FROM events ORDER BY id")).scalar()
        org = conn.execute(text("SELECT id FROM entities WHERE kind = 'org' ORDER BY id")).scalar()
        person = conn.execute(text("SELECT id FROM entities WHERE kind = 'person' ORDER BY id")).scalar()
    return {"doc_id": doc, "event_id": event, "org_id": org, "person_id": person, "sid": 1, "iid": 1, "cid": 1,
            "name": "test-admin", "code": "en"}


def fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), 1)), path)


def crawl(client, starts: list[str], limit: int = 400) -> list[str]:
    """Every page reachable from `starts` by links on the site (GET, HTML), each checked."""
    seen, queue, visited = set(starts), list(starts), []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        response = client.get(url)
        check(response, url)
        visited.append(url)
        if not is_html(response):
            continue
        for href in re.findall(r'href="(/[^"#]*)', response.text):
            href = href.replace("&amp;", "&")
            path = urlsplit(href).path
            if path.startswith(("/static", "/lang/", "/logout")) or href in seen:
                continue
            if path.startswith("/search") and "page=" in href:
                continue
            seen.add(href)
            queue.append(href)
    return visited


# -- script injection -------------------------------------------------------------------------------------------------

def test_document_content_never_comes_back_as_markup(client, store):
    found = client.get("/api/search", params={"q": "Круглый стол КИСИ", "limit": 100}).json()
    hostile = [h for h in found["hits"] if "hostile" in h["source"]]
    assert len(hostile) == 2, [h["source"] for h in found["hits"]]
    doc = client.get(f"/api/doc/{hostile[0]['id']}").json()
    assert any(p in doc["text"] or p in json.dumps(doc["record"], ensure_ascii=False) for p in XSS)  # stored as text
    pages = crawl(client, ["/search", f"/doc/{hostile[0]['id']}", f"/doc/{hostile[1]['id']}", "/orgs", "/people",
                           "/timeline", "/dashboards", *[f"/search?q={w}" for w in ("alert", "xss1", "onerror")]])
    attack("pages crawled for stored payloads", len(pages))
    assert len(pages) > 30


def test_no_query_parameter_comes_back_as_markup(client, store):
    values = ids(store)
    params = spec_params(client)
    tried = 0
    for route in client.app.routes:
        path = getattr(route, "path", "")
        if "GET" not in (getattr(route, "methods", None) or ()) or path.startswith(("/api", "/static")):
            continue
        twin = params.get("/api" + path, params.get(path, []))
        for name in [*twin, "lang", "hl", "cell", "next", "q", "x"]:
            # breaking out of an attribute, out of a title or text area; a script URL where links are made
            for payload in (XSS[1], XSS[4], *([XSS[3]] if name in ("next", "q", "x") else [])):
                url = fill(path, values)
                response = client.get(url, params={name: payload})
                check(response, f"{url}?{name}=")
                tried += 1
        for payload in XSS[:3]:  # in the path itself
            if "{" in path:
                url = re.sub(r"\{\w+\}", lambda m: payload.replace("/", "%2F"), path)
                check(client.get(url), url)
                tried += 1
    attack("script injections through query parameters", tried)
    assert tried > 300


def schema_body(schema: dict, components: dict, payload: str) -> dict:
    """A body for `schema` with every free string field set to `payload`, the constrained ones valid."""
    valid = {"starts": "2030-12-10 15:00", "timezone": "Asia/Almaty", "format": "online", "type": "round_table",
             "language": "ru", "kind": "commitment", "status": "sent", "role": "viewer", "password": "x" * 16,
             "email": "expert@example.org", "link": "https://example.org/meet", "contribution_id": None}
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    body = {}
    for name, prop in schema.get("properties", {}).items():
        kinds = {t.get("type") for t in prop.get("anyOf", [prop])}
        if name in valid:
            body[name] = valid[name]
        elif "string" in kinds:
            body[name] = payload
        elif "array" in kinds:
            body[name] = [{"label": payload, "kind": "custom"}]
        elif "integer" in kinds:
            body[name] = 30 if "min" in name else 1
    return body


def test_no_form_field_comes_back_as_markup(client, store, editor):
    """Every write endpoint's fields set to each payload (sessions, invitations, contributions,
    outcomes, agenda items, users, the login form), then every page crawled."""
    spec = client.get("/api/openapi.json").json()
    components = spec["components"]["schemas"]
    values = ids(store)
    tried = 0
    for payload in XSS:
        created = client.post("/api/sessions", headers=editor,
                              json=schema_body({"$ref": "#/components/schemas/NewSession"}, components, payload))
        if created.status_code == 200:
            values["sid"] = created.json()["id"]
        for path, ops in spec["paths"].items():
            op = ops.get("post")
            if not op or path in ("/api/upload", "/api/logout", "/api/login"):
                continue
            content = (op.get("requestBody") or {}).get("content", {})
            body = schema_body(content["application/json"]["schema"], components, payload) if content else None
            response = client.post(fill(path, values), headers=editor, json=body)
            check(response, path)
            tried += 1
        for form in ({"name": payload, "password": payload, "next": payload}, {"name": "x", "password": "y",
                                                                               "next": f"/search?q={payload}"}):
            check(client.post("/login", data=form), "/login")  # a failed sign-in shows the form again
            tried += 1
    editor.update(_sign_in_again(client, store))
    pages = crawl(client, ["/sessions", "/admin/users", "/login", "/upload", "/briefing"], limit=300)
    attack("script injections through form fields", tried)
    attack("pages crawled for stored payloads", len(pages))
    assert tried >= 40 and any(p.startswith("/session/") for p in pages)


def _sign_in_again(client, store) -> dict:
    """The failed sign-ins above may have replaced the login cookie: sign in again."""
    from .conftest import sign_in
    return sign_in(client, store, "admin")


# -- SQL injection ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", STORES)
def test_sql_injection_through_every_parameter_changes_nothing(kind, request):
    store, client = (request.getfixturevalue("store"), request.getfixturevalue("client")) if kind == "sqlite" \
        else request.getfixturevalue("pg_client")
    before = snapshot(store)
    values = ids(store)
    tried = 0
    for path, names in spec_params(client).items():
        if path in ("/api/openapi.json",) or path.endswith((".pdf", ".ics", ".eml", ".md")):
            continue
        for name in names:
            for payload in SQLI:
                started = time.perf_counter()
                response = client.get(fill(path, values), params={name: payload})
                assert response.status_code < 500, (path, name, payload, response.text[:300])
                assert time.perf_counter() - started < 4, (path, name, payload, "slept: injected")
                tried += 1
    for payload in SQLI:  # the search page with its facets, and names in the path
        check(client.get("/search", params={"q": payload, "institution": payload, "person": payload}), "/search")
        found = client.get("/api/search", params={"q": payload, "limit": 5})
        assert found.status_code == 200 or "has no words to search for" in found.json()["detail"], found.text
        tried += 2
    attack(f"SQL injections ({store.dialect})", tried)
    assert snapshot(store) == before
    assert tried > 300


# -- uploads ----------------------------------------------------------------------------------------------------------

TRAVERSALS = ["../../evil-1.txt", "/tmp/evil-2.txt", "..\\..\\evil-3.txt", "evil-4\x00.txt.pdf", "C:\\Windows\\evil-5.txt",
              "%2e%2e%2fevil-6.txt", "....//....//evil-7.txt", "./../.evil-8.txt", "evil-9/../../../x.txt",
              "\u202etxt.exe-10", "con.txt", "a" * 400 + ".txt", "evil-11\n.txt", "<script>alert(1)</script>.txt"]


def test_upload_names_cannot_write_outside_the_upload_folder(client, store, editor, tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    before = {p for p in Path(tempfile.gettempdir()).parent.rglob("*")}
    body = REPORT.read_bytes()
    files = [("files", (name, body + f"\n\n(вариант {i})".encode(), "text/plain")) for i, name in enumerate(TRAVERSALS)]
    response = client.post("/api/upload", headers=editor, files=files)
    assert response.status_code == 200, response.text
    reported = response.json()["files"]
    assert len(reported) == len(TRAVERSALS)
    for item in reported:
        name = item["source"]
        assert "/" not in name and "\\" not in name and "\x00" not in name and not name.startswith("."), name
        assert len(name) <= 120 and "\n" not in name
        assert item["status"] in ("new", "unchanged") or name.endswith(".pdf"), item  # a .pdf of text fails
    assert not list(spool.iterdir()), "the upload folder was not removed"
    after = {p for p in Path(tempfile.gettempdir()).parent.rglob("*")}
    assert not [p for p in after - before if "evil" in p.name], after - before
    assert not list(Path(web.HERE).rglob("*evil*")) and not list(Path("/tmp").glob("evil*"))
    with store.connect() as conn:
        sources = conn.execute(text("SELECT source FROM documents WHERE source LIKE 'upload/%'")).scalars().all()
    assert all(".." not in s and "\x00" not in s for s in sources)
    attack("path traversals through upload names", len(TRAVERSALS))


def test_oversized_and_unbounded_bodies_are_refused(client, store, editor, monkeypatch):
    monkeypatch.setattr(web, "MAX_REQUEST_BYTES", 50_000)
    big = client.post("/api/upload", headers=editor, files=[("files", ("big.txt", b"x" * 60_000, "text/plain"))])
    assert big.status_code == 413 and "limit" in big.json()["detail"]
    monkeypatch.setattr(web, "MAX_FILE_BYTES", 1_000)
    one = client.post("/api/upload", headers=editor, files=[("files", ("one.txt", b"y" * 2_000, "text/plain"))])
    assert one.status_code == 200 and one.json()["files"][0]["status"] == "failed"
    assert "limit" in one.json()["files"][0]["reason"]

    def chunks():
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"c.txt\"\r\n\r\n"
        for _ in range(100):
            yield b"z" * 10_000
        yield b"\r\n--b--\r\n"
    chunked = client.post("/api/upload", headers={**editor, "content-type": "multipart/form-data; boundary=b"},
                          content=chunks())
    assert chunked.status_code == 411, chunked.text
    form = client.post("/api/sessions", headers=editor, json={"title": "x" * 3_000_000})
    assert form.status_code == 413, form.text[:200]
    for response in (big, chunked, form):
        check(response, "refused body")
    attack("oversized or unbounded bodies", 4)


def test_security_headers_on_every_kind_of_response(client, store):
    for url in ("/search", "/api/search?q=x", "/no/such/page", "/api/no/such", "/api/doc/999999", "/doc/abc",
                "/static/app.js", "/static/style.css", "/api/openapi.json", "/login", "/docs"):
        check(client.get(url), url)
    attack("header checks", 11)


def test_zz_report_the_attacks():
    """Runs last in the module: the count of attacks made, for the closing note."""
    print("\n" + "\n".join(f"{n:6d}  {what}" for what, n in sorted(ATTACKS.items())))
    assert sum(ATTACKS.values()) > 0
