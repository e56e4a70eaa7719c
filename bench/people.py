"""Person (and institution) resolution measured on labelled pairs of mentions.

    python -m bench.people [--errors] [--people FILE] [--institutions FILE]

samples/resolution/people.yaml and institutions.yaml hold pairs of mentions as extraction output
gives them ("name | affiliation | language"; "name | country | language"), each labelled one
entity (same) or two (different). Each pair is written as two documents through the store's own
writer (ingest.write_record, hence resolve.Resolver) into a real SQLite store, inside a
transaction rolled back afterwards, so that every pair meets an empty store and no other pair.
Precision: of the pairs kurultai merges, the share labelled same; recall: of the pairs labelled
same, the share kurultai merges.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "samples" / "resolution"


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    context: str | None  # a person's affiliation (a registry id or a name), an institution's country
    lang: str

    @classmethod
    def parse(cls, value: str, where: str) -> "Mention":
        parts = [p.strip() for p in value.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise ValueError(f"{where}: expected 'name | affiliation or country or - | language', got {value!r}")
        return cls(parts[0], None if parts[1] == "-" else parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class Pair:
    same: bool
    a: Mention
    b: Mention
    tag: str


@dataclass(frozen=True, slots=True)
class Verdict:
    pair: Pair
    merged: bool


def load_pairs(path: Path) -> list[Pair]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, row in enumerate(data.get("pairs") or (), 1):
        where = f"{path}: pair {i}"
        if not isinstance(row, list) or len(row) != 4 or row[0] not in ("same", "different"):
            raise ValueError(f"{where}: expected [same|different, mention, mention, tag], got {row!r}")
        out.append(Pair(row[0] == "same", Mention.parse(row[1], where), Mention.parse(row[2], where), row[3]))
    return out


def _record(n: int, m: Mention, kind: str, registry) -> dict:
    """One document's extraction record naming the mention (and, for a person, its affiliation)."""
    text = m.name
    orgs, persons = [], []
    if kind == "org":
        orgs.append({"id": "o1", "name": m.name, "country": m.context,
                     "mentions": [{"start": 0, "end": len(m.name), "text": m.name}]})
    else:
        if m.context:
            inst = registry.institutions.get(m.context)
            name = inst.label(m.lang) if inst else m.context
            org = {"id": "o1", "name": name, "mentions": [{"start": len(text) + 2, "end": len(text) + 2 + len(name),
                                                            "text": name}]}
            if inst:
                org.update(registry_id=inst.id, country=inst.country)
            orgs.append(org)
            text += ", " + name
        persons.append({"id": "p1", "name": m.name, "affiliation": "o1" if m.context else None,
                        "mentions": [{"start": 0, "end": len(m.name), "text": m.name}]})
    record = {"document": {"sha256": f"pair-{n}", "source": f"pair-{n}.txt", "language": m.lang},
              "organizations": orgs, "persons": persons, "events": []}
    return record, text


def replay(store, pairs: list[Pair], kind: str, registry) -> list[Verdict]:
    """Each pair through the store's writer, in a transaction of its own that is rolled back."""
    from kurultai.read import Text
    from kurultai.store.documents import write_record
    from kurultai.store.resolve import Index
    from kurultai.store.schema import mentions, originals
    out = []
    for pair in pairs:
        with store.connect() as conn:
            tx = conn.begin()
            try:
                index = Index()
                for n, m in enumerate((pair.a, pair.b)):
                    record, text = _record(n, m, kind, registry)
                    conn.execute(originals.insert().values(sha256=record["document"]["sha256"], data=text.encode()))
                    write_record(conn, store.dialect, record, Text(text, record["document"]["source"], {}), "",
                                 registry, index=index)
                local = "o1" if kind == "org" else "p1"
                ids = set(conn.execute(select(mentions.c.entity_id).where(mentions.c.local_id == local)).scalars())
            finally:
                tx.rollback()
        out.append(Verdict(pair, len(ids) == 1))
    return out


def scores(verdicts: list[Verdict]) -> dict:
    tp = sum(v.pair.same and v.merged for v in verdicts)
    fp = sum(not v.pair.same and v.merged for v in verdicts)
    fn = sum(v.pair.same and not v.merged for v in verdicts)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs": len(verdicts), "same": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": p, "recall": r, "f1": f1}


def measure(people: Path = SETS / "people.yaml", institutions: Path = SETS / "institutions.yaml",
            registry=None, folder: Path | None = None) -> dict[str, list[Verdict]]:
    """Verdicts per set ("people", "institutions"), from one SQLite store in `folder`."""
    from kurultai.knowledge.registry import Registry
    from kurultai.store import Store
    registry = registry or Registry.load()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(folder or tmp) / "pairs.db"))
        try:
            return {"people": replay(store, load_pairs(people), "person", registry),
                    "institutions": replay(store, load_pairs(institutions), "org", registry)}
        finally:
            store.engine.dispose()


def _table(results: dict[str, list[Verdict]]) -> list[str]:
    lines = ["| set | pairs (same) | precision | recall | F1 | false merges | missed |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, verdicts in results.items():
        s = scores(verdicts)
        lines.append(f"| {name} | {s['pairs']} ({s['same']}) | {s['precision']:.3f} | {s['recall']:.3f} | "
                     f"{s['f1']:.3f} | {s['fp']} | {s['fn']} |")
    lines += ["", "| set: what the pairs test | right / pairs |", "|---|---:|"]
    for name, verdicts in results.items():
        right, total = Counter(), Counter()
        for v in verdicts:
            total[v.pair.tag] += 1
            right[v.pair.tag] += v.merged == v.pair.same
        lines += [f"| {name}: {tag} | {right[tag]} / {total[tag]} |" for tag in total]
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=Path, default=SETS / "people.yaml")
    ap.add_argument("--institutions", type=Path, default=SETS / "institutions.yaml")
    ap.add_argument("--errors", action="store_true", help="list the pairs judged wrongly")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="results file ('-': none)")
    ns = ap.parse_args(argv)
    try:
        results = measure(ns.people, ns.institutions)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = "\n".join(["", "## Person and institution resolution on labelled pairs", "",
                      "Pairs: samples/resolution/people.yaml and institutions.yaml (`python -m bench.people`). "
                      "Precision: of the pairs kurultai merges, the share labelled one entity; recall: the converse.",
                      ""] + _table(results) + [""])
    if ns.out != "-":
        replace_section(Path(ns.out), "## Person and institution resolution", text)
    print(text)
    if ns.errors:
        for name, verdicts in results.items():
            for v in verdicts:
                if v.merged != v.pair.same:
                    word = "false merge" if v.merged else "missed"
                    print(f"{name} {word} [{v.pair.tag}]: {v.pair.a.name} ({v.pair.a.context}, {v.pair.a.lang})"
                          f" ~ {v.pair.b.name} ({v.pair.b.context}, {v.pair.b.lang})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
