"""The agenda suggestion over generated reports: planted changes are found with their evidence, and
a corpus in which nothing changed suggests nothing. SQLite and PostgreSQL alike."""
from __future__ import annotations

import json
import math
from itertools import combinations

import pytest
from sqlalchemy import insert, select

from kurultai.convene.agenda import previous_period, suggest
from kurultai.convene.significance import benjamini_hochberg, binom_cdf, binom_sf, compare
from kurultai.store.analytics import QueryError
from kurultai.ingest.run import ingest
from kurultai.store.schema import contributions, documents, sessions

from .agenda_corpus import NEW_PHRASE, Memo, plan, write
from .conftest import STORES, fresh_store


@pytest.fixture(scope="module", params=STORES)
def corpus(request, tmp_path_factory, extractor):
    """Planted changes in 2023 (first half against second), a control corpus without any in 2021,
    and a session held between the halves of 2023 with borders on its agenda."""
    registry = extractor.registry
    folder = tmp_path_factory.mktemp("agenda-corpus")
    planted = plan(registry, 2023, twins=16, seed=5, planted=True)
    control = plan(registry, 2021, twins=12, seed=9, planted=False)
    write(planted, registry, folder / "planted", seed=5)
    write(control, registry, folder / "control", seed=9)
    store = fresh_store(request.param, tmp_path_factory.mktemp("agenda-db"))
    report = ingest(store, [folder], Memo(extractor), dedup=False)
    assert report.new == len(planted) + len(control) and not report.failed
    with store.begin() as conn:
        sid = conn.execute(insert(sessions).values(
            title="Границы и соседство", starts_at="2023-06-25T15:00:00+05:00", timezone="Asia/Almaty",
            format="online", agenda=json.dumps([{"kind": "custom", "id": "borders", "label": {"ru": "Границы"}}]),
            created_at="2023-06-01T00:00:00+00:00")).inserted_primary_key[0]
        conn.execute(insert(contributions).values(
            session_id=sid, speaker="Эксперт", text="О делимитации границ.", created_at="2023-06-25T16:00:00+00:00",
            tags=json.dumps({"directions": [{"id": "borders", "start": 2, "end": 13}]})))
    yield {"store": store, "planted": planted, "control": control, "session": sid, "registry": registry}
    store.close()


def _docs(store, names: list[str]) -> set[int]:
    with store.connect() as conn:
        rows = conn.execute(select(documents.c.id, documents.c.source)).all()
    return {i for i, source in rows if any(source.endswith("/" + n) for n in names)}


def test_planted_changes_are_found_with_their_evidence(corpus):
    store, registry = corpus["store"], corpus["registry"]
    agenda = suggest(store, registry, "2023-07", "2023-12")
    assert agenda.previous == ("2023-01", "2023-06")
    kinds = {k: [i.id or i.phrase for i in agenda.of(k)] for k in ("rising", "multi_country", "quiet", "framework",
                                                                     "new_direction")}
    assert kinds["rising"] == ["water"]
    assert kinds["multi_country"] == ["water"]
    assert kinds["quiet"] == ["borders"]
    assert kinds["framework"] == ["sco"]
    assert kinds["new_direction"] == ["зеленый водород"]

    planted = corpus["planted"]
    rising = agenda.of("rising")[0]
    water_docs = _docs(store, [d.name for d in planted if "-h2-" in d.name and "water" in d.directions])
    assert rising.stats["now"] == len(water_docs) == 13 and rising.stats["before"] == 1
    assert rising.stats["q_value"] <= 0.05 and rising.stats["p_value"] < 0.001
    assert rising.evidence_total == 13 and len(rising.evidence) == 10
    assert {e["document_id"] for e in rising.evidence} <= water_docs
    assert all("2023-07" <= e["date"] <= "2023-12-31" for e in rising.evidence)
    assert "13" in rising.why["ru"] and "13" in rising.why["en"] and "p =" in rising.why["en"]
    assert rising.label == {"ru": "водные ресурсы", "en": "water resources"}

    new = agenda.of("new_direction")[0]
    hydrogen_docs = _docs(store, [d.name for d in planted if any(s in NEW_PHRASE for s in d.extra)])
    assert len(hydrogen_docs) == 6
    assert {e["document_id"] for e in new.evidence} == hydrogen_docs and new.evidence_total == 6
    assert new.label["ru"] == "зелёный водород" and new.id is None
    assert new.stats["documents_before"] == 0 and new.stats["origins"] == 6
    assert all("одород" in e["snippet"] for e in new.evidence)

    quiet = agenda.of("quiet")[0]
    assert quiet.stats["on_agenda"] and quiet.stats["contributions"] == 1 and quiet.stats["now"] == 0
    assert agenda.session["id"] == corpus["session"] and agenda.session["date"] == "2023-06-25"
    border_docs = _docs(store, [d.name for d in planted if "borders" in d.directions])
    assert {e["document_id"] for e in quiet.evidence} <= border_docs and quiet.evidence_total == len(border_docs) == 8
    assert "Границы и соседство" in quiet.why["ru"]

    multi = agenda.of("multi_country")[0]
    assert len(multi.stats["countries"]) >= 3 > len(multi.stats["countries_before"])

    json.dumps(agenda.to_dict(), ensure_ascii=False)  # the JSON twin serialises


def test_a_corpus_without_change_suggests_nothing(corpus):
    agenda = suggest(corpus["store"], corpus["registry"], "2021-07", "2021-12")
    assert agenda.events == agenda.events_before == 12
    assert agenda.session is None  # the only session is later
    assert agenda.items == [], [(i.kind, i.id or i.phrase, i.why["en"]) for i in agenda.items]


def test_a_phrase_of_one_organiser_is_no_new_direction(corpus):
    """'креативная экономика' recurs in four second-period reports, all by one institution."""
    agenda = suggest(corpus["store"], corpus["registry"], "2023-07", "2023-12")
    assert not any("креативн" in (i.phrase or "") for i in agenda.items)
    lone = suggest(corpus["store"], corpus["registry"], "2023-07", "2023-12", min_documents=2)
    assert not any("креативн" in (i.phrase or "") for i in lone.items)


def test_country_filter_keeps_events_of_those_countries(corpus):
    store, registry = corpus["store"], corpus["registry"]
    everything = suggest(store, registry, "2023-07", "2023-12")
    tm = suggest(store, registry, "2023-07", "2023-12", countries=["tm"])
    assert tm.countries == ["TM"] and 0 < tm.events < everything.events
    from kurultai.convene.agenda import load_events
    rows = {r.id: r for r in load_events(store, "2023-07", "2023-12", ["TM"])}
    for item in tm.items:
        assert all("TM" in rows[e["event_id"]].countries for e in item.evidence if e["event_id"] in rows)


def test_session_and_period_checks(corpus):
    store, registry = corpus["store"], corpus["registry"]
    with pytest.raises(QueryError, match="no session has id 999"):
        suggest(store, registry, "2023-07", "2023-12", since_session=999)
    with pytest.raises(QueryError, match="after the period's end"):
        suggest(store, registry, "2021-07", "2021-12", since_session=corpus["session"])
    with pytest.raises(QueryError, match="not a date"):
        suggest(store, registry, "2023-13", "2023-12")
    with pytest.raises(QueryError, match="after"):
        suggest(store, registry, "2023-12", "2023-07")
    empty = suggest(store, registry, "2030", "2030")
    assert empty.items == [] and empty.events == 0 and "no events" in empty.notes[0]["en"]
    first = suggest(store, registry, "2021-01", "2021-06")  # nothing before the corpus begins
    assert first.events > 0 and first.events_before == 0 and first.items == []
    assert any("previous period" in n["en"] for n in first.notes)


def test_previous_period_keeps_precision():
    assert previous_period("2024", "2024") == ("2023", "2023")
    assert previous_period("2022", "2024") == ("2019", "2021")
    assert previous_period("2024-01", "2024-03") == ("2023-10", "2023-12")
    assert previous_period("2024-03-01", "2024-03-10") == ("2024-02-20", "2024-02-29")
    assert previous_period("2024", "2024-06") == ("2023-07-03", "2023-12-31")


def _brute_sf(a, n, p):
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(a, n + 1))


def test_binomial_tails_match_the_sum_of_terms():
    for n in (1, 5, 17, 60):
        for p in (0.1, 0.5, 0.83):
            for a in range(0, n + 2):
                assert binom_sf(a, n, p) == pytest.approx(_brute_sf(a, n, p), rel=1e-9, abs=1e-300)
                assert binom_cdf(a, n, p) == pytest.approx(1 - _brute_sf(a + 1, n, p), rel=1e-9, abs=1e-12)
    assert binom_sf(400, 400, 0.5) == pytest.approx(0.5 ** 400)  # no underflow on the way
    c = compare(12, 0, 20, 20)
    assert c.p_value == pytest.approx(0.5 ** 12) and c.rate_ratio is None
    assert compare(0, 8, 20, 20, "down").p_value == pytest.approx(0.5 ** 8)
    assert compare(5, 5, 20, 20).p_value > 0.5


def test_benjamini_hochberg_step_up():
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    q = benjamini_hochberg(p)
    assert q == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.2])
    for i, j in combinations(range(len(p)), 2):  # monotone in p
        assert (p[i] <= p[j]) == (q[i] <= q[j]) or q[i] == q[j]
