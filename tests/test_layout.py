"""The layers hold (import-linter's contracts in pyproject.toml) and no private name is imported
from another package; `make test` runs the same two checks before the tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import private_imports  # noqa: E402
import sizes  # noqa: E402


def test_the_layer_contracts_are_kept():
    linter = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout[-2000:]


def test_no_private_name_crosses_a_package():
    assert private_imports.crossings() == []


def test_sizes_measures_functions_methods_and_nested_ones():
    import ast
    source = "class A:\n    def m(self):\n        def inner():\n            pass\n        return 1\n\n\ndef f():\n    pass\n"
    assert list(sizes.functions(ast.parse(source))) == [("A.m", 2, 4), ("A.m.inner", 3, 2), ("f", 8, 2)]
