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
    extractor = None
    failed = 0
    if output:
        output.mkdir(parents=True, exist_ok=True)
    for path in files:
        try:
            text = read(path, max_bytes=int(max_mb * 1_000_000))
        except ReadError as exc:
            typer.echo(f"kurultai: error: {exc}", err=True)
            failed += 1
            continue
        if extractor is None:
            extractor = Extractor()
        try:
            record = extractor.extract(text)
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


@app.command()
def version() -> None:
    """Print kurultai's version."""
    from importlib.metadata import version as v
    typer.echo(v("kurultai"))


def main() -> None:  # pragma: no cover
    app()
