"""Entity resolution measured on the sample corpus against samples/entities.json.

    python -m bench.resolution [--thresholds 80,85,90,92,95,100]

Each gold mention (document, surface form) is looked up among the stored mentions of that
document; pairs of found mentions are then compared: precision = of the pairs kurultai put in
one entity, the share the gold also puts together; recall = of the pairs the gold puts
together, the share kurultai does. Extraction runs once; resolution is replayed per threshold.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def extract_all(extractor):
    from kurultai.read import read
    out = []
    for path in sorted((SAMPLES / "reports").iterdir()):
        text = read(path)
        record, keys = extractor.extract_with_keys(text)
        record["document"]["sha256"] = __import__("hashlib").sha256(path.read_bytes()).hexdigest()
        out.append((path, text, record, " ".join(k for k in keys if k)))
    return out


def build(records, registry, threshold: int, folder: Path):
    from kurultai.store import Store
    from kurultai.store.documents import write_record
    from kurultai.store.schema import originals
    from kurultai.store.resolve import Index
    store = Store.open(str(folder / f"t{threshold}.db"))
    index = Index()
    for path, text, record, lemmas in records:
        with store.begin() as conn:
            conn.execute(originals.insert().values(sha256=record["document"]["sha256"], data=path.read_bytes()))
            write_record(conn, store.dialect, record, text, lemmas, registry, threshold=threshold, index=index)
    return store


def pairs_score(assign: list[tuple[str, int]]) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in itertools.combinations(assign, 2):
        if p1 == p2 and g1 == g2:
            tp += 1
        elif p1 == p2:
            fp += 1
        elif g1 == g2:
            fn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, tp + fp, tp + fn


def evaluate(store, gold) -> dict:
    from kurultai.store.names import norm
    from kurultai.store.schema import documents, entities, mentions
    with store.connect() as conn:
        docs = {Path(s).name: i for i, s in conn.execute(select(documents.c.id, documents.c.source)).all()}
        stored: dict[tuple[int, str], Counter] = {}
        kinds = dict(conn.execute(select(entities.c.id, entities.c.kind)).all())
        for m in conn.execute(select(mentions.c.document_id, mentions.c.text, mentions.c.entity_id)).all():
            stored.setdefault((m.document_id, norm(m.text)), Counter())[m.entity_id] += 1
    out = {}
    for kind, key in (("institutions", "org"), ("persons", "person")):
        assign, total = [], 0
        for ent in gold[kind]:
            for m in ent["mentions"]:
                total += 1
                hit = stored.get((docs.get(m["doc"]), norm(m["text"])))
                hit = Counter({e: c for e, c in (hit or {}).items() if kinds.get(e) == key})
                if hit:
                    assign.append((ent["id"], hit.most_common(1)[0][0]))
        p, r, npred, ngold = pairs_score(assign)
        out[kind] = {"found": len(assign), "gold_mentions": total, "precision": p, "recall": r,
                     "pred_pairs": npred, "gold_pairs": ngold}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--thresholds", default="80,85,90,92,95,100")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ns = ap.parse_args(argv)
    from kurultai.pipeline import Extractor
    gold = json.loads((SAMPLES / "entities.json").read_text(encoding="utf-8"))
    ex = Extractor()
    records = extract_all(ex)
    lines = ["| fuzzy threshold | institutions P | R | found/gold mentions | persons P | R | found/gold mentions |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for t in [int(x) for x in ns.thresholds.split(",")]:
            res = evaluate(build(records, ex.registry, t, Path(tmp)), gold)
            i, p = res["institutions"], res["persons"]
            lines.append(f"| {t} | {i['precision']:.3f} | {i['recall']:.3f} | {i['found']}/{i['gold_mentions']} | "
                         f"{p['precision']:.3f} | {p['recall']:.3f} | {p['found']}/{p['gold_mentions']} |")
    text = "\n".join(["", "## Entity resolution on samples/ (pairs of gold mentions)", "",
                      "Gold: samples/entities.json. Precision: of the mention pairs kurultai puts in one entity, the "
                      "share the gold puts together; recall: the converse. The threshold is the institutions' fuzzy "
                      "name ratio (85 in use).", ""] + lines + [""])
    replace_section(Path(ns.out), "## Entity resolution", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
