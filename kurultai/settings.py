"""What the CLI, the web application and the Dask workers share: where the store is, the limits
each document is read within, and the languages the interface, releases and briefings speak.
One object, from flags or KURULTAI_* environment variables, with defaults that work."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .i18n import LANGS
from .read.limits import Limits

STORE_ENV = "KURULTAI_DB"
DEFAULT_STORE = "kurultai.db"


def store_url(db: str | None = None) -> str:
    """The store named by `db`, else by $KURULTAI_DB, else ./kurultai.db."""
    return db or os.environ.get(STORE_ENV) or DEFAULT_STORE


@dataclass(frozen=True)
class Settings:
    store_url: str = field(default_factory=store_url)
    limits: Limits = Limits()
    languages: tuple[str, ...] = LANGS

    @classmethod
    def of(cls, db: str | None = None, **limits) -> "Settings":
        """Settings from command-line values: `db` (None: the environment's or the default) and
        the limits given (None: the default limit)."""
        return cls(store_url(db), Limits(**{k: v for k, v in limits.items() if v is not None}))
