"""The atheris fuzz targets of fuzz/, each for a bounded number of runs with a fixed seed: any
uncaught exception, broken property or crash fails the test, with the input written beside it.
The inputs that once crashed a target (fuzz/regressions/TARGET/) run first, every time.
Longer runs: `python fuzz/read_target.py -runs=1000000 CORPUS SEEDS` (see fuzz/seeds.py)."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from .conftest import ROOT
from .tally import count

pytest.importorskip("atheris")
pytestmark = pytest.mark.tally

FUZZ = ROOT / "fuzz"
TARGETS = [
    # target, runs, seeded with a valid file of each format
    ("read_target.py", 400, True),
    ("clean_target.py", 4000, False),
    ("extract_target.py", 150, False),
]


def seeds(folder):
    spec = importlib.util.spec_from_file_location("fuzz_seeds", FUZZ / "seeds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(folder)
    return folder


@pytest.mark.parametrize("target, runs, seeded", TARGETS, ids=[t for t, _, _ in TARGETS])
def test_fuzz_target_runs_without_a_crash(tmp_path, target, runs, seeded):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    command = [sys.executable, str(FUZZ / target), f"-runs={runs}", "-max_total_time=60", "-max_len=4096", "-seed=1",
               "-timeout=20", f"-artifact_prefix={tmp_path}/", str(corpus)]
    if seeded:
        command.append(str(seeds(tmp_path / "seeds")))
    regressions = FUZZ / "regressions" / target.removesuffix("_target.py")
    if regressions.is_dir():
        command.append(str(regressions))
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    output = result.stdout + result.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(p.name for p in tmp_path.glob("timeout-*"))
    assert result.returncode == 0 and not crashes, (crashes, output[-4000:])
    done = re.search(r"Done (\d+) runs", output)
    assert done and int(done.group(1)) > 0, output[-2000:]
    count("bad inputs", f"fuzzed inputs ({target.removesuffix('_target.py')})", int(done.group(1)))
