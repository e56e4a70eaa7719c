"""`kurultai extract`: the record of each document, printed or written as NAME.json (a thin shell
over kurultai.ingest: the discovery, reading and extraction `kurultai ingest` uses)."""
from __future__ import annotations

import itertools
import json
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer


class Format(str, Enum):
    json = "json"
    text = "text"


def extract(
    paths: List[str] = typer.Argument(..., help="Documents, folders, glob patterns or .zip archives of documents."),
    format: Format = typer.Option(Format.json, "--format", "-f",
                                  help="json: one record per document (JSON Lines when several); "
                                       "text: a readable summary."),
    output: Path = typer.Option(None, "--output", "-o", file_okay=False,
                                help="Write one NAME.json per document into this folder instead of stdout "
                                     "(NAME-2.json, ... when two documents share a name)."),
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
      kurultai extract archive.zip 'news/**/*.html' -o records/

    Documents are found as `kurultai ingest` finds them: a path that exists is taken as it is,
    even with [ ] or * in its name; other arguments are glob patterns. A file that cannot be read
    is reported on stderr as one line naming it and the cause (names shown with control
    characters and undecodable bytes escaped); the other files are still extracted, and the exit
    status is 1.
    """
    from .ingest.sources import discover
    from .settings import Settings

    limits = Settings.of(max_bytes=int(max_mb * 1_000_000), max_seconds=max_seconds or None).limits
    found = discover(paths, limits, notice=skipped)
    head = list(itertools.islice(found, 2))  # one document prints as indented JSON, several as JSON Lines
    if not head:
        typer.echo("kurultai: no documents found in the given paths", err=True)
        raise typer.Exit(2)
    if output:
        output.mkdir(parents=True, exist_ok=True)
    names = _OutputNames(output) if output else None
    extractor: list = []  # loaded on the first document that reads
    failed = 0
    for source in itertools.chain(head, found):
        record = _extract_one(source, extractor, limits, debug)
        if record is None:
            failed += 1
        elif names:
            names.path(source).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        elif format is Format.json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2 if len(head) == 1 else None) + "\n")
        else:
            from .extract.summary import summary
            sys.stdout.write(summary(record) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _extract_one(source, extractor: list, limits, debug: bool) -> dict | None:
    """The record of one source, or None after one line on stderr saying why there is none."""
    from .deadline import TimeLimit, time_limit
    from .ingest.extraction import extract_text, read_document
    from .read import ReadError
    from .read.printable import printable

    try:
        text = read_document(source.load(), source.name, limits)
    except ReadError as exc:
        typer.echo(f"kurultai: error: {exc}", err=True)
        return None
    if not extractor:
        from .pipeline import Extractor
        extractor.append(Extractor())
    try:
        with time_limit(limits.max_seconds):
            done = extract_text(text, extractor[0])
    except TimeLimit:
        typer.echo(f"kurultai: error: {source.name}: {limits.too_slow('extraction')}", err=True)
        return None
    except Exception as exc:  # one bad document must not stop the batch
        if debug:
            raise
        typer.echo(printable(f"kurultai: error: {source.name}: extraction failed ({type(exc).__name__}: {exc}); "
                             "rerun with --debug for the traceback"), err=True)
        return None
    for warning in text.meta.get("warnings", ()):
        typer.echo(f"kurultai: warning: {source.name}: {printable(warning)}", err=True)
    return done.record


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class _OutputNames:
    """NAME.json for each document written into one folder: NAME is its file's or archive member's
    name without the suffix, its bytes kept (a cp1251 name gives a cp1251 name), control characters
    made "_", never a path (a member named ../../x.txt gives x.json), and unique within the run."""

    MAX_BYTES = 240
    """Of the stem: a file name has at most 255 bytes on Linux file systems."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: set[str] = set()

    def path(self, source) -> Path:
        base = re.split(r"[/\\]", source.path or source.name)[-1]
        stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
        stem = _CONTROL.sub("_", stem)
        while len(os.fsencode(stem)) > self.MAX_BYTES:
            stem = stem[:-1]
        stem = stem if stem.strip(".") else "document"
        name, n = f"{stem}.json", 1
        while name in self.taken:
            n += 1
            name = f"{stem}-{n}.json"
        self.taken.add(name)
        return self.folder / name


def skipped(name: str, why: str) -> None:
    """Tell the user of a file a folder walk passed over (a README, a LICENSE)."""
    from .read.printable import printable
    typer.echo(f"kurultai: skipped {printable(name)}: {why}", err=True)
