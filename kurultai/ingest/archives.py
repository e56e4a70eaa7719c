"""The documents inside zip archives: each archive opened once for all its members, archives
inside archives read within the same limits, empty archives reported.

An archive's members are read through the one open archive while `discover()` yields them
(opening it again for each member read its central directory once per member: quadratic time on
an archive of 10,000 reports). An archive inside an archive is read into memory (it is a member,
so at most --max-bytes), at most MAX_NESTING deep; before any document in it is read, the sizes
its members declare, and those of the archives nested in it, must add up to at most
--max-unpacked (zipfile never inflates a member past its declared size, so the sum bounds the
work). A nested zip bomb is refused as one line naming the limit.
"""
from __future__ import annotations

import io
import os
import stat
import zipfile
from functools import partial
from pathlib import PurePath
from typing import Callable, Iterator

from ..read import Limits, ReadError
from ..read.dispatch import SUFFIXES
from ..read.limits import MAX_NESTING, limit_text, size_text
from ..read.printable import printable
from .source import Source, failed

ARCHIVES = {".zip"}

_ZIP_ERRORS = (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError,
               ValueError)
"""What zipfile raises on a damaged, truncated, encrypted or oddly compressed archive or member."""


class _Archive:
    """A zip opened on first use and kept open until `close()`. A member loaded after that (a
    caller that kept the sources for later) opens it again, which is slow but still correct.
    Held for a batch (`Held`), it closes itself once the last of its members is loaded."""

    def __init__(self, name: str, opener: Callable[[], zipfile.ZipFile], held: "Held | None" = None) -> None:
        self.name = name
        self._opener = opener
        self._zip: zipfile.ZipFile | None = None
        self.held = held
        self.pending = 0  # members yielded and not loaded yet

    def get(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = self._opener()
        return self._zip

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def loaded(self) -> None:
        """One of its members was loaded (or refused): held for a batch, it closes after the last."""
        self.pending -= 1
        if self.held is not None and self.pending <= 0:
            self.close()

    def listed(self) -> None:
        """Its members are all yielded: close it now unless a batch holds it for their loading."""
        if self.held is None or not self.held.keep(self):
            self.close()


class Held:
    """The archives of one batch (`sources.batch`), kept open from discovery until their last
    member is loaded, so that a batch that lists its documents first (to show how many) opens
    each archive once. At most `LIMIT` archive files are held at a time (each is an open file);
    past it an archive is closed once listed and opened again when its members are loaded."""

    LIMIT = 200

    def __init__(self) -> None:
        self.archives: list[_Archive] = []

    def keep(self, archive: _Archive) -> bool:
        if archive.pending <= 0 or sum(a._zip is not None for a in self.archives) >= self.LIMIT:
            return False
        self.archives.append(archive)
        return True

    def close(self) -> None:
        for archive in self.archives:
            archive.close()
        self.archives.clear()


def is_archive(name: str) -> bool:
    return PurePath(name).suffix.lower() in ARCHIVES


def archive_sources(path: str, limits: Limits, held: Held | None = None) -> Iterator[Source]:
    """The documents inside the archive file at `path` (and inside the archives within it);
    `held` keeps it open for a batch that loads them after listing them all."""
    name = printable(path)
    archive = _Archive(name, lambda: _open_zip(path), held)
    try:
        yield from _members(archive, limits, 0)
    finally:
        archive.listed()


def _open_zip(path: str) -> zipfile.ZipFile:
    file = _open_regular(path)
    try:
        return zipfile.ZipFile(file)
    except BaseException:
        file.close()
        raise


def _open_regular(path: str):
    """The file opened for reading, refusing a FIFO or a device (reading one blocks or never ends)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ReadError(path, "not a regular file")
        return open(path, "rb")
    except FileNotFoundError:
        raise ReadError(path, "no such file") from None
    except PermissionError:
        raise ReadError(path, "permission denied") from None
    except OSError as error:
        raise ReadError(path, (error.strerror or str(error)).lower()) from None


def _members(archive: _Archive, limits: Limits, depth: int) -> Iterator[Source]:
    try:
        infos = archive.get().infolist()
    except ReadError as exc:
        yield failed(archive.name, exc.cause)
        return
    except _ZIP_ERRORS as exc:
        yield failed(archive.name, f"not a readable .zip archive ({exc})")
        return
    files = [info for info in infos if not info.is_dir()]
    wanted = [info for info in files if _kind(info) is not None]
    if not files:
        yield failed(archive.name, "empty archive (no documents in it)")
    elif not wanted:
        yield failed(archive.name, f"no documents in the archive ({len(files)} files of other kinds)")
    for info in wanted:
        name = f"{archive.name}!{printable(info.filename)}"
        if _kind(info) == "archive":
            yield from _nested(archive, info, name, limits, depth + 1)
        else:
            archive.pending += 1
            yield Source(name, partial(_load, archive, info, name, limits.max_bytes), info.filename)


def _kind(info: zipfile.ZipInfo) -> str | None:
    suffix = PurePath(info.filename).suffix.lower()
    return "archive" if suffix in ARCHIVES else "document" if suffix in SUFFIXES else None


def _load(archive: _Archive, info: zipfile.ZipInfo, name: str, max_bytes: int) -> bytes:
    """A member's bytes for its source's `load()`."""
    try:
        return _read(archive, info, name, max_bytes)
    finally:
        archive.loaded()


def _read(archive: _Archive, info: zipfile.ZipInfo, name: str, max_bytes: int) -> bytes:
    """A member's bytes, refused unread when it declares more than `max_bytes`."""
    if info.file_size > max_bytes:
        raise ReadError(name, f"unpacks to {size_text(info.file_size)}, over the {limit_text(max_bytes)} limit "
                              "(--max-bytes)")
    try:
        with archive.get().open(info) as member:
            data = member.read(max_bytes + 1)
    except ReadError:
        raise
    except _ZIP_ERRORS as exc:
        raise ReadError(name, f"cannot unpack it from the archive ({exc})") from None
    if len(data) > max_bytes:
        raise ReadError(name, "unpacks past the size limit (--max-bytes)")
    return data


def _nested(parent: _Archive, info: zipfile.ZipInfo, name: str, limits: Limits, depth: int) -> Iterator[Source]:
    """The documents of an archive inside an archive; the outermost nested one is checked whole
    (`_unpacked`) before anything in it is read, so a bomb is one line, not one per layer."""
    if depth > MAX_NESTING:
        yield failed(name, _too_deep())
        return
    try:
        data = _read(parent, info, name, limits.max_bytes)
    except ReadError as exc:
        yield failed(name, exc.cause)
        return
    archive = _Archive(name, lambda: zipfile.ZipFile(io.BytesIO(data)), parent.held)
    try:
        try:
            if depth == 1:
                _unpacked(archive.get(), name, limits, depth)
        except ReadError as exc:
            yield failed(name, exc.cause)
            return
        except _ZIP_ERRORS as exc:
            yield failed(name, f"not a readable .zip archive ({exc})")
            return
        yield from _members(archive, limits, depth)
    finally:
        archive.listed()


def _unpacked(archive: zipfile.ZipFile, name: str, limits: Limits, depth: int, total: int = 0) -> int:
    """`total` plus what the documents and archives in `archive` (and in the archives within it)
    declare they unpack to; raises ReadError past --max-unpacked or MAX_NESTING. A member that
    cannot be read is left to be reported when it is reached."""
    for info in archive.infolist():
        kind = None if info.is_dir() else _kind(info)
        if kind is None:
            continue
        total += info.file_size
        if total > limits.max_unpacked:
            raise ReadError(name, f"what it holds unpacks to more than {limit_text(limits.max_unpacked)}, the limit "
                                  "for an archive inside an archive (--max-unpacked; a zip bomb?)")
        if kind == "archive":
            if depth + 1 > MAX_NESTING:
                raise ReadError(name, _too_deep())
            try:
                if info.file_size > limits.max_bytes:
                    continue
                with archive.open(info) as member, zipfile.ZipFile(io.BytesIO(member.read())) as inner:
                    total = _unpacked(inner, name, limits, depth + 1, total)
            except _ZIP_ERRORS:
                continue
    return total


def _too_deep() -> str:
    return f"archives nested more than {MAX_NESTING} deep inside archives (the nesting limit; a zip bomb?)"
