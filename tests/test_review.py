"""The review queue of possible duplicates (store/review*.py, web/review.py), on a real SQLite file
and on PostgreSQL when $KURULTAI_TEST_PG is set: candidates ranked with their reasons and
evidence, merge, split and "not the same" logged and undone, and the page and its JSON twin for
editors only, with CSRF, escaped text and both languages."""
from __future__ import annotations

import html
import json
import re
import time
import warnings
from collections import Counter

import pytest
from sqlalchemy import insert, select

from kurultai.convene import sessions as S
from kurultai.knowledge.registry import Registry
from kurultai.store import Store, review as R, review_actions as A
from kurultai.store.schema import aliases, entities, event_entities, mentions, review_log, sessions
from kurultai.store.views import NotFound

from .conftest import sign_in
from .review_corpus import HOSTILE, fill, ids

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.web.app import create_app  # noqa: E402
from kurultai.i18n import Labels  # noqa: E402

ED = A.Editor("test-editor")
KENZHEGULOV = "Ерболат Кенжегулов@Центр развития Приаралья"
KENZHEGULOV_EN = "Ерболат Кенжегулов@Aral Region Development Centre"
GLUED = "Приаралья Ерболат Кенжегулов"


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.fixture
def kb(store, registry):
    """The store of the review corpus, and its entity ids by name."""
    return store, fill(store, registry)


def pairs(found) -> dict[tuple[int, int], R.Candidate]:
    return {(c.a, c.b): c for c in found}


def codes(c: R.Candidate) -> set[str]:
    return {r.code for r in c.reasons}


def snapshot(store, *eids) -> dict:
    """Everything of these entities a merge changes: their rows, names, mentions and roles."""
    with store.connect() as conn:
        return {
            "entities": sorted(tuple(r) for r in conn.execute(select(entities).where(entities.c.id.in_(eids)))),
            "aliases": sorted((r.entity_id, r.alias, r.norm, r.document_id) for r in conn.execute(
                select(aliases).where(aliases.c.entity_id.in_(eids)))),
            "mentions": sorted((r.id, r.entity_id) for r in conn.execute(
                select(mentions.c.id, mentions.c.entity_id).where(mentions.c.entity_id.in_(eids)))),
            "roles": Counter(tuple(r) for r in conn.execute(
                select(event_entities).where(event_entities.c.entity_id.in_(eids)))),
            "affiliated": sorted(tuple(r) for r in conn.execute(
                select(entities.c.id, entities.c.affiliation_id).where(entities.c.affiliation_id.in_(eids)))),
        }


# -- candidates ---------------------------------------------------------------------------------------------------

def test_the_queue_ranks_likely_pairs_with_their_reasons_and_leaves_out_the_unlikely(kb):
    store, e = kb
    found = R.candidates(store)
    got = pairs(found)
    speaker = tuple(sorted((e[KENZHEGULOV], e[KENZHEGULOV_EN])))
    assert codes(got[speaker]) == {"same_name", "different_affiliations", "same_country"}  # Cyrillic and Latin
    glued = tuple(sorted((e[KENZHEGULOV], e[GLUED])))
    assert "name_contained" in codes(got[glued])  # «Приаралья Ерболат Кенжегулов»
    iwep = tuple(sorted((e["Институт мировой экономики и политики"],
                         e["Институт мировой экономики и политики при Фонде Первого Президента Республики Казахстан"])))
    assert got[iwep].kind == "org" and codes(got[iwep]) >= {"similar_names", "same_country"}
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True) and all(s >= R.MIN_SCORE for s in scores)
    namesakes = tuple(sorted((e["Бахтиёр Турсунов"], e["Фаррух Турсунов"])))
    ministries = tuple(sorted((e["Министерство иностранных дел Республики Узбекистан"],
                               e["Министерство иностранных дел Республики Казахстан"])))
    assert namesakes not in got and ministries not in got
    everything = pairs(R.candidates(store, min_score=0))  # below the line, with why they are there
    assert "given_names_differ" in codes(everything[namesakes])
    assert "different_countries" in codes(everything[ministries])
    assert everything[ministries].score < got[iwep].score
    assert {c.kind for c in R.candidates(store, "org")} == {"org"}
    with pytest.raises(ValueError, match="kind"):
        R.candidates(store, "event")


def test_what_tells_two_apart_outweighs_what_makes_them_alike(store, registry):
    """A head of state's office never pairs with an institute «при Президенте»; two different
    first names outweigh an initial that agrees («Б. Каримов» is known as Бахтиёр Каримов, not
    Баходир); affiliations whose names say they may be one institution do not tell two people
    apart."""
    from kurultai.pipeline import Extraction
    from kurultai.store.documents import Report, store_extracted
    from kurultai.store.resolve import Index

    from .review_corpus import record
    docs = [
        record("k1.txt", "Президент Республики Узбекистан принял делегацию Института стратегических и межрегиональных "
                         "исследований при Президенте Республики Узбекистан; выступил Бахтиёр Каримов.",
               [("Института стратегических и межрегиональных исследований при Президенте Республики Узбекистан", "UZ"),
                ("Президент Республики Узбекистан", "UZ")], [("Бахтиёр Каримов", "o0")]),
        record("k2.txt", "Доклад сделал Б. Каримов.", [], [("Б. Каримов", None)]),
        record("k3.txt", "Выступил Баходир Каримов из Ташкентского университета востоковедения.",
               [("Ташкентского университета востоковедения", "UZ")], [("Баходир Каримов", "o0")]),
        record("k4.txt", "Огулджан Байрамова (Научный центр стратегических исследований) выступила с докладом.",
               [("Научный центр стратегических исследований", "TM")], [("Огулджан Байрамова", "o0")]),
        record("k5.txt", "Выступила Огулджан Байрамова, Научный центр стратегических исследований Института "
                         "международных отношений МИД Туркменистана.",
               [("Научный центр стратегических исследований Института международных отношений МИД Туркменистана", "TM")],
               [("Огулджан Байрамова", "o0")]),
    ]
    docs[0][0]["organizations"][1]["kind"] = "state_office"
    index, report = Index(), Report()
    for rec, text in docs:
        store_extracted(store, report, rec["document"]["sha256"], text.raw.encode(), Extraction(text, text.raw, rec, ()), registry, index)
    e = ids(store)
    everything = pairs(R.candidates(store, min_score=0))
    office = e["Президент Республики Узбекистан"]
    assert not any(office in pair for pair in everything)
    karimovs = tuple(sorted((e["Бахтиёр Каримов"], e["Баходир Каримов"])))
    assert "given_names_differ" in codes(everything[karimovs]) and everything[karimovs].score < R.MIN_SCORE
    b1, b2 = e["Огулджан Байрамова@Научный центр стратегических исследований"], \
        e["Огулджан Байрамова@Научный центр стратегических исследований Института международных отношений МИД "
          "Туркменистана"]
    alike = everything[tuple(sorted((b1, b2)))]
    assert codes(alike) == {"same_name", "affiliations_alike", "same_country"} and alike.score == 100


def test_each_pair_carries_the_evidence_of_both_sides(kb):
    store, e = kb
    page = R.queue(store, "person")
    top = page["pairs"][0]
    assert {top["a"]["id"], top["b"]["id"]} == {e[KENZHEGULOV], e[KENZHEGULOV_EN]}
    side = top["a"] if top["a"]["id"] == e[KENZHEGULOV_EN] else top["b"]
    assert {a["alias"] for a in side["aliases"]} == {"Yerbolat Kenzhegulov", "Ерболат Кенжегулов"}
    assert {a["document"]["source"] for a in side["aliases"]} == {"b.txt", "g.txt"}  # never the server's folders
    assert side["affiliation"]["name"] == "Aral Region Development Centre" and side["document_count"] == 2
    snippet = next(s for s in side["snippets"] if s["text"] == "Yerbolat Kenzhegulov")
    assert snippet["before"] == "" and snippet["after"].startswith(" of the Aral Region Development Centre")
    other = next(s for e_ in (top["a"], top["b"]) for s in e_["snippets"] if s["document_id"] != snippet["document_id"]
                 and s["after"].startswith(","))
    assert other["before"].endswith("Выступил ") and other["after"] == ", директор центра."
    cut = next(s for s in side["snippets"] if s["before"].startswith("… "))  # g.txt, cut at a word's edge
    assert cut["before"] == "… и политики при Фонде Первого Президента Республики Казахстан; выступил "
    assert side["events"][0]["roles"] == ["speaker"] and side["events"][0]["date"] == "2024-03-14"
    assert top["keep"] in (top["a"]["id"], top["b"]["id"]) and page["total"] == len(R.candidates(store, "person"))


def test_two_registry_entries_are_never_proposed(store):
    """The registry says they are two; a namesake outside it is still proposed."""
    with store.begin() as conn:
        for rid in ("kz.one", "kz.two", None):
            conn.execute(insert(entities).values(kind="org", name="Центр стратегических исследований", key="x",
                                                 country="KZ", registry_id=rid))
    found = R.candidates(store, "org")
    assert [(c.a, c.b) for c in found] == [(1, 3), (2, 3)]


def test_blocking_finds_planted_pairs_among_many_without_comparing_every_pair(store):
    """3,000 people with distinct surnames and 20 planted pairs (Cyrillic and Latin): the planted
    pairs are found, nothing else is, in well under the time every pair would take."""
    import random
    rng = random.Random(7)
    letters = "бвгдклмнпрстхшз"
    vowels = "аеиоу"
    surnames = set()
    while len(surnames) < 3000:
        surnames.add("".join(rng.choice(letters) + rng.choice(vowels) for _ in range(4)) + "ов")
    rows = [{"kind": "person", "name": f"Иван {s.capitalize()}", "key": s} for s in sorted(surnames)]
    planted = sorted(surnames)[::150]
    from kurultai.store.names import translit
    rows += [{"kind": "person", "name": translit(f"Иван {s}").title(), "key": s + "-latin"} for s in planted]
    with store.begin() as conn:
        conn.execute(insert(entities), rows)
    started = time.perf_counter()
    found = R.candidates(store, "person")
    took = time.perf_counter() - started
    same = [c for c in found if "same_name" in codes(c)]
    assert len(same) == len(planted)
    assert all(codes(c) == {"similar_names"} and c.score < 95 for c in found if c not in same)  # a letter apart
    assert took < 20, took  # every pair (4.5 million) would take minutes


# -- merge, split, not the same, undo ----------------------------------------------------------------------------

def test_a_merge_is_logged_and_undone_restoring_both_entities(kb, registry):
    store, e = kb
    keep, other = e[KENZHEGULOV], e[KENZHEGULOV_EN]
    centre = e["Aral Region Development Centre"]
    sid = S.create_session(store, registry, title="Вода и энергия", starts="2030-05-01 10:00", tz="Asia/Almaty",
                           format="online", link="https://meet.example.org/water", organizer=centre)
    before = snapshot(store, keep, other)
    assert any(a[2] == "ерболат кенжегулов" for a in before["aliases"] if a[0] == other)  # a name both have
    entry = A.merge(store, keep, other, ED)
    assert entry["action"] == "merge" and entry["user_name"] == "test-editor" and entry["undone_at"] is None
    after = snapshot(store, keep, other)
    assert [r[0] for r in after["entities"]] == [keep] and {m[1] for m in after["mentions"]} == {keep}
    assert pairs(R.candidates(store)).get(tuple(sorted((keep, other)))) is None
    undone = A.undo(store, entry["id"], A.Editor("another-editor"))
    assert undone["undone_by"] == "another-editor" and undone["undo"] == {"restored": other}
    assert snapshot(store, keep, other) == before  # both, with their names, mentions and roles
    # an institution a session names merges too, and comes back as its organiser
    org_entry = A.merge(store, e["Центр развития Приаралья"], centre, ED)
    with store.connect() as conn:
        assert conn.execute(select(sessions.c.organizer_id).where(sessions.c.id == sid)).scalar() == \
            e["Центр развития Приаралья"]
    A.undo(store, org_entry["id"], ED)
    with store.connect() as conn:
        assert conn.execute(select(sessions.c.organizer_id).where(sessions.c.id == sid)).scalar() == centre
    with pytest.raises(A.ReviewError, match="undone already"):
        A.undo(store, entry["id"], ED)


def test_not_the_same_is_remembered_carried_by_a_merge_and_undone(kb, tmp_path):
    store, e = kb
    one, two, glued = e[KENZHEGULOV], e[KENZHEGULOV_EN], e[GLUED]
    said = A.not_same(store, glued, one, ED)
    assert (said["entity_id"], said["other_id"]) == tuple(sorted((one, glued)))
    again = Store.open(store.url)  # remembered in the store, not in a process
    assert tuple(sorted((one, glued))) not in pairs(R.candidates(again))
    again.close()
    merged = A.merge(store, two, one, ED)  # one is not glued, one is two: two is not glued
    assert tuple(sorted((two, glued))) not in pairs(R.candidates(store))
    with pytest.raises(A.ReviewError, match="already"):
        A.not_same(store, two, glued, ED)
    A.undo(store, merged["id"], ED)
    assert tuple(sorted((two, glued))) in pairs(R.candidates(store))
    assert tuple(sorted((one, glued))) not in pairs(R.candidates(store))
    with pytest.raises(A.ReviewError, match="said not to be the same"):
        A.merge(store, one, glued, ED)
    A.undo(store, said["id"], ED)
    assert tuple(sorted((one, glued))) in pairs(R.candidates(store))


def test_a_split_moves_names_off_and_its_undo_puts_them_back(kb):
    store, e = kb
    eid = e[KENZHEGULOV_EN]
    before = snapshot(store, eid)
    entry = A.split(store, eid, ["Yerbolat Kenzhegulov"], ED)
    new = entry["other_id"]
    moved = snapshot(store, eid, new)
    assert {(a[0], a[1]) for a in moved["aliases"]} == {(eid, "Ерболат Кенжегулов"), (new, "Yerbolat Kenzhegulov")}
    assert sum(n for (_, ent, _), n in moved["roles"].items() if ent == new) == 1  # b.txt's role went with it
    A.undo(store, entry["id"], ED)
    assert snapshot(store, eid, new) == before
    with pytest.raises(NotFound):
        A.split(store, eid, ["Nobody Else"], ED)
    with pytest.raises(A.ReviewError, match="name at least one"):
        A.split(store, eid, [" "], ED)


def test_undo_goes_newest_first_on_the_same_entities(kb):
    store, e = kb
    a, b, c = e[KENZHEGULOV], e[KENZHEGULOV_EN], e[GLUED]
    first = A.merge(store, a, b, ED)
    second = A.merge(store, c, a, ED)
    with pytest.raises(A.UndoConflict, match=f"undo #{second['id']} first"):
        A.undo(store, first["id"], ED)
    A.undo(store, second["id"], ED)
    A.undo(store, first["id"], ED)
    assert {x for x in (a, b, c)} <= {r.id for r in _all(store)}
    assert [x["action"] for x in A.log(store)] == ["merge", "merge"] and all(x["undone_at"] for x in A.log(store))


def test_decisions_the_store_cannot_take_are_refused_with_the_reason(kb):
    store, e = kb
    with pytest.raises(A.ReviewError, match="one entity already"):
        A.merge(store, 1, 1, ED)
    with pytest.raises(A.ReviewError, match="an institution .* a person"):
        A.merge(store, e["Центр развития Приаралья"], e[KENZHEGULOV], ED)
    with pytest.raises(NotFound, match="no institution or person with id 999"):
        A.not_same(store, e[KENZHEGULOV], 999, ED)
    with pytest.raises(NotFound, match="#42"):
        A.undo(store, 42, ED)
    with store.connect() as conn:
        assert conn.execute(select(review_log.c.id)).first() is None  # nothing half-written


def _all(store):
    with store.connect() as conn:
        return conn.execute(select(entities.c.id)).all()


# -- the page and its JSON twin --------------------------------------------------------------------------------------

@pytest.fixture
def client(kb):
    store, e = kb
    with TestClient(create_app(store.url)) as c:
        yield c, store, e


def test_reading_and_acting_need_an_editor(client):
    c, store, e = client
    pair = {"a": e[KENZHEGULOV], "b": e[KENZHEGULOV_EN]}
    assert c.get("/api/review").status_code == 401
    r = c.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/review")
    assert c.post("/api/review/not-same", json=pair).status_code == 401
    assert 'href="/review"' not in c.get("/search").text
    viewer = sign_in(c, store, "viewer")
    assert c.get("/api/review").status_code == 403
    r = c.post("/api/review/not-same", json=pair, headers=viewer)
    assert r.status_code == 403 and "editor" in r.json()["detail"]
    assert 'href="/review"' not in c.get("/search").text
    sign_in(c, store, "editor")
    r = c.post("/review/not-same", data=pair)  # the editor's form without its CSRF token
    assert r.status_code == 403 and "CSRF" in r.text
    assert A.log(store) == []
    assert 'href="/review"' in c.get("/search").text


def test_an_editor_merges_from_the_page_and_undoes_it(client):
    c, store, e = client
    csrf = sign_in(c, store, "editor")["X-CSRF-Token"]
    keep, other = e[KENZHEGULOV], e[KENZHEGULOV_EN]
    data = c.get("/api/review?kind=person").json()
    assert {(p["a"]["id"], p["b"]["id"]) for p in data["pairs"]} >= {tuple(sorted((keep, other)))}
    page = c.get("/review?kind=person&lang=en")
    assert page.status_code == 200 and "Possible duplicates" in page.text and f'id="pair-{min(keep, other)}-' in page.text
    assert "the same name (in any script)" in page.text and "Merge, keep" in page.text
    r = c.post("/review/merge", data={"csrf": csrf, "keep": keep, "other": other, "kind": "person"},
               follow_redirects=False)
    assert r.status_code == 303
    entry = int(re.search(r"entry=(\d+)", r.headers["location"]).group(1))
    assert r.headers["location"].startswith("/review?kind=person&done=merge")
    shown = c.get(r.headers["location"].split("#")[0] + "&lang=ru")
    assert "Объединено." in shown.text and f'action="/review/undo/{entry}"' in shown.text
    assert c.get(f"/api/person/{other}").status_code == 404
    r = c.post(f"/review/undo/{entry}", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "done=undo" in r.headers["location"]
    back = c.get(f"/api/person/{other}").json()
    assert {m[0] for m in back["mentions"]} == {"Yerbolat Kenzhegulov", "Ерболат Кенжегулов"}
    r = c.post(f"/review/undo/{entry}", data={"csrf": csrf})
    assert r.status_code == 400 and "undone already" in r.text  # the queue again, with the reason
    log = c.get("/api/review/log").json()["log"]
    assert log[0]["id"] == entry and log[0]["undone_by"] == "test-editor"
    assert "Журнал решений" in c.get("/review/log?lang=ru").text


def test_not_the_same_through_the_api_is_remembered(client):
    c, store, e = client
    headers = sign_in(c, store, "editor")
    a, b = sorted((e[KENZHEGULOV], e[GLUED]))
    r = c.post("/api/review/not-same", json={"a": b, "b": a}, headers=headers)
    assert r.status_code == 200 and r.json()["action"] == "not_same"
    assert (a, b) not in {(p["a"]["id"], p["b"]["id"]) for p in c.get("/api/review").json()["pairs"]}
    with TestClient(create_app(store.url)) as fresh:  # another process of the server
        h = sign_in(fresh, store, "editor")
        assert (a, b) not in {(p["a"]["id"], p["b"]["id"]) for p in fresh.get("/api/review", headers=h).json()["pairs"]}
    r = c.post(f"/api/review/undo/{r.json()['id']}", headers=headers)
    assert r.status_code == 200 and (a, b) in {(p["a"]["id"], p["b"]["id"]) for p in c.get("/api/review").json()["pairs"]}
    r = c.post("/api/review/merge", json={"keep": a, "other": 99999}, headers=headers)
    assert r.status_code == 404 and "99999" in r.json()["detail"]
    r = c.post("/api/review/split", json={"entity": a, "names": []}, headers=headers)
    assert r.status_code == 422


def test_a_bad_review_form_value_is_refused_as_its_json_twin_refuses_it(client):
    """The queue's forms are validated by the models their JSON twins take (web/forms.py): the same
    bad value gets the same 422 and message either way, and nothing is decided."""
    c, store, e = client
    headers = sign_in(c, store, "editor")
    a = e[KENZHEGULOV]
    for path, body in (("merge", {"keep": a, "other": "abc"}), ("not-same", {"a": a, "b": 0}),
                       ("split", {"entity": a, "names": []}),  # a form with no name ticked sends none
                       ("split", {"entity": a, "names": [f"n{k}" for k in range(101)]})):
        api = c.post(f"/api/review/{path}", json=body, headers=headers)
        page = c.post(f"/review/{path}", data={**body, "csrf": headers["X-CSRF-Token"]})
        assert api.status_code == page.status_code == 422, (path, api.text)
        shown = re.search(r'<p class="error"[^>]*>(.*?)</p>', page.text, re.S)
        assert shown and html.unescape(shown.group(1)) == api.json().get("message", api.json()["detail"]), path
    assert A.log(store) == []


def test_untrusted_text_is_escaped_and_both_languages_are_complete(client):
    c, store, e = client
    sign_in(c, store, "editor")
    page = c.get("/review?min_score=0").text
    assert HOSTILE not in page and "<script>alert(" not in page and "&lt;script&gt;alert(" in page  # a title
    labels = Labels.load()
    for code in R.REASONS:
        assert {"ru", "en"} <= set(labels.ui.get(f"review_reason_{code}") or ()), code
    for action in A.ACTIONS:
        for prefix in ("review_action_", "review_log_", "review_done_"):
            assert {"ru", "en"} <= set(labels.ui.get(prefix + action) or ()), prefix + action


# -- the command line -------------------------------------------------------------------------------------------------

def test_the_command_line_lists_decides_and_undoes(tmp_path, registry):
    from .inprocess import invoke as run  # the commands, in this process
    db = tmp_path / "k.db"
    store = Store.open(str(db))
    e = fill(store, registry)
    store.close()
    keep, other = e[KENZHEGULOV], e[KENZHEGULOV_EN]
    listed = json.loads(run("review", "list", "--kind", "person", "--json", "--db", db).stdout)
    assert (min(keep, other), max(keep, other)) in {(p["a"]["id"], p["b"]["id"]) for p in listed["pairs"]}
    table = run("review", "list", "--db", db)
    assert table.returncode == 0 and "same name" in table.stdout
    merged = run("review", "merge", keep, other, "--by", "lead", "--db", db)
    entry = json.loads(merged.stdout)
    assert merged.returncode == 0 and entry["user_name"] == "lead" and entry["action"] == "merge"
    again = run("review", "merge", keep, other, "--db", db)
    assert again.returncode == 1 and again.stderr.strip() == f"kurultai: error: no institution or person with id {other}"
    undone = run("review", "undo", entry["id"], "--db", db)
    assert undone.returncode == 0 and json.loads(undone.stdout)["undo"] == {"restored": other}
    log = [json.loads(line) for line in run("review", "log", "--db", db).stdout.splitlines()]
    assert [x["id"] for x in log] == [entry["id"]] and log[0]["undone_at"]
    missing = run("review", "list", "--db", tmp_path / "missing.db")
    assert missing.returncode == 2 and "no such store" in missing.stderr and not (tmp_path / "missing.db").exists()
