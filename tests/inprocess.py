"""`kurultai COMMAND ...` run inside the test's process (typer's CliRunner), answered as a
subprocess would answer: a CompletedProcess with the exit status, stdout and stderr apart.

For tests of what a command does, says and writes: a new process costs a second or two of imports
and model loading each time. Tests of the process itself (its entry point, kill -9 in the middle of
a write, what a signal does) start a real one (tests/test_cli.py's `run`)."""
from __future__ import annotations

import os
import subprocess
import traceback
from pathlib import Path

from typer.testing import CliRunner


def invoke(*args, input: str | None = None, cwd: Path | str | None = None,
           env: dict | None = None) -> subprocess.CompletedProcess:
    """The command's outcome; an exception it let out is its traceback on stderr and status 1, as
    Python's own exit would give (a test asserting a clean exit then shows it)."""
    from kurultai.cli import app
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "120", **(env or {})})
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["kurultai", *map(str, args)], result.exit_code, result.stdout, stderr)
