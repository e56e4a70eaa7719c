"""Folders walked and glob patterns expanded so that every walk ends.

Both follow symbolic links to folders (a folder of reports often links in another), and both
enter each real folder (device and inode) once, so a link to a parent folder, or two links to
each other, are passed over instead of walked without end. Patterns follow glob's rules:
`*`, `?` and `[...]` inside one path component, `**` for any number of folders, and names
starting with a dot matched only by a pattern component that starts with one.
"""
from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from typing import Iterator

_MAGIC = re.compile(r"[*?[]")


def has_magic(pattern: str) -> bool:
    """Whether `pattern` holds a glob wildcard."""
    return _MAGIC.search(pattern) is not None


def walk(folder: str, seen: set[tuple[int, int]] | None = None) -> list[str]:
    """Every file under `folder`, sorted, each real folder entered once; `seen` holds the real
    folders entered already (by an earlier walk of the same batch argument), and is added to."""
    files: list[str] = []
    seen = set() if seen is None else seen
    stack = [folder]
    while stack:
        current = stack.pop()
        if not _first_visit(current, seen):
            continue
        for entry in _entries(current):
            if _is_dir(entry):
                stack.append(entry.path)
            elif _is_file(entry):
                files.append(entry.path)
    return sorted(files)


def expand(pattern: str) -> list[str]:
    """The paths matching the glob `pattern`, sorted; `**` walks each real folder once."""
    absolute = pattern.startswith(os.sep)
    parts = [part for part in pattern.split(os.sep) if part]
    fixed = 0
    while fixed < len(parts) and not has_magic(parts[fixed]):
        fixed += 1
    base = os.path.join(os.sep if absolute else "", *parts[:fixed]) if fixed else (os.sep if absolute else "")
    return sorted(set(_match(base, parts[fixed:])))


def _match(base: str, parts: list[str]) -> Iterator[str]:
    """Paths under `base` whose components match `parts`, without recursion in Python (a deep
    tree must not exhaust the interpreter's stack)."""
    seen: set[tuple[int, int]] = set()
    stack = [(base, 0)]
    while stack:
        folder, at = stack.pop()
        if at == len(parts):
            if folder and os.path.lexists(folder):
                yield folder
            continue
        part, last = parts[at], at == len(parts) - 1
        if part == "**":  # this folder (no folder at all), then the same in each folder in it
            if _first_visit(folder or ".", seen):
                stack.append((folder, at + 1))
                for entry in _entries(folder or "."):
                    if not entry.name.startswith(".") and (_is_dir(entry) or last):
                        stack.append((os.path.join(folder, entry.name), at if _is_dir(entry) else at + 1))
            continue
        if not has_magic(part):
            path = os.path.join(folder, part)
            if last or os.path.isdir(path):
                stack.append((path, at + 1))
            continue
        for entry in _entries(folder or "."):
            if entry.name.startswith(".") and not part.startswith("."):
                continue
            if fnmatchcase(entry.name, part) and (last or _is_dir(entry)):
                stack.append((os.path.join(folder, entry.name), at + 1))


def identity(path: str) -> tuple[int, int] | None:
    """The real file or folder `path` leads to (device, inode), or None if it leads nowhere."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _first_visit(folder: str, seen: set[tuple[int, int]]) -> bool:
    key = identity(folder)
    if key is None or key in seen:
        return False
    seen.add(key)
    return True


def _entries(folder: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError:  # unreadable or vanished: nothing to find there
        return []


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
