"""`kurultai review ...`: the review queue of possible duplicates on the command line, the twin of
the web page /review (a thin shell over store/review.py and store/review_actions.py).

Decisions taken here are logged as the web's are, under the name given by --by (the system
user's by default), and undone by `kurultai review undo ENTRY` or from the web page's log.
"""
from __future__ import annotations

import getpass
import json
from enum import Enum
from typing import List

import typer

review = typer.Typer(help="Possible duplicate institutions and people: list them with their evidence, merge, "
                          "split, say they are not the same, and undo any of it.", no_args_is_help=True)

DB_HELP = "The store: a SQLite file (default ./kurultai.db, or $KURULTAI_DB) or a postgresql:// URL."
BY_HELP = "Who decides, as the log records it (default: the system user, 'NAME (command line)')."


class Kind(str, Enum):
    org = "org"
    person = "person"


def _store(db: str | None):
    from .cli_options import reading
    return reading(db)  # a store that does not exist is an error here, never created


def _who(by: str | None):
    from .store.review_actions import Editor
    return Editor(by.strip() if by and by.strip() else f"{getpass.getuser()} (command line)")


def _decide(db: str | None, fn, *args) -> None:
    """Run one decision; a refusal is one line naming the cause, exit 1."""
    from .store.review_actions import ReviewError
    from .store.views import NotFound
    store = _store(db)
    try:
        entry = fn(store, *args)
    except (ReviewError, NotFound) as exc:
        typer.echo(f"kurultai: error: {str(exc).strip(chr(39) + chr(34))}", err=True)
        raise typer.Exit(1)
    finally:
        store.close()
    typer.echo(json.dumps(entry, ensure_ascii=False))


@review.command("list")
def list_(kind: Kind = typer.Option(None, "--kind", help="org or person (both by default)."),
          min_score: int = typer.Option(70, "--min-score", min=0, max=100, help="The lowest score listed, 0-100."),
          limit: int = typer.Option(20, "--limit", min=1, max=1000, help="Pairs shown (the best first)."),
          as_json: bool = typer.Option(False, "--json", help="The pairs with both sides' evidence, as /api/review "
                                                             "gives them."),
          db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Pairs that may be one institution or one person, best first, with why.

    \b
      kurultai review list --kind person
      kurultai review merge 12 40         # 40 becomes 12; `undo` brings 40 back
      kurultai review not-same 12 57      # never proposed again
    """
    from rich.console import Console
    from rich.table import Table

    from .store.review import queue

    store = _store(db)
    try:
        data = queue(store, kind.value if kind else None, min_score, 1, limit)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table("score", "kind", "a", "b", "why", title=f"{data['total']} pairs (score {min_score} or more)")
    for p in data["pairs"]:
        side = lambda e: f"#{e['id']} {e['name']}" + (f" ({e['affiliation']['name']})" if e["affiliation"] else "")
        why = ", ".join(r["code"].replace("_", " ") + (f" {r['value']}" if r["value"] else "") for r in p["reasons"])
        table.add_row(str(p["score"]), p["kind"], side(p["a"]), side(p["b"]), why)
    Console().print(table)


@review.command("merge")
def merge(keep: int = typer.Argument(..., help="The entity that stays."),
          other: int = typer.Argument(..., help="The entity merged into it."),
          by: str = typer.Option(None, "--by", help=BY_HELP),
          db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Merge OTHER into KEEP (two institutions or two people); prints the log entry."""
    from .store.review_actions import merge as run
    _decide(db, run, keep, other, _who(by))


@review.command("not-same")
def not_same(a: int = typer.Argument(..., help="One entity."), b: int = typer.Argument(..., help="The other."),
             by: str = typer.Option(None, "--by", help=BY_HELP),
             db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Remember that A and B are two: the queue never proposes the pair again."""
    from .store.review_actions import not_same as run
    _decide(db, run, a, b, _who(by))


@review.command("split")
def split(entity: int = typer.Argument(..., help="The entity some names are split off."),
          names: List[str] = typer.Argument(..., help="Its names (aliases) whose mentions move to a new entity."),
          by: str = typer.Option(None, "--by", help=BY_HELP),
          db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Split the mentions written as NAMES off ENTITY into a new entity."""
    from .store.review_actions import split as run
    _decide(db, run, entity, names, _who(by))


@review.command("undo")
def undo(entry: int = typer.Argument(..., help="The log entry (`kurultai review log` lists them)."),
         by: str = typer.Option(None, "--by", help=BY_HELP),
         db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Undo a decision: a merge restores both entities, a split merges back, a "not the same" is forgotten."""
    from .store.review_actions import undo as run
    _decide(db, run, entry, _who(by))


@review.command("log")
def log(limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="Entries shown, newest first."),
        db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """The decisions taken, newest first, one JSON object a line."""
    from .store.review_actions import log as entries
    store = _store(db)
    try:
        for entry in entries(store, limit):
            typer.echo(json.dumps(entry, ensure_ascii=False))
    finally:
        store.close()
