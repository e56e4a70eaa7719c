"""The vocabularies several parts share, as data (vocabulary.yaml): the event types, each id once
with its ru/en labels. The interface labels them from here (i18n.Labels), search accepts these
ids (store/query.py, the web's filters), and extraction's cue groups and the release's wording
are keyed by them (tests/test_vocabulary.py holds both to this list)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, dict[str, str]]]:
    """vocabulary -> id -> {lang: label}, in the file's order."""
    return yaml.safe_load((resources.files(__package__) / "vocabulary.yaml").read_text(encoding="utf-8"))


def event_types() -> tuple[str, ...]:
    """The event types' ids, in the order the interface lists them."""
    return tuple(vocabularies()["event_types"])
