"""Files that are whole or absent: each is written under a temporary name in its own folder and
renamed over the final name once complete, so a crash, a full disk or `kill -9` in the middle of
an export leaves the previous run's files as they were, never a truncated one under a final name."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PART = ".kurultai-part"  # a temporary file's suffix: what a killed run leaves, removed by the next one


class Batch:
    """Files written together: `path(final)` gives the temporary path to write; `commit()` renames
    them all over their final names (after every one is written and flushed to disk)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pending: list[tuple[Path, Path]] = []

    def path(self, final: Path) -> Path:
        tmp = self.folder / f".{final.name}.{secrets.token_hex(4)}{PART}"
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))  # the umask's mode, as open() gives
        self.pending.append((tmp, final))
        return tmp

    def commit(self) -> list[Path]:
        for tmp, _ in self.pending:
            _fsync(tmp)
        for tmp, final in self.pending:
            os.replace(tmp, final)
        _fsync_folder(self.folder)
        done = [final for _, final in self.pending]
        self.pending.clear()
        return done

    def discard(self) -> None:
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
        self.pending.clear()


@contextmanager
def batch(folder: Path) -> Iterator[Batch]:
    """Write files into `folder` (created if need be) all-or-nothing per file: on an exception the
    temporary files go and the final names keep what they held. Leftovers of a killed run (hidden
    `*.kurultai-part` files) are removed first."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f".*{PART}"):
        stale.unlink(missing_ok=True)
    b = Batch(folder)
    try:
        yield b
    except BaseException:
        b.discard()
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform whose folders cannot be opened: the renames are still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
