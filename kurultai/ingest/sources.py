"""Finding documents: files, folders, glob patterns and zip archives, as `Source`s.

The one discovery behind `kurultai extract`, `kurultai ingest`, the web upload and the Dask
engine. An argument that exists as a path is that path, even when it holds glob characters (a
file named `report[1].txt`); only an argument that names nothing is expanded as a pattern, and
a pattern matching nothing is reported. Folders and `**` are walked once per real folder
(kurultai.ingest.paths), so symbolic-link loops end. A name that is not valid UTF-8 is kept
with surrogate escapes to open the file and shown and stored through `printable`; what cannot
be found or opened becomes a source that fails with its cause, so the batch reports it and goes on.

A folder's project files (README, LICENSE, CHANGELOG and the like: `PROJECT_FILES`) are not
reports: a walk passes them over and tells `notice` of each; named as a file, one is read.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePath
from typing import Callable, Iterable, Iterator

from ..read import Limits, load
from ..read.dispatch import SUFFIXES
from ..read.printable import printable
from .archives import Held, archive_sources, is_archive
from .paths import expand, has_magic, identity, walk
from .source import Source, failed

__all__ = ["PROJECT_FILES", "Source", "batch", "discover"]

PROJECT_FILES = re.compile(
    r"(?:readme|licen[cs]e|copying|copyright|changelog|contributing|contributors|authors|code_of_conduct)"
    r"(?:\.[a-z]{1,8})?", re.IGNORECASE)
"""Names of the files that describe a folder of files (a project's, a data set's) rather than
report anything: README.md, LICENSE, CHANGELOG.txt, CONTRIBUTING.md, AUTHORS. Only the whole
name: «readme-forum.txt» or «history.txt» may be a report."""

Notice = Callable[[str, str], None]
"""Told (name, why) of each file a folder walk passed over."""


def _quiet(name: str, why: str) -> None:
    return None


@contextmanager
def batch(paths: Iterable[str | bytes | os.PathLike], limits: Limits = Limits(),
          notice: Notice = _quiet) -> Iterator[list[Source]]:
    """The documents under `paths` as a list (a progress bar can say how many there are), each
    archive opened once: kept open from its listing until its last member is loaded (or the
    batch ends), instead of listed once to count and again to read."""
    held = Held()
    try:
        yield list(discover(paths, limits, held, notice))
    finally:
        held.close()


def discover(paths: Iterable[str | bytes | os.PathLike], limits: Limits = Limits(),
             held: Held | None = None, notice: Notice = _quiet) -> Iterator[Source]:
    """The documents under `paths`, in order: files as given, folders searched recursively for
    known formats and .zip archives, patterns expanded, archives' members (see
    kurultai.ingest.archives). Within one argument each real file is given once, however many
    links lead to it. Load each source before asking for the next: an archive stays open only
    while its members are being yielded. A folder's project files (`PROJECT_FILES`) are passed
    over, each told to `notice`."""
    for argument in paths:
        path = os.fsdecode(argument)
        found = _Found(notice)
        if os.path.lexists(path) or not has_magic(path):
            yield from _path(str(Path(path)) if path else path, limits, found, held)
            continue
        matches = expand(path)
        if not matches:
            yield failed(path, "no file matches this pattern")
        for match in matches:
            yield from _path(match, limits, found, held)


class _Found:
    """The real folders walked and files given so far for one argument."""

    def __init__(self, notice: Notice = _quiet) -> None:
        self.notice = notice
        self.folders: set[tuple[int, int]] = set()
        self.files: set[tuple[int, int]] = set()

    def first(self, file: str) -> bool:
        key = identity(file)
        if key is None:
            return True  # gone, or a broken link: given, to be reported
        if key in self.files:
            return False
        self.files.add(key)
        return True


def _path(path: str, limits: Limits, found: _Found, held: Held | None = None) -> Iterator[Source]:
    if os.path.isdir(path):
        if identity(path) in found.folders:
            return  # walked already through another link
        files = [f for f in walk(path, found.folders) if is_archive(f) or PurePath(f).suffix.lower() in SUFFIXES]
        for f in [f for f in files if PROJECT_FILES.fullmatch(PurePath(f).name)]:
            found.notice(printable(f), "a project file (README, LICENSE...), not a report: name the file to read it")
            files.remove(f)
        if not files and not found.files:
            yield failed(path, "no documents in this folder")
        for file in files:
            if found.first(file):
                yield from _file(file, limits, held)
    elif found.first(path):
        yield from _file(path, limits, held)


def _file(path: str, limits: Limits, held: Held | None = None) -> Iterator[Source]:
    if is_archive(path):
        yield from archive_sources(path, limits, held)
    else:  # load() refuses FIFOs, devices and files too big, naming the file
        yield Source(printable(path), partial(load, path, limits.max_bytes), path)

