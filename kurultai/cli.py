"""The `kurultai` command line: a thin shell over the Python API (pipeline.py, read/)."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

app = typer.Typer(
    help="kurultai reads reports of Central Asian round tables, forums, webinars and summits "
         "(Russian and English; .txt in any encoding, .pdf, .html, .docx) and extracts, for each, "
         "an evidence-linked record: the event, its date and format, organisers, participants, "
         "speakers, countries, directions of cooperation, threats, frameworks and outcomes.",
    no_args_is_help=True,
    add_completion=False,
)

DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".html", ".htm", ".docx"}


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class Format(str, Enum):
    json = "json"
    text = "text"


def expand(paths: List[Path]) -> list[Path]:
    """Files as given; folders searched recursively for documents of a known kind."""
    out = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES))
        else:
            out.append(p)
    return out


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Documents or folders of documents to read."),
    format: Format = typer.Option(Format.json, "--format", "-f",
                                  help="json: one record per document (JSON Lines when several); "
                                       "text: a readable summary."),
    output: Path = typer.Option(None, "--output", "-o", file_okay=False,
                                help="Write one NAME.json per document into this folder instead of stdout."),
    max_mb: float = typer.Option(50.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    max_seconds: float = typer.Option(None, "--max-seconds", min=0.01,
                                      help="Stop a document's extraction after this many seconds "
                                           "(default: the ingest limit)."),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback when extraction fails."),
) -> None:
    """Extract the record of each document.

    \b
    Examples:
      kurultai extract report.txt                  # one JSON object
      kurultai extract reports/ --format text      # a summary per document
      kurultai extract *.pdf -o records/           # records/NAME.json for each

    A file that cannot be read is reported on stderr as one line naming it and the cause; the
    other files are still extracted, and the exit status is 1.
    """
    from .pipeline import Extractor
    from .read import ReadError, read

    files = expand(paths)
    if not files:
        typer.echo("kurultai: no documents found in the given paths", err=True)
        raise typer.Exit(2)
    from .deadline import TimeLimit, time_limit
    from .read.limits import Limits
    limits = Limits(max_bytes=int(max_mb * 1_000_000),
                    **({"max_seconds": max_seconds} if max_seconds else {}))
    extractor = None
    failed = 0
    if output:
        output.mkdir(parents=True, exist_ok=True)
    for path in files:
        try:
            text = read(path, **limits.reading())
        except ReadError as exc:
            typer.echo(f"kurultai: error: {exc}", err=True)
            failed += 1
            continue
        if extractor is None:
            extractor = Extractor()
        try:
            with time_limit(limits.max_seconds):
                record = extractor.extract(text)
        except TimeLimit:
            typer.echo(f"kurultai: error: {path}: {limits.too_slow('extraction')}", err=True)
            failed += 1
            continue
        except Exception as exc:  # one bad document must not stop the batch
            if debug:
                raise
            typer.echo(f"kurultai: error: {path}: extraction failed ({type(exc).__name__}: {exc}); "
                       "rerun with --debug for the traceback", err=True)
            failed += 1
            continue
        if output:
            (output / f"{path.stem}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        elif format is Format.json:
            indent = 2 if len(files) == 1 else None
            sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=indent) + "\n")
        else:
            from .extract.summary import summary
            sys.stdout.write(summary(record) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


LIMITS = "Limits per document (past one, the document fails with the limit named)"

DB_HELP = "The store: a SQLite file (default ./kurultai.db, or $KURULTAI_DB) or a postgresql:// URL."


def _open(db: str | None):
    from .store.db import Store, StoreError
    try:
        return Store.open(db)
    except StoreError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(None, help="Files, folders, glob patterns or .zip archives of documents."),
    db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP),
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
                                     help="Largest decompressed size of a .docx, in bytes (default 200,000,000)."),
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
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .pipeline import Extractor
    from .store.ingest import StoreFault, ingest as run_ingest, reextract_all, sources

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
    from .read import Limits
    given = dict(max_bytes=max_bytes, max_pages=max_pages, max_unpacked=max_unpacked, max_markup=max_markup,
                 max_chars=max_chars, max_seconds=max_seconds)
    limits = Limits(**{k: v for k, v in given.items() if v is not None})
    store = _open(db)
    extractor = None if dask else Extractor()
    console = Console(stderr=True)
    todo = None if reextract else sum(1 for _ in sources(paths))
    columns = [TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("{task.fields[name]}")]
    import time as _time
    t0 = _time.perf_counter()
    with Progress(*columns, console=console, disable=quiet, transient=False) as progress:
        task = progress.add_task("ingest", total=todo, rate="", name="")

        def tick(source, status):
            done = progress.tasks[0].completed + 1
            rate = done / max(_time.perf_counter() - t0, 1e-9)
            progress.update(task, advance=1, rate=f"{rate:.1f} docs/s", name=Path(source).name[-40:])
            if status == "failed":
                progress.console.print(f"[red]failed[/red] {source}", markup=True, highlight=False)

        stopped = None  # the store failed (full disk, read-only): the batch stops, what is stored stays
        try:
            if dask:
                report = _ingest_dask(store, paths, workers, scheduler, tick, limits)
            elif reextract:
                report = reextract_all(store, extractor, tick, limits)
            else:
                report = run_ingest(store, paths, extractor, progress=tick, limits=limits)
        except StoreFault as exc:
            report, stopped = exc.report, str(exc)
    seconds = _time.perf_counter() - t0
    typer.echo(f"{report.new} new, {report.unchanged} unchanged, {report.reextracted} re-extracted, "
               f"{len(report.failed)} failed in {seconds:.1f} s ({report.total / max(seconds, 1e-9):.1f} docs/s) "
               f"-> {store.url}")
    for source, cause in report.failed:
        typer.echo(f"kurultai: error: {source}: {cause}", err=True)
    if stopped:
        typer.echo(f"kurultai: error: {stopped}", err=True)
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)


def _ingest_dask(store, paths, workers, scheduler, tick, limits):
    from .scale.engine import close, connect, ingest_dask
    try:
        client = connect(workers, scheduler)
    except OSError as exc:  # no scheduler at that address, or it timed out
        typer.echo(f"kurultai: error: {scheduler}: cannot reach the Dask scheduler ({exc})", err=True)
        raise typer.Exit(2)
    try:
        return ingest_dask(store, paths, client, progress=tick, limits=limits)
    finally:
        close(client)


@app.command()
def search(
    query: str = typer.Argument("", help="Words to find (any form: 'сотрудничества' finds 'сотрудничество'), "
                                         "or an institution's name or abbreviation in any language."),
    country: str = typer.Option(None, help="ISO code of a participating country, e.g. KZ."),
    institution: str = typer.Option(None, "--institution", "--org", help="Institution id or any of its names."),
    person: str = typer.Option(None, help="Person id or name."),
    type: str = typer.Option(None, "--type", help="Event type: round_table, forum, summit, ..."),
    direction: str = typer.Option(None, help="Direction id, e.g. water."),
    threat: str = typer.Option(None, help="Threat id, e.g. climate_change."),
    framework: str = typer.Option(None, help="Framework id, e.g. sco."),
    date_from: str = typer.Option(None, "--from", help="Events on or after YYYY[-MM[-DD]]."),
    date_to: str = typer.Option(None, "--to", help="Events on or before YYYY[-MM[-DD]]."),
    language: str = typer.Option(None, help="Document language: ru, en, kk, uz."),
    limit: int = typer.Option(20, min=1, max=1000, help="Hits to print (a search ranks the newest 1000 matches "
                                                         "when there are more)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a listing."),
    db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP),
) -> None:
    """Search the knowledge base; results are ranked and the matching words highlighted.

    \b
    Examples:
      kurultai search "водные ресурсы" --country KZ
      kurultai search IWEP                       # also finds reports that say ИМЭП
      kurultai search --direction transport_logistics --from 2023 --json
    """
    from rich.console import Console
    from rich.markup import escape

    from .store.search import Filters, SearchError, search as run_search

    store = _open(db)
    filters = Filters(country=country, institution=institution, person=person, type=type, direction=direction,
                      threat=threat, framework=framework, date_from=date_from, date_to=date_to, language=language)
    try:
        hits, total = run_search(store, query, filters, limit=limit)
    except SearchError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps({"total": int(total), "total_exact": total.exact, "hits": [h.__dict__ for h in hits]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    if total.exact:
        console.print(f"{total} document{'s' if total != 1 else ''}")
    else:
        console.print(f"more than {total} documents: the newest {total}, ranked; narrow the query or the filters "
                      "to see the others")
    for h in hits:
        marked, last = [], 0
        for s, e in h.highlights:
            marked.append(escape(h.snippet[last:s]) + "[bold yellow]" + escape(h.snippet[s:e]) + "[/bold yellow]")
            last = e
        marked.append(escape(h.snippet[last:]))
        console.print(f"[bold]#{h.id}[/bold] {escape(h.source)}  {h.published or ''}  {escape(h.title or '')}")
        console.print("   " + " ".join("".join(marked).split()))


class Kind(str, Enum):
    event = "event"
    org = "org"
    person = "person"
    doc = "doc"


@app.command()
def show(kind: Kind = typer.Argument(..., help="event, org, person or doc."),
         id: int = typer.Argument(..., help="Its id (from search, stats or another show)."),
         db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Show one event, institution, person or document as JSON: an institution lists every alias
    seen and the documents it came from, its events, people and co-participants."""
    from .store import views

    store = _open(db)
    fn = {"event": views.show_event, "org": views.show_org, "person": views.show_person, "doc": views.show_doc}[kind.value]
    try:
        out = fn(store, id)
    except views.NotFound as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(1)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def stats(db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Counts of documents, events, institutions, people and mentions in the store."""
    from .store.views import stats as run_stats

    sys.stdout.write(json.dumps(run_stats(_open(db)), ensure_ascii=False, indent=2) + "\n")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    ftm = "ftm"


@app.command()
def export(format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f",
                                               help="jsonl, csv or parquet tables, or ftm (FollowTheMoney, for Aleph)."),
           out: Path = typer.Option(Path("export"), "--out", "-o", file_okay=False, help="Folder to write into."),
           db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Export events, institutions, people and mentions."""
    from .store.export import export as run_export

    for path in run_export(_open(db), format.value, out):
        typer.echo(str(path))


@app.command()
def merge(keep: int = typer.Argument(..., help="Entity id that stays."),
          other: int = typer.Argument(..., help="Entity id folded into it."),
          db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Merge two institutions (or two people) that are the same; logged, and undone by `split`."""
    from .store.curate import merge as run_merge
    from .store.views import NotFound

    try:
        typer.echo(json.dumps(run_merge(_open(db), keep, other)))
    except (NotFound, ValueError) as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        raise typer.Exit(1)


@app.command()
def split(entity: int = typer.Argument(..., help="Entity id to split."),
          names: List[str] = typer.Argument(..., help="The names whose mentions move to a new entity."),
          db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP)) -> None:
    """Split the mentions written as NAMES off an entity into a new one (undoes a wrong merge)."""
    from .store.curate import split as run_split
    from .store.views import NotFound

    try:
        typer.echo(json.dumps(run_split(_open(db), entity, names), ensure_ascii=False))
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

from .cli_user import users as _users  # noqa: E402  (cli_user imports cli only inside its commands)
app.add_typer(_users, name="user")

from .cli_session import briefing as _briefing, session as _session  # noqa: E402
app.add_typer(_session, name="session")
app.command("briefing")(_briefing)


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
def serve(db: str = typer.Option(None, "--db", envvar="KURULTAI_DB", help=DB_HELP),
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
