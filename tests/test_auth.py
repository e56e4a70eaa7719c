"""Users, roles, logins and CSRF on a real store (SQLite, and PostgreSQL when $KURULTAI_TEST_PG is
set), through the web application (FastAPI's TestClient) and the `kurultai user` command. Every
write route of the application is tried without a login, with too small a role, without and with
a wrong CSRF token, and from another site: each must be refused, and the store left unchanged."""
from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
import time
import warnings
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete, select, update

from kurultai import auth
from kurultai.store import Store
from kurultai.store.schema import documents, logins, sign_in_tries, users
from kurultai.web.auth import COOKIE, SIGNIN_COOKIE, safe_next

from .conftest import STORES, TEST_PASSWORD, fresh_store
from .tally import count

with warnings.catch_warnings():  # Starlette's notice that it will prefer httpx2 one day
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.web.app import create_app  # noqa: E402

SIGN_IN_ROUTES = {"/login", "/logout", "/api/login", "/api/logout"}  # tried on their own below
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory):
    s = fresh_store(request.param, tmp_path_factory.mktemp(f"auth-{request.param}"))
    for role in auth.ROLES:
        auth.create_user(s, f"the-{role}", TEST_PASSWORD, role)
    yield s
    s.close()


@pytest.fixture(scope="module")
def app(store, extractor):
    return create_app(store.url, extractor=extractor)


@pytest.fixture
def client(app):
    """A client of its own for each test: no cookies from another."""
    return TestClient(app)


@pytest.fixture(autouse=True)
def forget_the_tries(request):
    """Each test on the module's store guesses afresh: the throttle's tries are kept in the store,
    and the address of every test's client is the same."""
    if "store" in request.fixturenames:
        with request.getfixturevalue("store").begin() as conn:
            conn.execute(delete(sign_in_tries))


def session_of(store, role: str) -> tuple[dict, str]:
    """A login of the module's user of `role`, made directly (argon2 is for the tests of signing
    in): the Cookie header that carries it, and its CSRF token."""
    login = auth.start_login(store, auth.get_user(store, f"the-{role}"))
    return {"Cookie": f"{COOKIE}={login.token}"}, login.csrf


def write_routes(app) -> list[tuple[str, str, str | None]]:
    """(method, path, the role its require() dependency asks for, or None) of every write route."""
    def required(dependant) -> str | None:
        for d in dependant.dependencies:
            name = getattr(d.call, "__name__", "")
            found = name[len("require_"):] if name.startswith("require_") else required(d)
            if found:
                return found
        return None

    out = []
    for route in app.routes:
        for method in sorted(WRITES & set(getattr(route, "methods", None) or ())):
            out.append((method, route.path, required(route.dependant)))
    return out


def concrete(path: str) -> str:
    """The route with its parameters filled so that even a write let through changes nothing."""
    return re.sub(r"\{name\}", "ghost-user", re.sub(r"\{(?!name\})[^}]+\}", "999999", path))


def state(store) -> tuple:
    """What a refused write must leave as it was."""
    with store.connect() as conn:
        return (conn.execute(select(documents.c.id)).all(),
                conn.execute(select(users.c.name, users.c.role, users.c.disabled, users.c.password_hash)
                             .order_by(users.c.name)).all())


# -- passwords and users --------------------------------------------------------------------------------------------

def test_passwords_are_hashed_with_argon2id(store):
    with store.connect() as conn:
        hashed = dict(conn.execute(select(users.c.name, users.c.password_hash)).all())
    assert all(h.startswith("$argon2id$v=19$") for h in hashed.values())
    assert len(set(hashed.values())) == len(hashed)  # the same password, salted apart
    assert PasswordHasher().verify(hashed["the-editor"], TEST_PASSWORD)
    assert TEST_PASSWORD not in "".join(hashed.values())
    user = auth.authenticate(store, "The-Editor", TEST_PASSWORD)  # names are not case-sensitive
    assert user == auth.get_user(store, "the-editor") and user["role"] == "editor"


def test_wrong_password_unknown_and_disabled_users_are_refused(store):
    assert auth.authenticate(store, "the-editor", TEST_PASSWORD + "x") is None
    assert auth.authenticate(store, "nobody-here", TEST_PASSWORD) is None
    assert auth.authenticate(store, "", "") is None and auth.authenticate(store, "bad name!", TEST_PASSWORD) is None
    auth.create_user(store, "leaver", TEST_PASSWORD, "editor")
    assert auth.authenticate(store, "leaver", TEST_PASSWORD)
    auth.set_disabled(store, "leaver", True)
    assert auth.authenticate(store, "leaver", TEST_PASSWORD) is None
    auth.set_disabled(store, "leaver", False)
    assert auth.authenticate(store, "leaver", TEST_PASSWORD)


def test_an_unknown_name_costs_what_a_wrong_password_costs(store):
    """Without the dummy verification an unknown name would answer in about a millisecond
    against argon2's tenth of a second, telling which names exist."""
    def fastest(name: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            assert auth.authenticate(store, name, "wrong password here") is None
            times.append(time.perf_counter() - t0)
        return min(times)
    known, unknown = fastest("the-viewer"), fastest("no-such-user")
    assert unknown > 0.3 * known, (unknown, known)


@pytest.mark.parametrize("name, password, role, says", [
    ("ok-name", "short", "editor", "use at least 10"),
    ("ok-name", " " * 12, "editor", "only spaces"),
    ("ok-name", "x" * (auth.MAX_PASSWORD + 1), "editor", "at most"),
    ("Repeat-Me-10", "repeat-me-10", "editor", "is the user name"),
    ("two words", TEST_PASSWORD, "editor", "no spaces"),
    ("", TEST_PASSWORD, "editor", "empty"),
    ("<script>", TEST_PASSWORD, "editor", "letters, digits"),
    ("x" * 65, TEST_PASSWORD, "editor", "at most 64"),
    ("ok-name", TEST_PASSWORD, "root", "not one of viewer, editor, admin"),
    ("THE-EDITOR", TEST_PASSWORD, "editor", "already exists"),
])
def test_bad_users_are_refused_with_a_reason(store, name, password, role, says):
    with pytest.raises(auth.AuthError, match=re.escape(says)):
        auth.create_user(store, name, password, role)


def test_roles_are_ordered_and_the_last_admin_stays(store):
    assert auth.at_least("admin", "editor") and auth.at_least("editor", "editor")
    assert not auth.at_least("viewer", "editor") and not auth.at_least(None, "viewer")
    with pytest.raises(auth.AuthError, match="only active admin"):
        auth.set_disabled(store, "the-admin", True)
    with pytest.raises(auth.AuthError, match="only active admin"):
        auth.set_role(store, "the-admin", "editor")
    with pytest.raises(auth.UnknownUser):
        auth.set_role(store, "ghost", "editor")
    assert auth.get_user(store, "the-admin")["role"] == "admin"


# -- every write is guarded -----------------------------------------------------------------------------------------

def test_every_write_route_needs_a_login_a_role_a_csrf_token_and_this_site(app, store, client):
    routes = [(m, p, role) for m, p, role in write_routes(app) if p not in SIGN_IN_ROUTES]
    assert {(p, role) for _, p, role in routes} >= {("/upload", "editor"), ("/api/upload", "editor"),
                                                   ("/admin/users", "admin"), ("/api/admin/users", "admin")}
    unguarded = [(m, p) for m, p, role in routes if role not in ("editor", "admin")]
    assert not unguarded, f"write routes without Depends(require('editor' or 'admin')): {unguarded}"
    before = state(store)
    viewer, _ = session_of(store, "viewer")
    editor, editor_csrf = session_of(store, "editor")
    admin, admin_csrf = session_of(store, "admin")
    for method, path, role in routes:
        url = concrete(path)
        api = path.startswith("/api")

        def send(headers=None, **kw):
            return client.request(method, url, headers=headers or {}, follow_redirects=False, **kw)

        r = send()
        if api:
            assert r.status_code == 401 and "sign in" in r.json()["detail"], (method, path, r.text)
        else:
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/"), (method, path, r.text)
        assert send(viewer).status_code == 403, (method, path)
        needs_admin = role == "admin"
        r = send({**editor, "X-CSRF-Token": editor_csrf})
        assert (r.status_code == 403 and "admin role" in r.text) if needs_admin else r.status_code not in (401, 403), \
            (method, path, r.status_code, r.text[:200])
        for who, csrf in ((admin, None), (admin, "forged-" + admin_csrf[7:]), (admin, editor_csrf)):
            headers = {**who, **({"X-CSRF-Token": csrf} if csrf else {})}
            r = send(headers)
            assert r.status_code == 403 and "CSRF token" in r.text, (method, path, r.status_code, r.text[:200])
            r = send(who, data={"csrf": csrf} if csrf else {"x": "1"})  # the form field, as pages send it
            assert r.status_code == 403 and "CSRF token" in r.text, (method, path, r.status_code, r.text[:200])
        for origin in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            r = send({**admin, "X-CSRF-Token": admin_csrf, **origin})
            assert r.status_code == 403 and "another site" in r.text, (method, path, r.text[:200])
        r = send({**admin, "X-CSRF-Token": admin_csrf})  # the control: all of it right, and it gets through
        assert r.status_code not in (401, 403), (method, path, r.status_code, r.text[:200])
    assert state(store) == before
    refused = sum(10 + (role == "admin") for _, _, role in routes)  # none, viewer, (editor), 6 CSRF, 2 sites
    count("attacks", "writes without a login, with too small a role, a missing or forged CSRF token, or from "
                     "another site", refused)


def test_a_page_write_without_login_comes_back_to_its_page(client):
    r = client.post("/upload", files=[("files", ("a.txt", b"text"))], follow_redirects=False,
                    headers={"Referer": "http://testserver/upload?lang=en"})
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/upload%3Flang%3Den"
    r = client.post("/upload", files=[("files", ("a.txt", b"text"))], follow_redirects=False,
                    headers={"Referer": "http://evil.example/upload"})
    assert r.headers["location"] == "/login?next=/upload"
    r = client.get("/admin/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/admin/users"


def test_role_changes_and_disabling_act_at_once(store, client):
    auth.create_user(store, "shifting", TEST_PASSWORD, "editor")
    login = auth.start_login(store, auth.get_user(store, "shifting"))
    headers = {"Cookie": f"{COOKIE}={login.token}", "X-CSRF-Token": login.csrf}
    assert client.post("/api/upload", headers=headers).status_code == 400  # let in; no files sent
    auth.set_role(store, "shifting", "viewer")
    r = client.post("/api/upload", headers=headers)
    assert r.status_code == 403 and "shifting is viewer" in r.json()["detail"]
    auth.set_role(store, "shifting", "editor")
    auth.set_disabled(store, "shifting", True)
    assert client.post("/api/upload", headers=headers).status_code == 401
    assert auth.find_login(store, login.token) is None


# -- signing in and out ---------------------------------------------------------------------------------------------

def test_api_login_sets_a_strict_http_only_cookie_and_only_its_hash_is_stored(store, client):
    r = client.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= attrs and "secure" not in attrs  # plain http here
    assert "samesite=strict" in cookie.lower() and "path=/" in cookie.lower()
    token = re.match(rf"{COOKIE}=([^;]+)", cookie).group(1)
    body = r.json()
    assert body["user"]["name"] == "the-editor" and body["csrf"] and body["csrf"] != token
    assert r.headers["cache-control"] == "no-store"
    with store.connect() as conn:
        rows = [tuple(map(str, row)) for row in conn.execute(select(logins)).all()]
        mine = conn.execute(select(logins).where(logins.c.token_hash == hashlib.sha256(token.encode()).hexdigest())).one()
    assert mine.csrf == body["csrf"]
    assert not any(token in value for row in rows for value in row)
    assert all(re.fullmatch(r"[0-9a-f]{64}", row[0]) for row in rows)
    me = client.get("/api/me").json()
    assert me["user"]["name"] == "the-editor" and me["csrf"] == body["csrf"]


def test_api_login_refusals(client):
    for name, password in (("the-editor", "wrong password"), ("nobody-at-all", TEST_PASSWORD)):
        r = client.post("/api/login", json={"name": name, "password": password})
        assert r.status_code == 401 and r.json()["detail"] == "wrong name or password, or the user is disabled"
        assert COOKIE not in r.headers.get("set-cookie", "")
    plain = f'{{"name": "the-editor", "password": "{TEST_PASSWORD}"}}'
    for kind in ({"content-type": "text/plain"}, {}):  # what a page of another site can send without asking
        r = client.post("/api/login", content=plain, headers=kind)
        assert r.status_code in (415, 422) and COOKIE not in r.headers.get("set-cookie", ""), (kind, r.text)
    r = client.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_guessing_passwords_is_throttled(store, extractor):
    app = create_app(store.url, extractor=extractor)
    guesser = TestClient(app)
    for i in range(5):
        r = guesser.post("/api/login", json={"name": "the-admin", "password": f"guess number {i}"})
        assert r.status_code == 401
    r = guesser.post("/api/login", json={"name": "the-admin", "password": TEST_PASSWORD})  # right, but too late
    assert r.status_code == 429 and "too many failed sign-ins" in r.json()["detail"]
    assert 0 < int(r.headers["retry-after"]) <= 900 and COOKIE not in r.headers.get("set-cookie", "")
    page = guesser.get("/login")
    token = guesser.cookies.get(SIGNIN_COOKIE)
    r = guesser.post("/login", data={"name": "THE-ADMIN", "password": TEST_PASSWORD, "csrf": token},
                     follow_redirects=False)
    assert r.status_code == 429 and 'id="login-error"' in r.text and page.status_code == 200
    assert guesser.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD}).status_code == 200
    throttle = app.state.sign_in_throttle
    assert throttle.wait("testclient", "the-admin", now=time.time() + throttle.window_s + 1) == 0


def test_two_servers_on_one_store_share_the_tries(store, extractor):
    """Each worker process of `kurultai serve --workers N` is an application of its own on one
    store: a guesser whose tries are spread over them still gets five, not five per process."""
    one, other = (TestClient(create_app(store.url, extractor=extractor)) for _ in range(2))
    statuses = [(one if i % 2 else other).post("/api/login", json={"name": "the-editor", "password": f"guess {i}"})
                .status_code for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    count("attacks", "password guesses spread over several servers on one store", len(statuses))
    r = one.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD})
    assert r.status_code == 429 and COOKIE not in r.headers.get("set-cookie", "")


def test_a_right_password_takes_its_try_back_and_forgives_the_names_failures(store, extractor):
    client = TestClient(create_app(store.url, extractor=extractor))
    for round_ in range(3):  # 4 wrong and 1 right, three times: 15 tries, never held up
        for i in range(4):
            assert client.post("/api/login", json={"name": "the-viewer", "password": f"wrong {round_}.{i}"}) \
                .status_code == 401
        assert client.post("/api/login", json={"name": "the-viewer", "password": TEST_PASSWORD}).status_code == 200
    with store.connect() as conn:  # what stays: the address's 12 failures, none of the name's
        keys = conn.execute(select(sign_in_tries.c.key)).scalars().all()
    assert sorted(set(keys)) == ["address testclient"] and len(keys) == 12


def test_full_width_and_case_variants_of_a_name_share_its_tries(store, extractor):
    guesser = TestClient(create_app(store.url, extractor=extractor))
    for i in range(5):
        assert guesser.post("/api/login", json={"name": "the-admin", "password": f"guess {i} of five"}).status_code == 401
    for variant in ("ｔｈｅ－ａｄｍｉｎ", "ＴＨＥ-ADMIN", "The-Admin"):  # full-width letters, hyphen; upper case
        r = guesser.post("/api/login", json={"name": variant, "password": "one more guess"})
        assert r.status_code == 429, (variant, r.text)


def test_user_names_are_nfkc_normalised_and_case_folded(store):
    made = auth.create_user(store, "ＳＴＲＡẞＥ", TEST_PASSWORD, "viewer")  # full-width, capital sharp s
    assert made["name"] == "strasse" and auth.name_key("Straße") == "strasse"
    for spelling in ("strasse", "STRASSE", "Straße", "ｓｔｒａｓｓｅ"):
        with pytest.raises(auth.UserExists):
            auth.create_user(store, spelling, TEST_PASSWORD, "viewer")
        assert auth.authenticate(store, spelling, TEST_PASSWORD)["id"] == made["id"]
    added = kurultai("user", "add", "ＳＴＲＡＳＳＥ", "--role", "editor", "--password-stdin", "--db", store.url,
                     stdin=TEST_PASSWORD + "\n")
    assert added.exit_code == 1 and "user 'strasse': already exists" in added.stderr


def guesses(base: str, forwarded: list[str]) -> list[int]:
    """The status of a wrong sign-in sent to a real server once with each X-Forwarded-For value."""
    import httpx
    return [httpx.post(base + "/api/login", json={"name": "guarded", "password": f"wrong guess {i}"},
                       headers={"X-Forwarded-For": address}, timeout=60).status_code
            for i, address in enumerate(forwarded)]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """`kurultai serve --workers 2` on a store of its own with the user "guarded": (its base URL,
    the store's path)."""
    from .served import served
    folder = tmp_path_factory.mktemp("served")
    store = fresh_store("sqlite", folder)
    auth.create_user(store, "guarded", TEST_PASSWORD, "editor")
    store.close()
    with served(str(folder / "kurultai.db"), "--workers", "2") as base:
        yield base, folder / "kurultai.db"


def forget_tries_in(db) -> None:
    store = Store.open(str(db))
    with store.begin() as conn:
        conn.execute(delete(sign_in_tries))
    store.close()


def test_forwarded_addresses_count_only_from_trusted_proxies(two_workers):
    from .served import served
    base, db = two_workers
    forget_tries_in(db)
    # a local client claims a new address for every guess: it is not believed
    assert guesses(base, [f"203.0.113.{i}" for i in range(1, 7)]) == [401] * 5 + [429]
    count("attacks", "password guesses from a forged X-Forwarded-For", 6)
    forget_tries_in(db)
    with served(str(db), "--trusted-proxies", "127.0.0.1") as proxied:  # a proxy on this machine forwards them
        assert guesses(proxied, ["198.51.100.7"] * 5 + ["198.51.100.8", "198.51.100.7"]) == [401] * 6 + [429]
    bad = kurultai("serve", "--db", str(db), "--trusted-proxies", "my-proxy")
    assert bad.exit_code == 2 and "'my-proxy': not an IP address or network" in re.sub(r"[\s│]+", " ", bad.output)


def test_the_worker_processes_of_one_server_share_the_tries(two_workers):
    """Twelve wrong guesses sent at once to `kurultai serve --workers 2`, each on a connection of
    its own (the kernel hands them to either worker): five are checked, the rest wait, however
    the guesses fall between the processes and however closely they come together."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    base, db = two_workers
    forget_tries_in(db)

    def guess(i: int) -> int:
        return httpx.post(base + "/api/login", json={"name": "guarded", "password": f"wrong guess {i}"},
                          timeout=60).status_code
    with ThreadPoolExecutor(12) as pool:
        statuses = sorted(pool.map(guess, range(12)))
    assert statuses == [401] * 5 + [429] * 7
    count("attacks", "password guesses sent at once to two worker processes", len(statuses))


def test_worker_processes_get_the_settings_from_the_environment():
    from kurultai.web.serving import Settings
    settings = Settings(db="/srv/k.db", host="0.0.0.0", port=9000, secure_cookies=True,
                        trusted_proxies=("127.0.0.1", "10.0.0.0/8"), workers=4)
    again = Settings.from_environ(settings.environ())
    assert (again.db, again.host, again.secure_cookies, again.open_reading, again.trusted_proxies, again.read_role) == \
        ("/srv/k.db", "0.0.0.0", True, False, ("127.0.0.1", "10.0.0.0/8"), "viewer")
    assert Settings.from_environ({}) == Settings() and Settings().trusted_proxies == () and Settings().read_role is None
    with pytest.raises(ValueError, match="KURULTAI_SECURE_COOKIES='maybe': give 1 or 0"):
        Settings.from_environ({"KURULTAI_SECURE_COOKIES": "maybe"})
    with pytest.raises(ValueError, match="trusted proxy 'proxy.example': not an IP address"):
        Settings.from_environ({"KURULTAI_TRUSTED_PROXIES": "127.0.0.1, proxy.example"})


def test_cookies_are_secure_over_https_or_when_asked(app, store, extractor):
    r = TestClient(app, base_url="https://testserver").post(
        "/api/login", json={"name": "the-viewer", "password": TEST_PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    proxied = create_app(store.url, extractor=extractor, secure_cookies=True)
    r = TestClient(proxied).post("/api/login", json={"name": "the-viewer", "password": TEST_PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()


def test_sign_in_page_needs_its_own_csrf_token(client):
    page = client.get("/login?next=/upload")
    assert page.status_code == 200 and 'id="login-form"' in page.text
    form_token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.cookies.get(SIGNIN_COOKIE) == form_token
    form = {"name": "the-editor", "password": TEST_PASSWORD, "next": "/upload"}
    stranger = TestClient(client.app)  # a form posted from elsewhere has no sign-in cookie
    r = stranger.post("/login", data={**form, "csrf": form_token}, follow_redirects=False)
    assert r.status_code == 403 and 'id="login-error"' in r.text
    r = client.post("/login", data={**form, "csrf": "made-up"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/login", data={**form, "password": "wrong password", "csrf": form_token}, follow_redirects=False)
    assert r.status_code == 401 and "Wrong name or password" in r.text or "Неверное имя" in r.text
    r = client.post("/login", data={**form, "csrf": form_token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/upload"
    assert COOKIE in r.headers["set-cookie"]
    upload = client.get("/upload").text
    csrf = client.get("/api/me").json()["csrf"]
    assert f'name="csrf" value="{csrf}"' in upload and 'id="signed-in"' in upload and "the-editor" in upload


@pytest.mark.parametrize("target", [
    "//evil.example/x", "https://evil.example/", "http:/evil.example", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "javascript:alert(1)", "evil.example", "/%0d%0aSet-Cookie:x=1".replace("%0d%0a", "\r\n"),
    "/login", "",
])
def test_next_never_leads_off_this_site(client, target):
    assert safe_next(target) == "/search"
    page = client.get("/login", params={"next": target})
    assert 'name="next" value="/search"' in page.text
    token = client.cookies.get(SIGNIN_COOKIE)
    r = client.post("/login", data={"name": "the-viewer", "password": TEST_PASSWORD, "next": target, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/search"


def test_next_keeps_a_local_path():
    assert safe_next("/search?q=water&country=KZ") == "/search?q=water&country=KZ"
    assert safe_next("/doc/3?hl=1-4#hl") == "/doc/3?hl=1-4#hl"


def test_logins_expire(store, client):
    user = auth.get_user(store, "the-editor")
    login = auth.start_login(store, user)
    assert auth.find_login(store, login.token) == (user, login.csrf)
    assert auth.find_login(store, login.token, now=auth.now_utc() + timedelta(hours=auth.LOGIN_HOURS, seconds=1)) is None
    headers = {"Cookie": f"{COOKIE}={login.token}", "X-CSRF-Token": login.csrf}
    assert client.get("/api/me", headers=headers).json()["user"]["name"] == "the-editor"
    with store.begin() as conn:
        conn.execute(update(logins).where(logins.c.token_hash == auth.token_hash(login.token))
                     .values(expires_at="2000-01-01T00:00:00+00:00"))
    assert client.get("/api/me", headers=headers).json()["user"] is None
    r = client.post("/api/upload", headers=headers)
    assert r.status_code == 401 and "expired" in r.json()["detail"]
    auth.start_login(store, user)  # a new login clears the expired ones
    with store.connect() as conn:
        assert conn.execute(select(logins).where(logins.c.expires_at < "2001")).first() is None


def test_logout_ends_the_login(store, client):
    r = client.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD})
    token, csrf = client.cookies.get(COOKIE), r.json()["csrf"]
    assert client.post("/api/logout").status_code == 403  # no CSRF token: not even signing out
    r = client.post("/api/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"signed_out": "the-editor"}
    assert auth.find_login(store, token) is None and client.cookies.get(COOKIE) is None
    replay = TestClient(client.app)
    r = replay.post("/api/upload", headers={"Cookie": f"{COOKIE}={token}", "X-CSRF-Token": csrf})
    assert r.status_code == 401
    assert replay.post("/api/logout").status_code == 401
    # the page's sign-out button, with the form's token
    client.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD})
    token = client.cookies.get(COOKIE)
    assert client.post("/logout", data={"csrf": "wrong"}, follow_redirects=False).status_code == 403
    assert auth.find_login(store, token) is not None
    r = client.post("/logout", data={"csrf": client.get("/api/me").json()["csrf"]}, follow_redirects=False)
    assert r.status_code == 303 and auth.find_login(store, token) is None
    assert '<a id="sign-in"' in client.get("/search").text


# -- the admin's page -----------------------------------------------------------------------------------------------

def test_admin_manages_users_on_the_page_and_in_json(store, client):
    r = client.post("/api/login", json={"name": "the-admin", "password": TEST_PASSWORD})
    csrf = r.json()["csrf"]
    page = client.get("/admin/users")
    assert page.status_code == 200 and 'data-user="the-viewer"' in page.text and 'href="/admin/users"' in page.text
    assert page.text.count(f'name="csrf" value="{csrf}"') >= 2 * len(auth.list_users(store)) + 1
    r = client.post("/admin/users", data={"name": "Newcomer", "password": TEST_PASSWORD, "role": "viewer", "csrf": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=added&name=newcomer"
    assert 'id="admin-done"' in client.get(r.headers["location"]).text
    r = client.post("/admin/users", data={"name": "other", "password": "short", "role": "viewer", "csrf": csrf})
    assert r.status_code == 400 and "use at least 10" in r.text and 'value="other"' in r.text
    assert client.post("/admin/users/newcomer/role", data={"role": "editor", "csrf": csrf},
                       follow_redirects=False).status_code == 303
    assert auth.get_user(store, "newcomer")["role"] == "editor"
    assert client.post("/admin/users/newcomer/disable", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert auth.get_user(store, "newcomer")["disabled"] is True
    r = client.post("/admin/users/the-admin/disable", data={"csrf": csrf})
    assert r.status_code == 400 and "only active admin" in r.text
    headers = {"X-CSRF-Token": csrf}
    listed = client.get("/api/admin/users").json()
    assert {u["name"] for u in listed["users"]} >= {"the-admin", "newcomer"} and listed["roles"] == list(auth.ROLES)
    assert all("password_hash" not in u for u in listed["users"])
    r = client.post("/api/admin/users", json={"name": "robot", "password": TEST_PASSWORD, "role": "editor"}, headers=headers)
    assert r.status_code == 201 and r.json()["role"] == "editor"
    r = client.post("/api/admin/users", json={"name": "robot", "password": TEST_PASSWORD, "role": "editor"}, headers=headers)
    assert r.status_code == 409 and "already exists" in r.json()["detail"]
    assert client.post("/api/admin/users/robot/role", json={"role": "viewer"}, headers=headers).json()["role"] == "viewer"
    r = client.post("/api/admin/users/robot/role", json={"role": "god"}, headers=headers)
    assert r.status_code == 400 and "not one of" in r.json()["detail"]
    assert client.post("/api/admin/users/ghost/disable", headers=headers).status_code == 404
    assert client.post("/api/admin/users/robot/disable", headers=headers).json()["disabled"] is True
    assert client.post("/api/admin/users/robot/enable", headers=headers).json()["disabled"] is False
    editor_page = TestClient(client.app)
    editor_page.post("/api/login", json={"name": "the-editor", "password": TEST_PASSWORD})
    assert editor_page.get("/admin/users").status_code == 403
    assert 'href="/admin/users"' not in editor_page.get("/search").text


def test_a_bad_admin_form_value_is_refused_as_its_json_twin_refuses_it(client):
    """The users' forms are validated by the models their JSON twins take (web/forms.py): the same
    bad value gets the same 422 and message either way, and the page keeps what was typed."""
    csrf = client.post("/api/login", json={"name": "the-admin", "password": TEST_PASSWORD}).json()["csrf"]
    for page_path, api_path, body in (
            ("/admin/users", "/api/admin/users", {"name": "n" * 201, "password": TEST_PASSWORD, "role": "viewer"}),
            ("/admin/users", "/api/admin/users", {"name": "newcomer", "password": TEST_PASSWORD}),
            ("/admin/users/the-viewer/role", "/api/admin/users/the-viewer/role", {})):
        api = client.post(api_path, json=body, headers={"X-CSRF-Token": csrf})
        page = client.post(page_path, data={**body, "csrf": csrf})
        assert api.status_code == page.status_code == 422, (api.text, page.status_code)
        shown = re.search(r'<p class="error"[^>]*>(.*?)</p>', page.text, re.S)
        assert shown and html.unescape(shown.group(1)) == api.json().get("message", api.json()["detail"]), page_path
        if body.get("name"):
            assert f'value="{body["name"]}"' in page.text


# -- reading where it needs a login ---------------------------------------------------------------------------------

def test_reading_can_need_a_login(store, extractor):
    closed = TestClient(create_app(store.url, extractor=extractor, read_role="viewer"))
    r = closed.get("/search", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/search"
    assert closed.get("/api/search").status_code == 401
    assert closed.get("/login").status_code == 200 and closed.get("/static/style.css").status_code == 200
    assert closed.get("/api/search", headers={"X-Content-Type-Options": "x"}).headers["x-content-type-options"] == "nosniff"
    closed.post("/api/login", json={"name": "the-viewer", "password": TEST_PASSWORD})
    assert closed.get("/api/search").status_code == 200 and closed.get("/search").status_code == 200


# -- the command line -----------------------------------------------------------------------------------------------

def kurultai(*args, stdin: str | None = None):
    """The `kurultai` command in this process (Typer's runner: the same code, without a start-up)."""
    from typer.testing import CliRunner

    from kurultai.cli import app as cli
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def test_cli_user_add_then_sign_in(store, client):
    process = subprocess.run([sys.executable, "-m", "kurultai", "user", "add", "Scripted", "--role", "editor",
                              "--password-stdin", "--db", store.url], input=TEST_PASSWORD + "\n",
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 0 and "user scripted (editor) created" in process.stdout, process.stderr
    login = client.post("/api/login", json={"name": "scripted", "password": TEST_PASSWORD})
    assert login.status_code == 200 and login.json()["user"]["role"] == "editor"
    again = kurultai("user", "add", "scripted", "--role", "admin", "--password-stdin", "--db", store.url,
                     stdin=TEST_PASSWORD + "\n")
    assert again.exit_code == 1 and again.stderr.strip() == "kurultai: error: user 'scripted': already exists"
    short = kurultai("user", "add", "shorty", "--role", "viewer", "--password-stdin", "--db", store.url, stdin="tiny\n")
    assert short.exit_code == 1 and "4 characters long; use at least 10" in short.stderr
    typed = kurultai("user", "add", "typist", "--role", "viewer", "--db", store.url,
                     stdin="first long password\nanother long password\nfirst long password\nfirst long password\n")
    assert typed.exit_code == 0 and "do not match" in typed.stdout  # asked again until both agree
    listed = kurultai("user", "list", "--db", store.url)
    assert re.search(r"^scripted\s+editor\s+active", listed.stdout, re.M), listed.stdout
    assert re.search(r"^typist\s+viewer\s+active", listed.stdout, re.M), listed.stdout
    new_password = "another long passphrase"
    assert kurultai("user", "passwd", "scripted", "--password-stdin", "--db", store.url,
                    stdin=new_password + "\n").exit_code == 0
    assert client.get("/api/me").json()["user"] is None  # the new password ended the login
    assert auth.authenticate(store, "scripted", TEST_PASSWORD) is None
    assert auth.authenticate(store, "scripted", new_password)["name"] == "scripted"
    assert kurultai("user", "disable", "scripted", "--db", store.url).exit_code == 0
    assert client.post("/api/login", json={"name": "scripted", "password": new_password}).status_code == 401
    missing = kurultai("user", "disable", "ghost", "--db", store.url)
    assert missing.exit_code == 1 and "no such user" in missing.stderr
