"""What the bad-input, fault and attack suites tried, counted as they try it: each test calls
`count` with what it just did, and at the end of a run pytest prints the tally by kind, with the
tests that counted and failed (what was lost or let through) — none when the run passed
(conftest.pytest_terminal_summary). `pytest -m tally` runs just these tests."""
from __future__ import annotations

import os
from collections import Counter

KINDS = ("bad inputs", "faults", "attacks")
TRIED: Counter = Counter()
COUNTED_IN: set[str] = set()  # the test files that counted something


def count(kind: str, what: str, n: int = 1) -> None:
    """`n` more of `what` (a short plural phrase) tried, of `kind`: bad inputs, faults or attacks."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    TRIED[kind, what] += n
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    if current:
        COUNTED_IN.add(current.split("::")[0])


def summary(failed_nodeids: list[str]) -> list[str]:
    """The tally's lines: each kind's total and what it is made of, then what failed among the
    files that counted."""
    lines = []
    for kind in KINDS:
        items = sorted((what, n) for (k, what), n in TRIED.items() if k == kind)
        if items:
            lines.append(f"{kind}: {sum(n for _, n in items):,}")
            lines += [f"  {n:8,}  {what}" for what, n in items]
    broken = [n for n in failed_nodeids if n.split("::")[0] in COUNTED_IN]
    lines.append("lost or let through: " + ("nothing (every test that tried them passed)" if not broken
                                            else f"{len(broken)} failing test(s): " + ", ".join(broken)))
    return lines
