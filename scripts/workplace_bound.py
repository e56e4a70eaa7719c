#!/usr/bin/env python3
"""How far WORKPLACE F1 on NEREL can go with the record kurultai writes: an upper bound.

    python scripts/workplace_bound.py [NEREL_DIR] [--kurultai EXE]    (default ../shared/eval/nerel/dev)

NEREL's scorer pairs every mention of a person with every mention of the person's one affiliation
and counts a pair right when it overlaps a gold WORKPLACE relation, which NEREL writes between two
mentions, usually in one sentence. A person named five times at an institution named four times
gives twenty pairs for one or two gold relations, so precision is capped by the mention counts, not
by the choice of institution. This script keeps kurultai's own persons and organisations and lets
an oracle choose each person's affiliation (the organisation whose pairs hit the most gold
relations, or none when fewer than a share of its pairs hit), and prints the best F1 so reachable
beside kurultai's own.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nerel_dir", nargs="?", default=str(ROOT.parent / "shared/eval/nerel/dev"))
    ap.add_argument("--kurultai", default=str(ROOT / ".venv/bin/kurultai"))
    args = ap.parse_args(argv)
    root = Path(args.nerel_dir)
    if not (root.parent / "score.py").exists():
        sys.exit(f"{root}: no NEREL scorer beside it ({root.parent / 'score.py'})")
    sys.path.insert(0, str(root.parent))
    from score import load_gold, overlaps  # the official scorer's reading of gold and of a match

    docs = {a.stem: load_gold(a) for a in sorted(root.glob("*.ann"))}
    files = [str(root / f"{n}.txt") for n in docs]
    out = subprocess.run([args.kurultai, "extract", *files, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    records = {Path(r["document"]["source"]).stem: r
               for r in map(json.loads, (x for x in out.splitlines() if x.startswith("{")))}

    def hits(pairs, gold):
        tp = sum(1 for p in pairs if any(overlaps(g[0], p[0]) and overlaps(g[1], p[1]) for g in gold))
        covered = {i for i, g in enumerate(gold) if any(overlaps(g[0], p[0]) and overlaps(g[1], p[1]) for p in pairs)}
        return tp, covered

    own = [0, 0, set()]  # predicted pairs, right pairs, gold relations found
    options, n_gold = [], 0
    for name, (ents, rels) in docs.items():
        gold = [(ents[a][1:], ents[b][1:]) for t, a, b in rels if t == "WORKPLACE" and a in ents and b in ents
                and ents[a][0] == "PERSON" and ents[b][0] == "ORGANIZATION"]
        rec = records.get(name, {})
        orgs = {o["id"]: o for o in rec.get("organizations", [])}
        for person in rec.get("persons", []):
            mentions = [(m["start"], m["end"]) for m in person["mentions"]]
            choices = []
            for org in orgs.values():
                pairs = [(m, (om["start"], om["end"])) for m in mentions for om in org["mentions"]]
                tp, covered = hits(pairs, gold)
                if org["id"] == person.get("affiliation"):
                    own[0] += len(pairs)
                    own[1] += tp
                    own[2] |= {(name, i) for i in covered}
                if tp:
                    choices.append((len(pairs), tp, {(name, i) for i in covered}))
            if choices:
                options.append(max(choices, key=lambda c: (len(c[2]), c[1] / c[0])))
        n_gold += len(gold)

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    p, r = (own[1] / own[0] if own[0] else 0.0), len(own[2]) / n_gold
    print(f"NEREL {root.name}: {len(docs)} documents, {n_gold} gold WORKPLACE relations")
    print(f"kurultai's affiliations        P{p:.3f} R{r:.3f} F{f1(p, r):.3f}")
    for share in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        kept = [c for c in options if c[1] / c[0] >= share]
        n_pairs, tp = sum(c[0] for c in kept), sum(c[1] for c in kept)
        found = set().union(*(c[2] for c in kept)) if kept else set()
        p, r = (tp / n_pairs if n_pairs else 0.0), len(found) / n_gold
        print(f"oracle, pairs right >= {share:.1f}    P{p:.3f} R{r:.3f} F{f1(p, r):.3f}  ({len(kept)} persons)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
