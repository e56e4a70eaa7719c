"""A contribution as its session's page shows it: its tags as chips, each tag's evidence marked in
the text (a chip links to its evidence's anchor, which CSS lights up without JavaScript), and the
sentences that read like outcomes with the words they propose for the release."""
from __future__ import annotations

import re

from ..knowledge.phrases import token_key

TAG_FIELDS = ("directions", "threats", "frameworks")


def segments(text: str, marks: list[tuple[int, int, str]]) -> list[dict]:
    """The text cut at every mark's boundary: each piece with the keys of the marks covering it, and
    `anchor` set to the key whose first piece it is (the target of that tag's evidence link)."""
    n = len(text)
    marks = [(max(0, s), min(n, e), k) for s, e, k in marks if s is not None and e is not None and s < e and s < n]
    bounds = sorted({0, n, *(x for s, e, _ in marks for x in (s, e))})
    out, anchored = [], set()
    for a, b in zip(bounds, bounds[1:]):
        keys = [k for s, e, k in marks if s <= a and b <= e]
        anchor = [k for k in keys if k not in anchored]
        anchored.update(anchor)
        out.append({"text": text[a:b], "keys": keys, "anchors": anchor})
    return out


WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def outcome_text(sentence: str, kind: str | None, registry) -> str:
    """What a sentence that reads like an outcome says was agreed, recommended...: the words after
    its outcome cue ('Участники договорились [проводить встречи ежеквартально]'), matched as the
    extractor matches cues (cues.yaml), so that it completes the release's 'the participants agreed
    …'; the sentence itself where no cue leaves at least two words after it."""
    tokens = list(WORD.finditer(sentence))
    keys = [token_key(t.group(), registry.morph.key) for t in tokens]
    found = registry.cue_index("outcomes").find(keys)
    for m in sorted([m for m in found if kind in m.values] or found, key=lambda m: m.first):
        rest = sentence[tokens[m.last - 1].end():].strip(" ,:;—–-").rstrip(" .!;")
        rest = re.sub(r"^(?:to|that)\s+", "", rest)
        if len(rest.split()) >= 2:
            return rest
    return sentence.strip().rstrip(".")


def _anchor(cid: int, key: str) -> str:
    return f"c{cid}-" + re.sub(r"[^\w-]", "-", key.replace(":", "-"))


def contribution_view(c: dict, labels, registry, lang: str) -> dict:
    """The contribution `c` (as get_session gives it) with `chips` (one per tag: its label, its
    evidence's anchor or None), `pieces` (the text cut at the tags' evidence, each piece with the
    CSS classes and anchors of the tags covering it), `suggested_outcomes` (with `prefill`: the
    words to mark as the outcome) and `chosen` (the tag ids per field, for the correction form)."""
    chips, marks = [], []
    for field in TAG_FIELDS:
        for t in c["tags"].get(field, []):
            key = f"{field}:{t['id']}"
            has = t.get("start") is not None and t.get("end") is not None
            if has:
                marks.append((t["start"], t["end"], key))
            chips.append({"field": field, "id": t["id"], "key": key, "label": labels.label(field, t["id"], lang),
                          "anchor": _anchor(c["id"], key) if has else None, "evidence": t.get("text")})
    outcomes = []
    for k, o in enumerate(c["tags"].get("outcomes", [])):
        key = f"outcomes:{k}"
        marks.append((o.get("start"), o.get("end"), key))
        outcomes.append({**o, "key": key, "anchor": _anchor(c["id"], key),
                         "prefill": outcome_text(o.get("text") or "", o.get("kind"), registry)})
    pieces = segments(c["text"], marks)
    for p in pieces:
        p["classes"] = " ".join(sorted({"t-" + k.split(":")[0] for k in p["keys"]}))
        p["ids"] = [_anchor(c["id"], k) for k in p["anchors"]]
    chosen = {f: {t["id"] for t in c["tags"].get(f, [])} for f in TAG_FIELDS}
    return {**c, "chips": chips, "pieces": pieces, "suggested_outcomes": outcomes, "chosen": chosen}
