"""A batch lists its documents once: `kurultai ingest` counts them for its progress bar and then
reads them from the same listing, each zip archive opened once (it was opened twice: once to
count, once to read), and held no longer than its members are being read."""
from __future__ import annotations

import os
import sys
import zipfile

from typer.testing import CliRunner

from kurultai.cli import app
from kurultai.ingest.sources import batch
from kurultai.store import Store

from .conftest import FIXTURES

DOC = FIXTURES / "docs" / "ru-rt-kisi-isrs-transport-2024.txt"

_OPENED: list[str] = []
_WATCH: set[str] = set()


def _audit(event: str, args) -> None:
    """Every `open()` of a watched file, seen through Python's audit events (nothing replaced)."""
    if event == "open" and args and isinstance(args[0], str) and args[0] in _WATCH:
        _OPENED.append(args[0])


sys.addaudithook(_audit)


def _archive(path, members: int) -> str:
    with zipfile.ZipFile(path, "w") as z:
        for i in range(members):
            z.writestr(f"reports/{i}.txt", DOC.read_bytes() + f"\n(копия {i})".encode())
    return str(path)


def test_the_cli_opens_each_archive_once_per_batch(tmp_path):
    archive = _archive(tmp_path / "batch.zip", 3)
    _WATCH.add(archive)
    try:
        result = CliRunner().invoke(app, ["ingest", archive, "--db", str(tmp_path / "k.db"), "--quiet"])
    finally:
        _WATCH.discard(archive)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 new, 0 unchanged")
    assert _OPENED.count(archive) == 1, _OPENED
    with Store.open(str(tmp_path / "k.db")).connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM documents").scalar() == 3


def test_a_batch_holds_its_archives_until_their_members_are_read(tmp_path):
    """Listed first and read later, the members come from the archive opened for the listing
    (it is read even once its file is gone), which closes after its last member."""
    archive = _archive(tmp_path / "held.zip", 2)
    with batch([archive, str(DOC)]) as found:
        assert [s.name.rsplit("!", 1)[-1] for s in found] == ["reports/0.txt", "reports/1.txt", str(DOC)]
        os.remove(archive)
        held = found[0].load.args[0]
        assert found[0].load().startswith(DOC.read_bytes()) and held._zip is not None
        assert found[1].load().endswith("(копия 1)".encode()) and held._zip is None  # closed after the last
        assert found[2].load() == DOC.read_bytes()
