"""Modules over MAX_LINES lines and functions over MAX_FUNCTION lines in kurultai/ (tests aside),
the sizes the project keeps to. Prints one line each, largest first; exit status 1 when any is
found, so that `make test` can run it once the remaining ones are split.

    python scripts/sizes.py            # everything over the limits
    python scripts/sizes.py --skip kurultai/extract kurultai/web/app.py
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

MAX_LINES = 500
MAX_FUNCTION = 80
ROOT = Path(__file__).resolve().parent.parent


def functions(tree: ast.AST):
    """(qualified name, first line, lines) of every function, methods and nested ones included."""
    def walk(node, prefix: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                yield name, child.lineno, child.end_lineno - child.lineno + 1
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)
    yield from walk(tree, "")


def oversized(package: Path, skip: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    found = []
    for path in sorted(package.rglob("*.py")):
        shown = path.relative_to(ROOT).as_posix()
        if "migrations/versions" in shown or shown.startswith(skip):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_LINES:
            found.append((lines, f"{shown}: {lines} lines (module, limit {MAX_LINES})"))
        for name, line, length in functions(ast.parse(source)):
            if length > MAX_FUNCTION:
                found.append((length, f"{shown}:{line}: {name}, {length} lines (function, limit {MAX_FUNCTION})"))
    return sorted(found, key=lambda f: -f[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip", nargs="*", default=[], help="paths (prefixes) to leave out")
    args = parser.parse_args()
    found = oversized(ROOT / "kurultai", tuple(args.skip))
    for _, text in found:
        print(text)
    print(f"{len(found)} over the limits", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
