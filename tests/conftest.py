"""Shared fixtures: one Extractor per test session (natasha's models load once)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "extract"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def extractor():
    from kurultai.pipeline import Extractor
    return Extractor()


@pytest.fixture(scope="session")
def registry(extractor):
    return extractor.registry
