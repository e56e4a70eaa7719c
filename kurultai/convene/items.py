"""What the agenda suggestion and its new-direction finder share: the item they both make, the
texts (agenda.yaml) their sentences are written in, and how those sentences show a
p-value and a period."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load((resources.files(__package__) / "agenda.yaml").read_text(encoding="utf-8"))


@dataclass
class AgendaItem:
    kind: str  # one of KINDS
    id: str | None  # a direction or framework id of the vocabulary; None for a new direction
    label: dict  # {"ru": ..., "en": ...}
    why: dict  # one sentence per language stating the evidence
    stats: dict
    evidence: list[dict]  # {document_id, event_id, title, date}, at most `evidence_limit`
    evidence_total: int
    phrase: str | None = None  # a new direction's lemmatised phrase
    strength: float = 0.0  # -log10 p (for multi_country: the number of countries); orders items within a kind

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "phrase": self.phrase, "label": self.label, "why": self.why,
                "stats": self.stats, "evidence": self.evidence, "evidence_total": self.evidence_total,
                "strength": round(self.strength, 3)}


def fmt_p(p: float) -> str:
    if p >= 0.001:
        return f"{p:.3f}"
    return f"{p:.1e}"


def span(window: tuple[str, str]) -> str:
    return f"{window[0]} – {window[1]}"
