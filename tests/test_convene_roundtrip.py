"""Round trip: what a published release says, `kurultai extract` must find again.

Varied sessions are generated (tests/convene_sessions.py: types, formats, organisers and
participants from the registry, two to four speakers, threats, frameworks, outcomes of each kind),
their releases written, extracted, and scored against the session's own record
(publish.session_record) with the contract's scorer."""
from __future__ import annotations

import random

import pytest

from kurultai.convene import publish, sessions
from kurultai.convene.tagging import Tagger
from kurultai.read import Text
from kurultai.i18n import Labels

from .convene_sessions import make_session


@pytest.mark.parametrize("lang,count,seed,publish_in", [("ru", 20, 11, "ru"), ("en", 8, 12, "en"), ("ru", 8, 13, "en")])
def test_release_round_trip(extractor, scorer, tmp_path, lang, count, seed, publish_in):
    """Sessions recorded in `lang`, their release in `publish_in` (a Russian session's English
    release uses the translations typed for its title and outcomes, names transliterated)."""
    from kurultai.store import Store
    store = Store.open(str(tmp_path / "k.db"))
    registry, tagger, labels = extractor.registry, Tagger(extractor), Labels.load(extractor.registry)
    rng = random.Random(seed)
    points = total = 0.0
    worst = []
    kinds = set()
    for n in range(count):
        sid = make_session(store, registry, tagger, rng, n, lang)
        s = sessions.get_session(store, sid, registry)
        kinds |= {s["type"], s["format"]} | {o["kind"] for o in s["outcomes"]}
        rel = publish.release(s, registry, labels, publish_in, store)
        gold = publish.session_record(s, registry, store, tagger, publish_in)
        pred = extractor.extract(Text(rel.text, f"session-{sid}.txt", {}))
        lines, p, t = scorer.score_one(gold, pred, rel.text)
        points, total = points + p, total + t
        worst.append((p / t, sid, [ln for ln in lines if not ln.startswith("ok")]))
    worst.sort()
    assert points / total >= 0.95, (points / total, worst[:3])
    assert worst[0][0] >= 0.85, worst[0]
    # the sessions really were varied
    assert {"online", "offline", "hybrid"} <= kinds and len(kinds & {"round_table", "conference", "seminar", "forum"}) >= 3


def test_release_html_escapes_and_names_the_session(extractor, tmp_path):
    from kurultai.store import Store
    store = Store.open(str(tmp_path / "k.db"))
    registry = extractor.registry
    sid = sessions.create_session(store, registry, title='<script>alert("x")</script> Вода и энергия',
                                  starts="2025-12-10 15:00", tz="Asia/Almaty", format="online",
                                  link="https://meet.example.org/x", organizer="ИМЭП")
    sessions.add_contribution(store, registry, sid, speaker="Асель <b>Назарова</b>", institution="ИСМИ",
                              text="Приоритетами остаются водные ресурсы и энергетика.", tagger=Tagger(extractor))
    s = sessions.get_session(store, sid, registry)
    rel = publish.release(s, registry, Labels.load(registry), "ru", store)
    assert "<script>" not in rel.html and "&lt;script&gt;" in rel.html and "<b>" not in rel.html
    assert "10 декабря 2025 года" in rel.text and "онлайн" in rel.text
    assert "Институт мировой экономики и политики" in rel.text and "(ИМЭП)" in rel.text
    en = publish.release(s, registry, Labels.load(registry), "en", store)
    assert "On 10 December 2025" in en.text and "Institute of World Economy and Politics" in en.text \
        or "Institute of World Economics and Politics" in en.text
