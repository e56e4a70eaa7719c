"""The reading commands, `kurultai search`, `show` and `stats`: thin shells over the query layer
(store/query.py) that the JSON API and the pages call too. They never create a store."""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import List

import typer

from .cli_options import DB, reading


SEARCH_HELP = """Search the knowledge base; results are ranked and the matching words highlighted.

    \b
    Query syntax (also on the search page):
      водные ресурсы            every word, in any form
      "водные ресурсы"          a phrase: the words together, in order
      вода OR энергия           either word
      вода -энергия             вода, but not in documents that say энергия
    A filter may be repeated (OR within a filter, AND across filters); a value with a
    leading minus excludes it (write it --country=-UZ). Values are ids or names: a country
    by ISO code or name (KZ, Kazakhstan, Казахстан), a direction, threat, type or framework
    by id or label, an institution or a person by id or any name (a surname alone when one
    person has it). A country matches an event's own countries and those of its institutions
    and people, the host's included. A query that begins with a minus goes after --:
    kurultai search -- "-энергия вода".

    \b
    Examples:
      kurultai search "водные ресурсы" --country KZ --country UZ
      kurultai search IWEP                       # also finds reports that say ИМЭП
      kurultai search 'вода OR энергия' --country=-TM --sort date
      kurultai search --direction transport_logistics --from 2023 --json
    """


def search(
    query: str = typer.Argument("", help="Words, \"phrases\", OR, -excluded; or an institution's name or "
                                         "abbreviation in any language."),
    country: List[str] = typer.Option(None, "--country", metavar="CODE|NAME", help="Country: ISO code or name; repeat for several."),
    institution: List[str] = typer.Option(None, "--institution", "--org", metavar="ID|NAME", help="Institution id or any of its names."),
    person: List[str] = typer.Option(None, "--person", metavar="ID|NAME", help="Person id or name (a surname alone when unambiguous)."),
    type: List[str] = typer.Option(None, "--type", metavar="TYPE", help="Event type: round_table, forum, summit, ..."),
    direction: List[str] = typer.Option(None, "--direction", metavar="ID|LABEL", help="Direction id or label, e.g. water."),
    threat: List[str] = typer.Option(None, "--threat", metavar="ID|LABEL", help="Threat id, e.g. climate_change."),
    framework: List[str] = typer.Option(None, "--framework", metavar="ID|LABEL", help="Framework id, e.g. sco."),
    date_from: str = typer.Option(None, "--from", help="Events on or after YYYY[-MM[-DD]]."),
    date_to: str = typer.Option(None, "--to", help="Events on or before YYYY[-MM[-DD]]."),
    language: List[str] = typer.Option(None, "--language", metavar="CODE", help="Document language: ru, en, kk, uz."),
    sort: str = typer.Option("relevance", "--sort", help="relevance (newest first without words), date or title."),
    limit: int = typer.Option(20, "--limit", help="Hits to print, 1 to 1000 (a search ranks the newest 1000 "
                                                  "matches when there are more)."),
    page: int = typer.Option(1, "--page", help="Which page of --limit hits, from 1."),
    as_json: bool = typer.Option(False, "--json", help="Print what /api/search answers (hits, total, facets)."),
    db: str = DB,
) -> None:
    from rich.console import Console
    from rich.markup import escape

    from .knowledge.registry import Registry
    from .store.period import QueryError
    from .store.query import Vocabulary, parse_search, run_search
    from .store.search import SearchError

    store = reading(db)
    registry = Registry.load()
    values = {"country": country, "institution": institution, "person": person, "type": type,
              "direction": direction, "threat": threat, "framework": framework, "language": language}
    try:
        asked = parse_search(Vocabulary.load(registry), query, {k: v for k, v in values.items() if v},
                             date_from, date_to, sort=sort, page=page, limit=limit)
        result = run_search(store, registry, asked)
    except (QueryError, SearchError) as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    total = result["total"]
    if result["total_exact"]:
        console.print(f"{total} document{'s' if total != 1 else ''}")
    else:
        console.print(f"more than {total} documents: the newest {total}, ranked; narrow the query or the filters "
                      "to see the others")
    for h in result["hits"]:
        marked, last = [], 0
        for s, e in h["highlights"]:
            marked.append(escape(h["snippet"][last:s]) + "[bold yellow]" + escape(h["snippet"][s:e]) + "[/bold yellow]")
            last = e
        marked.append(escape(h["snippet"][last:]))
        console.print(f"[bold]#{h['id']}[/bold] {escape(h['source'])}  {h['published'] or ''}  {escape(h['title'] or '')}")
        console.print("   " + " ".join("".join(marked).split()))


class Kind(str, Enum):
    event = "event"
    org = "org"
    person = "person"
    doc = "doc"


def show(kind: Kind = typer.Argument(..., help="event, org, person or doc."),
         id: str = typer.Argument(..., help="Its id (from search, stats or another show); an institution or a "
                                            "person also by name, alias or abbreviation (a person by surname)."),
         db: str = DB) -> None:
    """Show one event, institution, person or document as JSON: an institution lists every alias
    seen and the documents it came from, its events, people and co-participants.

    \b
    Examples:
      kurultai show org 12
      kurultai show org КИСИ
      kurultai show person Жамаубаев
    """
    from .store import views
    from .store.lookup import Ambiguous, entity_ids

    store = reading(db)
    fn = {"event": views.show_event, "org": views.show_org, "person": views.show_person, "doc": views.show_doc}[kind.value]
    value = id.strip()
    if not value.isdigit():
        if kind.value not in ("org", "person"):
            typer.echo(f"kurultai: error: {kind.value} {value!r}: give its id (a number)", err=True)
            raise typer.Exit(2)
        from .knowledge.registry import Registry
        try:
            with store.connect() as conn:
                found = entity_ids(conn, value, kind.value, Registry.load() if kind.value == "org" else None)
        except Ambiguous as exc:
            typer.echo(f"kurultai: error: {exc}", err=True)
            raise typer.Exit(2)
        if not found:
            who = "institution" if kind.value == "org" else "person"
            typer.echo(f"kurultai: error: no {who} is known as {value!r}", err=True)
            raise typer.Exit(1)
        if len(found) > 1:
            from .store.analytics import entity_names
            names = entity_names(store, found)
            listed = "; ".join(f"{k}. {names.get(i, '?')} (id {i})" for k, i in enumerate(found, 1))
            typer.echo(f"kurultai: error: {value!r} names {len(found)} entities: {listed}; give the id of one", err=True)
            raise typer.Exit(2)
        value = str(found[0])
    try:
        out = fn(store, int(value))
    except views.NotFound as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(1)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")


def stats(db: str = DB) -> None:
    """Counts of documents, events, institutions, people and mentions in the store."""
    from .store.views import stats as run_stats

    sys.stdout.write(json.dumps(run_stats(reading(db)), ensure_ascii=False, indent=2) + "\n")
