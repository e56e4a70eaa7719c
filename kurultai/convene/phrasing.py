"""The wording of releases and invitations (release.yaml), loaded once: read by the release
writer (publish.py), the invitation letters (invite.py) and the sessions' own checks (which
event types a release can name), none of which need the others to read it."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def phrasing() -> dict:
    return yaml.safe_load((resources.files(__package__) / "release.yaml").read_text(encoding="utf-8"))
