"""The `kurultai` command line: a thin shell over the Python API (pipeline.py, read/)."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

from .cli_extract import extract, skipped as _skipped
from .cli_options import DB, open_store

app = typer.Typer(
    help="kurultai reads reports of Central Asian round tables, forums, webinars and summits "
         "(Russian and English; .txt in any encoding, .pdf, .html, .docx, .rtf) and extracts, for each, "
         "an evidence-linked record: the event, its date and format, organisers, participants, "
         "speakers, countries, directions of cooperation, threats, frameworks and outcomes.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("extract")(extract)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


LIMITS = "Limits per document (past one, the document fails with the limit named)"


@app.command()
def ingest(
    paths: List[str] = typer.Argument(None, help="Files, folders, glob patterns or .zip archives of documents "
                                                 "(a path that exists is never read as a pattern)."),
    db: str = DB,
    reextract: bool = typer.Option(False, "--reextract", help="Re-extract every stored original (after an upgrade)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help="local: extract in this process; dask: extract on Dask workers, "
                                       "store from this process (the same store either way)."),
    workers: int = typer.Option(None, "--workers", min=1,
                                help="With --engine dask: worker processes of a local cluster (default: one per core)."),
    scheduler: str = typer.Option(None, "--scheduler",
                                  help="With --engine dask: the address of a running cluster (tcp://HOST:PORT) "
                                       "instead of a local one."),
    max_bytes: int = typer.Option(None, "--max-bytes", min=1, rich_help_panel=LIMITS,
                                  help="Largest file (or archive member) in bytes (default 50,000,000)."),
    max_pages: int = typer.Option(None, "--max-pages", min=1, rich_help_panel=LIMITS,
                                  help="Most pages of a PDF (default 2,000)."),
    max_unpacked: int = typer.Option(None, "--max-unpacked", min=1, rich_help_panel=LIMITS,
                                     help="Largest decompressed size of a .docx, or of all that an archive inside "
                                          "an archive holds, in bytes (default 200,000,000)."),
    max_markup: int = typer.Option(None, "--max-markup", min=1, rich_help_panel=LIMITS,
                                   help="Largest HTML page or XML part of a .docx, in bytes (default 10,000,000)."),
    max_chars: int = typer.Option(None, "--max-chars", min=1, rich_help_panel=LIMITS,
                                  help="Most characters of text in a document (default 500,000)."),
    max_seconds: float = typer.Option(None, "--max-seconds", min=0.01, rich_help_panel=LIMITS,
                                      help="Longest time to read and extract one document, in seconds (default 60)."),
) -> None:
    """Ingest documents into the knowledge base, resolving institutions and people across them.

    \b
    Examples:
      kurultai ingest reports/                 # everything under reports/, into ./kurultai.db
      kurultai ingest 'news/**/*.html' archive.zip --db postgresql://kurultai@localhost/kurultai
      kurultai ingest --reextract              # reprocess the stored originals
      kurultai ingest reports/ --engine dask --workers 4
      kurultai ingest reports/ --engine dask --scheduler tcp://10.0.0.5:8786

    A document is known by the SHA-256 of its bytes: ingesting it again changes nothing. Each is
    stored in one transaction; a failure is reported with its reason and the batch goes on. A
    reprint of a stored document (MinHash similarity) is linked to it and counted once.

    A path that exists is taken as it is, even with [ ] or * in its name; other arguments are glob
    patterns (`**` for any folders). Folders and links are walked once per real folder; a folder's
    README, LICENSE, CHANGELOG, CONTRIBUTING or AUTHORS file is skipped with a notice (name it to
    ingest it). Archives inside archives are read, at most 3 deep and within --max-unpacked.
    Names that are not UTF-8, or hold control characters, are shown and stored escaped
    (\\xcf, \\n, \\x1b).
    """
    from .ingest.sources import batch

    if not paths and not reextract:
        typer.echo("kurultai: error: give documents to ingest, or --reextract", err=True)
        raise typer.Exit(2)
    dask = engine is Engine.dask
    if not dask and (workers or scheduler):
        typer.echo("kurultai: error: --workers and --scheduler need --engine dask", err=True)
        raise typer.Exit(2)
    if dask and reextract:
        typer.echo("kurultai: error: --reextract runs with --engine local", err=True)
        raise typer.Exit(2)
    if dask and workers and scheduler:
        typer.echo("kurultai: error: give --workers (a local cluster) or --scheduler (a running one), not both", err=True)
        raise typer.Exit(2)
    from .settings import Settings
    settings = Settings.of(db, max_bytes=max_bytes, max_pages=max_pages, max_unpacked=max_unpacked,
                           max_markup=max_markup, max_chars=max_chars, max_seconds=max_seconds)
    store = open_store(settings.store_url)
    with batch([] if reextract else paths, settings.limits, _skipped) as found:  # each archive opened once
        _ingest_batch(store, None if reextract else found, engine, workers, scheduler, quiet, settings.limits)


def _ingest_batch(store, found, engine, workers, scheduler, quiet: bool, limits) -> None:
    """Ingest `found` (None: re-extract the stored originals) with a progress bar, then say what
    was stored, warned of and failed."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .ingest.run import StoreFault, ingest_sources, reextract_all
    from .pipeline import Extractor
    from .read.printable import printable

    dask = engine is Engine.dask
    extractor = None if dask else Extractor()
    console = Console(stderr=True)
    todo = None if found is None else len(found)
    columns = [TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("{task.fields[name]}")]
    import time as _time
    t0 = _time.perf_counter()
    with Progress(*columns, console=console, disable=quiet, transient=False) as progress:
        task = progress.add_task("ingest", total=todo, rate="", name="")

        def tick(source, status):
            done = progress.tasks[0].completed + 1
            rate = done / max(_time.perf_counter() - t0, 1e-9)
            shown = printable(source)
            progress.update(task, advance=1, rate=f"{rate:.1f} docs/s", name=escape(shown.rsplit("/", 1)[-1][-40:]))
            if status == "failed":
                progress.console.print(f"[red]failed[/red] {escape(shown)}", markup=True, highlight=False)

        stopped = None  # the store failed (full disk, read-only): the batch stops, what is stored stays
        try:
            if dask:
                report = _ingest_dask(store, found, workers, scheduler, tick, limits)
            elif found is None:
                report = reextract_all(store, extractor, tick, limits)
            else:
                report = ingest_sources(store, found, extractor, progress=tick, limits=limits)
        except StoreFault as exc:
            report, stopped = exc.report, str(exc)
    seconds = _time.perf_counter() - t0
    typer.echo(f"{report.new} new, {report.unchanged} unchanged, {report.reextracted} re-extracted, "
               f"{len(report.failed)} failed in {seconds:.1f} s ({report.total / max(seconds, 1e-9):.1f} docs/s) "
               f"-> {store.url}")
    for source, warning in report.warnings:
        typer.echo(f"kurultai: warning: {printable(source)}: {printable(warning)}", err=True)
    for source, cause in report.failed:
        typer.echo(f"kurultai: error: {printable(source)}: {printable(cause)}", err=True)
    if stopped:
        typer.echo(f"kurultai: error: {stopped}", err=True)
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)


def _ingest_dask(store, found, workers, scheduler, tick, limits):
    from .scale.engine import close, connect, ingest_dask_sources
    try:
        client = connect(workers, scheduler)
    except OSError as exc:  # no scheduler at that address, or it timed out
        typer.echo(f"kurultai: error: {scheduler}: cannot reach the Dask scheduler ({exc})", err=True)
        raise typer.Exit(2)
    try:
        return ingest_dask_sources(store, found, client, progress=tick, limits=limits)
    finally:
        close(client)


from .cli_query import SEARCH_HELP, search as _search, show as _show, stats as _stats  # noqa: E402
app.command("search", help=SEARCH_HELP)(_search)
app.command("show")(_show)
app.command("stats")(_stats)


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    ftm = "ftm"


@app.command()
def export(format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f",
                                               help="jsonl, csv or parquet tables, or ftm (FollowTheMoney, for Aleph)."),
           out: Path = typer.Option(Path("export"), "--out", "-o", file_okay=False, help="Folder to write into."),
           db: str = DB) -> None:
    """Export the knowledge base as tables that join by stable ids, or as FollowTheMoney entities.

    \b
    Examples:
      kurultai export -f csv -o export/       # documents.csv, events.csv, event_entities.csv, ...
      kurultai export -f parquet -o export/
      kurultai export -f ftm -o aleph/        # kurultai.ftm.json, for `ftm` tools and Aleph

    Tables: documents, events, event_entities (event, institution or person, role), institutions,
    people, mentions, outcomes, evidence (the text each event value rests on) and references;
    README.md lists their columns. Sources are paths relative to the ingest root (or URLs).
    Each file is written under a temporary name and renamed when complete: an interrupted
    export leaves the previous one's files whole. CSV cells that a spreadsheet would run as a
    formula (=, +, -, @) start with a '.
    """
    from rich.console import Console

    from .cli_options import reading
    from .store.export import export as run_export

    store = reading(db)  # an export never creates the store it reads
    try:
        with Console(stderr=True).status("exporting") as status:  # quiet when stderr is not a terminal
            paths = run_export(store, format.value, out, progress=lambda name: status.update(f"writing {name}"))
    except OSError as exc:
        typer.echo(f"kurultai: error: {out}: cannot write the export ({exc.strerror or exc})", err=True)
        raise typer.Exit(2)
    finally:
        store.close()
    for path in paths:
        typer.echo(str(path))


@app.command()
def merge(keep: int = typer.Argument(..., help="Entity id that stays."),
          other: int = typer.Argument(..., help="Entity id folded into it."),
          db: str = DB) -> None:
    """Merge two institutions (or two people) that are the same; logged, and undone by `split`."""
    from .store.curate import merge as run_merge
    from .store.views import NotFound

    try:
        typer.echo(json.dumps(run_merge(open_store(db), keep, other)))
    except (NotFound, ValueError) as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(1)


@app.command()
def split(entity: int = typer.Argument(..., help="Entity id to split."),
          names: List[str] = typer.Argument(..., help="The names whose mentions move to a new entity."),
          db: str = DB) -> None:
    """Split the mentions written as NAMES off an entity into a new one (undoes a wrong merge)."""
    from .store.curate import split as run_split
    from .store.views import NotFound

    try:
        typer.echo(json.dumps(run_split(open_store(db), entity, names), ensure_ascii=False))
    except NotFound as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print kurultai's version."""
    from importlib.metadata import version as v
    typer.echo(v("kurultai"))


bench = typer.Typer(help="Material for benchmarks: generated corpora with their ground truth.", no_args_is_help=True)
app.add_typer(bench, name="bench")

from .cli_user import users as _users  # noqa: E402
app.add_typer(_users, name="user")

from .cli_session import briefing as _briefing, session as _session  # noqa: E402
app.add_typer(_session, name="session")
app.command("briefing")(_briefing)

from .cli_watch import alert as _alert, watch as _watch  # noqa: E402
app.add_typer(_watch, name="watch")
app.add_typer(_alert, name="alert")

from .cli_review import review as _review  # noqa: E402  (the review queue of possible duplicates)
app.add_typer(_review, name="review")


@bench.command("corpus")
def bench_corpus(docs: int = typer.Option(100, "--docs", min=1, help="How many reports to generate."),
                 out: Path = typer.Option(..., "--out", file_okay=False, help="Folder to write them into."),
                 seed: int = typer.Option(7, "--seed", help="The same seed gives the same corpus.")) -> None:
    """Generate Russian and English reports from the registry and the vocabularies, with
    ground_truth.jsonl: the type, date, organisers, countries and directions each should yield.

    \b
    Examples:
      kurultai bench corpus --docs 300 --out /tmp/corpus
      kurultai ingest /tmp/corpus --engine dask --workers 2
    """
    from .scale.corpus import generate
    truths = generate(docs, out, seed)
    typer.echo(f"{len(truths)} reports and ground_truth.jsonl -> {out}")


def main() -> None:  # pragma: no cover
    app()


@app.command()
def serve(db: str = DB,
          host: str = typer.Option("127.0.0.1", help="Address to listen on; 127.0.0.1 serves this machine only."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
          workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, envvar="KURULTAI_WORKERS",
                                      help="Worker processes answering on the port (about one per core)."),
          trusted_proxies: str = typer.Option("", "--trusted-proxies", envvar="KURULTAI_TRUSTED_PROXIES",
                                              help="Comma-separated addresses or networks of reverse proxies whose "
                                                   "X-Forwarded-For / X-Forwarded-Proto are believed "
                                                   "(default: none; the socket's peer is the client)."),
          secure_cookies: bool = typer.Option(False, "--secure-cookies",
                                              help="Mark the login cookie Secure even over http (behind a TLS proxy)."),
          open_reading: bool = typer.Option(False, "--open-reading",
                                            help="Let anyone read without a login when listening beyond loopback.")) -> None:
    """Serve the web interface and its JSON API: search with facets, documents beside their records,
    institutions, people, a timeline, dashboards and upload.

    \b
    Examples:
      kurultai serve                           # ./kurultai.db on http://127.0.0.1:8000/
      kurultai serve --db demo.db --port 8080 --workers 2
      kurultai serve --host 0.0.0.0 --secure-cookies    # behind a TLS proxy; reading needs a login
      kurultai serve --workers 4 --trusted-proxies 127.0.0.1 --secure-cookies   # behind nginx on this machine

    Every page has a JSON twin under /api/; the OpenAPI spec is /api/openapi.json. Uploads and
    other writes need a login (`kurultai user add NAME --role admin` creates the first user);
    reading is open on loopback and needs a viewer's login beyond it unless --open-reading.
    """
    from .store.db import StoreError
    from .web.auth import check_proxies
    from .web.serving import Settings, serve as run_serve

    try:
        proxies = check_proxies(trusted_proxies)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--trusted-proxies'") from None
    try:
        run_serve(Settings(db=db, host=host, port=port, secure_cookies=secure_cookies, open_reading=open_reading,
                           trusted_proxies=proxies, workers=workers))
    except StoreError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)
