"""Extraction scored against gold records with the contract's own scorer.

Our fixtures (tests/fixtures/extract) are documents we wrote with gold records; the seed and
the eight real reports come from ../shared when it sits beside the checkout (as in CI).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kurultai.read import read

from .conftest import FIXTURES, SHARED


def score_dir(extractor, scorer, gold_dir: Path, corpus: Path):
    results = {}
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = corpus / gold["source"]
        text = read(doc)
        record = json.loads(json.dumps(extractor.extract(text), ensure_ascii=False))
        lines, points, total = scorer.score_one(gold, record, doc.read_text(encoding="utf-8"))
        results[gold_path.stem] = (points, total, lines)
    return results


def report(results) -> str:
    return "\n".join(f"{name}: {p:.2f}/{t:.0f}" + "".join(f"\n    {l}" for l in lines if not l.startswith("ok"))
                     for name, (p, t, lines) in results.items())


def test_fixtures_average(extractor, scorer):
    results = score_dir(extractor, scorer, FIXTURES / "gold", FIXTURES)
    assert len(results) >= 15
    average = sum(p / t for p, t, _ in results.values()) / len(results)
    print(f"\nfixtures: average {average:.3f}\n" + report(results))
    assert average >= 0.90, report(results)


def test_every_mention_reproduces_its_text(extractor):
    for doc in sorted((FIXTURES / "docs").glob("*.txt")):
        text = read(doc)
        record = extractor.extract(text)
        spans = [m for o in record["organizations"] for m in o["mentions"]]
        spans += [m for p in record["persons"] for m in p["mentions"]]
        spans += [e for ev in record["events"] for e in ev["evidence"]]
        spans += [o for ev in record["events"] for o in ev["outcomes"]]
        assert spans, doc.name
        for m in spans:
            assert text.raw[m["start"]:m["end"]] == m["text"], (doc.name, m)


def test_seed(extractor, scorer):
    results = score_dir(extractor, scorer, SHARED / "corpus" / "gold", SHARED / "corpus")
    points, total, lines = results["round-table-2022-08-18"]
    assert points / total >= 1.0, report(results)


def score_pages(extractor, scorer, gold: str, label: str) -> tuple[float, str]:
    """The share of points of ../shared's pages with gold in corpus/GOLD, scored together."""
    results = score_dir(extractor, scorer, SHARED / "corpus" / gold, SHARED / "corpus")
    points = sum(p for p, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    print(f"\n{label}: {points:.2f}/{total:.0f}\n" + report(results))
    return points / total, report(results)


def test_real_reports(extractor, scorer):
    share, detail = score_pages(extractor, scorer, "real-gold", "real")
    assert share >= 0.95, detail


def test_uzbek_and_kazakh_pages(extractor, scorer):
    """The real Uzbek (Latin and Cyrillic) and Kazakh pages of ../shared."""
    share, detail = score_pages(extractor, scorer, "uzkk-gold", "uz/kk")
    assert share >= 0.87, detail  # 138.52/158 (87.7%) at the end of the latest session


def test_heldout_pages_written_without_the_rules(extractor, scorer):
    """Sixteen pages (ru, en, uz, kz) a helper composed with gold from CONVENTIONS alone, without
    reading the rules (tests/fixtures/heldout/README.md): 80.8% when they were written, 87.2% after
    the mechanisms they showed missing. Raise the floor as it rises; never lower it."""
    heldout = FIXTURES.parent / "heldout"
    results = score_dir(extractor, scorer, heldout / "gold", heldout)
    assert len(results) == 16
    second = FIXTURES.parent / "heldout2"  # twelve more, written later the same way: 80.1% before this session's work
    results.update(score_dir(extractor, scorer, second / "gold", second))
    # fourteen more (two-event pages among them): 63.5% as written, then used to find what was missing
    third = FIXTURES.parent / "heldout3"
    results.update(score_dir(extractor, scorer, third / "gold", third))
    # sixteen more cut at 2,000 bytes as real pages are stored: 75.1% as written, then used to find
    # what was missing (several events on one page above all)
    fifth = FIXTURES.parent / "heldout5"
    results.update(score_dir(extractor, scorer, fifth / "gold", fifth))
    # sixteen more of that shape on who organised, took part and spoke: 80.9% as written
    seventh = FIXTURES.parent / "heldout7"
    results.update(score_dir(extractor, scorer, seventh / "gold", seventh))
    # batch 6 (real-shaped): 64.5% as written, kept unopened a session (72.7%), then opened;
    # batch 8 (who, several events): 70.5% as written; batch 10 (pages of several events of one
    # kind, a minister's day, digests): 65.7% as written. All three then used to find what was missing
    for n in (6, 8, 10):
        batch = FIXTURES.parent / f"heldout{n}"
        results.update(score_dir(extractor, scorer, batch / "gold", batch))
    assert len(results) == 122
    points = sum(p for p, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    print(f"\nheld-out: {points:.2f}/{total:.0f}\n" + report(results))
    assert points / total >= 0.90, report(results)  # 2150.80/2372 (90.7%) at the end of the latest session


def test_the_twelfth_heldout_batch_of_real_page_shapes(extractor, scorer):
    """Sixteen pages in the shapes real pages have and earlier batches lacked: one long paragraph
    telling two or three events, datelines written date first, news lists, undated earlier events,
    outcomes in nouns and passives (tests/fixtures/heldout12/README.md): 65.2% with the code they were
    written against, then opened to find what was missing. Its own floor: never lower it."""
    batch = FIXTURES.parent / "heldout12"
    results = score_dir(extractor, scorer, batch / "gold", batch)
    assert len(results) == 16
    points = sum(p for p, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    print(f"\nheld-out 12: {points:.2f}/{total:.0f}\n" + report(results))
    assert points / total >= 0.88, report(results)  # 338.54/383 (88.4%) three sessions after the one that got it


def _untouched_total(extractor, scorer, batch, pages: int) -> tuple[float, float]:
    """An untouched batch's total only: its pages are never printed one by one."""
    results = score_dir(extractor, scorer, batch / "gold", batch)
    assert len(results) == pages
    return sum(p for p, _, _ in results.values()), sum(t for _, t, _ in results.values())


def test_the_fourth_heldout_batch_is_the_untouched_measure(extractor, scorer):
    """Fourteen pages written like the others and never opened by whoever changes the rules
    (tests/fixtures/heldout4/README.md): 71.4% with the code they were written against, 75.5%
    after the session that wrote them, 82.5% two sessions later, 83.2% three sessions later, 84.0% four sessions later, 84.5% five sessions later. Its floor
    guards against falling back, not a target."""
    fourth = FIXTURES.parent / "heldout4"
    points, total = _untouched_total(extractor, scorer, fourth, 14)
    assert points / total >= 0.84, f"held-out 4: {points:.2f}/{total:.0f}"  # 246.62/292 (84.5%)


def test_the_ninth_heldout_batch_is_an_untouched_measure_of_outcomes_and_references(extractor, scorer):
    """Sixteen real-shaped pages on what was agreed and which earlier events were recalled, never
    opened by whoever changes the rules (tests/fixtures/heldout9/README.md): 82.2% with the code
    they were written against, 83.5% after the session that wrote them, 84.2% a session later, 85.4% two sessions later, 86.3% three sessions later. A floor
    against falling back."""
    points, total = _untouched_total(extractor, scorer, FIXTURES.parent / "heldout9", 16)
    assert points / total >= 0.86, f"held-out 9: {points:.2f}/{total:.0f}"  # 227.72/264 (86.3%)


def test_the_eleventh_heldout_batch_is_an_untouched_measure_of_ordinary_pages(extractor, scorer):
    """Sixteen ordinary institute and ministry pages, never opened by whoever changes the rules
    (tests/fixtures/heldout11/README.md): 88.5% with the code they were written against, 90.9% after
    the session that wrote them, 92.4% a session later, 93.2% two sessions later. A floor against falling back."""
    points, total = _untouched_total(extractor, scorer, FIXTURES.parent / "heldout11", 16)
    assert points / total >= 0.93, f"held-out 11: {points:.2f}/{total:.0f}"  # 223.72/240 (93.2%)


def _opened_batch(extractor, scorer, n: int) -> tuple[float, float, str]:
    batch = FIXTURES.parent / f"heldout{n}"
    results = score_dir(extractor, scorer, batch / "gold", batch)
    assert len(results) == 16
    points = sum(p for p, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    print(f"\nheld-out {n}: {points:.2f}/{total:.0f}\n" + report(results))
    return points, total, report(results)


def test_the_thirteenth_heldout_batch_of_real_page_shapes(extractor, scorer):
    """Sixteen pages of batch 12's shapes by another helper (tests/fixtures/heldout13/README.md):
    67.9% with the code they were written against, 77.8% unopened a session later, then opened to find
    what was missing (clauses of one sentence, news lists, delegations, earlier meetings)."""
    points, total, detail = _opened_batch(extractor, scorer, 13)
    assert points / total >= 0.89, detail  # 329.08/368 (89.4%) a session after the one that opened it


def test_the_fourteenth_heldout_batch_of_real_page_shapes(extractor, scorer):
    """Sixteen more real-shaped pages, with plans, opinions and background that are no outcomes or
    references, and several events a page (tests/fixtures/heldout14/README.md): 76.1% with the code
    they were written against, then opened in the same session."""
    points, total, detail = _opened_batch(extractor, scorer, 14)
    assert points / total >= 0.81, detail  # 302.73/367 (82.5%) two sessions after the one that wrote it


def test_the_fifteenth_heldout_batch_of_several_events_of_one_kind(extractor, scorer):
    """Sixteen real-shaped pages, most Russian and English, many telling two or three events of one
    kind (tests/fixtures/heldout15/README.md): 70.7% with the code they were written against, 76.8%
    unopened a session later, then opened to find what was missing."""
    points, total, detail = _opened_batch(extractor, scorer, 15)
    assert points / total >= 0.84, detail  # 328.95/391 (84.1%) at the end of the session that opened it


def test_the_sixteenth_heldout_batch_of_references_and_outcomes(extractor, scorer):
    """Sixteen real-shaped pages weighted towards earlier events in many forms and outcomes beside
    plans (tests/fixtures/heldout16/README.md): 75.0% with the code they were written against, 75.7%
    unopened after the session that wrote them, then opened to find what was missing."""
    points, total, detail = _opened_batch(extractor, scorer, 16)
    assert points / total >= 0.84, detail  # 331.25/390 (84.9%) at the end of the session that opened it


def test_the_seventeenth_heldout_batch_is_an_untouched_measure_of_ordinary_pages(extractor, scorer):
    """Sixteen ordinary pages stressing directions, types and frameworks as pages word them, never
    opened by whoever changes the rules (tests/fixtures/heldout17/README.md): 76.3% with the code they
    were written against, 77.2% after the session that wrote them. A floor against falling back."""
    points, total = _untouched_total(extractor, scorer, FIXTURES.parent / "heldout17", 16)
    assert points / total >= 0.77, f"held-out 17: {points:.2f}/{total:.0f}"  # 248.44/322 (77.2%)
