"""The project's YAML data parse without losing anything: a key written twice in one mapping is
silently replaced by the later one (it once made a whole cue group of cues.yaml dead data)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = sorted((Path(__file__).resolve().parents[1] / "kurultai").rglob("*.yaml"))


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key repeated in one mapping."""


def _mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} repeats the one at line {seen[key]}", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_data_files():
    assert any(p.name == "cues.yaml" for p in DATA)


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_no_key_is_written_twice(path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_the_strict_loader_catches_a_repeated_key():
    with pytest.raises(yaml.constructor.ConstructorError, match="repeats"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_StrictLoader)
