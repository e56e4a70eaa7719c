#!/usr/bin/env python3
"""Train the organisation/person CRF of kurultai/nlp/tagger.py on NEREL's train split.

    python scripts/train_tagger.py [TRAIN_DIR] [--dev DEV_DIR] [--out DIR] [--iterations N]

TRAIN_DIR defaults to ../shared/eval/nerel/train (brat standoff: N.txt and N.ann). Writes
tagger-outer.crfsuite and tagger-inner.crfsuite to kurultai/nlp/data (or --out). With --dev, prints
the tagger's exact-span precision/recall/F1 on that split beside natasha's. Only the weights are
kept: no text of the corpus goes into them beyond the word features CRFsuite stores.

NEREL nests entities; the outer layer learns the outermost ORGANIZATION/PERSON spans, the inner
layer the innermost ones (most nests are two deep: «МВД» in «МВД Киргизии»).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from razdel import tokenize  # noqa: E402

from kurultai.nlp.analyse import Token, _sentences  # noqa: E402
from kurultai.nlp.morph import Morph  # noqa: E402
from kurultai.nlp.tagger import DATA, Features, natasha_tags  # noqa: E402

GOLD = {"ORGANIZATION": "ORG", "PERSON": "PER"}


def load_gold(ann: Path) -> list[tuple[int, int, str]]:
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, mid, _ = line.split("\t", 2)
        if ";" in mid:
            continue
        typ, s, e = mid.split()
        if typ in GOLD:
            out.append((int(s), int(e), GOLD[typ]))
    return out


def layer(spans, outer: bool):
    """Outermost (or innermost) spans; of crossing ones the longer wins."""
    def inside(a, b):
        return b[0] <= a[0] and a[1] <= b[1] and a != b
    if outer:
        keep = [s for s in spans if not any(inside(s, o) for o in spans)]
    else:
        keep = [s for s in spans if not any(inside(o, s) for o in spans)]
    keep.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    chosen = []
    for s in keep:
        if not any(s[0] < c[1] and c[0] < s[1] for c in chosen):
            chosen.append(s)
    return sorted(chosen)


def labels(tokens, sent, spans):
    out = ["O"] * (sent.last - sent.first)
    for s, e, typ in spans:
        idx = [i for i in range(sent.first, sent.last) if tokens[i].start >= s and tokens[i].stop <= e]
        for k, i in enumerate(idx):
            out[i - sent.first] = ("B-" if k == 0 else "I-") + typ
    return out


def read(root: Path, ner, feats: Features):
    """Per document: its sentences as (features, outer labels, inner labels, tokens), and gold."""
    for ann in sorted(root.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        tokens = [Token(t.start, t.stop, t.text, "") for t in tokenize(text)]
        nat = ner(text).spans
        tags = natasha_tags(tokens, nat)
        gold = load_gold(ann)
        outer, inner = layer(gold, True), layer(gold, False)
        sents = []
        for sent in _sentences(text, tokens):
            if sent.last <= sent.first:
                continue
            words = [t.text for t in tokens[sent.first:sent.last]]
            x = feats.sentence(words, tags[sent.first:sent.last])
            sents.append((x, labels(tokens, sent, outer), labels(tokens, sent, inner), sent))
        yield tokens, sents, gold, nat


def trainers(root: Path, ner, feats: Features, iterations: int, c1: float, c2: float):
    """The outer and inner layers' trainers, fed document by document (features are not kept)."""
    import pycrfsuite

    out = [pycrfsuite.Trainer(verbose=False), pycrfsuite.Trainer(verbose=False)]
    for t in out:
        t.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                      "feature.possible_transitions": True, "feature.minfreq": 2})
    for _, sents, _, _ in read(root, ner, feats):
        for s in sents:
            out[0].append(s[0], s[1])
            out[1].append(s[0], s[2])
    return out


def evaluate(docs, models, morph):
    """Exact-span P/R/F1 of the tagger as the analyser runs it (both layers and their mends)."""
    from kurultai.nlp.tagger import Tagger

    tagger = Tagger(morph, dict(zip(("outer", "inner"), models)))
    res = {k: [0, 0, 0, 0, 0] for k in ("ORG", "PER")}  # tp, pred, gold, natasha tp, natasha pred
    for tokens, sents, gold, nat in docs:
        tags = natasha_tags(tokens, nat)
        pred = set()
        for _, _, _, sent in sents:
            words = [t.text for t in tokens[sent.first:sent.last]]
            for f, l, typ in tagger.tag(words, tags[sent.first:sent.last]):
                pred.add((tokens[sent.first + f].start, tokens[sent.first + l - 1].stop, typ))
        gold = set(gold)
        natset = {(s.start, s.stop, s.type) for s in nat}
        for k, r in res.items():
            g = {x for x in gold if x[2] == k}
            p = {x for x in pred if x[2] == k}
            n = {x for x in natset if x[2] == k}
            r[0] += len(g & p); r[1] += len(p); r[2] += len(g); r[3] += len(g & n); r[4] += len(n)
    for k, (tp, npred, ngold, ntp, nnpred) in res.items():
        p, r = tp / max(npred, 1), tp / max(ngold, 1)
        np_, nr = ntp / max(nnpred, 1), ntp / max(ngold, 1)
        print(f"{k}: tagger P{p:.3f} R{r:.3f} F{2 * p * r / max(p + r, 1e-9):.3f}   "
              f"natasha P{np_:.3f} R{nr:.3f} F{2 * np_ * nr / max(np_ + nr, 1e-9):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", nargs="?", default=str(ROOT.parent / "shared/eval/nerel/train"))
    ap.add_argument("--dev")
    ap.add_argument("--out", default=str(DATA))
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--c1", type=float, default=0.2)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--eval-only", action="store_true")
    args = ap.parse_args()

    from natasha import NewsEmbedding, NewsNERTagger

    ner = NewsNERTagger(NewsEmbedding())
    morph = Morph()
    feats = Features(morph)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    models = [out / "tagger-outer.crfsuite", out / "tagger-inner.crfsuite"]
    t0 = time.perf_counter()
    if not args.eval_only:
        both = trainers(Path(args.train), ner, feats, args.iterations, args.c1, args.c2)
        print(f"read the train split in {time.perf_counter() - t0:.0f}s", flush=True)
        for trainer, path in zip(both, models):
            t1 = time.perf_counter()
            trainer.train(str(path))
            print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t1:.0f}s", flush=True)
        del both
    if args.dev:
        evaluate(list(read(Path(args.dev), ner, feats)), models, morph)
    print(f"total {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
