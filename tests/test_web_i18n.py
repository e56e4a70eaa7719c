"""The interface speaks one language at a time: every word a template prints comes from the i18n
catalogue, the catalogue says everything in both languages, and a walk over every page, error page
and refused form in Russian and in English finds no interface phrase of the other language (what the
reports and the users wrote is data and may be in any language)."""
from __future__ import annotations

import re
import shutil
import warnings
from html.parser import HTMLParser
from importlib import resources

import pytest
import yaml
from sqlalchemy import select

fastapi = pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.store import Store  # noqa: E402
from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.store.schema import (aliases, contributions, documents, entities, events, session_outcomes,  # noqa: E402
                                   sessions)
from kurultai.web.app import create_app  # noqa: E402
from kurultai.i18n import Labels  # noqa: E402

from .conftest import FIXTURES, sign_in  # noqa: E402

TEMPLATES = resources.files("kurultai.web") / "templates"
CATALOGUE = yaml.safe_load((resources.files("kurultai") / "i18n.yaml").read_text(encoding="utf-8"))
DOCS = ["ru-rt-kisi-isrs-transport-2024.txt", "ru-webinar-iwep-aral-2024.txt", "en-rt-unrcca-ifas-ashgabat.txt"]
# Words a template may print in either language: the name of the application and of formats
BRAND = {"kurultai", "JSON", "OpenAPI", "CSV", "API", "Atom", "PDF", "HTML", "UTC", "RU", "EN",
         "ics", "md", "eml", "txt", "html", "https", "KZ"}  # file kinds, and the examples of a URL and a country
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# two English words or more (codes and abbreviations in capitals, KZ or IWEP, are names, not phrases)
LATIN_PHRASE = re.compile(r"[A-Z]?[a-z]{2,}(?:-[A-Za-z]+)*(?:[ ,'’]+[A-Z]?[a-z]{2,}(?:-[A-Za-z]+)*)+")
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{2,}")


class Visible(HTMLParser):
    """The texts a reader sees (text nodes and the attributes read out or shown on hover), without
    scripts, styles, code and the parts marked as written in another language (lang="...")."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang, self.stack, self.texts = page_lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            if not self._hidden():
                self.texts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]
            return
        hidden = tag in ("script", "style", "code", "pre", "template") or \
            (attrs.get("lang") not in (None, self.page_lang) and tag != "html")
        self.stack.append((tag, hidden))
        if not self._hidden():
            self.texts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.texts.append(" ".join(data.split()))

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)


def visible(html: str, lang: str) -> list[str]:
    parser = Visible(lang)
    parser.feed(html)
    return parser.texts


# -- the templates and the catalogue ----------------------------------------------------------------------------------

def _template_words(source: str) -> list[str]:
    """The words a template prints itself, outside {{ }}, {% %} and {# #}."""
    bare = re.sub(r"\{% block body_class %\}.*?\{% endblock %\}", " ", source)  # a class name
    bare = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", bare, flags=re.S)
    texts = [re.sub(r"(?<![\w/])/[\w./{}-]+", " ", text) for text in visible(bare, "xx")]  # addresses: /api/...
    return [w for text in texts for w in re.findall(r"[^\W\d_]{2,}", text)]


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.iterdir() if p.name.endswith(".html")))
def test_templates_print_no_words_of_their_own(name):
    """Every word a template shows comes from the catalogue (t(...)), never written in the template."""
    words = [w for w in _template_words((TEMPLATES / name).read_text(encoding="utf-8")) if w not in BRAND]
    assert not words, f"{name} prints {words[:10]}: put them in i18n.yaml and print them with t()"


def test_every_key_a_template_or_page_uses_is_in_the_catalogue_in_both_languages():
    keys = set()
    sources = [p.read_text(encoding="utf-8") for p in TEMPLATES.iterdir() if p.name.endswith(".html")]
    sources += [p.read_text(encoding="utf-8") for p in (resources.files("kurultai.web")).iterdir()
                if p.name.endswith(".py")]
    for text in sources:
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", text))
        keys |= set(re.findall(r"""labels\.t\(\s*["']([a-z_0-9]+)["']""", text))
    missing = sorted(k for k in keys if k not in CATALOGUE["ui"] and not k.endswith("_"))  # "facet_" ~ key
    assert not missing, missing
    for key, entry in CATALOGUE["ui"].items():
        assert set(entry) == {"ru", "en"}, key
        words = re.sub(r"\{\w+\}", "", entry["ru"] or "")
        if re.search(r"[^\W\d_]", words) and key not in ("nav_api", "api_title"):  # "№{id}" has no words
            assert re.search("[а-яё]", entry["ru"], re.I), f"ui.{key}: the Russian is not Russian: {entry['ru']!r}"
        if key != "search_placeholder":  # its example names an institution in both scripts
            assert not re.search("[а-яё]", entry["en"], re.I), f"ui.{key}: the English has Cyrillic: {entry['en']!r}"
    for entry in CATALOGUE["errors"]:
        assert not LATIN_PHRASE.search(re.sub(r"\{\w+\}|--[\w-]+|charset-normalizer|Asia/Almaty|http\(s\)",
                                              "", entry["ru"])), entry


def test_error_messages_are_translated_with_their_field_names_and_ids():
    labels = Labels.load()
    assert labels.error("venue: a hybrid session needs a venue", "ru") == \
        "место проведения: для смешанной сессии нужно место проведения"
    assert labels.error("status: 'maybe' is not one of pending, sent, accepted, declined", "ru") == \
        "статус: 'maybe' — не из допустимых значений: не отправлено, отправлено, принято, отклонено"
    assert labels.error("отчёт.pdf: empty file", "ru") == "отчёт.pdf: пустой файл"
    assert labels.error("stated in the text", "ru") == "указана в тексте"
    assert labels.error("venue: a hybrid session needs a venue", "en") == "venue: a hybrid session needs a venue"
    assert labels.error("something the catalogue lacks", "ru") == "something the catalogue lacks"


def test_the_catalogue_is_parsed_by_libyaml_and_reads_the_same_as_by_pure_python():
    """Every application and speaking command loads the catalogue: libyaml's parser (when PyYAML
    has it) takes a tenth of the pure-Python one's half second; the two must read the same data
    (they do not for every YAML: the reader's chrome.yaml has a plain scalar libyaml refuses)."""
    from kurultai import i18n
    text = (resources.files("kurultai") / "i18n.yaml").read_text(encoding="utf-8")
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert i18n._LOADER is yaml.CSafeLoader
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)


# -- the pages, walked in both languages ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(extractor, tmp_path_factory):
    """A store of three reports (two Russian, one English) with a session held, its contributions
    and an outcome; a client signed in as an editor; the ids to visit."""
    folder = tmp_path_factory.mktemp("i18n")
    for name in DOCS:
        shutil.copy(FIXTURES / "docs" / name, folder / name)
    store = Store.open(str(folder / "kurultai.db"))
    ingest(store, [folder], extractor)
    with TestClient(create_app(store.url, extractor=extractor)) as client:
        editor = sign_in(client, store, "editor")
        r = client.post("/api/sessions", headers=editor, json={
            "title": "Водные ресурсы региона", "title_other": "Water of the region", "starts": "2024-06-10 15:00",
            "timezone": "Asia/Almaty", "format": "hybrid", "link": "https://meet.example.org/x",
            "venue": "Алматы, КИСИ", "organizer": "КИСИ", "moderator": "Айгерим Касымова"})
        sid = r.json()["id"]
        client.post(f"/api/session/{sid}/invite", headers=editor, json={"who": "ИСМИ"})
        client.post(f"/api/session/{sid}/contributions", headers=editor, json={
            "speaker": "Бахтиёр Рахимов", "institution": "ИСМИ",
            "text": "Приоритетами остаются водные ресурсы и энергетика. Угрозой остается терроризм."})
        client.post(f"/api/session/{sid}/outcomes", headers=editor, json={
            "kind": "agreement", "text": "встречаться ежеквартально", "text_other": "meet every quarter"})
        with store.connect() as conn:
            ids = {"doc": conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars().all(),
                   "event": conn.execute(select(events.c.id).order_by(events.c.id)).scalars().all(),
                   "org": conn.execute(select(entities.c.id).where(entities.c.kind == "org")).scalars().all(),
                   "person": conn.execute(select(entities.c.id).where(entities.c.kind == "person")).scalars().all()}
            data = [*conn.execute(select(documents.c.text)).scalars(), *conn.execute(select(documents.c.title)).scalars(),
                    *conn.execute(select(entities.c.name)).scalars(), *conn.execute(select(entities.c.short)).scalars(),
                    *conn.execute(select(aliases.c.alias)).scalars(), *conn.execute(select(events.c.title)).scalars(),
                    *conn.execute(select(sessions.c.title, sessions.c.title_other, sessions.c.venue)).all(),
                    *conn.execute(select(contributions.c.text, contributions.c.speaker, contributions.c.institution)).all(),
                    *conn.execute(select(sessions.c.moderator, sessions.c.organizer)).all(),
                    *conn.execute(select(session_outcomes.c.text, session_outcomes.c.text_other)).all(),
                    "вода water"]  # what the walk searches for
        data += [client.get(f"/api/session/{sid}/release?lang={x}").json()["text"] for x in ("ru", "en")]
        blob = "\n".join(" ".join(str(x) for x in (d if isinstance(d, tuple) else (d,)) if x) for d in data if d)
        yield {"client": client, "editor": editor, "sid": sid, "ids": ids, "data": " ".join(blob.split())}
    store.close()


def _pages(site) -> list[str]:
    sid, ids = site["sid"], site["ids"]
    return ["/search", "/search?q=вода", "/search?q=water&sort=date", "/timeline", "/dashboards",
            "/dashboards/activity", "/dashboards/directions", "/dashboards/network", "/dashboards/convergence",
            "/dashboards/frameworks", "/orgs", "/people", f"/org/{ids['org'][0]}", f"/org/{ids['org'][-1]}",
            f"/person/{ids['person'][0]}", *(f"/doc/{d}" for d in ids["doc"]), *(f"/event/{e}" for e in ids["event"][:4]),
            "/sessions", f"/session/{sid}", f"/session/{sid}/agenda", f"/session/{sid}/release",
            "/briefing?from=2024-01&to=2024-12", "/upload", "/sources", "/alerts",
            "/docs", "/no-such-page", "/doc/999999", f"/session/{sid + 100}", "/search?from=2023-13",
            "/search?type=webinar"]


def _foreign(text: str, lang: str, data: str) -> list[str]:
    """Phrases of the other language in one visible text of a page in `lang`, data aside."""
    if text in data:
        return []
    if lang == "ru":
        found = [p for p in LATIN_PHRASE.findall(text) if p not in data and not set(p.split()) <= BRAND]
    else:
        found = [w for w in CYRILLIC_WORD.findall(text) if w not in data]
    return found


def _walk(client, lang: str, data: str, answers) -> list[tuple[str, str, list[str]]]:
    bad = []
    for where, r in answers:
        assert r.headers["content-type"].startswith("text/html"), (where, r.status_code, r.text[:200])
        assert f'<html lang="{lang}">' in r.text, where
        for text in visible(r.text, lang):
            found = _foreign(text, lang, data)
            if found:
                bad.append((where, text[:160], found))
    return bad


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_speaks_one_language(site, lang):
    client = site["client"]
    client.cookies.set("lang", lang)
    answers = [(path, client.get(path)) for path in _pages(site)]
    bad = _walk(client, lang, site["data"], answers)
    assert not bad, "\n".join(f"{w}: {found} in {text!r}" for w, text, found in bad[:30])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_refused_forms_and_uploads_speak_the_page_language(site, lang):
    client, editor, sid = site["client"], site["editor"], site["sid"]
    client.cookies.set("lang", lang)
    csrf = {"csrf": editor["X-CSRF-Token"]}
    session = {"title": "X", "starts": "2024-03-01 10:00", "timezone": "Asia/Almaty", "format": "hybrid",
               "link": "https://meet.example.org/y", **csrf}
    answers = [
        ("hybrid without a venue", client.post("/sessions", data={**session, "venue": ""})),
        ("online without a link", client.post("/sessions", data={**session, "format": "online", "link": ""})),
        ("bad start", client.post("/sessions", data={**session, "venue": "Алматы", "starts": "next tuesday"})),
        ("bad zone", client.post("/sessions", data={**session, "venue": "Алматы", "timezone": "Mars/Olympus"})),
        ("bad duration", client.post("/sessions", data={**session, "venue": "Алматы", "duration_min": "long"})),
        ("bad e-mail", client.post(f"/session/{sid}/invite", data={"who": "ИМЭП", "email": "nobody", **csrf})),
        ("no invitee", client.post(f"/session/{sid}/invite", data={"who": " ", **csrf})),
        ("bad status", client.post(f"/session/{sid}/invitation/1", data={"status": "maybe", **csrf})),
        ("no speaker", client.post(f"/session/{sid}/contributions", data={"speaker": "", "text": "Текст", **csrf})),
        ("bad transcript", client.post(f"/session/{sid}/contributions", data={"speaker": "Х", **csrf},
                                       files={"transcript": ("вирус.exe", b"MZ", "application/octet-stream")})),
        ("bad outcome", client.post(f"/session/{sid}/outcomes", data={"kind": "wish", "text": "x", **csrf})),
        ("upload", client.post("/upload", data=csrf, files=[("files", ("пусто.txt", b"", "text/plain")),
                                                            ("files", ("bin.txt", bytes(range(256)) * 4, "text/plain"))])),
    ]
    for where, r in answers[:-1]:  # a value the form's model refuses is a 422, as from its JSON twin
        assert r.status_code == (422 if where == "bad duration" else 400), (where, r.status_code)
    assert "пусто.txt" in answers[-1][1].text
    typed = " next tuesday Mars/Olympus long nobody maybe wish Текст вирус.exe пусто.txt bin.txt"  # data
    bad = _walk(client, lang, site["data"] + typed, answers)
    assert not bad, "\n".join(f"{w}: {found} in {text!r}" for w, text, found in bad[:30])
    if lang == "ru":
        hybrid = answers[0][1].text
        assert "для смешанной сессии нужно место проведения" in hybrid and "needs a venue" not in hybrid
        assert "пустой файл" in answers[-1][1].text


def test_an_upload_through_the_api_tells_the_reason_in_the_page_language(site):
    client, editor = site["client"], site["editor"]
    client.cookies.set("lang", "ru")
    r = client.post("/api/upload", headers=editor, files=[("files", ("пусто.txt", b"", "text/plain"))])
    failed = r.json()["files"][0]
    assert failed["reason"] == "empty file" and failed["reason_text"] == "пустой файл"
    r = client.get("/api/doc/999999")
    assert r.status_code == 404 and re.search("[а-я]", r.json()["message"]) and r.json()["detail"]
    client.cookies.set("lang", "en")
    assert "reason_text" not in client.post("/api/upload", headers=editor,
                                            files=[("files", ("пусто.txt", b"", "text/plain"))]).json()["files"][0]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_dates_and_registry_names_in_the_page_language(site, lang):
    client = site["client"]
    client.cookies.set("lang", lang)
    page = client.get(f"/doc/{site['ids']['doc'][0]}").text
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря") if lang == "ru" else ("January", "February", "March", "April", "May", "June",
                                                           "July", "August", "September", "October", "November",
                                                           "December")
    assert any(m in page for m in months)
    sessions_page = client.get("/sessions").text
    assert ("10 June 2024" if lang == "en" else "10 июня 2024") in sessions_page
    orgs = client.get("/orgs").text
    session = client.get(f"/session/{site['sid']}").text  # its organiser, invitee and speaker's institution
    if lang == "en":
        assert "Kazakhstan Institute for Strategic Studies" in orgs and "Казахстанский" not in orgs
        assert "Kazakhstan Institute for Strategic Studies" in session
        assert "Institute for Strategic and Regional Studies" in session and "Институт стратегических" not in session
    else:
        assert "Казахстанский институт стратегических исследований" in orgs
        assert "Казахстанский институт стратегических исследований" in session


def test_api_docs_are_rendered_markdown(site):
    client = site["client"]
    page = client.get("/docs").text
    assert "<code>q</code>" in page or "<code>" in page.split('id="api-reference"')[1]
    body = page.split('id="api-reference"')[1]
    assert "`" not in "".join(visible(body, "en")), "raw Markdown backticks on /docs"
