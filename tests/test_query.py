"""The query layer (store/query.py) as a user meets it: the `kurultai` commands (run in the test's
process, tests/inprocess.py) on a real SQLite store for the errors, names, repeated filters and periods; the query syntax and the
orders on SQLite and PostgreSQL ($KURULTAI_TEST_PG) alike."""
from __future__ import annotations

import json
import warnings

import pytest
from sqlalchemy import select, text

from kurultai.ingest.run import ingest
from kurultai.store.schema import aliases, entities
from kurultai.store.search import search
from kurultai.store.syntax import Term, parse

from .conftest import FIXTURES, STORES, fresh_store
from .inprocess import invoke

DOCS = FIXTURES / "docs"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "k.db"
    done = invoke("ingest", DOCS, "--db", path, "--quiet")
    assert done.returncode == 0, done.stderr
    return path


def found(db, *args) -> dict:
    result = invoke("search", *args, "--limit", "1000", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ids(db, *args) -> set[int]:
    return {h["id"] for h in found(db, *args)["hits"]}


# -- errors: named, with the known values, exit 2, never «0 documents» -------------------------------------------------

@pytest.mark.parametrize("args, says", [
    (("water", "--country", "Narnia"), ["country", "'Narnia'", "known: KG, KZ, TJ, TM, UZ"]),
    (("water", "--direction", "wate"), ["direction", "'wate'", "transport_logistics, water"]),
    (("--type", "webinar"), ["type", "'webinar'", "round_table"]),
    (("--from", "2023-13"), ["from", "'2023-13'"]),
    (("--to", "2024-02-30"), ["to", "'2024-02-30'", "calendar"]),
    (("--to", "9999-12-31"), ["to", "'9999-12-31'", "1000-2999"]),
    (("--from", "2025", "--to", "2020"), ["after"]),
    (("--sort", "newest"), ["sort", "relevance, date, title"]),
    ((" -энергия",), ["minus only excludes"]),
])
def test_a_bad_value_exits_2_naming_it_and_the_known_values(db, args, says):
    result = invoke("search", *args, "--db", db)
    assert result.returncode == 2, (args, result.stdout)
    assert "documents" not in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.startswith("kurultai: error:") and result.stderr.count("\n") == 1
    for part in says:
        assert part in result.stderr, (args, result.stderr)


def test_a_country_is_named_by_code_or_by_name_in_any_language(db):
    by_code = ids(db, "--country", "KZ")
    assert by_code and ids(db, "--country", "Kazakhstan") == ids(db, "--country", "Казахстан") == by_code
    assert ids(db, "--country", "kz") == by_code


@pytest.mark.parametrize("command", [["search", "вода"], ["stats"], ["show", "org", "1"], ["show", "org", "КИСИ"]])
def test_reading_commands_never_create_a_store(tmp_path, command):
    missing = tmp_path / "missing.db"
    result = invoke(*command, "--db", missing)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"kurultai: error: {missing}: no such store" in result.stderr
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_cli_json_is_what_the_api_answers(db, extractor):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from kurultai.web.app import create_app
    with TestClient(create_app(str(db), extractor=extractor)) as client:
        api = client.get("/api/search", params=[("q", "вода OR энергия"), ("country", "KZ"), ("country", "UZ"),
                                                ("sort", "date"), ("limit", "5")]).json()
    cli = json.loads(invoke("search", "вода OR энергия", "--country", "KZ", "--country", "UZ", "--sort", "date",
                         "--limit", "5", "--db", db, "--json").stdout)
    assert cli == api
    assert api["total"] > 0 and set(api["facets"]) >= {"country", "institution", "person", "year"}


# -- names wherever an id is ---------------------------------------------------------------------------------------

def _people(db) -> dict[int, list[str]]:
    from kurultai.store import Store
    store = Store.open(str(db))
    with store.connect() as conn:
        rows = conn.execute(select(entities.c.id, aliases.c.norm).join(aliases, aliases.c.entity_id == entities.c.id)
                            .where(entities.c.kind == "person")).all()
    store.close()
    out: dict[int, list[str]] = {}
    for pid, name in rows:
        out.setdefault(pid, []).extend(name.split())
    return out


def test_show_an_institution_by_its_abbreviation(db):
    by_name = json.loads(invoke("show", "org", "КИСИ", "--db", db).stdout)
    by_id = json.loads(invoke("show", "org", str(by_name["id"]), "--db", db).stdout)
    assert by_name == by_id and by_name["short"] == "КИСИ"
    nobody = invoke("show", "org", "Институт, которого нет", "--db", db)
    assert nobody.returncode == 1 and "no institution is known as 'Институт, которого нет'" in nobody.stderr


def test_a_person_by_surname_alone_or_a_numbered_list_when_several_have_it(db):
    people = _people(db)
    holders: dict[str, set[int]] = {}
    for pid, words in people.items():
        for w in words:
            if len(w) >= 4 and w.isalpha():
                holders.setdefault(w, set()).add(pid)
    unique = next(w for w, ps in sorted(holders.items()) if len(ps) == 1 and len(people[next(iter(ps))]) >= 2)
    shared = next(w for w, ps in sorted(holders.items()) if len(ps) >= 2)
    (pid,) = holders[unique]
    shown = json.loads(invoke("show", "person", unique.capitalize(), "--db", db).stdout)
    assert shown["id"] == pid
    assert ids(db, "--person", unique.capitalize()) == ids(db, "--person", str(pid))
    several = invoke("show", "person", shared.capitalize(), "--db", db)
    assert several.returncode == 2 and "1. " in several.stderr and "2. " in several.stderr
    assert all(f"(id {p})" in several.stderr for p in holders[shared])
    listed = invoke("search", "--person", shared.capitalize(), "--db", db)
    assert listed.returncode == 2 and all(f"(id {p})" in listed.stderr for p in holders[shared])


# -- several values per filter, excluded values --------------------------------------------------------------------

def test_repeated_filters_are_or_within_and_across_and_minus_excludes(db):
    kz, uz, water = ids(db, "--country", "KZ"), ids(db, "--country", "UZ"), ids(db, "--direction", "water")
    assert kz - uz and uz - kz and kz & uz  # the fixtures hold all three cases
    assert ids(db, "--country", "KZ", "--country", "UZ") == kz | uz  # the last one no longer wins
    assert ids(db, "--country", "KZ", "--country=-UZ") == kz - uz
    assert ids(db, "--country", "KZ", "--direction", "water") == kz & water
    assert ids(db, "--direction=-water") == ids(db) - water


# -- the query syntax and the orders, on each database ---------------------------------------------------------------

def test_the_syntax_parses_phrases_or_and_minus():
    parsed = parse('вода OR энергия "водные ресурсы" -климат -"Центральной Азии"')
    assert parsed.clauses == ((Term("вода"), Term("энергия")), (Term("водные ресурсы", phrase=True),))
    assert parsed.excluded == (Term("климат"), Term("Центральной Азии", phrase=True))
    assert parse("вода энергия").plain and not parse('"вода"').plain and parse("OR вода OR").clauses == ((Term("вода"),),)


@pytest.fixture(scope="module", params=STORES)
def store(request, extractor, tmp_path_factory):
    s = fresh_store(request.param, tmp_path_factory.mktemp(f"syntax-{request.param}"))
    ingest(s, [DOCS], extractor)
    yield s
    s.close()


def test_or_minus_and_phrases_on_each_database(store, extractor):
    def got(q: str, **kw) -> set[int]:
        return {h.id for h in search(store, q, registry=extractor.registry, limit=1000, **kw)[0]}

    water, energy, climate = got("вода"), got("энергия"), got("климат")
    assert water and energy and water & climate and water - climate
    assert got("вода OR энергия") == water | energy
    assert got("вода энергия") == water & energy  # words without OR: all of them
    assert got("вода -климат") == water - climate
    assert got("вода -климат -энергия") == water - climate - energy
    loose = got("ресурсы водные")
    assert loose and got('"водные ресурсы"') <= loose and got('"ресурсы водные"') == set()


def test_sort_by_date_and_by_title_on_each_database(store, extractor):
    def hits(sort: str):
        return search(store, "центральная", registry=extractor.registry, limit=1000, sort=sort)[0]

    by_date = [h.published for h in hits("date")]
    dated = [d for d in by_date if d]
    assert dated == sorted(dated, reverse=True) and by_date[:len(dated)] == dated
    titles = [h.title for h in hits("title") if h.title]
    assert titles == sorted(titles, key=str.casefold)
    assert {h.id for h in hits("relevance")} == {h.id for h in hits("title")}


def test_a_country_matches_an_event_through_its_institutions(store, extractor):
    """A summit tagged with its host only: an institution of another country took part in it."""
    with store.connect() as conn:
        event, doc = conn.execute(text(
            "SELECT e.id, e.document_id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_tags t JOIN events x "
            "ON x.id = t.event_id WHERE x.document_id = e.document_id AND t.kind = 'country' AND t.value = 'TM') "
            "ORDER BY e.id")).first()
        guest = conn.execute(text("SELECT id FROM entities WHERE kind = 'org' AND country = 'TM' ORDER BY id")).scalar()
    assert guest and doc not in _ids(store, "TM")
    with store.begin() as conn:
        conn.execute(text("INSERT INTO event_entities (event_id, entity_id, role) VALUES (:e, :g, 'participant')"),
                     {"e": event, "g": guest})
    try:
        assert doc in _ids(store, "TM")
    finally:
        with store.begin() as conn:
            conn.execute(text("DELETE FROM event_entities WHERE event_id = :e AND entity_id = :g AND role = 'participant'"),
                         {"e": event, "g": guest})


def _ids(store, country: str) -> set[int]:
    from kurultai.store.search import Filters
    return {h.id for h in search(store, "", Filters(country=country), limit=1000)[0]}


# -- periods: one check for every command ----------------------------------------------------------------------------

@pytest.mark.parametrize("period", [("2024-01", "2024-02-30"), ("0000", "2024"), ("2024", "9999-12-31")])
def test_an_impossible_period_is_one_line_for_briefing_and_agenda(db, tmp_path, period):
    out = tmp_path / "b.json"
    result = invoke("briefing", "--from", period[0], "--to", period[1], "-o", out, "--db", db)
    assert result.returncode != 0 and "Traceback" not in result.stderr and not out.exists()
    bad = period[1] if period[0] == "2024-01" or period[0] == "2024" else period[0]
    assert result.stderr.startswith("kurultai: error:") and repr(bad) in result.stderr
