"""`kurultai watch ...` and `kurultai alert ...`: follow sources and saved searches (thin shells over
kurultai/watch)."""
from __future__ import annotations

import json
import sys
import time

import typer

from .cli_options import DB, open_store

watch = typer.Typer(help="Follow feeds, sitemaps, news listings and Telegram exports; ingest what is new.",
                    no_args_is_help=True)

alert = typer.Typer(help="Saved searches whose new matches come as an Atom feed and an e-mail digest.",
                    no_args_is_help=True)


def _fail(exc: Exception, code: int = 1) -> None:
    typer.echo(f"kurultai: error: {exc}", err=True)
    raise typer.Exit(code)


@watch.command("add")
def add(url: str = typer.Argument(..., help="A feed (RSS/Atom), a sitemap or sitemap index, a news listing page, "
                                            "or the folder of a Telegram Desktop export (holding result.json)."),
        name: str = typer.Option(None, "--name", help="What to call it (default: its host or folder name)."),
        every: str = typer.Option("6h", "--every", help="How often to read it: 30m, 6h, 1d (at least 1m)."),
        allow_private: bool = typer.Option(False, "--allow-private",
                                           help="Let it fetch from loopback and private-network addresses "
                                                "(refused by default, so a server cannot be made to probe its own network)."),
        depth: int = typer.Option(1, "--depth", min=1, max=100,
                                  help="A listing page: how many listing pages to read, following 'next page' links."),
        match: str = typer.Option(None, "--match", help="Keep only item URLs containing this regular expression "
                                                         "(a listing page: what its article links look like)."),
        db: str = DB) -> None:
    """Follow a source; `kurultai watch run` reads it (new sources are due at once).

    \b
    Examples:
      kurultai watch add https://iwep.kz/rss.xml --name ИМЭП
      kurultai watch add https://isrs.uz/sitemap.xml --every 1d --match '/news/'
      kurultai watch add https://kisi.kz/news/ --depth 3 --match '/news/\\d+'
      kurultai watch add ~/Downloads/Telegram/ChatExport_2024-05-01
    """
    from .watch.sources import SourceError, add as run_add
    try:
        source = run_add(open_store(db), url, name, every, allow_private, depth, match)
    except SourceError as exc:
        _fail(exc, 2)
    typer.echo(f"source {source.id}: {source.name} <{source.url}>, every {every}; read it now: kurultai watch run")


@watch.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON."), db: str = DB) -> None:
    """The sources followed: when each last succeeded, its last error, the documents found, and
    what became of its items (fetched, stored, unreadable with the latest causes, failed)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .read.printable import printable
    from .watch.sources import status
    found = status(open_store(db))
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        typer.echo("no sources yet: kurultai watch add URL")
        return
    table = Table("id", "name", "kind", "every", "last success", "last error", "documents", "next run",
                  box=None, highlight=False)
    for s in found:
        error = f"{s['last_error_at']}: {s['last_error']}" if s["last_error"] and s["last_error_at"] and \
            (not s["last_success_at"] or s["last_error_at"] >= s["last_success_at"]) else ""
        cells = (s["id"], s["name"], s["kind"], _period(s["every_s"]), s["last_success_at"] or "never", error,
                 s["documents_found"], "paused" if s["paused"] else s["next_run_at"])
        table.add_row(*(Text(printable(str(c))) for c in cells))  # never read as markup nor as terminal codes
    console = Console(highlight=False)
    console.print(table)
    for s in found:  # one line each, under the table: readable on a narrow terminal, and by grep
        n = s["items"]
        console.print(Text(f"source {s['id']} items: {n['fetched']} fetched, {n['stored']} stored, "
                           f"{n['unchanged']} unchanged, {n['unreadable']} unreadable, {n['failed']} failed"), soft_wrap=True)
        for c in n["causes"]:
            console.print(Text(printable(f"  unreadable {c['at']}: {c['url']}: {c['cause']}")), soft_wrap=True)


def _period(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@watch.command("remove")
def remove(source_id: int = typer.Argument(..., help="The source's id (kurultai watch list)."), db: str = DB) -> None:
    """Stop following a source; the documents it brought stay in the knowledge base."""
    from .watch.sources import SourceError, remove as run_remove
    try:
        source = run_remove(open_store(db), source_id)
    except SourceError as exc:
        _fail(exc)
    typer.echo(f"source {source.id} ({source.name}) removed; its documents stay")


@watch.command("pause")
def pause(source_id: int = typer.Argument(..., help="The source's id."),
          resume: bool = typer.Option(False, "--resume", help="Follow it again (due at once)."), db: str = DB) -> None:
    """Pause a source (runs skip it), or --resume it."""
    from .watch.sources import SourceError, pause as run_pause
    try:
        source = run_pause(open_store(db), source_id, not resume)
    except SourceError as exc:
        _fail(exc)
    typer.echo(f"source {source.id} ({source.name}) {'paused' if source.paused else 'resumed'}")


@watch.command("run")
def run(source_id: int = typer.Option(None, "--source", help="Run this source now, due or not."),
        forever: bool = typer.Option(False, "--forever", help="Keep running: read each source when it is due "
                                                              "(Ctrl-C to stop)."),
        delay: float = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host "
                                                                 "(robots.txt's Crawl-delay wins when longer)."),
        timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds to wait for a server."),
        alerts: bool = typer.Option(True, "--alerts/--no-alerts", help="Run the alerts after each run."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary line."),
        db: str = DB) -> None:
    """Read each due source once (fetching only what is new), ingest the new documents, then exit.

    \b
    Examples:
      kurultai watch run                       # every source that is due
      kurultai watch run --source 3            # that one, now
      kurultai watch run --forever             # a long-running follower (e.g. under systemd)

    Each run ends with one line: sources run, new, unchanged, failed. A source that fails is
    recorded (`kurultai watch list` shows why) and tried again later; the others go on. The exit
    status is 1 when a source failed.
    """
    from .watch.sources import SourceError, due, get

    store = open_store(db)
    failed = False
    try:
        while True:
            try:
                chosen = [get(store, source_id)] if source_id else due(store)
            except SourceError as exc:
                _fail(exc)
            summary = _run_once(store, chosen, delay, timeout, quiet)
            failed = failed or summary.sources_failed > 0
            if alerts and summary.new:
                _run_alerts(store, quiet)
            if not forever:
                break
            _sleep_until_due(store)
    except KeyboardInterrupt:  # what is stored stays; the item being read is read again next time
        typer.echo("kurultai: stopped; the next run goes on from here", err=True)
        raise typer.Exit(130)
    if failed:
        raise typer.Exit(1)


def _run_once(store, chosen, delay: float, timeout: float, quiet: bool):
    from rich.console import Console
    from rich.markup import escape

    from .pipeline import Extractor
    from .watch.run import Run

    console = Console(stderr=True, highlight=False)

    def tick(url: str, status: str) -> None:
        if not quiet and status not in ("seen",):
            colour = {"new": "green", "failed": "red", "unreadable": "red", "refused": "yellow"}.get(status, "dim")
            console.print(f"[{colour}]{status:>10}[/{colour}] {escape(url)}")

    run = Run(store, Extractor, delay=delay, timeout=timeout, progress=tick)
    with console.status("following sources", spinner="dots") if not quiet else _Nothing():
        summary = run.all(chosen)
    for name, reason in summary.errors:
        console.print(f"[red]failed[/red] {escape(name)}: {escape(reason)}")
    typer.echo(summary.line())
    return summary


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def _sleep_until_due(store, most: float = 60.0) -> None:
    """Sleep until the next source is due (checking again at least every `most` seconds, so that
    sources added meanwhile are picked up)."""
    from .watch.sources import all_sources, now
    import datetime as dt
    upcoming = [dt.datetime.fromisoformat(s.next_run_at) for s in all_sources(store) if not s.paused]
    wait = min([(t - now()).total_seconds() for t in upcoming] + [most])
    time.sleep(max(1.0, wait))


def _run_alerts(store, quiet: bool) -> None:
    """After a run that stored documents: each alert's new matches (kurultai/watch/alerts.py)."""
    from .watch.alerts import run_all
    from .watch.mail import Settings
    for line in run_all(store, Settings.from_env()):
        if not quiet:
            typer.echo(line, err=True)


# -- alerts ------------------------------------------------------------------------------------------------------------

@alert.command("add")
def alert_add(query: str = typer.Argument("", help="Words to find, as `kurultai search` takes them."),
              country: str = typer.Option(None, help="ISO code of a participating country, e.g. UZ."),
              institution: str = typer.Option(None, "--institution", "--org", help="Institution id or any of its names."),
              person: str = typer.Option(None, help="Person id or name."),
              type: str = typer.Option(None, "--type", help="Event type: round_table, forum, summit, ..."),
              direction: str = typer.Option(None, help="Direction id, e.g. water."),
              threat: str = typer.Option(None, help="Threat id, e.g. climate_change."),
              framework: str = typer.Option(None, help="Framework id, e.g. sco."),
              language: str = typer.Option(None, help="Document language: ru, en, kk, uz."),
              email: str = typer.Option(None, "--email", help="Send the digest of new matches here (needs SMTP "
                                                              "settings: KURULTAI_SMTP_HOST...)."),
              include_existing: bool = typer.Option(False, "--include-existing",
                                                    help="Count the documents already stored as new on the first run."),
              db: str = DB) -> None:
    """Save a search; `kurultai alert run` (and every `watch run` that stores something) finds its new matches.

    \b
    Examples:
      kurultai alert add "водные ресурсы" --institution ИСМИ --country UZ
      kurultai alert add --direction water --email analyst@example.org
    """
    from .store.search import Filters
    from .watch.alerts import AlertError, add as run_add
    filters = Filters(country=country, institution=institution, person=person, type=type, direction=direction,
                      threat=threat, framework=framework, language=language)
    try:
        made = run_add(open_store(db), query, filters, email, include_existing=include_existing)
    except AlertError as exc:
        _fail(exc, 2)
    typer.echo(f"alert {made.id}: {made.describe()}")
    typer.echo(f"its feed (private: keep the token): /alerts/{made.id}.atom?token={made.token}")


@alert.command("list")
def alert_list(as_json: bool = typer.Option(False, "--json", help="Print JSON (with each feed's token)."),
               db: str = DB) -> None:
    """The alerts: what each looks for, when it last ran, its matches and its feed's path."""
    from dataclasses import asdict

    from .watch.alerts import all_alerts, matches
    store = open_store(db)
    found = all_alerts(store)
    if as_json:
        sys.stdout.write(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        typer.echo('no alerts yet: kurultai alert add "QUERY" [--country KZ ...]')
    for a in found:
        typer.echo(f"{a.id}: {a.describe()}  last run {a.last_run_at or 'never'}, "
                   f"{len(matches(store, a.id, limit=10_000))} matches{', mail to ' + a.email if a.email else ''}  "
                   f"/alerts/{a.id}.atom?token={a.token}")


@alert.command("remove")
def alert_remove(alert_id: int = typer.Argument(..., help="The alert's id (kurultai alert list)."), db: str = DB) -> None:
    """Delete an alert (its feed stops answering)."""
    from .watch.alerts import AlertError, remove as run_remove
    try:
        gone = run_remove(open_store(db), alert_id)
    except AlertError as exc:
        _fail(exc)
    typer.echo(f"alert {gone.id} removed")


@alert.command("run")
def alert_run(smtp_host: str = typer.Option(None, "--smtp-host", envvar="KURULTAI_SMTP_HOST",
                                            help="SMTP server for the digests (none: no mail)."),
              smtp_port: int = typer.Option(587, "--smtp-port", envvar="KURULTAI_SMTP_PORT"),
              smtp_user: str = typer.Option(None, "--smtp-user", envvar="KURULTAI_SMTP_USER"),
              smtp_from: str = typer.Option(None, "--smtp-from", envvar="KURULTAI_SMTP_FROM",
                                            help="The digest's sender address."),
              starttls: bool = typer.Option(True, "--starttls/--no-starttls", envvar="KURULTAI_SMTP_STARTTLS",
                                            help="Upgrade the SMTP connection with STARTTLS."),
              base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url", envvar="KURULTAI_BASE_URL",
                                           help="Where kurultai is served, for the digest's links."),
              db: str = DB) -> None:
    """Find each alert's new matches; e-mail each alert with an address its unsent matches.
    The SMTP password comes from $KURULTAI_SMTP_PASSWORD only (never on a command line)."""
    from .watch.alerts import run_all
    from .watch.mail import Settings
    settings = Settings.from_env(host=smtp_host, port=smtp_port, user=smtp_user, sender=smtp_from, starttls=starttls)
    lines = run_all(open_store(db), settings, base_url)
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("no new matches")
