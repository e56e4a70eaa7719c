"""What every `kurultai` command shares: the `--db` option, declared once, and opening the store
it names with one clear line on failure. The command modules (cli_*.py) import this, never
cli.py, which imports them."""
from __future__ import annotations

import typer

DB_HELP = "The store: a SQLite file (default ./kurultai.db, or $KURULTAI_DB) or a postgresql:// URL."
DB = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)


def open_store(db: str | None):
    """The store at `db` (a path or URL; None: $KURULTAI_DB or ./kurultai.db); exit status 2 with
    the reason when it cannot be opened."""
    from .settings import store_url
    from .store.db import Store, StoreError
    try:
        return Store.open(store_url(db))
    except StoreError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)


def reading(db: str | None):
    """The store a reading command reads: one that does not exist is an error, never created."""
    from .store.db import StoreError
    from .store.query import open_existing
    try:
        return open_existing(db)
    except StoreError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)
