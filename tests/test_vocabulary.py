"""The event types are declared once (kurultai/vocabulary.yaml): extraction's cue groups, search's
accepted values, the interface's labels and the release's wording all use exactly those ids."""
from __future__ import annotations

import pytest

from kurultai.convene.phrasing import phrasing
from kurultai.i18n import LANGS, Labels
from kurultai.store.period import QueryError
from kurultai.store.query import Vocabulary
from kurultai.vocabulary import event_types, vocabularies


def test_extraction_finds_exactly_the_declared_event_types(registry):
    assert set(registry.cues["event_types"]) == set(event_types())


def test_search_accepts_the_declared_event_types_and_names_the_rest(registry):
    vocabulary = Vocabulary.load(registry)
    assert set(vocabulary.ids["type"]) == set(event_types())
    assert vocabulary.check("type", "круглый стол") == "round_table"  # a label stands for its id
    with pytest.raises(QueryError, match="type: unknown value 'picnic'; known: .*round_table"):
        vocabulary.check("type", "picnic")


def test_every_event_type_is_labelled_in_each_interface_language(registry):
    labels = Labels.load(registry)
    for kind in event_types():
        for lang in LANGS:
            assert labels.label("event_types", kind, lang) == vocabularies()["event_types"][kind][lang]


def test_a_release_words_only_declared_event_types():
    for lang in LANGS:
        assert set(phrasing()[lang]["types"]) <= set(event_types()), lang
