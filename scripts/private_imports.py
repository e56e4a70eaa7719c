"""Private names (`_name`) imported from another package of kurultai: what a module keeps to
itself is used only inside its own package (kurultai/store, kurultai/web, ...; the top-level
modules each count as their own). `make test` runs it beside `lint-imports`, which checks the
layers but not this. Exit status 1, with one line per import, when any is found."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def owner(module: str) -> str:
    """kurultai.store.search -> kurultai.store; kurultai.cli -> kurultai.cli."""
    return ".".join(module.split(".")[:2])


def crossings(package: Path = ROOT / "kurultai") -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        here = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        base = here if parts[-1] == "__init__" else here.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                up = base.split(".")[:len(base.split(".")) - (node.level - 1)]
                target = ".".join(up + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("kurultai") or owner(target) == owner(here):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {target}")
    return found


if __name__ == "__main__":
    found = crossings()
    print("\n".join(found) or "no private name crosses a package")
    sys.exit(1 if found else 0)
